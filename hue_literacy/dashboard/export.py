"""The dashboards as CSV rows (labels translated by the caller)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from hue_literacy.dashboard.services import WardCoverage, WardRow, percent


def ward_rows(coverage: WardCoverage, labels: Mapping[str, str],
              month_label=lambda day: day.strftime("%Y-%m")) -> list[list[object]]:
    """The ward dashboard as rows: totals, groups, areas, then the months (labels translated)."""
    c, t = coverage, labels
    rows: list[list[object]] = [
        [t["ward"], c.ward.name], [t["date"], c.today.isoformat()], [],
        [t["figure"], t["value"]],
        [t["learners"], c.learners], [t["active"], c.active], [t["certified"], c.certified],
        [t["households"], c.households], [t["families"], c.digital_families],
        [t["family_share"], percent(c.digital_family_share)],
        [t["classes"], c.classes], [t["attendances"], c.attendances],
        [t["assessments"], c.assessments], [],
        [t["group"], t["learners"], t["active"], t["certified"]],
    ]
    rows += [[g.name or t["no_group"], g.learners, g.active, g.certified] for g in c.groups]
    rows += [[], [t["area"], t["area_some"], t["area_every"]]]
    rows += [[a.name, a.some, a.every] for a in c.areas]
    rows += [[], [t["month"], t["new_learners"], t["active_learners"], t["certificates"],
                  t["classes"]]]
    rows += [[month_label(m.month), m.new_learners, m.active_learners, m.certificates,
              m.classes] for m in c.months]
    return rows


def city_rows(rows: Sequence[WardRow], labels: Mapping[str, str]) -> list[list[object]]:
    """The city overview as rows with a header row."""
    t = labels
    header = [t["ward"], t["code"], t["learners"], t["active"], t["certified"], t["households"],
              t["families"], t["family_share"], t["classes"]]
    return [header] + [
        [r.ward.name, r.ward.code, r.learners, r.active, r.certified, r.households,
         r.digital_families, percent(r.digital_family_share), r.classes]
        for r in rows
    ]

