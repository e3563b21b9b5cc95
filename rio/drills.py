"""Fault drills: a save while Redis hangs, and requests through a database restart.

Run as a script (`python -m rio.drills`) it prints one line per drill, the lines
`make bench` shows:

    fault=redis-hang worst_ms=<x> errors_after_recovery=<n>
    fault=db-restart worst_ms=<x> errors_after_recovery=<n>

Every drill works on servers it starts itself: never the machine's own PostgreSQL
or Redis, which other work uses.
"""

from __future__ import annotations

import socket
import threading


class HangingServer:
    """A TCP server that accepts every connection and never answers.

    This is how a broker behaves whose process is stopped (SIGSTOP) or that sits
    behind a broken network: the connection is made, then nothing ever comes back,
    so only a socket timeout ends the wait. `accepted` counts the connections made.
    """

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._held: list[socket.socket] = []
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="hanging-server", daemon=True)
        self._thread.start()

    @property
    def accepted(self) -> int:
        return len(self._held)

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:  # closed
                return
            self._held.append(connection)  # held open, never read, never answered

    def close(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=2)
        self._listener.close()
        for connection in self._held:
            connection.close()

    def __enter__(self) -> HangingServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
