"""Progress for long work: a status line on a terminal, silence otherwise."""

from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    """Shows ``[step/total] what`` on one rewritten line of a terminal.

    When the stream is not a terminal (a pipe, a file, CI), nothing is written.
    """

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool | None = None):
        self.total = total
        self.step = 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._width = 0

    def advance(self, what: str) -> None:
        self.step += 1
        if self.enabled:
            text = f"[{self.step}/{self.total}] {what}"
            self.stream.write("\r" + text.ljust(self._width))
            self.stream.flush()
            self._width = len(text)

    def done(self) -> None:
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
