"""CLI commands: `flask wards seed`, `flask demo seed`, `flask admin create|password`."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from hue_literacy.access import Role
from hue_literacy.accounts import services as accounts
from hue_literacy.accounts.phone import normalise_phone
from hue_literacy.extensions import db
from hue_literacy.refusals import InputRefused
from hue_literacy.wards.services import seed_wards

wards_cli = AppGroup("wards", help="Hue's wards (data, not code).")
demo_cli = AppGroup("demo", help="A demo ward with demo accounts.")
admin_cli = AppGroup("admin", help="City administrators.")


class _MigrationCommands(click.Group):
    """`flask db ...`: Flask-Migrate's commands, imported only when one is run, so the server,
    which never migrates, does not load Flask-Migrate and Alembic (see app.extensions)."""

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        from flask_migrate.cli import db as flask_migrate_commands

        return flask_migrate_commands.make_context(info_name, args, parent=parent, **extra)


migrations_cli = _MigrationCommands("db", help="Database migrations (Flask-Migrate, Alembic).")


def init_app(app: Flask) -> None:
    from hue_literacy.backups import commands as backups
    from hue_literacy.certificates import commands as certificates

    for group in (migrations_cli, wards_cli, demo_cli, admin_cli):
        app.cli.add_command(group)
    backups.init_app(app)
    certificates.init_app(app)


@wards_cli.command("seed")
def wards_seed() -> None:
    """Add Hue's wards from the seed list."""
    added = seed_wards()
    db.session.commit()
    click.echo(f"{added} ward(s) added.")


@demo_cli.command("seed")
def demo_seed() -> None:
    """Create the demo ward's accounts (idempotent) and print them."""
    from hue_literacy.demo import seed_demo

    seed_wards()
    accounts_made = seed_demo(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))
    db.session.commit()
    click.echo("Demo accounts (ward Phú Xuân unless noted):")
    for line in accounts_made:
        click.echo("  " + line)


@admin_cli.command("create")
@click.option("--name", prompt=True)
@click.option("--phone", prompt=True)
@click.password_option()
def admin_create(name: str, phone: str, password: str) -> None:
    """Create a city administrator."""
    try:
        accounts.create_staff(
            role=Role.ADMIN, full_name=name, raw_phone=phone, password=password, ward=None
        )
    except InputRefused as refused:
        raise click.ClickException(str(refused.message)) from None
    db.session.commit()
    click.echo(f"Admin {name} created.")


@admin_cli.command("password")
@click.option("--phone", prompt=True)
@click.password_option()
def admin_password(phone: str, password: str) -> None:
    """Give a staff member a new password; every session they have ends."""
    try:
        user = accounts.find_by_phone(normalise_phone(phone))
        if user is None or not user.is_staff or not user.is_active:
            raise click.ClickException("No staff account has this phone number.")
        accounts.set_password(user, password, current_app.config.get(
            "PASSWORD_HASH_METHOD", accounts.DEFAULT_HASH_METHOD))
    except InputRefused as refused:
        raise click.ClickException(str(refused.message)) from None
    db.session.commit()
    click.echo("Password changed; the old one and every session of this account stopped working.")
