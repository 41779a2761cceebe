"""``flask credit grade-limits`` and ``flask credit grade-limit GRADE CURRENCY AMOUNT``."""

from __future__ import annotations

import click
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models.base import exact_amount

from . import limits


@click.group("credit", help="Credit control settings.")
def cli() -> None:
    """Credit control settings."""


@cli.command("grade-limits")
def show() -> None:
    """Print the default credit limit of each grade per currency."""
    for grade, per_currency in sorted(limits.grade_limits(db.session()).items()):
        amounts = ", ".join(f"{c} {exact_amount(a):f}" for c, a in sorted(per_currency.items()))
        click.echo(f"{grade}: {amounts}")


@cli.command("grade-limit")
@click.argument("grade")
@click.argument("currency")
@click.argument("amount")
def set_limit(grade: str, currency: str, amount: str) -> None:
    """Set the default credit limit of GRADE (A-D) in CURRENCY to AMOUNT."""
    session: Session = db.session()
    try:
        value = limits.parse_amount(amount, what="AMOUNT", currency=currency.upper())
        limits.set_grade_limit(session, grade.upper(), currency.upper(), value, actor=None)
    except limits.CreditError as exc:
        session.rollback()
        raise click.ClickException(str(exc)) from None
    session.commit()
    click.echo(f"grade {grade.upper()}: {currency.upper()} {exact_amount(value):f}")
