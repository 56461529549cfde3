"""Cluster: profiles judged on a Dask cluster (``--dask ADDRESS``) instead of local worker processes.

The Screener does not change: it sends jobs of new profile keys to a judge and reads
each job's verdicts back in input order. ``DaskJudge`` sends each job as one Dask task
running ``judge_on_worker``, which prepares the worker process's context (our
organisation, the alliance, the partner engine) the first time it meets this run, then
calls ``inference.judge_keys`` as a local worker would. The Screener's window bounds
the tasks in flight. Reading, validation, the verdict cache, ordering and writing stay
in this process, so the output is the same file, byte for byte, as a local run's.

Dask is an optional extra (``pip install 'tahaluf[dask]'``): it is imported only here,
and only when a ``DaskJudge`` is made; a local screen never imports it.
"""

from __future__ import annotations

import asyncio
import hashlib
import pickle
import re
import socket
import struct
import threading
import time
import uuid
from functools import cache
from pathlib import Path

from tahaluf.errors import TahalufError, UsageError
from tahaluf.model import Alliance, Organisation
from tahaluf.screening.inference import judge_keys, prepare

DEFAULT_TIMEOUT = 10.0  # seconds to reach the scheduler (--dask-timeout)
_SCHEMES = ("tcp", "tls", "ws", "wss")
_HANDSHAKE_MAX_BYTES = 1 << 20  # a Dask scheduler's first message (its handshake) is a few hundred bytes
_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)$")

# What decides a verdict: a worker whose copies differ would screen by other rules.
_VERDICT_SOURCES = ("model.py", "experta_compat.py", "rules/**/*.py", "knowledge/**/*.py", "knowledge/**/*.yaml",
                    "screening/inference.py", "screening/profiles.py", "screening/reuse.py")


@cache
def rules_fingerprint() -> str:
    """A digest of this installation's rules, knowledge and inference code (and experta's version)."""
    from importlib.metadata import PackageNotFoundError, version

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    try:
        digest.update(version("experta").encode())
    except PackageNotFoundError:
        pass
    files = sorted({path for pattern in _VERDICT_SOURCES for path in root.glob(pattern) if path.is_file()})
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


# The worker side --------------------------------------------------------------------------

_PREPARED: dict[str, object] = {"run": None}
# One engine per worker process: tasks on a worker with several threads take turns.
_ENGINE_LOCK = threading.Lock()


def judge_on_worker(run: str, context: bytes, keys: list[tuple]) -> list:
    """On a Dask worker: this run's context prepared once per process, then the keys judged."""
    with _ENGINE_LOCK:
        if _PREPARED["run"] != run:
            fingerprint, organisation, alliance, reuse, policy = pickle.loads(context)
            if fingerprint != rules_fingerprint():
                raise TahalufError(f"the Dask worker {_worker_address()} has other rules than this machine "
                                   f"(fingerprint {rules_fingerprint()} there, {fingerprint} here): "
                                   "install the same tahaluf on every worker")
            prepare(organisation, alliance, reuse, policy)  # a new store of check outcomes for each run
            _PREPARED["run"] = run
        return judge_keys(keys)


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return "(unknown)"


# The client side --------------------------------------------------------------------------


def _dask_modules():
    try:
        import dask.config
        import distributed
    except ImportError as error:
        raise UsageError(f"--dask needs the Dask extra: pip install 'tahaluf[dask]' "
                         f"({(error.name or 'dask').split('.')[0]} missing)") from None
    return dask, distributed


def scheduler_address(address: str) -> tuple[str, str, int]:
    """(scheme, host, port) of ``--dask ADDRESS`` (no scheme: tcp), or a UsageError in one line."""
    scheme, separator, rest = address.partition("://")
    scheme, rest = (scheme.lower(), rest) if separator else ("tcp", address)
    if scheme in ("http", "https"):
        raise UsageError(f"--dask {address}: {scheme}:// is a web address (the dashboard's?); give the "
                         "scheduler's, e.g. tcp://10.0.0.5:8786")
    if scheme not in _SCHEMES:
        raise UsageError(f"--dask {address}: unknown address scheme {scheme!r}: use tcp://, tls://, ws:// or wss://")
    host, colon, port = rest.rpartition(":")
    if not colon or "]" in port:
        raise UsageError(f"--dask {address}: missing port number (like tcp://10.0.0.5:8786)")
    if not port.isascii() or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"--dask {address}: the port must be a number from 1 to 65535")
    if not _HOST.match(host):
        raise UsageError(f"--dask {address}: {host!r} is not a host name or address")
    return scheme, host.strip("[]"), int(port)


def check_scheduler(address: str, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Before any work, in ``timeout`` seconds: Dask is installed, ADDRESS is an address, something
    listens there and (tcp) it opens with a Dask handshake. Else a UsageError in one line: Dask's own
    client would wait its whole connect timeout, or read another service's bytes as a message
    length and run out of memory."""
    _dask_modules()
    scheme, host, port = scheduler_address(address)
    deadline = time.monotonic() + timeout
    try:
        connection = socket.create_connection((host, port), timeout=timeout)
    except TimeoutError:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: no answer within {timeout:g} s") from None
    except OSError as error:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {error.strerror or error}") from None
    with connection:
        if scheme != "tcp":  # TLS and websockets: reachable is all we can tell without speaking them
            return
        header = b""
        try:
            while len(header) < 8:
                connection.settimeout(max(0.001, deadline - time.monotonic()))
                chunk = connection.recv(8 - len(header))
                if not chunk:
                    break
                header += chunk
        except TimeoutError:
            raise UsageError(f"{address} is not a Dask scheduler: no Dask handshake within {timeout:g} s") from None
        except OSError as error:
            raise UsageError(f"{address} is not a Dask scheduler: {error.strerror or error}") from None
    if len(header) < 8:
        raise UsageError(f"{address} is not a Dask scheduler: it closed the connection without a Dask handshake")
    (size,) = struct.unpack("Q", header)  # as distributed's tcp comm frames a message
    if not 0 < size <= _HANDSHAKE_MAX_BYTES:
        raise UsageError(f"{address} is not a Dask scheduler: it answers in another protocol")


class _Job:
    """One task's verdicts, shaped like a Future; read once, then the Dask future is let go."""

    __slots__ = ("judge", "future", "value")

    def __init__(self, judge: DaskJudge, future):
        self.judge, self.future = judge, future
        self.value: list = []  # the verdicts, once read

    def done(self) -> bool:
        return self.future is None or self.future.done()

    def result(self) -> list:
        if self.future is not None:
            try:
                self.value = self.future.result()
            except (Exception, asyncio.CancelledError) as error:  # each mapped to one line (failure)
                raise self.judge.failure(error) from None
            self.judge.in_flight.discard(self.future)
            self.future = None  # the scheduler may forget the task now
        return self.value


class DaskJudge:
    """Judges jobs of profile keys as tasks on the Dask cluster at ``address``.

    The connection, waiting for a first worker, and every task's failures are
    TahalufErrors with one line; Dask's own configuration applies (the connect
    timeout: ``distributed.comm.timeouts.connect``, TLS ...).
    """

    def __init__(self, organisation: Organisation, alliance: Alliance, address: str, reuse: bool = True,
                 timeout: float = DEFAULT_TIMEOUT, policy=None):
        dask, distributed = _dask_modules()
        self.address = address
        self._errors = distributed
        self._quiet = _QuietLogs()  # Dask's client logs its troubles with tracebacks; ours say them in one line
        timeout_text = f"{timeout:g}s"
        try:
            with dask.config.set({"distributed.comm.timeouts.connect": timeout_text}):
                self.client = distributed.Client(address, set_as_default=False, timeout=timeout_text)
        except ValueError as error:  # not an address: a scheme or port missing
            self._quiet.restore()
            raise UsageError(f"--dask {address}: {error}") from None
        except (OSError, TimeoutError) as error:
            self._quiet.restore()
            raise UsageError(f"cannot reach the Dask scheduler at {address}: {_line(error)}") from None
        self.in_flight: set = set()
        try:
            self.client.wait_for_workers(1, timeout=timeout_text)
            self.slots = max(1, sum(self.client.nthreads().values()))
        except TimeoutError:  # only WorkerStartTimeoutError: Dask's connection timeouts are plain OSErrors
            self.close(False)
            raise TahalufError(f"the Dask scheduler at {address} has no workers after {timeout_text}: "
                               f"start some with: dask worker {address}") from None
        except OSError as error:
            self.close(False)
            raise self.failure(error) from None
        self.run = uuid.uuid4().hex
        payload = (rules_fingerprint(), organisation.model_dump(mode="python"), alliance.model_dump(mode="python"),
                   reuse, policy)
        self.context = pickle.dumps(payload, pickle.HIGHEST_PROTOCOL)

    def submit(self, keys: list[tuple]) -> _Job:
        try:
            future = self.client.submit(judge_on_worker, self.run, self.context, keys, pure=False)
        except Exception as error:
            raise self.failure(error) from None
        self.in_flight.add(future)
        return _Job(self, future)

    def failure(self, error: BaseException) -> TahalufError:
        """A task's failure (or the connection's) as one line."""
        from concurrent.futures import CancelledError

        if isinstance(error, TahalufError):  # raised on the worker (other rules there)
            return TahalufError(_line(error))
        if isinstance(error, self._errors.KilledWorker):
            return TahalufError("Dask workers died while judging the same candidates (out of memory?); "
                                "nothing was written")
        if isinstance(error, (CancelledError, asyncio.CancelledError)):  # the client gave up reconnecting
            return TahalufError(f"lost the Dask scheduler at {self.address}; nothing was written")
        if isinstance(error, (OSError, TimeoutError)):
            return TahalufError(f"lost the Dask scheduler at {self.address} ({_line(error)}); nothing was written")
        if isinstance(error, ImportError):
            return TahalufError(f"a Dask worker cannot import tahaluf ({_line(error)}): "
                                "install the same tahaluf on every worker")
        return TahalufError(f"a Dask worker failed: {type(error).__name__}: {_line(error)}; nothing was written")

    def close(self, ok: bool) -> None:
        client, self.client = getattr(self, "client", None), None
        if client is None:
            return
        try:
            if not ok and self.in_flight:  # Ctrl-C or an error: the cluster stops judging for us
                client.cancel(list(self.in_flight), force=True)
            self.in_flight.clear()
            client.close()
        except Exception:
            pass
        finally:
            self._quiet.restore()


class _QuietLogs:
    """Dask's loggers in this process silenced (but critical) until restored."""

    def __init__(self):
        import logging

        self.levels = {}
        known = list(logging.Logger.manager.loggerDict)
        names = ["distributed", *(name for name in known if name.startswith("distributed."))]
        for name in names:
            logger = logging.getLogger(name)
            self.levels[name] = logger.level
            logger.setLevel(logging.CRITICAL)

    def restore(self) -> None:
        import logging

        levels, self.levels = self.levels, {}
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def _line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else ""
