"""The officials' dashboard: their ward's coverage, the city side by side, CSV exports."""
from __future__ import annotations

import time
from datetime import date

import click
from flask import Blueprint, Flask, Response, abort, redirect, render_template, request, url_for
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_login import current_user

from hue_literacy import request_inputs as inputs
from hue_literacy.access import Role, require_ward, role_required
from hue_literacy.dashboard import export, services, tallies
from hue_literacy.dashboard.charts import bar_chart
from hue_literacy.extensions import db
from hue_literacy.i18n import day_text, format_month
from hue_literacy.progress.services import competency_lesson_ids
from hue_literacy.spreadsheets import csv_bytes
from hue_literacy.wards.models import Ward
from hue_literacy.wards.services import all_wards, ward_by_code

bp = Blueprint("dashboard", __name__, template_folder="templates")

OFFICIALS = (Role.OFFICIAL, Role.ADMIN)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(dashboard_cli)


dashboard_cli = AppGroup("dashboard", help="The officials' dashboards.")


@dashboard_cli.command("rebuild")
def rebuild_command() -> None:
    """Recompute the dashboards' running totals from the stored events and certificates.

    Run after `flask db upgrade`, a restore or a content release with other lessons (until
    then the pages count live, slowly); syncs wait while it runs, nothing is lost.
    """
    began = time.perf_counter()
    counts = tallies.rebuild(inputs.release(), inputs.timezone())
    db.session.commit()
    click.echo(f"Dashboard totals rebuilt in {time.perf_counter() - began:.1f} s: "
               + ", ".join(f"{name} {count}" for name, count in counts.items()) + ".")


def _ward_or_404(code: str) -> Ward:
    ward = ward_by_code(code)
    if ward is None:
        abort(404)
    return ward


def _coverage(ward: Ward) -> services.WardCoverage:
    return services.ward_coverage(ward, inputs.today(), inputs.timezone(), inputs.framework(),
                                  competency_lesson_ids(inputs.release()), inputs.language(),
                                  all_label=_("All five basic skills"))


def _family_members() -> int:
    """How many members the framework's Digital Family rule asks for."""
    rule = inputs.framework().digital_family
    return rule.members if rule else 1


def _month(day: date) -> str:
    return format_month(day, inputs.language())


def _charts(coverage: services.WardCoverage) -> list[dict]:
    """The four month charts, each with its numbers for the screen-reader table."""
    metrics = [
        ("new", _("New learners"), lambda m: m.new_learners),
        ("active", _("Active learners"), lambda m: m.active_learners),
        ("certificates", _("Certificates issued"), lambda m: m.certificates),
        ("classes", _("Classes held"), lambda m: m.classes),
    ]
    first, last = coverage.months[0].month, coverage.months[-1].month
    charts = []
    for key, title, value in metrics:
        points = [(_month(m.month), value(m)) for m in coverage.months]
        description = _("%(what)s per month from %(first)s to %(last)s: %(values)s.",
                        what=title, first=_month(first), last=_month(last),
                        values="; ".join(f"{label}: {number}" for label, number in points))
        charts.append({
            "id": f"chart-{key}", "title": title, "points": points,
            "html": bar_chart(points, title, description, _("Number per month"), f"chart-{key}"),
        })
    return charts


def _share_text(value: float | None) -> str:
    """A share for a table cell: "12%", or a dash when there are no households."""
    return "–" if value is None else f"{services.percent(value)}%"


def _render_ward(ward: Ward):
    coverage = _coverage(ward)
    return render_template(
        "dashboard/ward.html", coverage=coverage, charts=_charts(coverage),
        family_members=_family_members(),
        today=day_text(coverage.today),
        family_share=services.percent(coverage.digital_family_share),
        is_admin=current_user.role == Role.ADMIN,
    )


def _labels() -> dict[str, str]:
    """Column and row names of the CSV files, in the reader's language."""
    return {
        "ward": _("Ward"), "code": _("Ward code"), "date": _("Date"),
        "figure": _("Figure"), "value": _("Count"),
        "learners": _("Learners"), "active": _("Active this month"),
        "certified": _("Certified"), "households": _("Households"),
        "families": _("Digital Families"), "family_share": _("Digital Family share (%)"),
        "classes": _("Classes held"), "attendances": _("Class attendances"),
        "assessments": _("Assessments recorded"), "group": _("Group"),
        "no_group": _("No group"), "area": _("Area"),
        "area_some": _("Completed every lesson of at least one skill"),
        "area_every": _("Completed every lesson of every skill"),
        "month": _("Month"), "new_learners": _("New learners"),
        "active_learners": _("Active learners"), "certificates": _("Certificates issued"),
    }


def _csv(rows: list[list[object]], filename: str) -> Response:
    response = Response(csv_bytes(rows), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/dashboard/")
@role_required(*OFFICIALS)
def index():
    if current_user.role == Role.ADMIN:
        return redirect(url_for("dashboard.city"))
    require_ward(current_user.ward_id)
    return _render_ward(current_user.ward)


@bp.route("/dashboard/ward/<code>")
@role_required(*OFFICIALS)
def ward(code: str):
    ward = _ward_or_404(code)
    require_ward(ward.id)
    return _render_ward(ward)


@bp.route("/dashboard/ward/<code>/export.csv")
@role_required(*OFFICIALS)
def ward_export(code: str):
    ward = _ward_or_404(code)
    require_ward(ward.id)
    coverage = _coverage(ward)
    # A spreadsheet keeps months as "12/2026": short, and sortable once Excel reads them.
    rows = export.ward_rows(coverage, _labels(),
                            month_label=lambda day: f"{day.month:02d}/{day.year}")
    return _csv(rows, f"dashboard-{ward.code.lower()}-{coverage.today.isoformat()}.csv")


def _sorting() -> tuple[str, bool]:
    sort = request.args.get("sort", "ward")
    if sort not in services.SORT_KEYS:
        sort = "ward"
    default = "asc" if sort == "ward" else "desc"
    return sort, request.args.get("dir", default) == "desc"


@bp.route("/dashboard/city")
@role_required(Role.ADMIN)
def city():
    sort, descending = _sorting()
    rows = services.city_overview(all_wards(), inputs.today(), inputs.timezone(), sort, descending)
    columns = [
        ("ward", _("Ward")), ("learners", _("Learners")), ("active", _("Active this month")),
        ("certified", _("Certified")), ("households", _("Households")),
        ("family", _("Digital Family share")), ("classes", _("Classes held")),
    ]
    headers = []
    for key, label in columns:
        current = key == sort
        if current:  # a second click turns the order round
            next_dir = "asc" if descending else "desc"
        else:  # names from A, numbers from the most
            next_dir = "asc" if key == "ward" else "desc"
        headers.append({
            "key": key, "label": label, "href": url_for("dashboard.city", sort=key, dir=next_dir),
            "aria_sort": ("descending" if descending else "ascending") if current else None,
        })
    return render_template(
        "dashboard/city.html", rows=rows, headers=headers,
        totals=services.city_totals(rows), share_text=_share_text,
        sort_key=sort, sort_dir="desc" if descending else "asc",
        today=day_text(inputs.today()),
    )


@bp.route("/dashboard/city/export.csv")
@role_required(Role.ADMIN)
def city_export():
    sort, descending = _sorting()
    rows = services.city_overview(all_wards(), inputs.today(), inputs.timezone(), sort, descending)
    filename = f"dashboard-hue-{inputs.today().isoformat()}.csv"
    return _csv(export.city_rows(rows, _labels()), filename)
