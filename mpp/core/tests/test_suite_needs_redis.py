"""The suite with REDIS_URL set needs that Redis: when it does not answer, the session stops
before the first test and names the command that starts it (conftest.py, ADR 0027)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_a_session_without_its_redis_stops_at_once_naming_the_command_to_start_it() -> None:
    with socket.socket() as s:  # a port nothing listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "REDIS_URL": f"redis://127.0.0.1:{port}/8"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "mpp/core/tests/test_weekdays.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 3, out
    assert f"REDIS_URL=redis://127.0.0.1:{port}/8 is set but Redis does not answer" in out
    assert f"redis-server --daemonize yes --bind 127.0.0.1 --port {port} --save ''" in out
    assert "passed" not in out and "failed" not in out  # no test ran
