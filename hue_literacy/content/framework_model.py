"""The framework as frozen data: areas, competencies, groups, profiles, paths, the family rule."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

LANGS = ("vi", "en")
# The five basic skills of official letter 3240/BTTTT-CĐSQG (8 Aug 2024), in its order.
BASIC_SKILLS = ("public-services", "shopping", "payment", "safety", "local-platform")


def localised(texts: Mapping[str, str], locale: str) -> str:
    """Pick the text of `locale`, falling back to Vietnamese."""
    return texts.get(locale) or texts.get("vi") or ""


@dataclass(frozen=True)
class NationalPlace:
    """Where a competency sits in Decision 757/QĐ-BKHCN: its groups and skill area."""

    groups: tuple[str, ...] = ()
    skill_area: str = ""


@dataclass(frozen=True)
class Competency:
    id: str
    area_id: str
    national_domain: str
    text: dict[str, str]
    decision_757: NationalPlace = NationalPlace()
    basic_skill: str | None = None


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
    national_group: str = ""


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
class BasicSkill:
    id: str
    name: dict[str, str]


@dataclass(frozen=True)
class FamilyRule:
    """A household is a Digital Family when `members` of its learners hold every basic skill.

    A learner holds a basic skill when every competency listed for it in `skills` is mastered
    in practice or confirmed by a valid certificate.
    """

    members: int
    skills: Mapping[str, tuple[str, ...]]

    @property
    def competency_ids(self) -> tuple[str, ...]:
        """Every competency the rule needs, once, in the rule's order."""
        return tuple(dict.fromkeys(cid for ids in self.skills.values() for cid in ids))

    def skills_held(self, achieved: set[str] | frozenset[str]) -> tuple[str, ...]:
        """The basic skills whose competencies are all in `achieved`."""
        return tuple(skill for skill, ids in self.skills.items() if set(ids) <= achieved)

    def holds_all(self, achieved: set[str] | frozenset[str]) -> bool:
        return set(self.competency_ids) <= achieved


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
    national_groups: dict[str, dict[str, str]] = field(default_factory=dict)
    skill_areas: dict[str, dict[str, str]] = field(default_factory=dict)
    basic_skills: tuple[BasicSkill, ...] = ()
    digital_family: FamilyRule | None = None
    paths: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def area(self, area_id: str) -> Area | None:
        return next((area for area in self.areas if area.id == area_id), None)

    def group(self, group_id: str | None) -> Group | None:
        return next((group for group in self.groups if group.id == group_id), None)

    def profile(self, profile_id: str | None) -> Profile | None:
        return next((profile for profile in self.profiles if profile.id == profile_id), None)

    def profile_for_group(self, group_id: str | None) -> Profile | None:
        group = self.group(group_id)
        return self.profile(group.profile_id) if group else None

    def path(self, group_id: str | None) -> tuple[str, ...]:
        """The group's lessons in the order it should take them (empty when it has none)."""
        return self.paths.get(group_id or "", ())

    def basic_skill(self, skill_id: str) -> BasicSkill | None:
        return next((skill for skill in self.basic_skills if skill.id == skill_id), None)

    def group_choices(self, locale: str | None = None) -> list[tuple[str, str]]:
        from flask_babel import get_locale

        locale = locale or str(get_locale() or "vi")
        return [(group.id, localised(group.name, locale)) for group in self.groups]
