"""The player's rules: the catalogue, shuffled order steps, screen rows, practice QR payloads."""
from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from hue_literacy.content.framework import Framework, localised
from hue_literacy.content.model import Lesson, OrderItem, OrderStep, ScanStep, ScreenElement
from hue_literacy.content.release import ContentRelease
from hue_literacy.vietqr import build_practice_vietqr

_NOT_CODE = re.compile(r"[^A-Z0-9]")


@dataclass(frozen=True)
class CatalogueArea:
    id: str
    icon: str
    name: str
    lessons: list[Lesson]


def catalogue(release: ContentRelease, lang: str) -> list[CatalogueArea]:
    """The framework's areas in order, each with its lessons in catalogue order."""
    return [
        CatalogueArea(id=area.id, icon=area.icon, name=localised(area.name, lang), lessons=lessons)
        for area, lessons in release.catalogue(lang)
    ]


def group_paths(release: ContentRelease, lang: str) -> dict[str, dict[str, object]]:
    """Each group's path (its name and lesson ids in order), for the catalogue's script.

    The catalogue page is the same for everyone (the service worker caches it), so the page
    carries every group's path and the script shows the signed-in learner's first.
    """
    lessons = release.in_lang(lang)
    return {
        group.id: {
            "name": localised(group.name, lang),
            "lessons": [lesson_id for lesson_id in release.framework.path(group.id)
                        if lesson_id in lessons],
        }
        for group in release.framework.groups
        if release.framework.path(group.id)
    }


def competency_names(framework: Framework, lesson: Lesson, lang: str) -> list[tuple[str, str]]:
    """(id, text) of the competencies a lesson trains, in the lesson's language."""
    return [
        (comp_id, localised(framework.competencies[comp_id].text, lang))
        for comp_id in lesson.competencies
        if comp_id in framework.competencies
    ]


def area_name(framework: Framework, lesson: Lesson, lang: str) -> str:
    """The name of the lesson's area in `lang`."""
    area = framework.area(lesson.area)
    return localised(area.name, lang) if area else ""


def shuffled_items(lesson_id: str, step: OrderStep) -> list[OrderItem]:
    """The items in a fixed mixed-up order (the same every time) that is never the right one."""
    items = list(step.items)
    random.Random(f"{lesson_id}/{step.id}").shuffle(items)
    if items == list(step.items):
        items = items[1:] + items[:1]
    return items


def screen_rows(elements: tuple[ScreenElement, ...]) -> list[tuple[str, list[ScreenElement]]]:
    """Group neighbouring tiles into one grid row; every other element is a row of its own."""
    rows: list[tuple[str, list[ScreenElement]]] = []
    for element in elements:
        if element.kind == "tile" and rows and rows[-1][0] == "tiles":
            rows[-1][1].append(element)
        else:
            rows.append(("tiles" if element.kind == "tile" else element.kind, [element]))
    return rows


def normalise_code(text: str) -> str:
    """A typed or scanned practice code without case, spaces or dashes: "hue qr1" -> HUEQR1."""
    return _NOT_CODE.sub("", text.upper())


def find_code(release: ContentRelease, lang: str, code: str) -> tuple[Lesson, ScanStep] | None:
    """The lesson and scan step whose practice code is `code` (case and dashes ignored)."""
    wanted = normalise_code(code)
    for lesson in release.in_lang(lang).values():
        for step in lesson.steps:
            if isinstance(step, ScanStep) and normalise_code(step.code) == wanted:
                return lesson, step
    return None


def practice_payload(step: ScanStep, landing_url: Callable[[str], str]) -> str:
    """What the practice QR of a scan step holds.

    `link`: the address of this app's harmless practice page for the code; `vietqr`: a VietQR
    no bank can pay (practice BIN, purpose marked practice); `text`: the step's text.
    """
    qr = step.qr
    if qr.kind == "link":
        return landing_url(step.code)
    if qr.kind == "vietqr":
        return build_practice_vietqr(
            account=qr.account or "", name=qr.name or "", amount=qr.amount, purpose=qr.purpose
        )
    return qr.text or ""
