"""Query results as data frames, for notebooks: pandas, or polars where it is installed.

Neither library is a dependency of lexgraph (``pip install 'lexgraph[notebook]'`` brings
pandas and Jupyter); each is imported when a frame is asked for, and a missing one gives a
one-line :class:`~lexgraph.core.errors.InputError` that says what to install.

Columns are typed from the RDF terms, the same way for both libraries:

- an instance IRI becomes its short key, the key the command line and the library's
  parameters take (``…/id/state/JPN`` → ``JPN``, ``…/id/instrument/untoc/article/18`` →
  ``untoc/article/18``), with a ``<column>_label`` column after it holding the resource's
  label (:func:`lexgraph.store.labels.label`); an IRI in the project's prefix table becomes its
  prefixed name (``sdg:16.4``, ``lex:Convention``), and any other IRI (a source's URL) stays
  whole;
- ``xsd:date`` and ``xsd:dateTime`` become datetimes (pandas ``datetime64``, polars ``Date``
  or ``Datetime``), ``xsd:gYear`` a nullable integer year;
- integers become nullable integers (pandas ``Int64``, polars ``Int64``), decimals and doubles
  floats, booleans nullable booleans;
- anything else, and a column whose values are of mixed kinds, is text.

A cell the query left unbound is missing (``<NA>``, ``NaT``, ``null``).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import pyoxigraph as ox

from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import ID, PREFIXES
from lexgraph.store.labels import label


class Result(Protocol):
    """What a frame is made of: :class:`lexgraph.store.query.Result` (not imported, as its
    methods import this module)."""

    @property
    def variables(self) -> tuple[str, ...]: ...
    @property
    def rows(self) -> tuple[tuple[Any, ...], ...]: ...
    @property
    def boolean(self) -> bool | None: ...
    @property
    def triples(self) -> tuple[ox.Triple, ...]: ...
    @property
    def store(self) -> ox.Store | None: ...


_XSD = PREFIXES["xsd"]
_INTEGERS = {"integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"}
_FLOATS = {"decimal", "double", "float"}


@dataclass(frozen=True)
class Column:
    """One typed column: its name, its kind (key, iri, date, datetime, year, integer, float,
    boolean, text) and its plain Python values (None where unbound)."""

    name: str
    kind: str
    values: tuple[object, ...]


@functools.lru_cache(maxsize=65536)
def short_key(iri: str) -> str:
    """The key of an IRI as the library's parameters take it, or its prefixed name.

    >>> short_key("https://w3id.org/lexgraph/id/state/JPN")
    'JPN'
    >>> short_key("https://w3id.org/lexgraph/id/instrument/untoc/article/18")
    'untoc/article/18'
    >>> short_key("http://metadata.un.org/sdg/16.4")
    'sdg:16.4'
    """
    if iri.startswith(ID):
        return iri[len(ID) :].partition("/")[2] or iri[len(ID) :]
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
        rest = iri[len(namespace) :]
        if iri.startswith(namespace) and rest and "/" not in rest and "#" not in rest:
            return f"{prefix}:{rest}"
    return iri


def _kind(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return "key" if term.value.startswith(ID) else "iri"
    if not isinstance(term, ox.Literal):
        return "text"
    datatype = term.datatype.value
    name = datatype[len(_XSD) :] if datatype.startswith(_XSD) else ""
    if name in _INTEGERS:
        return "integer"
    if name in _FLOATS:
        return "float"
    return {"date": "date", "dateTime": "datetime", "gYear": "year", "boolean": "boolean"}.get(
        name, "text"
    )


def _value(term: object, kind: str) -> object:
    """The plain value of a term in a column of ``kind`` (text where it does not parse)."""
    if term is None:
        return None
    text = term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)
    try:
        if kind == "integer":
            return int(text)
        if kind == "year":
            return int(text[:5] if text.startswith("-") else text[:4])
        if kind == "float":
            return float(text)
        if kind == "boolean":
            return text in ("true", "1")
        if kind == "date":
            return dt.date.fromisoformat(text[:10])
        if kind == "datetime":
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    return short_key(text) if kind in ("key", "iri") else text


def _label_store(result: Result, store: ox.Store | None) -> ox.Store | None:
    """The store to read labels from: the one given, the result's, else the build's if any."""
    if store is not None:
        return store
    if result.store is not None:
        return result.store
    from lexgraph.core.paths import Layout

    path = Layout.default().store
    try:
        return ox.Store.read_only(str(path)) if path.exists() else None
    except OSError:
        return None


def columns(result: Result, store: ox.Store | None = None) -> list[Column]:
    """The typed columns of a SELECT result, a label column after each column of keys.

    Labels are read from ``store``, else from the store the result came from, else from the
    build; with none of these, no label column is added.
    """
    store = _label_store(result, store)
    if result.boolean is not None or result.triples:
        raise InputError("only SELECT results become data frames (this one is ASK or CONSTRUCT)")
    out = []
    for index, name in enumerate(result.variables):
        terms = [row[index] for row in result.rows]
        kinds = {_kind(t) for t in terms if t is not None}
        if kinds == {"integer", "float"}:
            kind = "float"
        elif kinds == {"key", "iri"}:
            kind = "key"
        else:
            kind = kinds.pop() if len(kinds) == 1 else "text"
        out.append(Column(name, kind, tuple(_value(t, kind) for t in terms)))
        if kind == "key" and store is not None:
            names = tuple(
                label(store, t.value) if isinstance(t, ox.NamedNode) else None for t in terms
            )
            out.append(Column(f"{name}_label", "text", names))
    return out


def _library(name: str, extra: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        raise InputError(
            f"{name} is not installed: pip install {name} (or 'lexgraph[{extra}]')"
        ) from None


def _pandas_series(pd: Any, column: Column) -> Any:
    kind, values = column.kind, list(column.values)
    if kind in ("date", "datetime"):
        return pd.to_datetime(pd.Series(values, dtype="object"), errors="coerce", utc=False)
    dtypes: dict[str, str] = {
        "integer": "Int64",
        "year": "Int64",
        "float": "Float64",
        "boolean": "boolean",
    }
    if kind in dtypes and all(v is None or not isinstance(v, str) for v in values):
        return pd.Series(values, dtype=dtypes[kind])
    return pd.Series(values, dtype="string")


def to_pandas(result: Result, store: ox.Store | None = None) -> Any:
    """A pandas DataFrame of a SELECT result, with typed columns (see the module's doc)."""
    pd = _library("pandas", "notebook")
    found = columns(result, store)
    return pd.DataFrame({c.name: _pandas_series(pd, c) for c in found})


def to_polars(result: Result, store: ox.Store | None = None) -> Any:
    """A polars DataFrame of a SELECT result, with typed columns (see the module's doc)."""
    pl = _library("polars", "notebook")
    kinds: dict[str, Callable[[], Any]] = {
        "integer": lambda: pl.Int64,
        "year": lambda: pl.Int64,
        "float": lambda: pl.Float64,
        "boolean": lambda: pl.Boolean,
        "date": lambda: pl.Date,
        "datetime": lambda: pl.Datetime,
    }
    series = []
    for column in columns(result, store):
        values = list(column.values)
        typed = column.kind in kinds and not any(isinstance(v, str) for v in values)
        dtype = kinds[column.kind]() if typed else pl.String
        series.append(pl.Series(column.name, values if typed else _texts(values), dtype=dtype))
    return pl.DataFrame(series)


def _texts(values: list[object]) -> list[str | None]:
    return [None if v is None else str(v) for v in values]


#: The public name: ``lexgraph.to_dataframe(result)`` is ``result.to_pandas()``.
to_dataframe = to_pandas
