"""Schemathesis runs every operation of the OpenAPI schema, for each role, without a server error.

Generated requests go through the WSGI application in-process, authenticated with each role's API token.
"""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings

from accounts.models import ApiToken, Role, hash_secret
from portal.testing import Personas, UserFactory

ROLES = [
    Role.VIEWER,
    Role.CONTRIBUTOR,
    Role.ANALYST,
    Role.FOCAL_POINT,
    Role.SECRETARIAT,
    Role.AUDITOR,
    Role.SYSTEM_ADMIN,
]


def issue_raw_token(user) -> str:
    raw = ApiToken.generate_raw()
    ApiToken.objects.create(
        user=user,
        name="schemathesis",
        key_prefix=raw[:12],
        key_hash=hash_secret(raw),
        expires_at=ApiToken.default_expiry(1),
        security_stamp=user.security_stamp,
    )
    return raw


@pytest.fixture
def wsgi_schema(db):
    import schemathesis
    from django.core.wsgi import get_wsgi_application

    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(document)
    schema.app = get_wsgi_application()
    # The WSGI handler would close the test transaction's connection at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def run_every_operation(schema, token: str, examples: int) -> list[str]:
    failures: list[str] = []
    answered: list[int] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            response = case.call(headers={"Authorization": f"Bearer {token}", "Host": "testserver"})
            answered.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}")

        call()
    # The run must really reach the API as this user: /api/v1/users/me/ at least answers 200.
    assert 200 in answered, f"no operation succeeded: {sorted(set(answered))}"
    return failures


@pytest.mark.parametrize("role", ROLES)
def test_no_operation_answers_a_server_error(wsgi_schema, role):
    personas = Personas.build()
    user = UserFactory(username=f"schema-{role}", agency=personas.alpha_agency, role=role)
    failures = run_every_operation(wsgi_schema, issue_raw_token(user), examples=5)
    assert not failures, failures


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_no_operation_answers_a_server_error_thoroughly(wsgi_schema, role):
    personas = Personas.build()
    user = UserFactory(username=f"schema-{role}", agency=personas.alpha_agency, role=role)
    failures = run_every_operation(wsgi_schema, issue_raw_token(user), examples=15)
    assert not failures, failures
