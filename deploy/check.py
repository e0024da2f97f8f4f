"""`make production-check`: start the production profile (deploy/profile.py: nginx with TLS, two
app servers as separate `mpp serve` processes with two workers each, PostgreSQL, a private Redis,
the job worker) and check through nginx over HTTPS, verifying nginx's certificate, what a
regency relies on when it runs several app servers that share nothing but PostgreSQL, Redis and
the file storage:

- a kiosk issues on app server 1, an officer calls on app server 2, and boards connected through
  nginx to either server receive the call with the same event sequence number as the snapshot;
- a session made on server 1 is good on server 2; a rate limit is counted across both servers;
  Metapers presence made on one server is seen from the other;
- the client address the application uses is the real client's, not nginx's (a forged
  X-Forwarded-For is ignored);
- a uvicorn worker killed with SIGKILL is replaced while requests keep being answered;
- an LKPM import runs as a background job while both app servers serve;
- with a whole app server killed, nginx sends every request to the other;
- `/readyz` reports Redis gone (the private Redis stopped at the end) while `/livez` holds.

Each step prints one line. Exit 0, or 1 naming the failed step; everything started is stopped
and the database dropped in every case (a failure, Ctrl-C, SIGTERM).

    .venv/bin/python deploy/check.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import http.cookiejar
import json
import os
import signal
import ssl
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from _server import kiosk_setup, shell_json  # noqa: E402 - the benchmarks' own helpers

from deploy.profile import MAX_BODY, Profile  # noqa: E402

PASSWORD = "demo-mpp-kukar"  # noqa: S105 - the demo accounts' published password
OFFICER = "petugas.dukcapil"
ADMIN = "admin"
MALL = "mpp-kukar"
EVENT_TIMEOUT = 10.0  # s for an event or a presence frame to reach a socket
WORKER_BACK_TIMEOUT = 30.0  # s for uvicorn's supervisor to start a replacement worker
JOB_TIMEOUT = 90.0  # s for the background import to finish
# Loopback has the whole 127.0.0.0/8: each "client" below connects from an address of its own,
# so the address the application uses can be told apart from nginx's own 127.0.0.1.
RATE_CLIENT, OTHER_CLIENT, SIGN_IN_CLIENT = "127.0.0.3", "127.0.0.4", "127.0.0.5"
# Seconds the rate-limit burst may take (about 1 s here): it starts only with that much of the
# minute left.
RATE_BURST_SECONDS = 15
FORGED = "203.0.113.77"  # what a client writes in X-Forwarded-For to pick its own address

# What the check needs from the profile's database, in one `mpp shell` (seconds each).
FACTS = """
import json
from django.conf import settings
from mpp.malls.models import Mall, Region
from mpp.metapers.models import Booth
from mpp.queueing.models import Counter, Ticket
from mpp.investment.demo import synthetic_files
from mpp.queueing.issuing import PHONE_ISSUES_PER_MINUTE
t = Ticket.objects.select_related("queue").get(pk={ticket})
counter = Counter.objects.filter(mall_id=t.mall_id, queues=t.queue,
    tenant__in=t.queue.tenants.all()).order_by("number").first()
booth = Booth.objects.filter(room__hall__mall__slug="{mall}").order_by("pk").first()
files = synthetic_files(Region.objects.get(slug="kukar"))  # the demo's years, one CSV each
year, _, cut_off = files[-1]
open("{lkpm}", "wb").write(files[0][1] + b"".join(f[1].split(b"\\n", 1)[1] for f in files[1:]))
print(json.dumps({{"counter": counter.pk, "booth": booth.pk, "year": year,
    "cut_off": cut_off.isoformat(), "upload_max": settings.MPP_UPLOAD_MAX_BYTES,
    "phone_limit": PHONE_ISSUES_PER_MINUTE}}))
"""
# The addresses django-axes recorded for failed sign-ins (what the application took the client's
# address to be).
SIGN_IN_ADDRESSES = """
import json
from axes.models import AccessAttempt, AccessFailureLog
print(json.dumps(sorted(set(AccessFailureLog.objects.values_list("ip_address", flat=True))
    | set(AccessAttempt.objects.values_list("ip_address", flat=True)))))
"""


class StepFailed(Exception):
    pass


def wait_for_fresh_minute(needed: float) -> None:
    """Return when at least `needed` seconds of the current wall-clock minute are left, waiting
    for the next minute to begin if not (at most `needed` seconds): not a synchronisation, the
    rate limiter counts in fixed minutes."""
    left = 60 - time.time() % 60
    if left < needed:
        time.sleep(left + 0.05)


def expect(condition: object, message: str) -> None:
    if not condition:
        raise StepFailed(message)


class Http:
    """HTTPS to nginx, verifying its certificate, with cookies kept across servers (as a browser
    keeps them per host name, whatever the port)."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.context = context
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.cookies),
        )

    def request(
        self,
        url: str,
        *,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        method: str | None = None,
    ) -> tuple[int, bytes, str]:
        """(status, body, final URL), redirects followed; an error status is returned too."""
        req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)  # noqa: S310
        try:
            with self.opener.open(req, timeout=30) as resp:
                return resp.status, resp.read(), resp.url
        except urllib.error.HTTPError as error:
            return error.code, error.read(), url

    def json(
        self, url: str, body: object = None, token: str = "", method: str | None = None
    ) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        status, raw, _ = self.request(url, data=data, headers=headers, method=method)
        return status, json.loads(raw) if raw else None

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.cookies if c.name == name), "")


def from_address(
    context: ssl.SSLContext,
    url: str,
    source: str,
    method: str,
    path: str,
    body: object = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """One HTTPS request to nginx from the loopback address `source`."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPSConnection(
        parts.hostname or "127.0.0.1",
        parts.port,
        timeout=30,
        context=context,
        source_address=(source, 0),
    )
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(
            method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})}
        )
        resp = conn.getresponse()
        raw = resp.read()
        return resp.status, json.loads(raw) if raw else None
    finally:
        conn.close()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (file_name, content) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{file_name}"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Screen:
    """A websocket through nginx (a board on /ws/mal/<slug>/, a Metapers visitor), its frames
    collected as they arrive."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.frames: list[dict[str, Any]] = []
        self.arrived = asyncio.Event()
        self.task = asyncio.create_task(self._listen())

    @classmethod
    async def open(cls, base: str, path: str, context: ssl.SSLContext) -> Screen:
        ws_url = base.replace("https://", "wss://") + path
        # The Origin a browser on the site's own page sends (AllowedHostsOriginValidator).
        return cls(await connect(ws_url, ssl=context, origin=Origin(base), proxy=None))

    async def _listen(self) -> None:
        async for raw in self.ws:
            self.frames.append(json.loads(raw))
            self.arrived.set()

    async def wait_for(self, match: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
        deadline = time.monotonic() + EVENT_TIMEOUT
        while True:
            found = next((f for f in self.frames if match(f)), None)
            if found is not None:
                return found
            left = deadline - time.monotonic()
            expect(left > 0 and not self.task.done(), f"{what} did not arrive")
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), left)

    async def close(self) -> None:
        await self.ws.close()
        self.task.cancel()


class Check:
    """The steps, in order, on one running profile."""

    def __init__(self, p: Profile) -> None:
        self.p = p
        self.context = p.ssl_context()
        self.s1, self.s2 = p.server_urls[0], p.server_urls[1]
        self.http = Http(self.context)
        # bench/_server.kiosk_setup reads the API with urllib's default opener: over HTTPS, it
        # verifies against the profile's certificate too.
        urllib.request.install_opener(self.http.opener)
        self.screens: list[Screen] = []

    # --- 1. nginx -------------------------------------------------------------------------------
    def https(self) -> str:
        for url in [self.p.url, *self.p.server_urls]:
            status, _, _ = self.http.request(url + "/livez")
            expect(status == 200, f"{url}/livez answered {status}")
        conn = http.client.HTTPConnection("127.0.0.1", self.p.http_port, timeout=10)
        conn.request("GET", "/layanan/?q=akta", headers={"Host": "127.0.0.1"})
        resp = conn.getresponse()
        location = resp.getheader("Location", "")
        conn.close()
        expect(
            resp.status == 301 and location.startswith("https://"),
            f"plain HTTP answered {resp.status} {location!r}, not a redirect to HTTPS",
        )
        # nginx's request id reaches the app, which answers it: one id in both logs.
        parts = urllib.parse.urlsplit(self.p.url)
        conn = http.client.HTTPSConnection("127.0.0.1", parts.port, context=self.context)
        conn.request("GET", "/api/v1/malls")
        resp = conn.getresponse()
        resp.read()
        conn.close()
        request_id = resp.getheader("X-Request-ID", "")
        expect(request_id, "the app answered no X-Request-ID")
        deadline = time.monotonic() + 5
        access_log = self.p.log("nginx-access")
        while request_id not in access_log.read_text():  # nginx writes its log each second
            expect(
                time.monotonic() < deadline,
                f"the app's X-Request-ID {request_id!r} is not nginx's request id",
            )
            time.sleep(0.2)
        return (
            f"certificate verified on {1 + len(self.p.server_urls)} sites; HTTP → 301 HTTPS; "
            "nginx's request id is the app's"
        )

    # --- 2. a kiosk issues on server 1, an officer calls on server 2 ----------------------------
    async def issue_and_call(self) -> str:
        self.mall, self.service, kiosk = kiosk_setup(self.s1)
        # Boards through nginx to each app server, before the call.
        self.board1 = await Screen.open(self.s1, f"/ws/mal/{MALL}/", self.context)
        self.board2 = await Screen.open(self.s2, f"/ws/mal/{MALL}/", self.context)
        self.screens += [self.board1, self.board2]
        status, ticket = self.http.json(
            f"{self.s1}/api/v1/malls/{self.mall}/tickets", {"service_id": self.service}, kiosk
        )
        expect(status == 201, f"kiosk issue on server 1 answered {status}: {ticket}")
        self.ticket = ticket
        lkpm = self.p.workdir / "lkpm.csv"
        self.facts = shell_json(self.p.env, FACTS.format(ticket=ticket["id"], mall=MALL, lkpm=lkpm))
        self.lkpm = lkpm
        officer = self.token(self.s2, OFFICER)
        self.officer = officer
        counter = self.facts["counter"]
        status, body = self.http.json(
            f"{self.s2}/api/v1/counters/{counter}/status", {"status": "open"}, officer
        )
        expect(status == 200, f"opening the counter on server 2 answered {status}: {body}")
        status, called = self.http.json(
            f"{self.s2}/api/v1/counters/{counter}/call-next", None, officer, method="POST"
        )
        expect(status == 200, f"call-next on server 2 answered {status}: {called}")
        expect(called["id"] == ticket["id"], f"server 2 called {called}, not {ticket}")
        self.call = await self.board1.wait_for(
            lambda f: (
                f.get("event") == "ticket.called" and f["payload"].get("ticket_id") == ticket["id"]
            ),
            "the call (server 2) at the board on server 1",
        )
        return (
            f"ticket {ticket['number']} issued on server 1, called on server 2, "
            f"on the board via server 1 (seq {self.call['seq']})"
        )

    # --- 3. event sequence numbers ---------------------------------------------------------------
    async def sequence(self) -> str:
        seq = self.call["seq"]
        other = await self.board2.wait_for(
            lambda f: (
                f.get("event") == "ticket.called"
                and f["payload"].get("ticket_id") == self.ticket["id"]
            ),
            "the call at the board on server 2",
        )
        expect(other["seq"] == seq, f"server 2's board got seq {other['seq']}, server 1's {seq}")
        for base in (self.s1, self.s2):
            status, snap = self.http.json(f"{base}/api/v1/malls/{self.mall}/board")
            expect(status == 200, f"board snapshot via {base} answered {status}")
            expect(snap["seq"] == seq, f"snapshot via {base} at seq {snap['seq']}, events at {seq}")
        # The next step, on server 1 this time: the very next number on both boards.
        status, body = self.http.json(
            f"{self.s1}/api/v1/tickets/{self.ticket['id']}/start", None, self.officer, "POST"
        )
        expect(status == 200, f"start on server 1 answered {status}: {body}")
        for board in (self.board1, self.board2):
            later = await board.wait_for(
                lambda f: f.get("seq", 0) > seq, "the next event after the call"
            )
            expect(later["seq"] == seq + 1, f"after seq {seq} came {later['seq']}: a gap")
        return f"both boards and both snapshots at seq {seq}, then {seq + 1} with no gap"

    def token(self, base: str, username: str) -> str:
        status, body = self.http.json(
            f"{base}/api/v1/auth/token", {"username": username, "password": PASSWORD}
        )
        expect(status == 200, f"token for {username} via {base} answered {status}: {body}")
        return str(body["token"])

    # --- 4. a session made on server 1 works on server 2 -----------------------------------------
    def session(self) -> str:
        login = f"{self.s1}/admin/login/"
        status, _, _ = self.http.request(login)
        expect(status == 200, f"sign-in page on server 1 answered {status}")
        data = urllib.parse.urlencode(
            {
                "username": ADMIN,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.http.cookie("csrftoken"),
                "next": "/admin/",
            }
        ).encode()
        status, _, final = self.http.request(
            login,
            data=data,
            headers={"Origin": self.s1, "Referer": login},
        )
        expect(status == 200 and "/login" not in final, f"sign-in on server 1: {status} {final}")
        expect(self.http.cookie("sessionid"), "no session cookie after signing in on server 1")
        status, _, final = self.http.request(f"{self.s2}/investasi/internal/")
        expect(
            status == 200 and "/login" not in final,
            f"server 2 did not know server 1's session: {status} {final}",
        )
        return "signed in on server 1; server 2 serves the staff page with that session"

    # --- 5. a rate limit counted across both servers ---------------------------------------------
    def rate_limit(self) -> str:
        limit = self.facts["phone_limit"]
        path = f"/api/v1/malls/{self.mall}/tickets"
        body = {"service_id": self.service}
        # The limit counts in fixed minutes (mpp.core.ratelimit): the burst starts early in one,
        # so all of it falls in the same window. (Retrying from another address after a minute
        # turned over half-way, as this did before, left the first burst's numbers waiting and
        # ran the second into the queue's ceiling of waiting remote numbers.)
        # Each request a different phone's browser (its CSRF cookie): one phone may hold only a
        # few numbers (queueing.limits, in the database); the address's flood ceiling is what
        # lives in Redis and must hold across servers.
        wait_for_fresh_minute(RATE_BURST_SECONDS)
        client = RATE_CLIENT
        minute = int(time.time()) // 60
        statuses = [
            from_address(
                self.context,
                (self.s1, self.s2)[n % 2],
                client,
                "POST",
                path,
                body,
                headers={"Cookie": f"csrftoken={n:032d}"},
            )[0]
            for n in range(limit + 1)
        ]
        expect(
            int(time.time()) // 60 == minute,
            f"the burst of {limit + 1} requests took over {RATE_BURST_SECONDS} s: {statuses}",
        )
        expect(
            statuses == [201] * limit + [429],
            f"phone issues from one address alternating servers: {statuses}",
        )
        status, _ = from_address(
            self.context,
            self.p.url,
            OTHER_CLIENT,
            "POST",
            path,
            body,
            headers={"Cookie": "csrftoken=" + "9" * 32},
        )
        expect(status == 201, f"another client was refused too ({status}): one address for all")
        return f"{limit} numbers over both servers, the next refused (429); another client served"

    # --- 6. the client's address, not nginx's ----------------------------------------------------
    def client_address(self) -> str:
        status, _ = from_address(
            self.context,
            self.s2,
            SIGN_IN_CLIENT,
            "POST",
            "/api/v1/auth/token",
            {"username": OFFICER, "password": "not-the-password"},
            headers={"X-Forwarded-For": FORGED},
        )
        expect(status == 401, f"a wrong password answered {status}")
        recorded = shell_json(self.p.env, SIGN_IN_ADDRESSES)
        expect(
            recorded == [SIGN_IN_CLIENT],
            f"failed sign-in recorded from {recorded}, the client was {SIGN_IN_CLIENT}",
        )
        return f"failed sign-in from {SIGN_IN_CLIENT} recorded as such (forged {FORGED} ignored)"

    # --- 7. presence across servers --------------------------------------------------------------
    async def presence(self) -> str:
        booth = self.facts["booth"]
        path = f"/ws/metapers/{MALL}/"
        visitor = await Screen.open(self.s1, path, self.context)
        watcher = await Screen.open(self.s2, path, self.context)
        self.screens += [visitor, watcher]
        await visitor.ws.send(json.dumps({"type": "at", "booth": booth}))
        await watcher.wait_for(
            lambda f: f.get("type") == "presence" and f["booths"].get(str(booth)) == 1,
            f"a presence frame (via server 2) counting the visitor (server 1) at booth {booth}",
        )
        return f"a visitor at booth {booth} via server 1 is counted on server 2"

    # --- 8. kill -9 a worker ---------------------------------------------------------------------
    def kill_worker(self) -> str:
        before = self.p.worker_pids(0)
        expect(len(before) == self.p.workers, f"server 1 has workers {before}")
        results: list[int] = []
        stop = threading.Event()

        def keep_asking() -> None:
            while not stop.is_set():
                try:
                    status, _, _ = self.http.request(f"{self.p.url}/api/v1/malls/{self.mall}/board")
                except OSError:
                    status = 0
                results.append(status)

        askers = [threading.Thread(target=keep_asking) for _ in range(4)]
        for t in askers:
            t.start()
        try:
            # Requests flowing before the kill (20 answered), and after the new worker is up.
            _wait_for_answers(results, 20, "before the kill")
            victim = before[0]
            os.kill(victim, signal.SIGKILL)
            deadline = time.monotonic() + WORKER_BACK_TIMEOUT
            while True:
                now = self.p.worker_pids(0)
                if len(now) == self.p.workers and victim not in now:
                    break
                expect(time.monotonic() < deadline, f"no new worker after the kill: {now}")
                time.sleep(0.1)  # polling the supervisor, not synchronising
            _wait_for_answers(results, len(results) + 20, "after the new worker started")
        finally:
            stop.set()
            for t in askers:
                t.join()
        failed = [s for s in results if s != 200]
        expect(not failed, f"{len(failed)} of {len(results)} requests failed: {set(failed)}")
        status, _, _ = self.http.request(f"{self.s1}/api/v1/malls/{self.mall}/board")
        expect(status == 200, f"server 1 after the kill answered {status}")
        new = sorted(set(now) - set(before))
        return (
            f"worker {victim} killed; {len(results)} requests meanwhile all 200; "
            f"new worker {new[0]}"
        )

    # --- 9. a background import while both servers serve -----------------------------------------
    def background_import(self) -> str:
        page = f"{self.s1}/investasi/impor/"
        status, _, _ = self.http.request(page)
        expect(status == 200, f"import page answered {status}")
        body, content_type = multipart(
            {
                "csrfmiddlewaretoken": self.http.cookie("csrftoken"),
                "sumber": "production-check",
                "data_per": self.facts["cut_off"],
                "ganti": "on",
            },
            {"berkas": ("lkpm.csv", self.lkpm.read_bytes())},
        )
        status, _, final = self.http.request(
            page,
            data=body,
            headers={"Content-Type": content_type, "Origin": self.s1, "Referer": page},
        )
        asked = urllib.parse.parse_qs(urllib.parse.urlsplit(final).query).get("tugas", [""])[0]
        expect(status == 200 and asked.isdigit(), f"upload answered {status} at {final}")
        served: list[int] = []
        deadline = time.monotonic() + JOB_TIMEOUT
        statuses = []
        while True:
            for base in (self.s1, self.s2):  # both app servers serve while the job runs
                served.append(self.http.request(f"{base}/api/v1/malls/{self.mall}/board")[0])
            status, job = self.http.json(f"{self.s2}/api/v1/jobs/{asked}")
            expect(status == 200, f"job {asked} via server 2 answered {status}: {job}")
            statuses.append(job["status"])
            if job["status"] in ("done", "failed"):
                break
            expect(time.monotonic() < deadline, f"job {asked} still {job['status']}")
            time.sleep(0.3)  # polling the job, as its page does
        expect(job["status"] == "done", f"job {asked} {job['status']}: {job['error']}")
        expect(
            {"queued", "running"} & set(statuses),
            f"job {asked} was done before the servers were asked anything: {statuses}",
        )
        expect("diimpor" in job["message"], f"job {asked} done but: {job['message']}")
        expect(set(served) == {200}, f"app servers answered {served} during the import")
        limit = {"m": 1024 * 1024}[MAX_BODY[-1]] * int(MAX_BODY[:-1])
        expect(
            limit == self.facts["upload_max"],
            f"nginx's client_max_body_size {MAX_BODY} is not MPP_UPLOAD_MAX_BYTES "
            f"({self.facts['upload_max']})",
        )
        said = job["message"].split(" (")[0]
        return f"job {asked}: {said}; {len(served)} requests to both servers meanwhile, all 200"

    # --- 10. a whole app server gone -------------------------------------------------------------
    def server_gone(self) -> str:
        """nginx takes a dead app server out of rotation (until systemd has restarted it): the
        requests it would have had go to the other (proxy_next_upstream, max_fails)."""
        self.p.kill_app_server(1)
        statuses = [
            self.http.request(f"{self.p.url}/api/v1/malls/{self.mall}/board")[0] for _ in range(20)
        ]
        expect(statuses == [200] * 20, f"with server 2 gone, nginx answered {statuses}")
        return "app server 2 killed (-9, with its workers): 20 of 20 requests answered by server 1"

    # --- 11. readiness tells the truth ------------------------------------------------------------
    def readiness(self) -> str:
        status, body = self.http.json(f"{self.p.url}/readyz")
        expect(status == 200, f"/readyz before: {status} {body}")
        self.p.stop_redis()
        deadline = time.monotonic() + 15
        while True:
            status, body = self.http.json(f"{self.p.url}/readyz")
            if status == 503:
                break
            expect(time.monotonic() < deadline, f"/readyz with Redis stopped: {status} {body}")
            time.sleep(0.2)  # Redis failures are noticed within the cache's 2 s timeout
        expect("redis" in body["down"], f"/readyz down: {body['down']}")
        for url in [self.p.url, self.s1]:
            status, _ = self.http.json(f"{url}/livez")
            expect(status == 200, f"/livez via {url} with Redis stopped: {status}")
        return f"Redis stopped: /readyz 503 down={body['down']}, /livez 200"

    async def close(self) -> None:
        for screen in self.screens:
            await screen.close()


@contextlib.contextmanager
def reported(name: str) -> Iterator[list[str]]:
    """One line per step: "ok" with what the step said, or "FAILED" with why (StepFailed)."""
    started, said = time.monotonic(), []
    try:
        yield said
    except StepFailed as failure:
        print(f"FAILED {name}: {failure}", flush=True)
        raise
    except Exception as error:
        print(f"FAILED {name}: {type(error).__name__}: {error}", flush=True)
        raise StepFailed(str(error)) from error
    print(f"ok   {name} — {said[0]} ({time.monotonic() - started:.1f} s)", flush=True)


def step(name: str, run: Callable[[], str]) -> None:
    with reported(name) as said:
        said.append(run())


async def run_steps(p: Profile) -> None:
    check = Check(p)
    try:
        step("https through nginx", check.https)
        await astep("kiosk on server 1, call on server 2, board via server 1", check.issue_and_call)
        await astep("event sequence numbers across servers", check.sequence)
        step("session across servers", check.session)
        step("rate limit across servers", check.rate_limit)
        step("client address behind nginx", check.client_address)
        await astep("presence across servers", check.presence)
        step("kill -9 a worker", check.kill_worker)
        step("background import while both servers serve", check.background_import)
        step("an app server gone", check.server_gone)
        step("readiness and liveness", check.readiness)
    finally:
        await check.close()


async def astep(name: str, run: Callable[[], Any]) -> None:
    with reported(name) as said:
        said.append(await run())


def _wait_for_answers(results: list[int], count: int, when: str) -> None:
    """Polls (under a deadline) until the askers have `count` answers, whatever their status."""
    deadline = time.monotonic() + 15
    while len(results) < count:
        expect(time.monotonic() < deadline, f"only {len(results)} answers {when}")
        time.sleep(0.05)  # a poll interval under a deadline, not a synchronisation


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="run in this directory and keep it (logs) afterwards")
    parser.add_argument("--database", help="PostgreSQL database to create (and drop after)")
    args = parser.parse_args()

    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # Ctrl-C and `kill` raise KeyboardInterrupt wherever the check is, the event loop included:
    # asyncio.run's own SIGINT handler only cancels its task, which a step in blocking code
    # does not notice (the check then went on, and said "passed").
    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mpp-production-check-") as scratch:
        workdir = Path(args.keep or scratch)
        profile = Profile(
            workdir,
            app_servers=2,
            workers=2,
            database=args.database,
            # Numbers are taken at any hour the check runs (a demo setting: no public host here).
            extra_env={"MPP_DEMO_ALWAYS_OPEN": "1"},
        )
        try:
            step("start the profile", lambda: describe(profile.start()))
            asyncio.run(run_steps(profile))
        except StepFailed:
            print(f"production check FAILED (logs: {workdir / 'logs'})", flush=True)
            if not args.keep:
                print_logs(workdir)
            return 1
        except KeyboardInterrupt:
            print("production check interrupted", flush=True)
            return 130
        finally:
            profile.stop()
    print(f"production check passed in {time.monotonic() - started:.0f} s", flush=True)
    return 0


def describe(p: Profile) -> str:
    return (
        f"nginx {p.url}, {p.app_servers} app servers × {p.workers} workers "
        f"(supervisors {p.supervisor_pids}), job worker "
        f"{'on' if p.has_job_worker() else 'absent'}, Redis :{p.redis_port}, "
        f"database {p.database}"
    )


def print_logs(workdir: Path, lines: int = 15) -> None:
    """The end of every log, since the scratch directory goes with the profile."""
    for log in sorted((workdir / "logs").glob("*.log")):
        tail = log.read_text(errors="replace").splitlines()[-lines:]
        print(f"--- {log.name}", *tail, sep="\n")


if __name__ == "__main__":
    sys.exit(main())
