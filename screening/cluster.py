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
import threading
import uuid
from functools import cache
from pathlib import Path

from tahaluf.errors import TahalufError, UsageError
from tahaluf.model import Alliance, Organisation
from tahaluf.screening.inference import judge_keys, prepare

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

_PREPARED = {"run": None}
# One engine per worker process: tasks on a worker with several threads take turns.
_ENGINE_LOCK = threading.Lock()


def judge_on_worker(run: str, context: bytes, keys: list[tuple]) -> list:
    """On a Dask worker: this run's context prepared once per process, then the keys judged."""
    with _ENGINE_LOCK:
        if _PREPARED["run"] != run:
            fingerprint, organisation, alliance, reuse = pickle.loads(context)
            if fingerprint != rules_fingerprint():
                raise TahalufError(f"the Dask worker {_worker_address()} has other rules than this machine "
                                   f"(fingerprint {rules_fingerprint()} there, {fingerprint} here): "
                                   "install the same tahaluf on every worker")
            prepare(organisation, alliance, reuse)  # a new store of check outcomes for each run
            _PREPARED["run"] = run
        return judge_keys(keys)


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return "(unknown)"


# The client side --------------------------------------------------------------------------


class _Job:
    """One task's verdicts, shaped like a Future; read once, then the Dask future is let go."""

    __slots__ = ("judge", "future", "value")

    def __init__(self, judge: DaskJudge, future):
        self.judge, self.future, self.value = judge, future, None

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

    def __init__(self, organisation: Organisation, alliance: Alliance, address: str, reuse: bool = True):
        try:
            import dask.config
            import distributed
        except ImportError as error:
            raise UsageError(f"--dask needs the Dask extra: pip install 'tahaluf[dask]' "
                             f"({(error.name or 'dask').split('.')[0]} missing)") from None
        self.address = address
        self._errors = distributed
        self._quiet = _QuietLogs()  # Dask's client logs its troubles with tracebacks; ours say them in one line
        timeout = dask.config.get("distributed.comm.timeouts.connect")
        try:
            self.client = distributed.Client(address, set_as_default=False)
        except ValueError as error:  # not an address: a scheme or port missing
            self._quiet.restore()
            raise UsageError(f"--dask {address}: {error}") from None
        except (OSError, TimeoutError) as error:
            self._quiet.restore()
            raise TahalufError(f"cannot reach the Dask scheduler at {address}: {_line(error)}") from None
        self.in_flight: set = set()
        try:
            self.client.wait_for_workers(1, timeout=timeout)
            self.slots = max(1, sum(self.client.nthreads().values()))
        except TimeoutError:  # only WorkerStartTimeoutError: Dask's connection timeouts are plain OSErrors
            self.close(False)
            raise TahalufError(f"the Dask scheduler at {address} has no workers after {timeout}: "
                               f"start some with: dask worker {address}") from None
        except OSError as error:
            self.close(False)
            raise self.failure(error) from None
        self.run = uuid.uuid4().hex
        payload = (rules_fingerprint(), organisation.model_dump(mode="python"), alliance.model_dump(mode="python"),
                   reuse)
        self.context = pickle.dumps(payload, pickle.HIGHEST_PROTOCOL)

    def submit(self, keys: list[tuple]) -> _Job:
        try:
            future = self.client.submit(judge_on_worker, self.run, self.context, keys, pure=False)
        except Exception as error:  # noqa: BLE001 (the client closed under us: the scheduler went away)
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
        except Exception:  # noqa: BLE001 (a lost scheduler: there is nothing left to close; the first error stands)
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
