"""DESIGN.md section 2 / STYLE.md practice 4: shareable data is never fetched around the rules.

Outside queries.py, services.py, migrations and tests, no module may call `.objects.get(` or
`get_object_or_404(` on a shareable model (a subclass of sharing.models.Shareable).
"""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

from sharing.models import Shareable

ROOT = Path(settings.BASE_DIR)
EXEMPT_NAMES = {"queries.py", "services.py", "conftest.py"}
EXEMPT_PARTS = {"migrations", "tests", ".venv", "node_modules", "static"}


def shareable_model_names() -> set[str]:
    return {model.__name__ for model in apps.get_models() if issubclass(model, Shareable)}


def project_modules():
    for app in apps.get_app_configs():
        path = Path(app.path)
        if ROOT not in path.parents and path != ROOT:
            continue  # third-party apps
        for module in path.rglob("*.py"):
            if module.name in EXEMPT_NAMES or EXEMPT_PARTS & set(module.relative_to(ROOT).parts):
                continue
            yield module


def direct_fetches(source: str, names: set[str]) -> list[tuple[int, str]]:
    """(line, text) of `<Shareable>.objects.get(` / `get_object_or_404(<Shareable>...)` calls."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        # Model.objects.get(...) / Model._default_manager.get(...) / Model.objects.filter(...).get(...)
        if isinstance(func, ast.Attribute) and func.attr == "get":
            base = func.value
            while isinstance(base, ast.Call | ast.Attribute):
                base = base.func if isinstance(base, ast.Call) else base.value
            chain = ast.unparse(func.value)
            if isinstance(base, ast.Name) and base.id in names and ("objects" in chain or "_manager" in chain):
                found.append((node.lineno, ast.unparse(node)[:120]))
        if isinstance(func, ast.Name) and func.id in ("get_object_or_404", "get_list_or_404") and node.args:
            first = node.args[0]
            target = first.value if isinstance(first, ast.Attribute) else first
            while isinstance(target, ast.Call | ast.Attribute):
                target = target.func if isinstance(target, ast.Call) else target.value
            if isinstance(target, ast.Name) and target.id in names:
                found.append((node.lineno, ast.unparse(node)[:120]))
    return found


def test_no_direct_get_on_shareable_models():
    names = shareable_model_names()
    assert {"Document"} <= names
    offenders = []
    for module in project_modules():
        for line, text in direct_fetches(module.read_text(), names):
            offenders.append(f"{module.relative_to(ROOT)}:{line}: {text}")
    assert not offenders, "Fetch shareable objects through queries.py (visible_to):\n" + "\n".join(offenders)


def test_the_check_recognises_each_forbidden_form():
    names = {"Document"}
    source = (
        "Document.objects.get(pk=1)\n"
        "Document.objects.filter(uuid=u).get()\n"
        "get_object_or_404(Document, pk=1)\n"
        "get_object_or_404(Document.objects.all(), pk=1)\n"
        "Group.objects.get(pk=1)\n"
        "Document._default_manager.get(pk=1)\n"
        "visible_to(Document, user).get(pk=1)\n"
    )
    assert [line for line, _ in direct_fetches(source, names)] == [1, 2, 3, 4, 6]
