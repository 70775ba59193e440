"""Load one lesson file: check its top-level fields and sources, then each step."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hue_literacy.content.lesson_steps import ID_PATTERN, ID_WHAT, check_step
from hue_literacy.content.model import (
    ChoiceOption,
    ChoiceStep,
    FormField,
    FormStep,
    InfoStep,
    Lesson,
    OrderItem,
    OrderStep,
    QrSpec,
    ScamLine,
    ScamStep,
    ScanStep,
    Screen,
    ScreenElement,
    Source,
    Step,
    TapStep,
)
from hue_literacy.content.speech import narrated_texts, speech_problems
from hue_literacy.content.yaml_lines import Checker, Problems, load_yaml_with_lines

MIN_STEPS, MAX_STEPS = 3, 7
LESSON_FIELDS = {
    "id", "version", "area", "order", "competencies", "minutes", "title", "summary", "next",
    "sources", "steps",
}
SOURCE_FIELDS = {"title", "url", "checked"}


def load_lesson(path: Path, lang: str, problems: Problems) -> Lesson | None:
    """Read and check one lesson file; add every problem found to `problems`."""
    before = problems.count_for(path)
    data = load_yaml_with_lines(path, problems)
    if data is None:
        return None
    check = problems.checker(path, data)
    check.unknown_keys(LESSON_FIELDS)
    lesson_id = check.string("id", pattern=ID_PATTERN, what=f"a lesson id: {ID_WHAT}")
    if re.fullmatch(ID_PATTERN, lesson_id) and lesson_id != path.stem:
        check.problem("id", f"'{lesson_id}' differs from the file name; expected '{path.stem}'")
    version = check.integer("version", minimum=1)
    area = check.string("area", pattern=ID_PATTERN, what="an area id of framework.yaml")
    order = check.integer("order", minimum=1)
    competencies = tuple(check.string_list("competencies"))
    for index, comp_id in enumerate(competencies):
        if comp_id in competencies[:index]:
            check.problem("competencies", f"'{comp_id}' is listed twice",
                          check.item_line("competencies", index))
    minutes = check.integer("minutes", minimum=1)
    title = check.string("title")
    summary = check.string("summary")
    next_id = check.string("next", required=False, pattern=ID_PATTERN,
                           what=f"the id of another lesson: {ID_WHAT}") or None
    if next_id and next_id == lesson_id:
        check.problem("next", "a lesson cannot suggest itself; expected the id of another lesson")

    sources = [_source(sub) for _index, sub in check.each("sources")]

    media_dir = path.parent / "media"
    steps = []
    first_index: dict[str, int] = {}
    for index, sub in check.each("steps", min_items=MIN_STEPS, max_items=MAX_STEPS):
        step = check_step(sub, media_dir)
        if step is None:
            continue
        if step.id in first_index:
            sub.problem("id", f"step id '{step.id}' is used twice in this lesson "
                        f"(also steps[{first_index[step.id]}]); expected unique step ids")
        first_index.setdefault(step.id, index)
        steps.append(step)

    lines = field_lines(data)
    for field_path, text in narrated_texts(data):
        for message in speech_problems(text):
            problems.warn(path, field_path, message, lines.get(field_path))
    if problems.count_for(path) > before:
        return None
    return Lesson(
        id=lesson_id, lang=lang, version=version, area=area, order=order,
        competencies=competencies, minutes=minutes, title=title, summary=summary, next=next_id,
        sources=tuple(sources), steps=tuple(steps), path=path, lines=lines,
    )


def _source(sub: Checker) -> Source:
    """A source must name the page the fact is on (not a homepage) and when it was checked."""
    sub.unknown_keys(SOURCE_FIELDS)
    url = sub.string("url", pattern=r"https?://[^\s/]+\.[^\s]*",
                     what="a web address starting with http:// or https://")
    parts = urlsplit(url) if url else None
    if parts and parts.path.strip("/") == "" and not parts.query:
        message = (f"'{url}' is a homepage; expected the address of the page that says it "
                   "(the warning, legal text or guide itself)")
        sub.problem("url", message)
    return Source(title=sub.string("title"), url=url,
                  checked=sub.date("checked", required=True))


def field_lines(data: Any, prefix: str = "") -> dict[str, int]:
    """Map every field path of parsed YAML (`steps[2].options[1].id`) to its line."""
    lines: dict[str, int] = {}
    if isinstance(data, dict):
        key_lines = getattr(data, "key_lines", {})
        for key, value in data.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if key in key_lines:
                lines[path] = key_lines[key]
            lines.update(field_lines(value, path))
    elif isinstance(data, list):
        item_lines = getattr(data, "item_lines", [])
        for index, value in enumerate(data):
            path = f"{prefix}[{index}]"
            if index < len(item_lines):
                lines[path] = item_lines[index]
            lines.update(field_lines(value, path))
    return lines


__all__ = [
    "ChoiceOption", "ChoiceStep", "FormField", "FormStep", "InfoStep", "Lesson", "OrderItem",
    "OrderStep", "QrSpec", "ScamLine", "ScamStep", "ScanStep", "Screen", "ScreenElement",
    "Source", "Step", "TapStep", "field_lines", "load_lesson",
]
