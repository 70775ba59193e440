"""The city's competency framework: areas, competencies, groups, certificate profiles, mastery."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hue_literacy.content.errors import ContentProblem
from hue_literacy.content.yaml_lines import Problems, load_yaml_with_lines

LANGS = ("vi", "en")


def localised(texts: dict[str, str], locale: str) -> str:
    """Pick the text of `locale`, falling back to Vietnamese."""
    return texts.get(locale) or texts.get("vi") or ""


@dataclass(frozen=True)
class Competency:
    id: str
    area_id: str
    national_domain: str
    text: dict[str, str]


@dataclass(frozen=True)
class Area:
    id: str
    icon: str
    name: dict[str, str]
    competencies: tuple[Competency, ...]


@dataclass(frozen=True)
class Group:
    id: str
    name: dict[str, str]
    profile_id: str


@dataclass(frozen=True)
class Profile:
    id: str
    name: dict[str, str]
    competency_ids: tuple[str, ...]


@dataclass(frozen=True)
class MasteryRule:
    recent_attempts: int
    correct_required: int
    hints_count_as_correct: bool


@dataclass(frozen=True)
class Framework:
    id: str
    version: int
    title: dict[str, str]
    issued_by: dict[str, str]
    domains: dict[str, dict[str, str]]
    areas: tuple[Area, ...]
    groups: tuple[Group, ...]
    profiles: tuple[Profile, ...]
    mastery: MasteryRule
    competencies: dict[str, Competency] = field(default_factory=dict)

    def area(self, area_id: str) -> Area | None:
        return next((area for area in self.areas if area.id == area_id), None)

    def group(self, group_id: str | None) -> Group | None:
        return next((group for group in self.groups if group.id == group_id), None)

    def profile(self, profile_id: str | None) -> Profile | None:
        return next((profile for profile in self.profiles if profile.id == profile_id), None)

    def profile_for_group(self, group_id: str | None) -> Profile | None:
        group = self.group(group_id)
        return self.profile(group.profile_id) if group else None

    def group_choices(self, locale: str | None = None) -> list[tuple[str, str]]:
        from flask_babel import get_locale

        locale = locale or str(get_locale() or "vi")
        return [(group.id, localised(group.name, locale)) for group in self.groups]


def load_framework(path: Path, problems: Problems) -> Framework | None:
    """Read and check the framework file; add every problem found to `problems`."""
    data = load_yaml_with_lines(path, problems)
    if data is None:
        return None
    check = problems.checker(path, data)
    fw_id = check.string("id")
    version = check.integer("version")
    title = check.texts("title")
    issued_by = check.texts("issued_by")
    domains: dict[str, dict[str, str]] = {}
    national = check.mapping("national_framework")
    for index, domain in enumerate(check.sub(national, "national_framework").list("domains")):
        sub = check.sub(domain, f"national_framework.domains[{index}]")
        domains[sub.string("id")] = sub.texts("name")

    competencies: dict[str, Competency] = {}
    areas = []
    for index, raw_area in enumerate(check.list("areas")):
        sub = check.sub(raw_area, f"areas[{index}]")
        area_id = sub.string("id")
        area_comps = []
        for c_index, raw_comp in enumerate(sub.list("competencies")):
            csub = check.sub(raw_comp, f"areas[{index}].competencies[{c_index}]")
            comp = Competency(
                id=csub.string("id"),
                area_id=area_id,
                national_domain=csub.string("national_domain"),
                text=csub.texts("text"),
            )
            if comp.national_domain and domains and comp.national_domain not in domains:
                csub.problem(
                    "national_domain",
                    f"unknown national domain '{comp.national_domain}'; expected one of "
                    + ", ".join(sorted(domains)),
                )
            if comp.id in competencies:
                csub.problem("id", f"competency id '{comp.id}' is used twice")
            competencies[comp.id] = comp
            area_comps.append(comp)
        areas.append(
            Area(id=area_id, icon=sub.string("icon"), name=sub.texts("name"),
                 competencies=tuple(area_comps))
        )

    profiles = []
    for index, raw in enumerate(check.list("profiles")):
        sub = check.sub(raw, f"profiles[{index}]")
        ids = tuple(sub.string_list("competencies"))
        for comp_id in ids:
            if comp_id not in competencies:
                sub.problem("competencies", f"unknown competency id '{comp_id}'")
        profiles.append(Profile(id=sub.string("id"), name=sub.texts("name"), competency_ids=ids))
    profile_ids = {profile.id for profile in profiles}

    groups = []
    for index, raw in enumerate(check.list("groups")):
        sub = check.sub(raw, f"groups[{index}]")
        group = Group(id=sub.string("id"), name=sub.texts("name"), profile_id=sub.string("profile"))
        if group.profile_id and group.profile_id not in profile_ids:
            sub.problem("profile", f"unknown profile '{group.profile_id}'")
        groups.append(group)

    rule = check.sub(check.mapping("mastery"), "mastery")
    mastery = MasteryRule(
        recent_attempts=rule.integer("recent_attempts", minimum=1),
        correct_required=rule.integer("correct_required", minimum=1),
        hints_count_as_correct=rule.boolean("hints_count_as_correct"),
    )
    if mastery.correct_required > mastery.recent_attempts:
        rule.problem("correct_required", "cannot be more than recent_attempts")

    if problems.count_for(path):
        return None
    return Framework(
        id=fw_id, version=version, title=title, issued_by=issued_by, domains=domains,
        areas=tuple(areas), groups=tuple(groups), profiles=tuple(profiles), mastery=mastery,
        competencies=competencies,
    )


def as_problem(path: Path, field_name: str, message: str, line: int | None) -> ContentProblem:
    return ContentProblem(file=str(path), field=field_name, message=message, line=line)


__all__: list[Any] = ["Framework", "load_framework", "localised"]
