"""The commands that publish the build: publish, release, docs."""

from __future__ import annotations

import click

from lexgraph.cli.common import remote_timeout, user_errors
from lexgraph.core.paths import Layout


@click.command()
@click.option("--endpoint", required=True, metavar="URL", help="SPARQL query endpoint.")
@click.option(
    "--graph-store",
    metavar="URL",
    help="Graph Store Protocol URL (default: the endpoint's .../query replaced by .../store).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Also delete lexgraph source graphs on the server that the build no longer has.",
)
@remote_timeout("Seconds to wait for each request.")
@user_errors
def publish(endpoint: str, graph_store: str | None, replace: bool, timeout: float) -> None:
    """Upload the build to a SPARQL 1.1 Graph Store, one named graph per source file.

    Credentials come from LEXGRAPH_ENDPOINT_TOKEN, or LEXGRAPH_ENDPOINT_USER and
    LEXGRAPH_ENDPOINT_PASSWORD; never from the command line.
    """
    from lexgraph.core.progress import Progress
    from lexgraph.publish.graphstore import publish as publish_build
    from lexgraph.store.query import open_store

    layout = Layout.default()
    result = publish_build(
        open_store(layout.store),
        endpoint,
        graph_store,
        replace=replace,
        timeout_s=timeout,
        progress=Progress(0),
    )
    click.echo(
        f"published {result.triples} triples in {result.graphs} graphs; "
        "the server's counts match the build"
        + (f"; removed {len(result.removed)} stale graph(s)" if result.removed else "")
    )
    for graph in result.stale:
        click.echo(f"warning: the server also holds {graph}, not in this build", err=True)


@click.command("release")
@user_errors
def release_cmd() -> None:
    """Write build/release/ from the built graph: dumps, VoID/DCAT description, SHA256SUMS."""
    from lexgraph.publish.release import write_release

    layout = Layout.default()
    result = write_release(layout)
    click.echo(
        f"released {result.triples} triples ({result.quads} quads in {result.graphs} graphs) "
        f"as {len(result.files)} files in "
        f"{layout.relative(result.directory.parent)}/{result.directory.name}/"
    )


@click.command("docs")
@user_errors
def docs_cmd() -> None:
    """Write the ontology's documentation page, build/docs/index.html, with pyLODE."""
    from lexgraph.publish.ontodocs import write_docs

    layout = Layout.default()
    click.echo(f"wrote {layout.relative(write_docs(layout))}")
