"""`flask staff create|list|deactivate`: the staff pages' actions for scripts."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from hue_literacy.accounts.phone import InputRefused, format_phone
from hue_literacy.extensions import db
from hue_literacy.staff import services
from hue_literacy.wards.services import ward_by_code

staff_cli = AppGroup("staff", help="Ward officials and digital ambassadors.")


def init_app(app: Flask) -> None:
    app.cli.add_command(staff_cli)


def _ward(code: str):
    ward = ward_by_code(code.strip().upper())
    if ward is None:
        raise click.ClickException(f"No ward has the code {code!r} (see `flask staff list`).")
    return ward


@staff_cli.command("create")
@click.option("--role", type=click.Choice(["official", "ambassador"]), required=True)
@click.option("--ward", "ward_code", required=True, help="ward code, e.g. PHUXUAN")
@click.option("--name", required=True)
@click.option("--phone", required=True)
def staff_create(role: str, ward_code: str, name: str, phone: str) -> None:
    """Create an official or ambassador and print their one-time set-up code."""
    try:
        issued = services.create_staff_member(actor=None, role=role, full_name=name,
                                              raw_phone=phone, ward=_ward(ward_code))
    except InputRefused as refused:
        raise click.ClickException(str(refused.message)) from None
    db.session.commit()
    click.echo(f"{role} {issued.user.full_name} created in {issued.user.ward.name}.")
    click.echo(f"Set-up code (valid until {issued.expires_at:%Y-%m-%d}): {issued.code}")


@staff_cli.command("list")
@click.option("--ward", "ward_code", default=None, help="only this ward (code)")
def staff_list(ward_code: str | None) -> None:
    """List officials and ambassadors: ward, role, name, phone, status."""
    from sqlalchemy import select

    from hue_literacy.accounts.models import User
    from hue_literacy.wards.models import Ward

    query = (select(User).join(Ward, User.ward_id == Ward.id)
             .where(User.role.in_(services.MANAGED_ROLES), User.deleted_at.is_(None))
             .order_by(Ward.code, User.role, User.full_name))
    if ward_code:
        query = query.where(User.ward_id == _ward(ward_code).id)
    for user in db.session.scalars(query):
        status = ("deactivated" if user.deactivated_at else
                  "active" if user.secret_hash else "waiting for set-up")
        click.echo(f"{user.ward.code}\t{user.role}\t{user.full_name}\t"
                   f"{format_phone(user.phone)}\t{status}")


@staff_cli.command("deactivate")
@click.option("--phone", required=True)
def staff_deactivate(phone: str) -> None:
    """Deactivate an official or ambassador; every session they have ends at once."""
    user = services.find_staff(phone)
    if user is None:
        raise click.ClickException("No official or ambassador has this phone number.")
    try:
        services.deactivate(None, user)
    except InputRefused as refused:
        raise click.ClickException(str(refused.message)) from None
    db.session.commit()
    click.echo(f"{user.full_name} is deactivated and signed out everywhere.")
