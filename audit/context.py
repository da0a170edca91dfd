"""Who is acting, for the audit log: set by middleware (requests), the token authenticator and jobs.

Inside a request the actor is resolved lazily from `request.user` when an entry is written, so an entry
written right after sign-in names the user who just signed in. An explicit actor (`acting_as`, the
token authenticator) always wins.
"""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    kind: str  # user, token, job, system, anonymous
    user_id: int | None = None
    label: str = ""
    participant_id: int | None = None
    token_id: int | None = None


SYSTEM = Actor(kind="system", label="system")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("audit_request_id", default="")
_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("audit_actor", default=None)
_request: contextvars.ContextVar[object | None] = contextvars.ContextVar("audit_request", default=None)
# Reads already logged in this request: (request id, verb, target type, target id).
_reads_seen: contextvars.ContextVar[set | None] = contextvars.ContextVar("audit_reads_seen", default=None)


def current_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def current_actor() -> Actor | None:
    actor = _actor.get()
    if actor is not None:
        return actor
    request = _request.get()
    if request is not None:
        return actor_for_user(getattr(request, "user", None))
    return None


@contextmanager
def acting_as(actor: Actor):
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


@contextmanager
def in_request(request):
    """The request's user is the actor (resolved when an entry is written); reads are deduplicated."""
    request_token = _request.set(request)
    actor_token = _actor.set(None)
    reads_token = _reads_seen.set(set())
    try:
        yield
    finally:
        _reads_seen.reset(reads_token)
        _actor.reset(actor_token)
        _request.reset(request_token)


def first_read_in_request(key: tuple) -> bool:
    """True the first time `key` is seen in this request (always True outside a request)."""
    seen = _reads_seen.get()
    if seen is None:
        return True
    full_key = (current_request_id(), *key)
    if full_key in seen:
        return False
    seen.add(full_key)
    return True


def actor_for_user(user, *, kind: str = "user", token_id: int | None = None) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(kind="anonymous", label="anonymous")
    return Actor(
        kind=kind,
        user_id=user.pk,
        label=user.get_username(),
        participant_id=user.participant_id,
        token_id=token_id,
    )
