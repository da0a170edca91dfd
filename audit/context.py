"""Who is acting, for the audit log: set by middleware (requests), the token authenticator and jobs."""

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


def current_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def current_actor() -> Actor | None:
    return _actor.get()


@contextmanager
def acting_as(actor: Actor):
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


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
