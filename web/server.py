"""Running the app under uvicorn with limits on slow and many clients.

uvicorn times out only an idle keep-alive connection: a client that opens a connection and never
finishes its request head (or its body) holds it for ever. :class:`GuardedH11Protocol` adds two
deadlines to uvicorn's h11 protocol, run on the event loop's own timers (no task per connection):

* the head: a connection must finish each request's head within ``HEAD_TIMEOUT`` seconds of the
  connection opening or of the first byte of that request (a total, so trickling bytes does not help);
* the body: while a request's body is being received, ``BODY_IDLE_TIMEOUT`` seconds without a byte
  close the connection (unless the app itself has paused reading).

Beyond ``LIMIT_CONCURRENCY`` connections or requests at once, uvicorn answers 503.
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_TIMEOUT = 10.0
BODY_IDLE_TIMEOUT = 15.0
KEEP_ALIVE_TIMEOUT = 5
LIMIT_CONCURRENCY = 256
MAX_HEAD_BYTES = 16 * 1024  # h11's limit on an unfinished request head (uvicorn answers 400 beyond it)


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline on each request head and an idle limit on each body."""

    _deadline: asyncio.TimerHandle | None = None
    _watching: str = ""  # "head", "body" or "" (nothing timed by this class)

    def _arm(self, what: str, seconds: float) -> None:
        self._disarm()
        self._watching = what
        self._deadline = self.loop.call_later(seconds, self._expired, what)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline, self._watching = None, ""

    def _watch(self) -> None:
        """Time what the connection now waits for from the client."""
        if self.transport.is_closing():
            self._disarm()
            return
        state = self.conn.their_state
        if state is h11.IDLE:  # (part of) a request head, or nothing yet: one deadline for the whole head
            if self._watching != "head":
                self._arm("head", HEAD_TIMEOUT)
        elif state is h11.SEND_BODY:  # each piece of body resets the idle limit
            self._arm("body", BODY_IDLE_TIMEOUT)
        else:  # the request is in; the app's time is not the client's
            self._disarm()

    def _expired(self, what: str) -> None:
        self._deadline, self._watching = None, ""
        if self.transport.is_closing():
            return
        if what == "body" and self.flow.read_paused:  # the app is not reading yet: not the client's fault
            self._arm("body", BODY_IDLE_TIMEOUT)
            return
        if what == "head" and self.conn.their_state is not h11.IDLE:
            return
        self.transport.close()

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._arm("head", HEAD_TIMEOUT)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.conn.their_state is h11.IDLE and not self.conn.trailing_data[0]:
            self._disarm()  # waiting for a next request: uvicorn's keep-alive timeout holds
        else:
            self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def run(app, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, http=GuardedH11Protocol,
                timeout_keep_alive=KEEP_ALIVE_TIMEOUT, limit_concurrency=LIMIT_CONCURRENCY,
                h11_max_incomplete_event_size=MAX_HEAD_BYTES)
