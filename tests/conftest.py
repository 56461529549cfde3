"""Fixtures shared by several test modules (pytest finds them here, so no module imports a fixture)."""

import os
import subprocess
import sys

import pytest
from support import free_port, wait_until_listening


@pytest.fixture
def server(tmp_path):
    workspace = tmp_path / "ws"
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "tahaluf.cli", "serve", str(workspace), "--port", str(port),
                                "--workers", "0"],  # pages, not the pool: no workers to start
                               stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        line = process.stderr.readline()
        address = f"http://127.0.0.1:{port}/"
        assert address in line, line  # it says where it listens, and it is the loopback address
        wait_until_listening(port)
        yield address, workspace
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture()
def small_disk(tmp_path):
    """A 1 MB tmpfs of our own (root only): a disk that can really be full."""
    mount = tmp_path / "disk"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if result.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
