"""The dossier page is built from sections; each app contributes its own.

`cases` does not import the apps to its right. They register a template in
their AppConfig.ready(); the template renders from the context the dossier
gives every section (`client`, `trajectory`, `trajectories`, `user`) through
reverse relations.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Section:
    order: int
    template: str


_sections: set[Section] = set()


def register_section(template: str, *, order: int) -> None:
    _sections.add(Section(order=order, template=template))


def sections() -> list[str]:
    return [section.template for section in sorted(_sections)]
