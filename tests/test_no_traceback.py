"""Hostile files and hostile disks give one line naming what and where, never a traceback.

A build reads whatever a user puts under ``graph/``: a literal longer than the parser's buffer,
a file name with a space or ``>``, a byte-order mark. ``site`` and ``viz`` write to whatever
disk they are given: a read-only one, or one that fills up half-way through a file. A full
disk is simulated by a write that fails with ``ENOSPC`` after part of the file is written,
and a read-only one by ``EROFS`` where the temporary file or directory is made (the suite
may run as root, for whom a ``chmod`` changes nothing).
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from lexgraph.cli import main
from lexgraph.core import atomic
from lexgraph.core.errors import InputError, RdfSyntaxError
from lexgraph.core.namespaces import ID
from lexgraph.core.paths import Layout
from lexgraph.render.site import write_site
from lexgraph.store.build import BuildResult, load
from lexgraph.store.sources import MAX_TOKEN_BYTES, graph_name, parse_data

HOSTILE = Path(__file__).parent / "data" / "views" / "hostile.ttl"
TRIPLE = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"


def _minimal(root: Path, files: dict[str, bytes]) -> Layout:
    for name, data in files.items():
        (root / "graph" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "graph" / name).write_bytes(data)
    return Layout(root)


# ---- the build ----


def test_a_literal_past_the_parsers_buffer_is_refused_by_name() -> None:
    """A literal longer than pyoxigraph's 16 MiB token buffer is one error naming the file."""
    data = (
        b'<http://example.org/a> <http://example.org/b> "' + b"x" * (MAX_TOKEN_BYTES + 1) + b'" .'
    )
    with pytest.raises(InputError, match=r"^graph/big\.ttl: refused: a literal or IRI .* 16 MiB"):
        parse_data(data, ".ttl", "graph/big.ttl")


def test_cli_build_refuses_a_huge_literal_in_one_line(tmp_path: Path) -> None:
    """`lexgraph build` on a file with a 17 MiB literal exits 2 with one line, no traceback."""
    huge = b'<http://example.org/a> <http://example.org/b> "' + b"x" * (17 << 20) + b'" .\n'
    layout = _minimal(tmp_path, {"big.ttl": huge})
    result = CliRunner().invoke(main, ["build"], env={"LEXGRAPH_ROOT": str(layout.root)})
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: graph/big.ttl: refused: a literal or IRI")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", ["a b.ttl", "x>y.ttl", 'q"uote{}|.ttl'])
def test_odd_file_names_are_read_into_their_own_graph(tmp_path: Path, name: str) -> None:
    """A file name with a space, '>' or other characters an IRI cannot hold is read, its
    graph named with the path percent-encoded."""
    layout = _minimal(tmp_path, {name: TRIPLE})
    dataset = load(layout)
    graphs = {q.graph_name for q in dataset.store.quads_for_pattern(None, None, None)}
    assert graph_name(f"graph/{name}") in graphs
    assert dataset.files == (f"graph/{name}",)


def test_a_byte_order_mark_is_accepted() -> None:
    """A UTF-8 byte-order mark before Turtle (or JSON-LD) is dropped, not a syntax error."""
    turtle = parse_data(
        b"\xef\xbb\xbf@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n",
        ".ttl",
        "graph/bom.ttl",
    )
    json_ld = parse_data(
        b'\xef\xbb\xbf{"@id": "http://example.org/a", "http://example.org/b": "c"}',
        ".jsonld",
        "graph/bom.jsonld",
    )
    assert (len(turtle), len(json_ld)) == (1, 1)


def test_a_syntax_error_after_a_byte_order_mark_keeps_its_position() -> None:
    """The mark dropped, a later error still names its line and column as an editor shows them."""
    with pytest.raises(RdfSyntaxError, match=r"^graph/bom\.ttl:2:"):
        parse_data(
            b"\xef\xbb\xbf@prefix ex: <http://example.org/> .\nex:a ex:b .\n",
            ".ttl",
            "graph/bom.ttl",
        )


# ---- viz: a read-only or full disk ----


class _FillsUp:
    """A file whose every write after the first 100 bytes fails: the disk is full."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def write(self, data: bytes) -> int:
        self._handle.write(data[:100])
        self._handle.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> _FillsUp:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


def _full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: _FillsUp(real(fd, mode)))


def _read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> Any:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(kwargs.get("dir", "")))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr(tempfile, "mkdtemp", refuse)


@pytest.mark.parametrize(
    ("disk", "reason"), [(_full_disk, "No space left"), (_read_only, "Read-only")]
)
def test_cli_viz_on_a_bad_disk_is_one_line_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, disk: Any, reason: str
) -> None:
    """`lexgraph viz` on a full or read-only disk exits 2 naming the file; no empty file stays."""
    out = tmp_path / "v.html"
    disk(monkeypatch)
    result = CliRunner().invoke(main, ["viz", "--input", str(HOSTILE), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: {out}: cannot write: {reason}")
    assert list(tmp_path.iterdir()) == []


def test_viz_on_a_full_disk_keeps_the_previous_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page that cannot be written in full leaves the previous page as it was."""
    out = tmp_path / "v.html"
    out.write_text("previous page\n")
    _full_disk(monkeypatch)
    result = CliRunner().invoke(main, ["viz", "--input", str(HOSTILE), "-o", str(out)])
    assert result.exit_code == 2
    assert out.read_text() == "previous page\n"
    assert [p.name for p in tmp_path.iterdir()] == ["v.html"]


# ---- site: a read-only or full disk ----


def _hostile_store() -> ox.Store:
    store = ox.Store()
    store.load(path=str(HOSTILE), format=ox.RdfFormat.TURTLE, base_iri=ID)
    return store


def test_site_on_a_full_disk_is_one_error_and_keeps_the_previous_site(
    built: tuple[Layout, BuildResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills up while the site is written gives an error naming the site and the
    file; the previous site stays and no temporary directory is left."""
    layout, _ = built
    out = tmp_path / "site"
    write_site(out, store=_hostile_store(), layout=layout)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    writes = {"n": 0}
    real = Path.write_text

    def fills_up(self: Path, data: str, *args: Any, **kwargs: Any) -> int:
        writes["n"] += 1
        if writes["n"] > 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, data, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", fills_up)
    with pytest.raises(InputError, match=rf"^{out}: cannot write the site \(.*No space left"):
        write_site(out, store=_hostile_store(), layout=layout)
    monkeypatch.undo()
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_site_on_a_read_only_disk_is_one_error(
    built: tuple[Layout, BuildResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site where nothing can be written is one error naming the place (exit 2 on the CLI)."""
    layout, _ = built
    _read_only(monkeypatch)
    with pytest.raises(InputError, match=rf"^{tmp_path / 'site'}: cannot write the site") as info:
        write_site(tmp_path / "site", store=_hostile_store(), layout=layout)
    assert "Read-only file system" in str(info.value)
    assert info.value.exit_code == 2
    assert list(tmp_path.iterdir()) == []
