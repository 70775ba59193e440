"""`flask households refresh`: recompute the households' stuck and Digital Family marks."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hue_literacy.content.access import release
from hue_literacy.extensions import db
from hue_literacy.households.models import Household
from hue_literacy.households.services import freshen, refresh_stuck_marks

households_cli = AppGroup("households", help="Households of the wards.")
CHUNK = 500


def init_app(app: Flask) -> None:
    app.cli.add_command(households_cli)


@households_cli.command("refresh")
@click.option("--stuck-only", is_flag=True,
              help="Only the 'a member is stuck' marks (fast: one query per ward).")
def refresh_command(stuck_only: bool) -> None:
    """Recompute the marks the ambassador home filters on, from learners' synced practice.

    A household is refreshed whenever it changes (its own page shows the current marks). Run
    `--stuck-only` every few minutes and the full refresh (mastery and certificates of every
    learner) nightly.
    """
    ward_ids = db.session.scalars(select(Household.ward_id).distinct()).all()
    stuck = 0
    for ward_id in ward_ids:
        stuck += refresh_stuck_marks(ward_id)
        db.session.commit()
    click.echo(f"Stuck marks: {stuck} household(s) changed.")
    if stuck_only:
        return
    changed, last_id = 0, 0
    while True:
        chunk = list(db.session.scalars(
            select(Household).where(Household.id > last_id).order_by(Household.id)
            .options(selectinload(Household.members)).limit(CHUNK)
        ))
        if not chunk:
            break
        before = {h.id: h.digital_family for h in chunk}
        freshen(chunk, release())
        changed += sum(1 for h in chunk if h.digital_family != before[h.id])
        db.session.commit()
        last_id = chunk[-1].id
    click.echo(f"Digital Families: {changed} household(s) changed.")
