"""Atomic writes: a reader or a failure sees the old state or the new one, never a part."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from lexgraph.core.atomic import (
    link_atomically,
    link_owner,
    replace_directory,
    write_atomically,
    write_files_atomically,
)
from lexgraph.core.errors import InputError, WriteError


def test_files_are_written_all_or_none(tmp_path: Path) -> None:
    """When one of several files cannot be written, none is, and no temporary file is left."""
    (tmp_path / "blocked").write_text("a file where a folder should be\n")
    good, bad = tmp_path / "out" / "a.ttl", tmp_path / "blocked" / "b.ttl"
    with pytest.raises(InputError, match=r"cannot write .*blocked"):
        write_files_atomically({good: "a\n", bad: "b\n"})
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []


def test_bytes_are_written_as_they_are(tmp_path: Path) -> None:
    """Bytes (a PNG, a PDF) go through the same write as text, unchanged."""
    target = tmp_path / "figure.png"
    write_atomically(target, b"\x89PNG\r\n\x00")
    assert target.read_bytes() == b"\x89PNG\r\n\x00"


def test_a_written_file_has_the_mode_a_plain_write_gives(tmp_path: Path) -> None:
    """A new file is readable as any new file is, not private; a rewritten one keeps its mode."""
    new, old = tmp_path / "new.html", tmp_path / "old.html"
    old.write_text("old\n")
    old.chmod(0o640)
    plain = tmp_path / "plain.html"
    plain.write_text("plain\n")
    write_files_atomically({new: "new\n", old: "old, rewritten\n"})
    assert stat.S_IMODE(new.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)
    assert stat.S_IMODE(old.stat().st_mode) == 0o640


def test_a_write_error_names_the_file_and_the_reason(tmp_path: Path) -> None:
    """The error of a file that cannot be written carries its path and the reason apart."""
    (tmp_path / "blocked").write_text("a file where a folder should be\n")
    with pytest.raises(WriteError) as info:
        write_atomically(tmp_path / "blocked" / "page.html", "x")
    assert info.value.path == str(tmp_path / "blocked" / "page.html")
    assert str(info.value) == f"cannot write {info.value.path}: {info.value.reason}"


def test_link_is_switched_and_leaves_no_temporary_link(tmp_path: Path) -> None:
    """A link pointed elsewhere points there at once, with no temporary link left beside it."""
    link = tmp_path / "current"
    link_atomically(link, "one")
    link_atomically(link, "two")
    assert link.readlink() == Path("two")
    assert [p.name for p in tmp_path.iterdir()] == ["current"]
    assert link_owner(tmp_path / ".current.123.tmp") == 123


def test_directory_is_replaced_whole(tmp_path: Path) -> None:
    """A directory written beside its target replaces it; the old one is gone afterwards."""
    out, work = tmp_path / "site", tmp_path / ".site-new"
    out.mkdir()
    (out / "old.html").write_text("old\n")
    work.mkdir()
    (work / "new.html").write_text("new\n")
    replace_directory(work, out)
    assert [p.name for p in out.iterdir()] == ["new.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
