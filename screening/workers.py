"""Workers: the pool of processes that judge profiles (or this process when jobs == 1), each
worker's lifetime (it dies with its parent), and how many to start.
"""

from __future__ import annotations

import os
import time

from tahaluf import limits
from tahaluf.errors import TahalufError, UsageError
from tahaluf.model import Alliance, Organisation
from tahaluf.screening.inference import judge_keys, prepare


def _die_with(parent: int) -> None:
    """End this worker when its parent process ends, however it ends (kill -9, out of memory).

    Otherwise a worker blocked on the job queue would wait for minutes. Linux: the
    kernel sends SIGKILL (prctl PR_SET_PDEATHSIG); elsewhere a thread watches.
    """
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, int(signal.SIGKILL), 0, 0, 0) != 0:  # 1 = PR_SET_PDEATHSIG
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError, ImportError):
        watch_parent(parent)
    if os.getppid() != parent:  # it ended before the request took effect
        os._exit(1)


def watch_parent(parent: int) -> None:
    """End this process within a second or so of its parent ``parent`` ending, however it ends.

    A thread that watches the parent's id, not the kernel's parent-death signal: that signal follows
    the *thread* that started the process, and a server's threads come and go."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="tahaluf-parent-watch", daemon=True).start()


def _worker_init(organisation: dict, alliance: dict, in_pool: bool = True, parent: int | None = None,
                 reuse: bool = True, policy=None) -> None:
    if in_pool:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the pool
        for name in ("SIGTERM", "SIGHUP"):  # undo the parent's handlers (see signals_interrupt)
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_DFL)
        if parent is not None:
            _die_with(parent)
    prepare(organisation, alliance, reuse, policy)


class _Done:
    """A finished job (in-process mode), shaped like a Future."""

    def __init__(self, value):
        self.value = value

    def done(self) -> bool:
        return True

    def result(self):
        return self.value


class Judge:
    """Runs judge_keys in a pool of ``jobs`` worker processes, or in this process when jobs == 1.

    A ``ProcessPoolExecutor`` rather than ``multiprocessing.Pool``: when a worker dies
    (killed for memory, say) a Pool waits for its lost task for ever; the executor
    raises BrokenProcessPool. Workers are forked (cheapest in memory: no fork server,
    pages shared copy-on-write), all at once by a first, empty job sent before this
    process starts any thread (the progress bar's); elsewhere they are spawned. Each
    builds its engine once, in the initializer, and reuses it (``infer`` resets it).
    """

    def __init__(self, organisation: Organisation, alliance: Alliance, jobs: int, reuse: bool = True,
                 policy=None):
        payload = (organisation.model_dump(mode="python"), alliance.model_dump(mode="python"))
        self.pool = None
        if jobs > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self.pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method),
                                            initializer=_worker_init,
                                            initargs=(*payload, True, os.getpid(), reuse, policy))
            try:
                self.pool.submit(judge_keys, [])  # with fork, launches every worker now, before any thread exists
            except OSError as error:  # a process limit (ulimit -u) reached
                self.close(False)
                raise TahalufError(f"cannot start {jobs} worker processes ({error.strerror or error}): "
                                   "try fewer --jobs") from None
        else:
            _worker_init(*payload, in_pool=False, reuse=reuse, policy=policy)

    def submit(self, keys: list[tuple]):
        if self.pool is None:
            return _Done(judge_keys(keys))
        return self.pool.submit(judge_keys, keys)

    def close(self, ok: bool) -> None:
        if self.pool is None:
            return
        pool, self.pool = self.pool, None
        if ok:
            pool.shutdown(wait=True)
            return
        # Taken before shutdown, which forgets them: a worker left waiting on its queue (the pool
        # half started when a fork failed) would keep this process from ever exiting.
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            # Do not let a worker finish a long job after Ctrl-C or an error. SIGKILL: a worker holds
            # nothing to clean up, and one caught still starting would print the parent's handler's traceback.
            process.kill()
        for process in processes:
            process.join(5)


def worker_count(jobs: int | None) -> tuple[int, tuple[int, int] | None]:
    """Worker processes to start: every usable core by default, at most JOBS_PER_CORE per core
    (the work is CPU-bound: more only costs memory). Returns (jobs, (asked, cap) when lowered)."""
    if jobs is None:
        return limits.usable_cores(), None
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    cap = limits.max_jobs()
    return (cap, (jobs, cap)) if jobs > cap else (jobs, None)
