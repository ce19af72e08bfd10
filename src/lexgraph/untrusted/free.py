"""Run SPARQL text from outside on the embedded engine: checked, row-capped and time-limited."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from lexgraph.core.errors import NotBuilt
from lexgraph.core.paths import Layout
from lexgraph.store.query import QueryDataset, Result, execute
from lexgraph.untrusted.gate import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S, check_query
from lexgraph.untrusted.sandbox import run_isolated


def free_query(
    text: str,
    *,
    store: ox.Store | None = None,
    location: Path | str | None = None,
    timeout_s: float | None = None,
    max_rows: int | None = None,
) -> Result:
    """Run untrusted SPARQL text on the built graph: checked, row-capped and time-limited.

    The text is checked first (:func:`~lexgraph.untrusted.gate.check_query`: no SERVICE, no
    update, no FROM outside the build, a size limit). It then runs in a child process over the
    store at ``location`` (default: the build), killed after ``timeout_s`` seconds (default 30)
    with :class:`~lexgraph.untrusted.gate.QueryTimeout`, because pyoxigraph has no timeout of its
    own. At most ``max_rows`` rows (default 10,000) come back; ``Result.truncated`` says if there
    were more. Given an open ``store`` instead, the query runs in this process, checked and
    capped but without the time limit: an open store cannot be handed to another process.
    ``FROM`` and ``FROM NAMED`` select the graphs they name (see
    :class:`~lexgraph.store.query.QueryDataset`); without them the default graph is the union.
    """
    parsed = check_query(text)
    dataset = QueryDataset(parsed.default_graphs, parsed.named_graphs)
    rows = DEFAULT_MAX_ROWS if max_rows is None else max_rows
    if store is not None:
        return execute(store, text, max_rows=rows, dataset=dataset)
    path = Path(location) if location is not None else Layout.default().store
    if not path.exists():
        raise NotBuilt(str(path))
    limit = DEFAULT_TIMEOUT_S if timeout_s is None else timeout_s
    return run_isolated(path, text, timeout_s=limit, max_rows=rows, dataset=dataset)
