"""Main navigation, filled by each capability in its AppConfig.ready()."""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    order: int = 100
    # Optional predicate user -> bool, for entries only some roles need (e.g. the audit trail).
    visible_for: object = None


_entries: list[NavEntry] = []


def register_nav(entry: NavEntry) -> None:
    if all(existing.url_name != entry.url_name for existing in _entries):
        _entries.append(entry)


def nav_for(user) -> list[NavEntry]:
    return [
        entry
        for entry in sorted(_entries, key=lambda e: e.order)
        if entry.visible_for is None or entry.visible_for(user)
    ]
