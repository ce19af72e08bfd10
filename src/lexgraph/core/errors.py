"""Errors a user can cause, each with a message that says what was wrong and where."""

from __future__ import annotations


class LexgraphError(Exception):
    """Base of every error the CLI turns into a one-line message and a non-zero exit."""

    exit_code = 2


class RdfSyntaxError(LexgraphError):
    """A source file that does not parse.

    >>> str(RdfSyntaxError("graph/x.ttl", 3, 11, "Unexpected end of file"))
    'graph/x.ttl:3:11: Unexpected end of file'
    """

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        self.path, self.line, self.column, self.message = path, line, column, message
        super().__init__(f"{path}:{line}:{column}: {message}")


class InputError(LexgraphError):
    """A file, parameter or value given by the user that cannot be used."""


class WriteError(InputError):
    """A file that could not be written, and why (a read-only or full disk, a file where a
    directory should be).

    >>> str(WriteError("out/a.ttl", "Permission denied"))
    'cannot write out/a.ttl: Permission denied'
    """

    def __init__(self, path: object, reason: str) -> None:
        self.path, self.reason = str(path), reason
        super().__init__(f"cannot write {path}: {reason}")


class BuildError(LexgraphError):
    """A build that could not finish; the previous outputs are untouched."""


class ValidationFailed(LexgraphError):
    """The graph breaks error-level shapes or checks."""

    exit_code = 1


class NotBuilt(LexgraphError):
    """An operation needs the built store, which does not exist yet."""

    def __init__(self, path: str) -> None:
        super().__init__(f"no built graph at {path}: run `lexgraph build` first")
