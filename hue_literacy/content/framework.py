"""Read and check the city's competency framework file (version 1 or 2, see content/FORMAT.md)."""
from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from hue_literacy.content.framework_model import (
    BASIC_SKILLS,
    LANGS,
    Area,
    BasicSkill,
    Competency,
    FamilyRule,
    Framework,
    Group,
    MasteryRule,
    NationalPlace,
    Profile,
    localised,
)
from hue_literacy.content.yaml_lines import Checker, Problems, load_yaml_with_lines

ID_PATTERN = r"[a-z0-9-]+"
# Fields that version 2 added; a version 1 file (kept in the archive) has none of them.
V2_TOP_FIELDS = ("decision_757", "basic_skills", "digital_family", "paths")


def load_framework(path: Path, problems: Problems) -> Framework | None:
    """Read and check the framework file; add every problem found to `problems`."""
    data = load_yaml_with_lines(path, problems)
    if data is None:
        return None
    before = problems.count_for(path)
    check = problems.checker(path, data)
    fw_id = check.string("id")
    version = check.integer("version", minimum=1)
    v2 = version >= 2
    if not v2:
        for key in V2_TOP_FIELDS:
            if check.has(key):
                check.problem(key, "is a version 2 field; set version: 2 or remove it")
    domains = _named_list(check.sub(check.mapping("national_framework"), "national_framework"),
                          "domains")
    national_groups: dict[str, dict[str, str]] = {}
    skill_areas: dict[str, dict[str, str]] = {}
    basic_skills: tuple[BasicSkill, ...] = ()
    if v2:
        national = check.sub(check.mapping("decision_757"), "decision_757")
        national.string("id")
        national_groups = _named_list(national, "groups")
        skill_areas = _named_list(national, "skill_areas")
        basic_skills = _basic_skills(check)
    known = _Known(domains, national_groups, skill_areas, {skill.id for skill in basic_skills})

    competencies: dict[str, Competency] = {}
    areas = []
    for _index, sub in check.each("areas"):
        area_id = sub.string("id", pattern=ID_PATTERN, what="an area id: a-z, 0-9 and -")
        area_comps = []
        for _c_index, csub in sub.each("competencies"):
            comp = _competency(csub, area_id, known, v2)
            if comp.id in competencies:
                csub.problem("id", f"competency id '{comp.id}' is used twice")
            competencies[comp.id] = comp
            area_comps.append(comp)
        areas.append(Area(id=area_id, icon=sub.string("icon"), name=sub.texts("name"),
                          competencies=tuple(area_comps)))

    profiles = []
    for _index, sub in check.each("profiles"):
        ids = tuple(sub.string_list("competencies"))
        for c_index, comp_id in enumerate(ids):
            if comp_id not in competencies:
                sub.problem("competencies", f"unknown competency id '{comp_id}'",
                            sub.item_line("competencies", c_index))
        profiles.append(Profile(id=sub.string("id"), name=sub.texts("name"), competency_ids=ids))
    profile_ids = {profile.id for profile in profiles}

    groups = []
    for _index, sub in check.each("groups"):
        group = Group(id=sub.string("id"), name=sub.texts("name"),
                      profile_id=sub.string("profile"),
                      national_group=_one_known(sub, "decision_757", national_groups,
                                                "a Decision 757 group") if v2 else "")
        if group.profile_id and group.profile_id not in profile_ids:
            sub.problem("profile", f"unknown profile '{group.profile_id}'")
        groups.append(group)

    family = _family_rule(check, competencies, basic_skills) if v2 else None
    paths = _paths(check, [group.id for group in groups]) if v2 else {}

    rule = check.sub(check.mapping("mastery"), "mastery")
    mastery = MasteryRule(
        recent_attempts=rule.integer("recent_attempts", minimum=1),
        correct_required=rule.integer("correct_required", minimum=1),
        hints_count_as_correct=rule.boolean("hints_count_as_correct"),
    )
    if mastery.correct_required > mastery.recent_attempts:
        rule.problem("correct_required", "cannot be more than recent_attempts")

    if problems.count_for(path) > before:
        return None
    return Framework(
        id=fw_id, version=version, title=check.texts("title"),
        issued_by=check.texts("issued_by"), domains=domains, areas=tuple(areas),
        groups=tuple(groups), profiles=tuple(profiles), mastery=mastery,
        competencies=competencies, national_groups=national_groups, skill_areas=skill_areas,
        basic_skills=basic_skills, digital_family=family, paths=MappingProxyType(paths),
    )


class _Known:
    """The ids a competency may refer to."""

    def __init__(self, domains: dict, national_groups: dict, skill_areas: dict,
                 basic_skills: set[str]) -> None:
        self.domains = domains
        self.national_groups = national_groups
        self.skill_areas = skill_areas
        self.basic_skills = basic_skills


def _named_list(check: Checker, key: str) -> dict[str, dict[str, str]]:
    """A list of `{id, name: {vi, en}}` entries, by id."""
    found: dict[str, dict[str, str]] = {}
    for _index, sub in check.each(key):
        entry_id = sub.string("id", pattern=ID_PATTERN, what="an id: a-z, 0-9 and -")
        if entry_id in found:
            sub.problem("id", f"'{entry_id}' is used twice")
        found[entry_id] = sub.texts("name")
    return found


def _basic_skills(check: Checker) -> tuple[BasicSkill, ...]:
    skills = []
    for _index, sub in check.each("basic_skills"):
        skill_id = sub.one_of("id", BASIC_SKILLS)
        skills.append(BasicSkill(id=skill_id, name=sub.texts("name")))
    ids = [skill.id for skill in skills]
    missing = [skill for skill in BASIC_SKILLS if skill not in ids]
    if check.has("basic_skills") and missing:
        check.problem("basic_skills", "missing " + ", ".join(missing) + "; expected the five "
                      "basic skills of official letter 3240/BTTTT-CĐSQG")
    return tuple(skills)


def _one_known(check: Checker, key: str, known: dict, what: str) -> str:
    value = check.string(key, pattern=ID_PATTERN, what=what)
    if value and known and value not in known:
        check.problem(key, f"unknown {what} '{value}'; expected one of " + ", ".join(known))
        return ""
    return value


def _competency(check: Checker, area_id: str, known: _Known, v2: bool) -> Competency:
    comp = Competency(
        id=check.string("id", pattern=r"[A-Z]+-[0-9]+", what="a competency id such as QR-1"),
        area_id=area_id,
        national_domain=check.string("national_domain"),
        text=check.texts("text"),
    )
    if comp.national_domain and known.domains and comp.national_domain not in known.domains:
        check.problem("national_domain", f"unknown national domain '{comp.national_domain}'; "
                      "expected one of " + ", ".join(sorted(known.domains)))
    if not v2:
        for key in ("decision_757", "basic_skill"):
            if check.has(key):
                check.problem(key, "is a version 2 field; set version: 2 or remove it")
        return comp
    place = check.section("decision_757")
    national = NationalPlace()
    if place:
        place.unknown_keys({"groups", "skill_area"})
        groups = tuple(place.string_list("groups"))
        for index, group in enumerate(groups):
            if known.national_groups and group not in known.national_groups:
                place.problem("groups", f"unknown Decision 757 group '{group}'; expected one of "
                              + ", ".join(known.national_groups), place.item_line("groups", index))
        national = NationalPlace(groups=groups, skill_area=_one_known(
            place, "skill_area", known.skill_areas, "Decision 757 skill area"))
    skill = check.string("basic_skill", required=False) or None
    if skill and known.basic_skills and skill not in known.basic_skills:
        check.problem("basic_skill", f"unknown basic skill '{skill}'; expected one of "
                      + ", ".join(BASIC_SKILLS))
        skill = None
    return Competency(id=comp.id, area_id=area_id, national_domain=comp.national_domain,
                      text=comp.text, decision_757=national, basic_skill=skill)


def _family_rule(check: Checker, competencies: dict[str, Competency],
                 basic_skills: tuple[BasicSkill, ...]) -> FamilyRule | None:
    rule = check.section("digital_family")
    if rule is None:
        return None
    rule.unknown_keys({"members", "skills"})
    members = rule.integer("members", minimum=1)
    skills_check = rule.section("skills")
    skills: dict[str, tuple[str, ...]] = {}
    if skills_check:
        wanted = [skill.id for skill in basic_skills] or list(BASIC_SKILLS)
        for key in skills_check.data:
            if key not in wanted:
                skills_check.problem(str(key), f"unknown basic skill '{key}'; expected one of "
                                     + ", ".join(wanted))
        for skill in wanted:
            ids = tuple(skills_check.string_list(skill))
            for index, comp_id in enumerate(ids):
                if comp_id not in competencies:
                    skills_check.problem(skill, f"unknown competency id '{comp_id}'",
                                         skills_check.item_line(skill, index))
            skills[skill] = ids
    return FamilyRule(members=members, skills=MappingProxyType(skills))


def _paths(check: Checker, group_ids: list[str]) -> dict[str, tuple[str, ...]]:
    """Each group's ordered lesson ids; whether the lessons exist is checked with the lessons."""
    paths_check = check.section("paths")
    if paths_check is None:
        return {}
    paths: dict[str, tuple[str, ...]] = {}
    for key in paths_check.data:
        if key not in group_ids:
            paths_check.problem(str(key), f"unknown group '{key}'; expected one of "
                                + ", ".join(group_ids))
    for group_id in group_ids:
        ids = paths_check.string_list(group_id)
        for index, lesson_id in enumerate(ids):
            if lesson_id in ids[:index]:
                paths_check.problem(group_id, f"lesson '{lesson_id}' is listed twice",
                                    paths_check.item_line(group_id, index))
        paths[group_id] = tuple(ids)
    return paths


__all__ = ["LANGS", "Area", "Competency", "Framework", "MasteryRule", "load_framework",
           "localised"]
