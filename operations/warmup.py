"""Work a fresh server process would otherwise do on its first requests, done once before workers fork.

gunicorn preloads the application in its master process (deploy/gunicorn.conf.py); `warm_up` then imports
every URLconf and view and compiles every template, so each worker, and each worker recycled later, starts
with them in memory (copy-on-write) instead of spending about a second of CPU on its first requests. It
never touches the database: a connection opened in the master would be shared by every forked worker.
"""

import logging
from pathlib import Path

from django.db import connections
from django.template import TemplateSyntaxError, engines
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver

logger = logging.getLogger(__name__)


def template_names() -> list[str]:
    """Every template the Django engine can find: the project's directories and every app's `templates`."""
    directories = [*engines["django"].engine.dirs, *get_app_template_dirs("templates")]
    return sorted(
        {str(path.relative_to(directory)) for directory in map(Path, directories) for path in directory.rglob("*.html")}
    )


def warm_up() -> dict[str, int]:
    """Import the URLconfs and compile the templates; returns what was done, for the log."""
    get_resolver().reverse_dict  # noqa: B018 - reading it imports every URLconf and view
    compiled = skipped = 0
    engine = engines["django"]
    for name in template_names():
        try:
            engine.get_template(name)
        except TemplateSyntaxError:
            # Templates of features not installed here (allauth's social accounts): never rendered.
            skipped += 1
        else:
            compiled += 1
    connections.close_all()
    summary = {"templates_compiled": compiled, "templates_skipped": skipped}
    logger.info("warmed up", extra=summary)
    return summary
