"""The ``serve`` command: the built graph over SPARQL, behind lexgraph's limits.

Starlette, uvicorn and httpx load only when the server starts.
"""

from __future__ import annotations

import dataclasses

import click

from lexgraph.cli.common import user_errors
from lexgraph.core.errors import NotBuilt
from lexgraph.core.paths import Layout
from lexgraph.serve.oxigraph import DEFAULT_TIMEOUT_S
from lexgraph.serve.policy import (
    CACHE_BYTES,
    ERRORS_PER_MINUTE,
    MAX_CONCURRENT,
    MAX_CONNECTIONS,
    TIME_PER_MINUTE_S,
)
from lexgraph.untrusted.gate import DEFAULT_MAX_QUERY_BYTES, DEFAULT_MAX_ROWS


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=7878, show_default=True, help="Port to listen on.")
@click.option(
    "--timeout",
    type=click.IntRange(min=1),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    help="Seconds a query may run; past them it gets 503 and is stopped.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_ROWS,
    show_default=True,
    help="Rows (or triples) an answer holds at most; a cut answer says so.",
)
@click.option(
    "--max-query-bytes",
    type=click.IntRange(min=64),
    default=DEFAULT_MAX_QUERY_BYTES,
    show_default=True,
    help="Longest query accepted (413 past it).",
)
@click.option(
    "--rate",
    type=click.FloatRange(min=0),
    default=TIME_PER_MINUTE_S,
    show_default=True,
    help="Seconds of query time per minute for each client, bursting to twice that; 0: off.",
)
@click.option(
    "--max-errors",
    type=click.FloatRange(min=0),
    default=ERRORS_PER_MINUTE,
    show_default=True,
    help="Failed queries per minute for each client, bursting to twice that; 0: off.",
)
@click.option(
    "--max-concurrent",
    type=click.IntRange(min=0),
    default=MAX_CONCURRENT,
    show_default=True,
    help="Queries each client may have running at once; 0: no cap.",
)
@click.option(
    "--trust-proxy",
    multiple=True,
    metavar="ADDRESS",
    help="A reverse proxy whose X-Forwarded-For names the client; repeat for several.",
)
@click.option(
    "--cache-mb",
    type=click.IntRange(min=0),
    default=CACHE_BYTES // 2**20,
    show_default=True,
    help="Megabytes of whole answers kept for repeated queries; 0: none.",
)
@click.option(
    "--memory-limit",
    "memory_mb",
    type=click.IntRange(min=256),
    default=None,
    help="Megabytes each engine (one query at a time) may use; past it the query gets 503. "
    "Default: half the RAM shared between the engines, at most 2048.",
)
@click.option(
    "--engines",
    type=click.IntRange(min=1),
    default=None,
    help="Engine processes (queries running at once). Default: 4 per core.",
)
@click.option(
    "--max-connections",
    type=click.IntRange(min=1),
    default=MAX_CONNECTIONS,
    show_default=True,
    help="Connections open at once; past it new requests get 503.",
)
@click.option(
    "--reload-on-build",
    is_flag=True,
    help="Serve a new build as soon as `lexgraph build` switches it in (else only on SIGHUP).",
)
@user_errors
def serve(
    host: str,
    port: int,
    timeout: int,
    max_rows: int,
    max_query_bytes: int,
    rate: float,
    max_errors: float,
    max_concurrent: int,
    trust_proxy: tuple[str, ...],
    cache_mb: int,
    memory_mb: int | None,
    engines: int | None,
    max_connections: int,
    reload_on_build: bool,
) -> None:
    """Serve the built graph read-only over SPARQL, behind lexgraph's limits, until Ctrl-C.

    Oxigraph answers on a loopback port of its own; clients reach a policy layer that
    refuses SERVICE, updates and FROM outside the build, caps sizes and rows, stops queries
    at --timeout and limits each client's rate (SECURITY.md). The union of the named graphs
    is the default graph; CORS is on; the query page at / needs no network; GET /health. It
    listens on loopback unless --host says otherwise; the access log goes to stderr.

    It serves the build it found at start, whatever `lexgraph build` does meanwhile, until
    SIGHUP (or, with --reload-on-build, a new build) makes it load the current one.
    """
    from lexgraph.serve.run import log_to_stderr
    from lexgraph.serve.run import serve as run_gateway
    from lexgraph.serve.settings import GatewaySettings

    layout = Layout.default()
    if not layout.store.exists():
        raise NotBuilt(str(layout.store))
    settings = GatewaySettings(
        # Not resolved: build/store is a link that a new build moves; a reload follows it.
        layout.store.absolute(),
        host=host,
        port=port,
        timeout_s=timeout,
        max_rows=max_rows,
        max_query_bytes=max_query_bytes,
        max_body_bytes=3 * max_query_bytes + 1024,
        time_per_minute_s=rate,
        errors_per_minute=max_errors,
        max_concurrent=max_concurrent,
        trust_proxy=trust_proxy,
        cache_bytes=cache_mb * 2**20,
        memory_bytes=memory_mb * 2**20 if memory_mb else None,
        max_connections=max_connections,
        reload_on_build=reload_on_build,
    )
    if engines is not None:
        settings = dataclasses.replace(settings, engines=engines)

    def ready(url: str) -> None:
        click.echo(f"lexgraph: SPARQL endpoint {url}/query, query page {url}/")
        click.echo("press Ctrl-C to stop")

    log_to_stderr()
    run_gateway(settings, ready)
    click.echo("stopped")
