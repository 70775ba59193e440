"""Checks across lessons: framework ids, translations, identical structure, references."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from hue_literacy.content.framework import Framework
from hue_literacy.content.model import (
    ChoiceStep,
    FormStep,
    Lesson,
    OrderStep,
    ScamStep,
    ScanStep,
    Step,
    TapStep,
    normalise_digits,
)
from hue_literacy.content.yaml_lines import Problems, load_yaml_with_lines

Lessons = Mapping[str, Mapping[str, Lesson]]
LESSON_FACTS = ("version", "area", "order", "competencies", "minutes", "next")
# Every competency must be trained by this many lessons. Fewer is a warning, so that a city
# editor can add a competency and start the app before its lessons are written; the shipped
# content passes `flask content check --strict`, which refuses warnings (tests and make run).
LESSONS_PER_COMPETENCY = 2


def check_framework_ids(lessons: Lessons, framework: Framework, problems: Problems) -> None:
    """Report areas and competencies that the framework does not define."""
    areas = [area.id for area in framework.areas]
    for by_id in lessons.values():
        for lesson in by_id.values():
            if lesson.area not in areas:
                _add(problems, lesson, "area",
                     f"unknown area '{lesson.area}'; expected one of " + ", ".join(areas))
            for index, comp_id in enumerate(lesson.competencies):
                if comp_id not in framework.competencies:
                    _add(problems, lesson, f"competencies[{index}]",
                         f"unknown competency id '{comp_id}'; expected one of "
                         + ", ".join(framework.competencies))


def check_translations(files: Mapping[str, Mapping[str, Path]], problems: Problems) -> None:
    """Report every lesson file that has no counterpart in another language."""
    langs = list(files)
    every_id = sorted({lesson_id for by_id in files.values() for lesson_id in by_id})
    for lesson_id in every_id:
        present = [lang for lang in langs if lesson_id in files[lang]]
        for lang in langs:
            if lang in present:
                continue
            original = files[present[0]][lesson_id]
            missing = original.parent.parent / lang / f"{lesson_id}.yaml"
            problems.add(missing, "(file)",
                         f"missing translation of {problems.name(original)}")


def check_structure(reference: Lesson, translation: Lesson, problems: Problems) -> None:
    """Report each fact where a translation differs from the reference lesson."""
    ref_name = problems.name(reference.path)

    def differ(path: str, ref_path: str, ref_value: object, value: object) -> None:
        where = f"{ref_name}:{reference.line(ref_path)}" if reference.line(ref_path) else ref_name
        _add(problems, translation, path,
             f"differs from {where}: {reference.lang} has {_show(ref_value)}, "
             f"{translation.lang} has {_show(value)}; expected the same in every language")

    for name in LESSON_FACTS:
        if getattr(reference, name) != getattr(translation, name):
            differ(name, name, getattr(reference, name), getattr(translation, name))
    ref_ids = [step.id for step in reference.steps]
    ids = [step.id for step in translation.steps]
    if ref_ids != ids:
        differ("steps", "steps", ref_ids, ids)
    for index, step in enumerate(translation.steps):
        if step.id not in ref_ids:
            continue
        ref_index = ref_ids.index(step.id)
        ref_facts = step_facts(reference.steps[ref_index])
        facts = step_facts(step)
        broken_lists: list[str] = []
        for key, ref_value in ref_facts.items():
            if any(key.startswith(f"{parent}[") for parent in broken_lists):
                continue
            value = facts.get(key)
            if value != ref_value:
                differ(f"steps[{index}].{key}", f"steps[{ref_index}].{key}", ref_value, value)
                broken_lists.append(key)
            if key == "type" and value != ref_value:
                break


def step_facts(step: Step) -> dict[str, object]:
    """The facts of a step that must be the same in every language, keyed by field path."""
    facts: dict[str, object] = {"type": step.type}
    if isinstance(step, ChoiceStep):
        facts["options"] = [option.id for option in step.options]
        for index, option in enumerate(step.options):
            facts[f"options[{index}].correct"] = option.correct
    elif isinstance(step, TapStep):
        facts["screen.app"] = step.screen.app
        facts["screen.elements"] = [element.id for element in step.screen.elements]
        for index, element in enumerate(step.screen.elements):
            facts[f"screen.elements[{index}].kind"] = element.kind
            facts[f"screen.elements[{index}].feedback"] = _given(element.feedback)
        facts["target"] = step.target
    elif isinstance(step, OrderStep):
        facts["items"] = [item.id for item in step.items]
    elif isinstance(step, FormStep):
        facts["fields"] = [form_field.id for form_field in step.fields]
        for index, form_field in enumerate(step.fields):
            for name in ("kind", "length", "min_length", "required"):
                facts[f"fields[{index}].{name}"] = getattr(form_field, name)
            if form_field.kind == "select":
                facts[f"fields[{index}].options"] = f"{len(form_field.options)} options"
                facts[f"fields[{index}].expected"] = _expected_position(
                    form_field.options, form_field.expected)
            elif form_field.kind in ("digits", "tel", "date"):
                # Numbers and dates are the same in every language.
                facts[f"fields[{index}].expected"] = (
                    normalise_digits(form_field.expected) if form_field.expected else None)
            else:
                facts[f"fields[{index}].expected"] = _given(form_field.expected)
    elif isinstance(step, ScanStep):
        facts["code"] = step.code
        for name in ("kind", "account", "amount"):
            facts[f"qr.{name}"] = getattr(step.qr, name)
    elif isinstance(step, ScamStep):
        facts["channel"] = step.channel
        facts["lines"] = [line.id for line in step.lines]
        for index, line in enumerate(step.lines):
            facts[f"lines[{index}].flag"] = line.flag
        facts["find"] = step.find
    return facts


def check_references(lessons: Mapping[str, Lesson], lesson_ids: set[str],
                     problems: Problems) -> None:
    """In one language: `next` exists, scan codes and catalogue positions are unique."""
    codes: dict[str, str] = {}
    positions: dict[tuple[str, int], Lesson] = {}
    for lesson in sorted(lessons.values(), key=lambda item: item.id):
        if lesson.next and lesson.next not in lesson_ids:
            folder = problems.name(lesson.path.parent)
            _add(problems, lesson, "next", f"no lesson '{lesson.next}' in {folder}/; "
                 "expected the id of an existing lesson")
        position = (lesson.area, lesson.order)
        if position in positions:
            other = positions[position]
            _add(problems, lesson, "order", f"order {lesson.order} in area '{lesson.area}' is "
                 f"also used by {problems.name(other.path)}; expected a unique position")
        positions.setdefault(position, lesson)
        for index, step in enumerate(lesson.steps):
            if not isinstance(step, ScanStep):
                continue
            here = f"{problems.name(lesson.path)} steps[{index}]"
            if step.code in codes:
                _add(problems, lesson, f"steps[{index}].code", f"code '{step.code}' is already "
                     f"used by {codes[step.code]}; expected a code unique across lessons")
            codes.setdefault(step.code, here)


def check_coverage(lessons: Lessons, framework: Framework, framework_path: Path,
                   problems: Problems) -> None:
    """Report each competency of the framework that too few lessons train."""
    reference = next(iter(lessons.values()), {})
    trained: dict[str, int] = {}
    for lesson in reference.values():
        for comp_id in lesson.competencies:
            trained[comp_id] = trained.get(comp_id, 0) + 1
    lines = _competency_lines(framework_path)
    for comp_id in framework.competencies:
        count = trained.get(comp_id, 0)
        if count >= LESSONS_PER_COMPETENCY:
            continue
        field_path, line = lines.get(comp_id, ("competencies", None))
        found = ("is not trained by any lesson" if count == 0
                 else f"is trained by only {count} lesson")
        problems.warn(framework_path, field_path, f"competency {comp_id} {found}; "
               f"expected at least {LESSONS_PER_COMPETENCY} lessons listing it in "
               "'competencies'", line)


def check_paths(framework: Framework, framework_path: Path, lesson_ids: set[str],
                problems: Problems) -> None:
    """Report each lesson of a group's path that does not exist."""
    data = load_yaml_with_lines(framework_path, Problems()) or {}
    paths = data.get("paths") or {}
    for group_id, ids in framework.paths.items():
        item_lines = getattr(paths.get(group_id), "item_lines", [])
        for index, lesson_id in enumerate(ids):
            if lesson_id not in lesson_ids:
                line = item_lines[index] if index < len(item_lines) else None
                problems.add(framework_path, f"paths.{group_id}[{index}]",
                             f"no lesson '{lesson_id}'; expected the id of a lesson in "
                             "content/vi/", line)


def check_archive(old: Framework, current: Framework, path: Path, seen: Mapping[int, object],
                  problems: Problems) -> bool:
    """An archived framework is an earlier version of the current one, kept once."""
    if old.id != current.id:
        problems.add(path, "id", f"'{old.id}' is not the current framework's id "
                     f"'{current.id}'; the archive keeps earlier versions of the same framework")
    elif old.version >= current.version:
        problems.add(path, "version", f"version {old.version} is not older than the current "
                     f"version {current.version}")
    elif old.version in seen:
        problems.add(path, "version", f"version {old.version} is archived twice")
    else:
        return True
    return False


def _competency_lines(path: Path) -> dict[str, tuple[str, int | None]]:
    """Field path and line of each competency id in the (already valid) framework file."""
    data = load_yaml_with_lines(path, Problems()) or {}
    found: dict[str, tuple[str, int | None]] = {}
    for a_index, area in enumerate(data.get("areas") or []):
        for c_index, comp in enumerate(area.get("competencies") or []):
            if isinstance(comp, dict) and "id" in comp:
                line = getattr(comp, "key_lines", {}).get("id")
                found[str(comp["id"])] = (f"areas[{a_index}].competencies[{c_index}].id", line)
    return found


def _given(text: str | None) -> str:
    return "given" if text else "(none)"


def _expected_position(options: tuple[str, ...], expected: str | None) -> str:
    if expected is None or expected not in options:
        return "no expected option"
    return f"option {options.index(expected) + 1}"


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or value == "":
        return "(none)"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(str(item) for item in value) + "]"
    return str(value)


def _add(problems: Problems, lesson: Lesson, field_path: str, message: str) -> None:
    problems.add(lesson.path, field_path, message, lesson.line(field_path))
