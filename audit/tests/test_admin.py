"""No administration screen can change or delete audit rows."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from audit.models import AuditEntry, ChainHead, Checkpoint


@pytest.mark.parametrize("model", [AuditEntry, Checkpoint, ChainHead])
def test_audit_rows_have_no_admin_with_change_or_delete_rights(model, personas):
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return  # not registered at all: nothing to change through the admin
    request = RequestFactory().get("/admin/")
    request.user = personas.alice_focal
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_add_permission(request)


def test_the_admin_site_offers_no_audit_model(personas):
    registered = {model._meta.label_lower for model in admin.site._registry}

    assert not registered & {"audit.auditentry", "audit.checkpoint", "audit.chainhead"}
