"""Interrupts: SIGTERM and SIGHUP stop a batch as Ctrl-C does."""

from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def signals_interrupt():
    """SIGTERM and SIGHUP (a closed terminal) stop the batch like Ctrl-C: temporary files are removed."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            previous[name] = signal.signal(getattr(signal, name), interrupt)
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)
