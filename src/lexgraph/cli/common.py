"""What the command modules share: the error handling, deferred defaults, common options.

Nothing here imports more than click and the standard library, so that every command module
stays cheap to import (``lexgraph --help`` imports them all).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from lexgraph.core.errors import LexgraphError

F = TypeVar("F", bound=Callable[..., Any])


def user_errors(func: F) -> F:
    """Turn a :class:`LexgraphError` into ``error: message`` and its exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LexgraphError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


class Deferred:
    """An option's default that lives in a module only its command needs, read on first use.

    Click calls a callable default when the option is not given, and shows ``str()`` of any
    callable that is not a function in ``--help``: so the module is imported by the command
    that uses the default, or by its help, never by ``lexgraph --help`` or another command.
    With ``at_run=False`` a run without the option gets None instead, for a default that only
    some paths of a command use: those paths call :meth:`value` with what the run got.

    >>> str(Deferred("lexgraph.core.namespaces", "BASE"))
    'https://w3id.org/lexgraph/'
    """

    def __init__(self, module: str, name: str, *, at_run: bool = True) -> None:
        self.module, self.name, self.at_run = module, name, at_run

    def value(self, given: Any = None) -> Any:
        """The option's value: ``given`` if the user gave one, else the default."""
        if given is not None:
            return given
        return getattr(importlib.import_module(self.module), self.name)

    def __call__(self) -> Any:
        return self.value() if self.at_run else None

    def __str__(self) -> str:
        return str(self.value())


#: How long to wait for a remote server: publish.remote loads SPARQLWrapper and http.client.
REMOTE_TIMEOUT_S = Deferred("lexgraph.publish.remote", "DEFAULT_TIMEOUT_S")


def remote_timeout(help_text: str, default: Deferred = REMOTE_TIMEOUT_S) -> Callable[[F], F]:
    """The --timeout option of the commands that talk to a remote server."""
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=default,
        show_default=True,
        help=help_text,
    )
