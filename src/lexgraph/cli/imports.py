"""The ``import`` group: convert external files into ``graph/imported/``.

Each importer (rdflib, SPARQLWrapper) loads inside its own command.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

from lexgraph.cli.common import Deferred, user_errors
from lexgraph.core.paths import Layout


def _wrote(layout: Layout, paths: list[Path]) -> None:
    """Say which files an importer wrote, relative to the project root."""
    click.echo(f"wrote {len(paths)} file(s): {', '.join(layout.relative(p) for p in paths)}")


def _warn(warnings: Iterable[str]) -> None:
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)


@click.group("import")
def import_group() -> None:
    """Convert external files into graph/imported/."""


@import_group.command("articles")
@click.argument("csv_file", type=click.Path(path_type=Path))
@click.option("--instrument", "instruments", multiple=True, help="Only these instrument keys.")
@user_errors
def import_articles_cmd(csv_file: Path, instruments: tuple[str, ...]) -> None:
    """Import article numbers and headings from the article-headings CSV."""
    from lexgraph.importers.articles import import_articles

    layout = Layout.default()
    keys = frozenset(k.lower() for k in instruments)
    _wrote(layout, import_articles(csv_file, layout.imported / "articles", keys))


@import_group.command("countries")
@click.argument("csv_file", type=click.Path(path_type=Path))
@user_errors
def import_countries_cmd(csv_file: Path) -> None:
    """Import states and M49 regions from the datahub country-codes CSV."""
    from lexgraph.importers.countries import import_countries

    layout = Layout.default()
    _wrote(layout, import_countries(csv_file, layout.imported))


@import_group.command("sdg")
@click.argument("kos_file", type=click.Path(path_type=Path))
@user_errors
def import_sdg_cmd(kos_file: Path) -> None:
    """Import the SDG goals, targets and indicators lexgraph links to from the UN SDG KOS."""
    from lexgraph.importers.sdg import import_sdg

    layout = Layout.default()
    _wrote(layout, import_sdg(kos_file, layout.imported))


@import_group.command("csv")
@click.argument("csv_file", type=click.Path(path_type=Path))
@click.option("--name", help="Name of the output file and its graph (default: the CSV's stem).")
@click.option(
    "--drop-tertiary",
    is_flag=True,
    help="Drop rows whose source is tertiary, with a warning each, instead of refusing the file.",
)
@click.option(
    "--complete",
    "complete",
    multiple=True,
    metavar="KEY",
    help="The CSV lists every participant of instrument KEY (repeatable); needs "
    "--complete-as-at and --complete-source.",
)
@click.option("--complete-as-at", help="The date the complete list is as at (YYYY[-MM[-DD]]).")
@click.option("--complete-source", help="The depositary's or official list the CSV is complete by.")
@user_errors
def import_csv_cmd(
    csv_file: Path,
    name: str | None,
    drop_tertiary: bool,
    complete: tuple[str, ...],
    complete_as_at: str | None,
    complete_source: str | None,
) -> None:
    """Import participation records from a CSV in the format of docs/participation-csv.md."""
    from lexgraph.core.errors import InputError
    from lexgraph.importers.records import Complete, import_records

    layout = Layout.default()
    listed = None
    if complete or complete_as_at or complete_source:
        if not (complete and complete_as_at and complete_source):
            raise InputError(
                "--complete, --complete-as-at and --complete-source go together: give all three"
            )
        listed = Complete(complete, complete_as_at, complete_source)
    result = import_records(csv_file, layout, name, drop_tertiary, listed)
    _warn(result.warnings)
    _wrote(layout, [result.path])


@import_group.command("bilateral")
@click.argument("csv_file", type=click.Path(path_type=Path))
@click.option("--name", help="Name of the output file and its graph (default: the CSV's stem).")
@user_errors
def import_bilateral_cmd(csv_file: Path, name: str | None) -> None:
    """Import bilateral treaties from a CSV in the format of docs/bilateral-csv.md."""
    from lexgraph.importers.bilateral import import_bilateral

    layout = Layout.default()
    path, _ = import_bilateral(csv_file, layout, name)
    _wrote(layout, [path])


@import_group.command("coe")
@click.argument("location", metavar="FILE|URL")
@click.option("--instrument", required=True, help="The instrument key the chart is of.")
@click.option("--source", help="The chart URL to cite (default: the URL read, or the chart's).")
@user_errors
def import_coe_cmd(location: str, instrument: str, source: str | None) -> None:
    """Import a Council of Europe chart of signatures and ratifications."""
    from lexgraph.importers.coe import import_coe

    layout = Layout.default()
    _wrote(layout, [import_coe(location, instrument, layout, source).path])


@import_group.command("untc")
@click.argument("table", metavar="FILE|URL")
@click.option("--instrument", required=True, help="The instrument key the table is of.")
@click.option("--as-at", "as_at", metavar="YYYY-MM-DD", help="Status date (default: the page's).")
@click.option("--source", metavar="URL", help="The UNTC page to cite (default: from --ref).")
@click.option("--ref", metavar="XVIII-12", help="UNTC reference (default: lex:untcReference).")
@click.option("--note", help="A sentence to add to the generated file's header comment.")
@user_errors
def import_untc_cmd(
    table: str,
    instrument: str,
    as_at: str | None,
    source: str | None,
    ref: str | None,
    note: str | None,
) -> None:
    """Import a UN Treaty Collection status table (CSV, saved page or URL)."""
    from lexgraph.importers.untc import import_untc

    layout = Layout.default()
    result = import_untc(table, layout, instrument, as_at=as_at, source=source, ref=ref, note=note)
    _wrote(layout, [result.path])
    click.echo(f"{result.signatures} signature(s), {result.consents} consent(s)")
    for name in result.skipped:
        click.echo(f"warning: skipped {name}: not a current State", err=True)
    for name in result.withdrawn:
        click.echo(f"warning: {name} is in brackets (withdrawn since)", err=True)


@import_group.command("wikidata")
@click.option("--instrument", required=True, help="The instrument key to ask about.")
@click.option(
    "--endpoint",
    type=str,
    default=Deferred("lexgraph.importers.wikidata", "ENDPOINT"),
    show_default=True,
    help="SPARQL endpoint.",
)
@user_errors
def import_wikidata_cmd(instrument: str, endpoint: str) -> None:
    """Import an instrument's signatories and parties from Wikidata (a secondary source)."""
    from lexgraph.importers.wikidata import import_wikidata

    layout = Layout.default()
    result = import_wikidata(instrument, layout, endpoint)
    _warn(result.warnings)
    _wrote(layout, [result.path])
