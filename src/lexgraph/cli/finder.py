"""The legal-basis finder's commands: basis, gaps, dyad."""

from __future__ import annotations

import click

from lexgraph.cli.common import F, user_errors
from lexgraph.core.paths import Layout
from lexgraph.render.basis import FORMATS as BASIS_FORMATS


def _pair(func: F) -> F:
    """The --from, --to and --on options of the finder's commands."""
    func = click.option("--on", "on", metavar="YYYY-MM-DD", help="Date (default: today).")(func)
    func = click.option(
        "--to",
        "requested",
        required=True,
        metavar="STATE",
        help="Requested state: ISO code or name.",
    )(func)
    return click.option(
        "--from",
        "requesting",
        required=True,
        metavar="STATE",
        help="Requesting state: ISO code or name.",
    )(func)


@click.command("basis")
@_pair
@click.option("--crime", required=True, help="Crime type: key or label.")
@click.option("--modality", required=True, help="Cooperation modality: key or label.")
@click.option(
    "--format", "fmt", type=click.Choice(BASIS_FORMATS), default="table", show_default=True
)
@user_errors
def basis_cmd(
    requesting: str, requested: str, crime: str, modality: str, on: str | None, fmt: str
) -> None:
    """Which instruments let one state ask another for MODALITY for CRIME, and under what.

    States are ISO alpha-2 or alpha-3 codes or names. Each candidate instrument is shown with
    its verdict (basis, conditional, unknown, framework only, no basis), its articles, both
    states' standing, the conditions it depends on, the reservations that matter, and why;
    docs/legal-model.md explains the rules.
    """
    from lexgraph.finder.basis import find_basis
    from lexgraph.render.basis import render as render_basis
    from lexgraph.store.query import open_store
    from lexgraph.views.citation import citation_line

    layout = Layout.default()
    answer = find_basis(requesting, requested, crime, modality, on, store=open_store(layout.store))
    click.echo(render_basis(answer, fmt, citation_line(layout)), nl=False)


@click.command("gaps")
@_pair
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table")
@user_errors
def gaps_cmd(requesting: str, requested: str, on: str | None, fmt: str) -> None:
    """The crime type x modality pairs for which no shared instrument gives a basis."""
    from lexgraph.finder.gaps import gaps
    from lexgraph.render.basis import render_gaps
    from lexgraph.store.query import open_store

    layout = Layout.default()
    found = gaps(requesting, requested, on, store=open_store(layout.store))
    click.echo(render_gaps(found, fmt), nl=False)


@click.command("dyad")
@click.argument("first")
@click.argument("second")
@click.option("--on", "on", metavar="YYYY-MM-DD", help="Date (default: today).")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table")
@user_errors
def dyad_cmd(first: str, second: str, on: str | None, fmt: str) -> None:
    """The timeline of the instruments both states are bound by."""
    from lexgraph.finder.gaps import dyad
    from lexgraph.render.basis import render_dyad
    from lexgraph.store.query import open_store

    layout = Layout.default()
    shared = dyad(first, second, on, store=open_store(layout.store))
    click.echo(render_dyad(shared, fmt), nl=False)
