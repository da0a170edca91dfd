"""Demo data: each capability registers a seeder; `manage.py seed_demo` runs them in order.

Seeders must be idempotent (get_or_create / update_or_create on natural keys).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Seeder:
    name: str
    run: Callable[[Callable[[str], None]], None]  # takes a `say(message)` callback
    order: int = 100


_seeders: list[Seeder] = []


def register_seeder(name: str, order: int = 100):
    """Decorator: @register_seeder("meetings", order=30) on a function `seed(say)`."""

    def decorate(func):
        if all(existing.name != name for existing in _seeders):
            _seeders.append(Seeder(name=name, run=func, order=order))
        return func

    return decorate


def seeders() -> list[Seeder]:
    return sorted(_seeders, key=lambda seeder: seeder.order)
