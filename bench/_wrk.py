"""Load from wrk (Debian's package): a C load generator with one thread, so the server under test
keeps the CPU of this 2-core machine (a Python client with 8 threads took most of a core).

Closed loop like a kiosk: each of the `connections` keep-alive connections sends its next request
when the previous answer arrived. Latency is per request, from wrk's own histogram.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import urllib.parse
import uuid

_SCRIPT = """
wrk.method = {method}
wrk.body = {body}
{headers}
{unique}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write("WRK-JSON " .. string.format(
    '{{"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
    .. '"max_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout) .. "\\n")
end
"""


# One value per request: this run's random prefix and a counter (wrk runs one thread here).
_UNIQUE = """
local sent = 0
request = function()
  sent = sent + 1
  wrk.headers[{name}] = {run} .. "-" .. sent
  return wrk.format()
end
"""


def _lua(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string literal for ASCII text


def wrk(
    base: str,
    method: str,
    path: str,
    body: bytes | None,
    headers: dict[str, str],
    connections: int,
    seconds: int,
    unique: str | None = None,
) -> dict[str, float]:
    """Requests per second, p50/p90/p99/max latency in ms, and every error wrk counted
    (`errors`: non-2xx/3xx answers, timeouts, connection errors). `unique` names a header
    that gets a value of its own in every request (an Idempotency-Key)."""
    header_lines = "\n".join(f"wrk.headers[{_lua(k)}] = {_lua(v)}" for k, v in headers.items())
    script = _SCRIPT.format(
        method=_lua(method),
        body=_lua((body or b"").decode()),
        headers=header_lines,
        unique=_UNIQUE.format(name=_lua(unique), run=_lua(uuid.uuid4().hex)) if unique else "",
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as f:
        f.write(script)
        f.flush()
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{int(seconds)}s",
                "--timeout",
                "10s",
                "-s",
                f.name,
                urllib.parse.urljoin(base, path),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRK-JSON "))
    r = json.loads(line.removeprefix("WRK-JSON "))
    errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
    return {
        "n": r["requests"],
        "rps": r["requests"] / (r["duration_us"] / 1e6),
        "p50": r["p50_us"] / 1000,
        "p90": r["p90_us"] / 1000,
        "p99": r["p99_us"] / 1000,
        "max": r["max_us"] / 1000,
        "errors": errors,
        "non_2xx": r["status"],
    }
