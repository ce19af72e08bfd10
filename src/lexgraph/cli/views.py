"""The commands that draw or tabulate the graph: figure, table, brief, site, viz.

matplotlib, pyvis and Jinja load inside the commands that draw with them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from lexgraph.cli.common import F, user_errors
from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout
from lexgraph.render.table import FORMATS as TABLE_FORMATS


def _out_option(help_text: str, required: bool = True) -> Callable[[F], F]:
    return click.option(
        "-o", "--output", "output", type=click.Path(path_type=Path), required=required,
        help=help_text,
    )  # fmt: skip


def _one_of(**given: str | None) -> None:
    """Require exactly one of the named options."""
    if sum(v is not None for v in given.values()) != 1:
        names = " or ".join(f"--{k}" for k in given)
        raise InputError(f"give one of {names}")


@click.command("viz")
@click.option("--crime", help="Crime type in focus: key or label.")
@click.option("--instrument", help="Instrument in focus: key or label.")
@click.option("--modality", help="Modality in focus: key or label.")
@click.option("--state", help="State in focus: ISO alpha-2 or alpha-3 code or name.")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True)
@click.option("--with-states", is_flag=True, help="Also draw the states and their parties.")
@click.option(
    "--input",
    "input_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Draw this .ttl, .nt, .nq or .trig file instead of the built graph.",
)
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the layout.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    metavar="FILE.html",
    help="The page to write.",
)
@user_errors
def viz_cmd(
    crime: str | None, instrument: str | None, modality: str | None, state: str | None,
    depth: int, with_states: bool, input_file: Path | None, seed: int, output: Path,
) -> None:  # fmt: skip
    """Write an interactive page of the graph, or of a focus, that works offline.

    One self-contained HTML file (no network needed): search, filters by class, crime type,
    instrument and modality, and a node's neighbourhood highlighted on click.
    """
    from lexgraph.render.viz import title_for, write_page
    from lexgraph.store.query import open_store
    from lexgraph.views.citation import citation_line
    from lexgraph.views.grouped import select
    from lexgraph.views.subgraph import load_file

    layout = Layout.default()
    if output.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"{output}: the page must be an .html file")
    store = open_store(layout.store) if input_file is None else load_file(input_file)
    sub = select(store, crime=crime, instrument=instrument, modality=modality, state=state,
                 depth=depth, with_states=with_states)  # fmt: skip
    if not sub.nodes:
        raise InputError(f"{input_file or layout.store}: no node of a class lexgraph draws")
    cite = citation_line(layout) if input_file is None else f"Data: {input_file.name}."
    title = title_for(sub, depth=depth, with_states=with_states)
    write_page(sub, output, title=title, citation=cite, seed=seed)
    click.echo(f"wrote {output}: {len(sub.nodes)} nodes, {len(sub.edges)} edges")
    for note in sub.notes:
        click.echo(f"note: {note}", err=True)


@click.group("figure")
def figure_group() -> None:
    """Static figures for briefs: SVG, PNG or PDF, as the -o suffix says."""


@figure_group.command("network")
@click.option("--crime", help="Crime type in focus: key or label.")
@click.option("--instrument", help="Instrument in focus: key or label.")
@click.option("--modality", help="Modality in focus: key or label.")
@click.option("--state", help="State in focus: ISO code or name.")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True)
@click.option("--max-nodes", type=click.IntRange(min=1), default=40, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the layout.")
@_out_option("The figure file: .svg, .png or .pdf.")
@user_errors
def figure_network_cmd(
    crime: str | None, instrument: str | None, modality: str | None, state: str | None,
    depth: int, max_nodes: int, seed: int, output: Path,
) -> None:  # fmt: skip
    """A focus subgraph drawn with labels that do not overlap, and the citation."""
    from lexgraph.render.figures import figure_format, network_figure, network_title, save_figure
    from lexgraph.render.figures.network import cap, named
    from lexgraph.store.query import open_store
    from lexgraph.views import caption_line
    from lexgraph.views.subgraph import select

    layout = Layout.default()
    figure_format(output)
    if not (crime or instrument or modality or state):
        raise InputError("figure network: give --crime, --instrument, --modality or --state")
    store = open_store(layout.store)
    whole = select(store, crime=crime, instrument=instrument, modality=modality, state=state,
                   depth=depth)  # fmt: skip
    sub, left_out = cap(store, named(store, whole), max_nodes)
    fig = network_figure(
        sub, caption=caption_line(layout, store), title=network_title(sub, depth), seed=seed,
        notes=(left_out,) if left_out else (),
    )  # fmt: skip
    click.echo(f"wrote {save_figure(fig, output)} ({len(sub.nodes)} nodes)")
    if left_out:
        click.echo(left_out)


@figure_group.command("matrix")
@click.option("--crime", help="Instrument x modality for this crime type.")
@click.option("--region", help="State x instrument for this M49 region (m49-150 or a name).")
@_out_option("The figure file: .svg, .png or .pdf.")
@user_errors
def figure_matrix_cmd(crime: str | None, region: str | None, output: Path) -> None:
    """A heatmap: articles per modality for a crime type, or participation in a region."""
    from lexgraph.render.figures import figure_format, matrix_figure, save_figure
    from lexgraph.views import modality_matrix, participation_matrix

    _one_of(crime=crime, region=region)
    figure_format(output)
    matrix = modality_matrix(crime) if crime else participation_matrix(str(region))
    click.echo(f"wrote {save_figure(matrix_figure(matrix), output)}")


@figure_group.command("timeline")
@click.option("--state", help="A state's participation; without it, the instruments' dates.")
@_out_option("The figure file: .svg, .png or .pdf.")
@user_errors
def figure_timeline_cmd(state: str | None, output: Path) -> None:
    """A state's participation over time, or the instruments' adoption and entry into force."""
    from lexgraph.render.figures import figure_format, save_figure, timeline_figure
    from lexgraph.views import timeline

    figure_format(output)
    click.echo(f"wrote {save_figure(timeline_figure(timeline(state)), output)}")


@figure_group.command("map")
@click.option("--instrument", required=True, help="The instrument: key or name.")
@click.option(
    "-o", "--output", "output", type=click.Path(path_type=Path, dir_okay=False), required=True,
    metavar="FILE.svg", help="The map: an .svg file (real text, a tooltip per state).",
)  # fmt: skip
@user_errors
def figure_map_cmd(instrument: str, output: Path) -> None:
    """A world map of participation: bound, signed, not a party on record, unknown."""
    from lexgraph.render.figures.worldmap import map_svg
    from lexgraph.render.output import write_output
    from lexgraph.views.worldmap import world_standing

    if output.suffix.lower() != ".svg":
        raise InputError(f"{output}: a map is written as .svg")
    world = world_standing(instrument)
    write_output({output: map_svg(world)})
    counts = ", ".join(f"{n} {s}" for s, n in sorted(world.counts().items()))
    click.echo(f"wrote {output}: {counts}")


_TABLE_SUFFIXES = {".csv": "csv", ".md": "md", ".html": "html", ".htm": "html", ".tex": "latex"}


def _emit_table(table: Any, fmt: str | None, output: Path | None) -> None:
    from lexgraph.render.table import render_table

    chosen = fmt or (_TABLE_SUFFIXES.get(output.suffix.lower()) if output else None) or "csv"
    text = render_table(table, chosen)
    if output is None:
        click.echo(text, nl=False)
        return
    from lexgraph.render.output import write_output

    write_output({output: text})
    click.echo(f"wrote {output}")


def _table_options(func: F) -> F:
    func = _out_option("Write to this file (default: standard output).", required=False)(func)
    return click.option(
        "--format", "fmt", type=click.Choice(TABLE_FORMATS),
        help="Default: from the -o suffix (.csv, .md, .html, .tex), else csv.",
    )(func)  # fmt: skip


@click.group("table")
def table_group() -> None:
    """The figures' views as tables (CSV, Markdown, HTML, LaTeX), each with the citation."""


@table_group.command("matrix")
@click.option("--crime", help="Instrument x modality for this crime type.")
@click.option("--region", help="State x instrument for this M49 region (m49-150 or a name).")
@_table_options
@user_errors
def table_matrix_cmd(
    crime: str | None, region: str | None, fmt: str | None, output: Path | None
) -> None:
    """Articles per modality for a crime type, or participation in a region."""
    from lexgraph.views import matrix_table, modality_matrix, participation_matrix

    _one_of(crime=crime, region=region)
    matrix = modality_matrix(crime) if crime else participation_matrix(str(region))
    _emit_table(matrix_table(matrix), fmt, output)


@table_group.command("instruments")
@click.option("--crime", help="Only the instruments covering this crime type, with articles.")
@_table_options
@user_errors
def table_instruments_cmd(crime: str | None, fmt: str | None, output: Path | None) -> None:
    """The instruments (covering a crime type, with their articles by modality)."""
    from lexgraph.views import instruments_table

    _emit_table(instruments_table(crime), fmt, output)


@table_group.command("parties")
@click.option("--instrument", help="The records of this instrument.")
@click.option("--state", help="The records of this state.")
@click.option("--region", help="With --instrument: only the states of this M49 region.")
@_table_options
@user_errors
def table_parties_cmd(
    instrument: str | None, state: str | None, region: str | None, fmt: str | None,
    output: Path | None,
) -> None:  # fmt: skip
    """Participation records, each with its date, source and the source's as-at date."""
    from lexgraph.views import parties_table

    _one_of(instrument=instrument, state=state)
    _emit_table(parties_table(instrument, state, region), fmt, output)


@click.command("brief")
@click.option("--crime", required=True, help="Crime type: key or label.")
@click.option("--region", help="Also count the parties among this M49 region's states.")
@click.option(
    "--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True,
    help="The brief's language; names without a label in it stay in English, in italics.",
)  # fmt: skip
@_out_option(
    "The brief: .html (one A4 page, figure inline), .md (figure beside it) or .docx (Word)."
)
@user_errors
def brief_cmd(crime: str, region: str | None, lang: str, output: Path) -> None:
    """A printable one-page brief on a crime type, made only of what the graph holds."""
    from lexgraph.render.brief import write_brief

    paths = write_brief(crime, output, region, lang=lang)
    click.echo(f"wrote {', '.join(str(p) for p in paths)}")


@click.command("site")
@_out_option("The site's directory (default: build/site).", required=False)
@user_errors
def site_cmd(output: Path | None) -> None:
    """A static site: an index and a page per instrument, crime type, modality and state."""
    from lexgraph.render.site import write_site

    layout = Layout.default()
    result = write_site(output or layout.build / "site", layout=layout)
    click.echo(
        f"wrote {result.pages} pages, {result.graphs} graphs and {result.queries} queries into "
        f"{layout.relative(result.directory)}/ in {result.seconds:.1f} s"
    )
