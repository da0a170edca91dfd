"""Every shareable model registers here, so the leak tests (route walker, state machine) cover it.

`routes` are URL names whose kwargs identify one object, with a function obj -> kwargs; the walker
requests each for every persona and every object that persona may not see, and expects 404.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ShareableRoute:
    url_name: str
    kwargs: Callable[[object], dict]
    method: str = "GET"
    # For writes: the form/JSON payload to send; the walker checks the database is unchanged.
    payload: dict | None = None
    is_api: bool = False


@dataclass
class ShareableRegistration:
    model: type
    routes: list[ShareableRoute] = field(default_factory=list)
    # Name of a list route (page or API) whose output must never mention invisible objects.
    list_routes: list[str] = field(default_factory=list)
    # How the walker recognises an object in a response body (e.g. its uuid).
    marker: Callable[[object], str] = lambda obj: str(obj.uuid)


_registry: dict[type, ShareableRegistration] = {}


def register_shareable(model: type, *, routes=(), list_routes=(), marker=None) -> ShareableRegistration:
    registration = _registry.setdefault(model, ShareableRegistration(model=model))
    for route in routes:
        if route not in registration.routes:
            registration.routes.append(route)
    for name in list_routes:
        if name not in registration.list_routes:
            registration.list_routes.append(name)
    if marker is not None:
        registration.marker = marker
    return registration


def registrations() -> list[ShareableRegistration]:
    return list(_registry.values())
