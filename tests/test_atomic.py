"""Atomic writes: a reader or a failure sees the old state or the new one, never a part."""

from __future__ import annotations

from pathlib import Path

import pytest

from lexgraph.core.atomic import (
    link_atomically,
    link_owner,
    replace_directory,
    write_files_atomically,
)
from lexgraph.core.errors import InputError


def test_files_are_written_all_or_none(tmp_path: Path) -> None:
    """When one of several files cannot be written, none is, and no temporary file is left."""
    (tmp_path / "blocked").write_text("a file where a folder should be\n")
    good, bad = tmp_path / "out" / "a.ttl", tmp_path / "blocked" / "b.ttl"
    with pytest.raises(InputError, match=r"cannot write .*blocked"):
        write_files_atomically({good: "a\n", bad: "b\n"})
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []


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
