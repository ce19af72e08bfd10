"""The legal-basis finder's commands: basis, gaps, dyad."""

from __future__ import annotations

import shutil
import sys
from typing import TYPE_CHECKING

import click

from lexgraph.cli.common import F, user_errors
from lexgraph.core.paths import Layout
from lexgraph.render.basis import FORMATS as BASIS_FORMATS

if TYPE_CHECKING:
    import pyoxigraph as ox

    from lexgraph.render.pairs import Pair

#: The formats of gaps and dyad (kept here so that --help does not load the renderer).
PAIR_FORMATS = ("table", "md", "csv", "json")


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
    store = open_store(layout.store)
    answer = find_basis(requesting, requested, crime, modality, on, store=store)
    click.echo(render_basis(answer, fmt, citation_line(layout)), nl=False)
    if fmt != "json":  # the channels that could carry the request, after the bases
        from lexgraph.finder.channels import channels
        from lexgraph.render.pairs import render_channels

        _, pair = _pair_of(requesting, requested, on)
        found = channels(requesting, requested, answer.modality, store=store)
        heading = "Channels" if fmt == "table" else "**Channels**"
        click.echo(f"\n{heading}\n" + render_channels(found, fmt, pair, _width()), nl=False)


def _width() -> int | None:
    """The terminal's width when writing to one, else None (tables are not cut)."""
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


@click.command("gaps")
@_pair
@click.option(
    "--format", "fmt", type=click.Choice(PAIR_FORMATS), default="table", show_default=True
)
@user_errors
def gaps_cmd(requesting: str, requested: str, on: str | None, fmt: str) -> None:
    """The crime type x modality pairs for which no shared instrument gives a basis.

    A summary line first, then one row per pair: its verdict (conditional, unknown, no basis,
    or no instrument in the corpus), the crime type, the modality and the candidates.
    """
    from lexgraph.finder.gaps import gaps
    from lexgraph.render.pairs import render_gaps

    store, pair = _pair_of(requesting, requested, on)
    found = gaps(requesting, requested, pair.on, store=store)
    click.echo(render_gaps(found, fmt, pair, _width()), nl=False)


@click.command("dyad")
@click.argument("first")
@click.argument("second")
@click.option("--on", "on", metavar="YYYY-MM-DD", help="Date (default: today).")
@click.option(
    "--format", "fmt", type=click.Choice(PAIR_FORMATS), default="table", show_default=True
)
@user_errors
def dyad_cmd(first: str, second: str, on: str | None, fmt: str) -> None:
    """The instruments both states are bound by, the earliest first.

    Each row gives the date from which both are bound and which date that is (a state's entry
    into force, its consent, or the instrument's entry into force), and each state's own date.
    """
    from lexgraph.finder.gaps import dyad
    from lexgraph.render.pairs import render_dyad

    store, pair = _pair_of(first, second, on)
    shared = dyad(first, second, pair.on, store=store)
    click.echo(render_dyad(shared, fmt, pair, _width()), nl=False)


@click.command("channels")
@click.option("--from", "first", required=True, metavar="STATE", help="One state: code or name.")
@click.option("--to", "second", required=True, metavar="STATE", help="The other state.")
@click.option("--modality", help="Only networks serving this modality (key or label).")
@click.option(
    "--format", "fmt", type=click.Choice(PAIR_FORMATS), default="table", show_default=True
)
@user_errors
def channels_cmd(first: str, second: str, modality: str | None, fmt: str) -> None:
    """The networks of competent authorities that connect two states.

    Networks both states are members of come first, then those only one is recorded in, then
    those whose members the graph does not list: a network not listed is not known to
    connect them, which is not the same as not connecting them.
    """
    from lexgraph.finder.channels import channels
    from lexgraph.render.pairs import render_channels

    store, pair = _pair_of(first, second, None)
    found = channels(first, second, modality, store=store)
    click.echo(render_channels(found, fmt, pair, _width()), nl=False)


def _pair_of(first: str, second: str, on: str | None) -> tuple[ox.Store, Pair]:
    """The built store and the :class:`~lexgraph.render.pairs.Pair` asked about."""
    from lexgraph.finder.basis import parse_day
    from lexgraph.render.pairs import Pair
    from lexgraph.store.labels import short_name
    from lexgraph.store.names import resolve_state
    from lexgraph.store.query import open_store

    store = open_store(Layout.default().store)
    names: dict[str, str] = {}

    def name(iri: str) -> str:
        if iri not in names:
            names[iri] = short_name(store, iri)
        return names[iri]

    a, b = resolve_state(store, first), resolve_state(store, second)
    return store, Pair(a.value, b.value, parse_day(on), name)
