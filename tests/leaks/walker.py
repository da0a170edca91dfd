"""The route walker's machinery: the oracle built from the database, requests, snapshots, URL coverage.

The oracle is the reference model (reference_model.py) loaded with the database's facts, so the walker
never asks the portal's own rules which objects are forbidden.
"""

import json
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from participants.models import Agency, GroupMembership, Participant
from participants.models import Group as PortalGroup
from sharing.models import Recipient, ReleaseRequest, Shareable, Status
from sharing.registry import ShareableRegistration, registrations
from tests.leaks import reference_model as ref

OBJECT_NAME = r"[a-z_]*(?:uuid|pk|slug|id|code|attachment|secret|token)[a-z_]*"
OBJECT_KWARG = re.compile(rf"<(?:[a-z_]+:)?({OBJECT_NAME})>|\(\?P<({OBJECT_NAME})>")


def build_world(today) -> ref.World:
    """Everything the rules depend on, read with plain value queries."""
    from sharing.principals import _sources

    world = ref.World(today=today)
    for pk, kind, status, four_eyes in Participant.objects.values_list("pk", "kind", "status", "four_eyes"):
        world.participants[pk] = ref.Participant(kind, status, four_eyes)
    world.agencies = dict(Agency.objects.values_list("pk", "participant_id"))
    users = list(User.objects.filter(agency__isnull=False))
    for user in users:
        world.users[user.pk] = ref.User(user.agency_id, user.role, user.is_active)
        derived = {key for source in _sources for key in source(user)}
        if derived:
            world.derived[user.pk] = derived
    world.groups = set(PortalGroup.objects.values_list("pk", flat=True))
    for row in GroupMembership.objects.values("pk", "group_id", "agency_id", "participant_id", "since", "until"):
        world.memberships[row["pk"]] = ref.Membership(
            row["group_id"], row["agency_id"], row["participant_id"], row["since"], row["until"]
        )
    return world


def load_objects(world: ref.World, model) -> None:
    """Put one shareable model's objects into the world's `docs` (replacing what was there)."""
    content_type = ContentType.objects.get_for_model(model)
    keys: dict[int, set[str]] = {}
    for object_id, key in Recipient.objects.filter(content_type=content_type).values_list("object_id", "principal_key"):
        keys.setdefault(object_id, set()).add(key)
    world.docs = {}
    for row in model._default_manager.values(
        "pk",
        "author_id",
        "originator_agency_id",
        "originator_participant_id",
        "distribution",
        "tlp",
        "status",
        "published_at",
        "pending_approval",
    ):
        world.docs[row["pk"]] = ref.Doc(
            author=row["author_id"],
            agency=row["originator_agency_id"],
            participant=row["originator_participant_id"],
            distribution=row["distribution"],
            tlp=row["tlp"],
            status=row["status"],
            recipients=keys.get(row["pk"], set()),
            published_once=row["published_at"] is not None,
            pending=row["pending_approval"],
        )


def workflow_reviewer_pks(model, user) -> set[int]:
    """Drafts a capability's workflow shows to reviewers (Shareable.draft_reviewers_q): allowed, not forbidden."""
    if model.draft_reviewers_q.__func__ is Shareable.draft_reviewers_q.__func__:
        return set()
    from django.db.models import Q

    draft_state = Q(status=Status.DRAFT) | Q(status=Status.WITHDRAWN, published_at__isnull=True)
    return set(model._default_manager.filter(draft_state & model.draft_reviewers_q(user)).values_list("pk", flat=True))


def forbidden_for(world: ref.World, model, user) -> set[int]:
    allowed = world.seen_by(user.pk) | workflow_reviewer_pks(model, user)
    return set(world.docs) - allowed


@dataclass
class Snapshot:
    rows: list
    recipients: list
    releases: list
    total: int


def snapshot(model, obj) -> Snapshot:
    content_type = ContentType.objects.get_for_model(model)
    return Snapshot(
        rows=list(model._default_manager.filter(pk=obj.pk).values()),
        recipients=sorted(
            Recipient.objects.filter(content_type=content_type, object_id=obj.pk).values_list(
                "principal_key", flat=True
            )
        ),
        releases=list(ReleaseRequest.objects.filter(content_type=content_type, object_id=obj.pk).values()),
        total=model._default_manager.count(),
    )


def request(client, route, obj):
    url = reverse(route.url_name, kwargs=route.kwargs(obj))
    method = route.method.upper()
    if method == "GET":
        return client.get(url)
    payload = route.payload or {}
    if route.is_api:
        return client.generic(method, url, json.dumps(payload), content_type="application/json")
    if method == "POST":
        return client.post(url, payload)
    return client.generic(method, url, json.dumps(payload), content_type="application/json")


def list_url(spec: str) -> str:
    name, _, query = spec.partition("?")
    url = reverse(name)
    return f"{url}?{query}" if query else url


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


# URL coverage -----------------------------------------------------------------------------------


def walk_patterns(resolver=None, prefix: str = "", namespace: str | None = None):
    """(route text, url name) of every pattern in the project, namespaces included."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk_patterns(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield prefix + str(pattern.pattern), name


def object_routes() -> dict[str, str]:
    """url name (or route text when unnamed) -> route, for every pattern that names an object."""
    found = {}
    for route, name in walk_patterns():
        if OBJECT_KWARG.search(route):
            found[name or route] = route
    return found


def registered_route_names() -> set[str]:
    return {route.url_name for registration in registrations() for route in registration.routes}


@dataclass
class WalkCounts:
    """What the walker did for one persona: forbidden objects per model and requests made."""

    forbidden: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    list_checks: int = 0


def walk_persona(client, user, world: ref.World, regs: list[ShareableRegistration], *, per_model_limit=None):
    """Every registered route for every object `user` must not see: 404, nothing changed, never listed."""
    counts = WalkCounts()
    failures: list[str] = []
    for registration in regs:
        model = registration.model
        load_objects(world, model)
        forbidden_pks = sorted(forbidden_for(world, model, user))
        counts.forbidden[model.__name__] = len(forbidden_pks)
        objects = list(model._default_manager.filter(pk__in=forbidden_pks).order_by("pk"))
        if per_model_limit is not None:
            objects = objects[:per_model_limit]
        for obj in objects:
            for route in registration.routes:
                before = snapshot(model, obj) if route.method.upper() != "GET" else None
                response = request(client, route, obj)
                counts.requests += 1
                if response.status_code != 404:
                    failures.append(
                        f"{user.username} {route.method} {route.url_name} {model.__name__}:{obj.pk} -> "
                        f"{response.status_code}"
                    )
                if before is not None and snapshot(model, obj) != before:
                    failures.append(
                        f"{user.username} {route.method} {route.url_name} changed {model.__name__}:{obj.pk}"
                    )
        markers = {registration.marker(obj): obj.pk for obj in model._default_manager.filter(pk__in=forbidden_pks)}
        model_uuids = {str(value) for value in model._default_manager.values_list("uuid", flat=True)}
        probe_title = next((getattr(o, "title", "") for o in objects if getattr(o, "title", "")), "")
        for spec in registration.list_routes:
            urls = [list_url(spec)]
            if probe_title:
                joiner = "&" if "?" in urls[0] else "?"
                from urllib.parse import quote

                urls.append(f"{urls[0]}{joiner}q={quote(probe_title[:60])}")
            for url in urls:
                response = client.get(url)
                counts.list_checks += 1
                if response.status_code != 200:
                    failures.append(f"{user.username} list {url} -> {response.status_code}")
                    continue
                text = body_text(response)
                if response.get("Content-Type", "").startswith("application/json") and text.startswith("{"):
                    data = json.loads(text)
                    total = data.get("count")
                    # A list of this model may filter further, never count more than the persona may see.
                    # (Lists registered for another model's sake, e.g. answers inside requests, are only
                    # searched for forbidden markers below.)
                    results = data.get("results") or []
                    of_this_model = bool(results) and all(
                        isinstance(row, dict) and str(row.get("uuid", "")) in model_uuids for row in results
                    )
                    if of_this_model and isinstance(total, int) and total > len(world.docs) - len(forbidden_pks):
                        failures.append(f"{user.username} list {url} counts {total} > visible")
                for marker, pk in markers.items():
                    if marker and marker in text:
                        failures.append(f"{user.username} list {url} shows {model.__name__}:{pk}")
    return counts, failures
