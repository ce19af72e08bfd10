"""Writing so that a reader, or a failure, sees the old state or the new one, never a part.

Every file lexgraph generates goes through one of these: a file through a temporary file and a
rename (:func:`write_atomically`, :func:`write_files_atomically`), a symlink through a fresh
link and a rename (:func:`link_atomically`: the build's ``build/current``, the release's
``build/release``), and a directory written beside its target through two renames
(:func:`replace_directory`: the static site).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from lexgraph.core.errors import WriteError

#: The name of a temporary link of :func:`link_atomically`: ``.<name>.<pid>.tmp``.
_TMP_LINK = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.tmp$")


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text, as UTF-8; or bytes, as they are) to ``path`` through a
    temporary file and a rename, so a failure or a kill leaves either the old file or the new
    one, never a part.

    Raises :class:`~lexgraph.core.errors.WriteError` naming the file if it cannot be written (a
    read-only or full disk, a file where a directory should be).
    """
    write_files_atomically({path: content})


def write_files_atomically(documents: Mapping[Path, str | bytes]) -> None:
    """Write several files so that an error changes none of them: every text or bytes is
    written and synced to a temporary file beside its target first, and only then renamed into
    place. A file gets the mode a plain write would have left: its old one, or for a new file
    the default less the umask (not the private mode of a temporary file)."""
    import tempfile  # loads shutil and random: only for the commands that write files

    temporary: dict[Path, Path] = {}
    target = next(iter(documents), None)
    try:
        for target, content in documents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            temporary[target] = Path(name)
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), _mode(target))
                handle.write(content.encode("utf-8") if isinstance(content, str) else content)
                handle.flush()
                os.fsync(handle.fileno())
        for target, tmp in temporary.items():
            os.replace(tmp, target)
    except BaseException as exc:
        for tmp in temporary.values():
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteError(target, exc.strerror or str(exc)) from exc
        raise


def _mode(target: Path) -> int:
    """The permissions that writing ``target`` in place would leave it with."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


@cache
def _umask() -> int:
    # The umask can only be read by setting it: read once, put back at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def link_atomically(path: Path, target: str) -> None:
    """Point ``path`` at ``target`` with an atomic rename of a fresh symlink."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, path)


def link_owner(entry: Path) -> int | None:
    """The process id of the :func:`link_atomically` call that left ``entry`` behind, if it is
    one of its temporary links; None otherwise.

    >>> link_owner(Path(".current.4242.tmp")), link_owner(Path("current"))
    (4242, None)
    """
    match = _TMP_LINK.match(entry.name)
    return int(match["pid"]) if match else None


def replace_directory(work: Path, out: Path) -> None:
    """Put the directory ``work`` in place of ``out`` (if any): two renames, the old one
    removed after, so that ``out`` is whole at every moment but the instant between them.
    ``work`` must be on the same file system as ``out``, e.g. made beside it."""
    old = None
    if out.exists():
        import shutil
        import tempfile

        old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
        os.rmdir(old)
        os.rename(out, old)
    os.rename(work, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
