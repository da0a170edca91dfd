"""The gunicorn master warms up before it forks: URLconfs imported, templates compiled, no database."""

import importlib.util
import os
from pathlib import Path

from django.template import engines
from django.urls import get_resolver

from operations.warmup import template_names, warm_up

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def cached_templates() -> dict:
    loader = engines["django"].engine.template_loaders[0]
    return loader.get_template_cache


def test_warm_up_compiles_every_template_the_portal_renders_without_touching_the_database():
    # Not a django_db test: any query would fail it.
    summary = warm_up()
    assert summary["templates_compiled"] > 100
    assert {"base.html", "documents/list.html", "account/login.html"} <= set(cached_templates())
    assert get_resolver()._populated


def test_template_names_cover_the_project_and_the_apps():
    names = template_names()
    assert "base.html" in names and "documents/detail.html" in names and "mfa/authenticate.html" in names


def test_gunicorn_warms_up_in_the_master_after_preloading(monkeypatch):
    monkeypatch.setattr(os, "environ", dict(os.environ))  # the config sets PROMETHEUS_MULTIPROC_DIR
    spec = importlib.util.spec_from_file_location("gunicorn_conf", GUNICORN_CONF)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    assert conf.preload_app is True
    called = []
    monkeypatch.setattr("operations.warmup.warm_up", lambda: called.append(True))
    conf.when_ready(server=None)
    assert called == [True]
