"""Flask commands: thin wrappers over the domain modules."""

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select

from .accounts import AccountError, create_user
from .extensions import db
from .models import Establishment, Role


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="Full name shown in the interface.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--establishment", "establishment_code", metavar="CODE",
              help="Establishment code (e.g. MCQ); leave out for a network-wide account.")
@click.option("--language", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.password_option(help="Prompted for (hidden, twice) when not given.")
@with_appcontext
def create_user_command(email, name, role, establishment_code, language, password):
    """Create a user account."""
    establishment = None
    if establishment_code:
        establishment = db.session.scalar(
            select(Establishment).where(Establishment.code == establishment_code.upper())
        )
        if establishment is None:
            codes = ", ".join(db.session.scalars(select(Establishment.code))) or "none yet"
            raise click.UsageError(
                f"Unknown establishment {establishment_code!r} (known codes: {codes}).",
            )
    try:
        user = create_user(email=email, name=name, role=Role(role), password=password,
                           establishment=establishment, locale=language)
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Load the demo establishments, people and feedback (what exists already is kept)."""
    from . import demo  # the demo corpus is loaded only by this command

    created = demo.seed_demo()
    db.session.commit()
    if created:
        click.echo(f"Demo data created for {', '.join(created)}.")
    else:
        click.echo("Demo data already present.")
    click.echo(f"Demo logins (password: {demo.DEMO_PASSWORD}):")
    for login in demo.demo_logins():
        where = login.establishment or "network"
        click.echo(f"  {login.email:<28} {login.role.value:<11} {where}")


def register(app: Flask) -> None:
    for command in (create_user_command, seed_demo_command):
        app.cli.add_command(command)
