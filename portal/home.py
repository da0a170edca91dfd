"""The home page: what is new for me, from every capability that registers a section."""

from collections.abc import Callable
from dataclasses import dataclass, field

HomeSectionSource = Callable[[object], "HomeSection | None"]
_sources: list[HomeSectionSource] = []


@dataclass
class HomeSection:
    title: str
    items: list = field(default_factory=list)  # each: {"title", "url", "meta"}
    more_url: str = ""
    empty_text: str = ""
    order: int = 100


def register_home_section(source: HomeSectionSource) -> HomeSectionSource:
    if source not in _sources:
        _sources.append(source)
    return source


def home_sections(user) -> list[HomeSection]:
    sections = [section for source in _sources if (section := source(user)) is not None]
    return sorted(sections, key=lambda section: section.order)
