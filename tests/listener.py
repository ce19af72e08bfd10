"""A loopback listener that counts connections, to prove that nothing is fetched.

Registered from ``conftest.py``; a test asks for the ``listener`` fixture, points a query at
``listener.url`` and asserts ``listener.connections == 0``. (test_hostile_files.py keeps a
listener of its own that also records what each connection sent.)
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A fresh listener for one test, closed afterwards."""
    found = Listener()
    yield found
    found.sock.close()
