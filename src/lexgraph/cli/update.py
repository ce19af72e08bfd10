"""The ``update`` and ``changes`` commands: refresh participation from the depositaries, and
print what changed."""

from __future__ import annotations

import csv
import io
import json

import click

from lexgraph.cli.common import Deferred, user_errors
from lexgraph.core.paths import Layout


@click.command("update")
@click.option("--only", "only", multiple=True, metavar="KEY", help="Only these instruments.")
@click.option(
    "--un-base",
    default=Deferred("lexgraph.importers.mtdsg", "UN_BASE"),
    show_default=True,
    help="Base URL of the UN Treaty Collection.",
)
@click.option(
    "--coe-base",
    default=Deferred("lexgraph.importers.update", "COE_BASE"),
    show_default=True,
    help="Base URL of the Council of Europe Treaty Office.",
)
@click.option("--allow-shrink", is_flag=True, help="Accept a list that lost many participants.")
@click.option("--no-build", is_flag=True, help="Write the files but do not rebuild.")
@click.option("--dry-run", is_flag=True, help="Fetch, read and compare; write nothing.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True)
@user_errors
def update_cmd(
    only: tuple[str, ...],
    un_base: str,
    coe_base: str,
    allow_shrink: bool,
    no_build: bool,
    dry_run: bool,
    timeout: float,
) -> None:
    """Refresh participation from the UN Treaty Collection and the Council of Europe.

    Downloads and checks every status list first; writes all files at once only if every
    one is good, then rebuilds. A failure changes nothing.
    """
    from lexgraph.importers.update import restore, run_update, summary

    layout = Layout.default()
    result = run_update(
        layout,
        only=only,
        un_base=un_base,
        coe_base=coe_base,
        allow_shrink=allow_shrink,
        dry_run=dry_run,
        timeout=timeout,
        echo=click.echo,
    )
    for line in summary(result):
        click.echo(line)
    if dry_run:
        click.echo("dry run: nothing written")
        return
    if not result.written:
        click.echo("nothing to write: the files already hold these lists")
        return
    click.echo(
        f"wrote {len(result.written)} file(s): "
        + ", ".join(layout.relative(p) for p in result.written)
    )
    if no_build:
        return
    from lexgraph.core.errors import LexgraphError
    from lexgraph.core.progress import Progress
    from lexgraph.store.build import build as run_build

    try:
        built = run_build(layout, progress=Progress(0))
    except LexgraphError:
        restore(result)
        click.echo("the build failed: the files written are put back as they were", err=True)
        raise
    click.echo(f"built {built.triples} triples into {layout.relative(layout.build)}/")


@click.command("changes")
@click.option("--since", metavar="YYYY-MM-DD", help="Changes shown on or after this date.")
@click.option("--state", help="A state, by ISO code or name.")
@click.option("--instrument", help="An instrument, by key or name.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@user_errors
def changes_cmd(since: str | None, state: str | None, instrument: str | None, fmt: str) -> None:
    """Print the recorded changes in participation, newest first."""
    from lexgraph.store.query import open_store
    from lexgraph.views.changes import COLUMNS, changes

    layout = Layout.default()
    rows = changes(
        open_store(layout.store), layout.views, since=since, state=state, instrument=instrument
    )
    if fmt == "json":
        click.echo(json.dumps([r.values() for r in rows], ensure_ascii=False, indent=1))
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(r.values() for r in rows)
        click.echo(out.getvalue(), nl=False)
    elif not rows:
        click.echo("no recorded change (run `lexgraph update` to look for some)")
    else:
        for r in rows:
            act = f", act of {r.act_date}" if r.act_date else ""
            click.echo(
                f"{r.as_at}  {r.instrument:<28} {r.state:<4} {r.change:<22} "
                f"{r.state_name}{act}  {r.source}"
            )
