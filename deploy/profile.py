"""The production profile on this machine: what deploy/ installs on a regency's host, started on
free ports for `make production-check` (deploy/check.py) and the benchmarks (bench/).

    Profile(workdir, app_servers=2, workers=2)

starts a private redis-server, a fresh PostgreSQL database on the machine's server (migrated,
Kukar's data and the demo accounts loaded), `app_servers` separate `mpp serve` processes (each
supervising `workers` uvicorn workers) on their own ports, the job worker (`mpp worker`), and
nginx with TLS (a self-signed certificate made here) in front of them. nginx's site is rendered
from deploy/nginx/mpp.conf.template, the very file a regency installs, once for the shared
upstream (`url`) and once per app server (`server_urls[i]`, pinned to server i), so a check can
say "issue on server 1, call on server 2" through the real proxy. Everything runs in `workdir`
(logs, nginx's prefix, Redis, MPP_DATA_DIR); `stop()` ends every process started here and
drops the database, also after a failure half-way through `start()`.

    .venv/bin/python deploy/profile.py up [--app-servers 2] [--workers 2] [--workdir DIR]

keeps the profile running and prints its URLs until Ctrl-C. docs/adr/0021.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import re
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX_TEMPLATE = DEPLOY / "nginx" / "mpp.conf.template"
NGINX = os.environ.get("MPP_NGINX", "/usr/sbin/nginx")
PG_ADMIN = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qAtc"]
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"
START_TIMEOUT = 60.0  # s for a process to answer after its start (a loaded CI machine)
# The largest request body the app accepts (settings.MPP_UPLOAD_MAX_BYTES = 21 MiB); nginx's
# client_max_body_size must say the same (deploy/check.py compares them).
MAX_BODY = "21m"


# Run by `mpp shell` on the fresh database: what `mpp demo --no-serve` does, less its synthetic
# investment and survey data (a minute and more of this machine, used by no check): migrate,
# Kukar's data, the demo accounts (kiosks of every mall, officers, administrator: the check and
# the benchmarks sign in as them) and Metapers' halls (presence).
PREPARE = """
import functools
from django.contrib.auth import base_user
from django.contrib.auth import models as auth_models
from django.core.management import call_command
from mpp.malls.models import Region
from mpp.metapers.demo import ensure_demo_halls
from mpp.regions.demo import create_demo_accounts
call_command("migrate", interactive=False, verbosity=0)
call_command("load_region", "kukar", verbosity=0)
# About 30 accounts share the demo's one password: hashed once (a valid PBKDF2 hash, one salt
# for all, in a throwaway database) instead of once each, 20 s of a loaded two-core machine.
hashed_once = functools.lru_cache(maxsize=4)(base_user.make_password)
base_user.make_password = auth_models.make_password = hashed_once
create_demo_accounts("kukar")
ensure_demo_halls(Region.objects.get(slug="kukar"))
"""


def collect_static_if_stale(env: dict[str, str]) -> None:
    """`mpp collectstatic` unless the checkout's collected files are newer than every source.

    The app serves static files from STATIC_ROOT (the checkout's staticfiles/, as `make test`
    leaves it) through its manifest; collecting again compresses every file, which costs minutes
    on a loaded two-core machine, so it is done only when a source changed since."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if manifest.exists():
        collected = manifest.stat().st_mtime
        sources = [ROOT / "mpp", ROOT / "node_modules" / "htmx.org" / "dist"]
        newer = (
            f
            for top in sources
            for f in top.rglob("*")
            if "static" in f.parts or top.name == "dist"
            if f.is_file() and f.stat().st_mtime > collected
        )
        if next(newer, None) is None:
            return
    subprocess.run(
        [sys.executable, "-m", "mpp", "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
    )


def unit_command(unit: str, instance: str = "", **values: str) -> list[str]:
    """The ExecStart of deploy/systemd/`unit`, as this checkout runs it: the installed
    `/opt/mpp/venv/bin/mpp` is this interpreter's `-m mpp`, `%i` the instance, ${NAME} from
    `values` (the env file's). The profile runs the very commands systemd would."""
    text = (DEPLOY / "systemd" / unit).read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("ExecStart="))
    argv = line.removeprefix("ExecStart=").replace("%i", instance).split()
    argv = [re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], a) for a in argv]
    if argv[0] != "/opt/mpp/venv/bin/mpp":
        raise ValueError(f"{unit}: ExecStart does not run /opt/mpp/venv/bin/mpp")
    return [sys.executable, "-m", "mpp", *argv[1:]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def render_nginx(values: dict[str, str], template: Path = NGINX_TEMPLATE) -> str:
    """The template with its ${MPP_...} names filled, as `envsubst` does on a real host; nginx's
    own $variables are left alone. A name without a value is an error, not an empty string."""
    text = template.read_text(encoding="utf-8")
    names = set(re.findall(r"\$\{(MPP_[A-Z_]+)\}", text))
    missing = names - set(values)
    if missing:
        raise KeyError(f"{template.name}: no value for {', '.join(sorted(missing))}")
    return re.sub(r"\$\{(MPP_[A-Z_]+)\}", lambda m: values[m.group(1)], text)


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, valid two days, and its key (openssl)."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def wait_until(what: str, probe: object, proc: subprocess.Popen[bytes] | None, log: Path) -> None:
    """Poll `probe()` (a starting process, not test synchronisation) until it returns true."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        with contextlib.suppress(OSError):
            if probe():  # type: ignore[operator]
                return
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}; see {log}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not answer within {START_TIMEOUT:.0f} s; see {log}")
        time.sleep(0.1)


def children(pid: int) -> list[int]:
    """The direct children of `pid` (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class Profile:
    """The production profile; a context manager (or `start()` and `stop()`)."""

    def __init__(
        self,
        workdir: str | Path,
        app_servers: int = 2,
        workers: int = 2,
        *,
        database: str | None = None,
        extra_env: dict[str, str] | None = None,
        job_worker: bool = True,
    ) -> None:
        self.workdir = Path(workdir).resolve()
        self.app_servers, self.workers = app_servers, workers
        # A name of its own per run: two profiles (a check and a benchmark) never share one.
        self.database = database or f"mpp_profile_{os.getpid()}_{secrets.token_hex(3)}"
        self.extra_env = extra_env or {}
        self.job_worker = job_worker
        self.env: dict[str, str] = {}
        self.url = ""
        self.server_urls: list[str] = []
        self.direct_urls: list[str] = []
        self.app_ports: list[int] = []
        self.cafile = self.workdir / "tls" / "cert.pem"
        self.redis_port = 0
        self.https_port = self.http_port = 0
        self.redis_url = ""
        self.nginx_conf = self.workdir / "nginx" / "nginx.conf"
        self._procs: dict[str, subprocess.Popen[bytes]] = {}
        self._logs: list[IO[bytes]] = []
        self._database_created = False

    # --- what a check reads -------------------------------------------------------------------
    @property
    def supervisor_pids(self) -> list[int]:
        """The `mpp serve` process (uvicorn's supervisor) of each app server, in order."""
        return [self._procs[f"app-{i}"].pid for i in range(self.app_servers)]

    def worker_pids(self, i: int) -> list[int]:
        """The live uvicorn worker processes of app server `i` (children of its supervisor)."""
        return sorted(
            pid
            for pid in children(self.supervisor_pids[i])
            if "multiprocessing" in cmdline(pid) and "resource_tracker" not in cmdline(pid)
        )

    def ssl_context(self) -> ssl.SSLContext:
        """Verifies nginx's certificate against the profile's own (never verification off)."""
        return ssl.create_default_context(cafile=str(self.cafile))

    def log(self, name: str) -> Path:
        return self.workdir / "logs" / f"{name}.log"

    def mpp(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run an `mpp` command against the profile (its database, Redis and files)."""
        return subprocess.run(
            [sys.executable, "-m", "mpp", *args],
            env=self.env,
            cwd=ROOT,
            check=check,
            capture_output=True,
            text=True,
        )

    # --- start and stop -----------------------------------------------------------------------
    def __enter__(self) -> Profile:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> Profile:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        for sub in ("logs", "data", "redis", "nginx/tmp"):
            (self.workdir / sub).mkdir(parents=True, exist_ok=True)
        cert, key = self_signed_certificate(self.workdir / "tls")
        self._start_redis()
        self._create_database()
        self.env = self._environment()
        prepared = self.mpp("shell", "-c", PREPARE, check=False)
        if prepared.returncode:
            raise RuntimeError(f"preparing the database failed:\n{prepared.stderr[-3000:]}")
        collect_static_if_stale(self.env)
        self.app_ports = [free_port() for _ in range(self.app_servers)]
        for i, port in enumerate(self.app_ports):
            web = unit_command(
                "mpp-web@.service", str(port), HOST="127.0.0.1", WORKERS=str(self.workers)
            )
            self._spawn(f"app-{i}", web)
        self.direct_urls = [f"http://127.0.0.1:{port}" for port in self.app_ports]
        if self.job_worker and self.has_job_worker():
            self._spawn("worker", unit_command("mpp-worker.service"))
        for i, base in enumerate(self.direct_urls):
            wait_until(
                f"app server {i + 1}",
                lambda base=base: urllib.request.urlopen(base + "/livez", timeout=2),  # noqa: S310
                self._procs[f"app-{i}"],
                self.log(f"app-{i}"),
            )
        self._start_nginx(cert, key)

    @staticmethod
    def has_job_worker() -> bool:
        """`mpp worker` exists (the background jobs, docs/adr/0020)."""
        return any((ROOT / "mpp").glob("*/management/commands/worker.py"))

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "mpp.settings",
                "DATABASE_URL": PG_URL.format(name=self.database),
                "REDIS_URL": self.redis_url,
                # The files every app server and the worker share (uploads, job results).
                "MPP_DATA_DIR": str(self.workdir / "data"),
                "SECRET_KEY": secrets.token_urlsafe(50),  # one for all servers, as in mpp.env
                "DEBUG": "0",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "MPP_TRUSTED_PROXIES": "127.0.0.1",
                # Cookies only over HTTPS, as on a public host (the check signs in via nginx).
                "SECURE_COOKIES": "1",
                # nginx redirects plain HTTP; the app's own redirect stays off so that the
                # benchmarks can also talk to an app server directly (direct_urls).
                "SECURE_SSL_REDIRECT": "0",
                "MPP_LOG_FORMAT": "json",
                "LOG_LEVEL": "INFO",
                "UVICORN_LOG_LEVEL": "warning",
            }
        )
        env.update(self.extra_env)
        return env

    def _spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
        out = self.log(name).open("ab")
        self._logs.append(out)
        # Its own session: a Ctrl-C in the terminal reaches this process only, which then
        # stops each child in order; stop() signals the whole group (supervisor and workers).
        self._procs[name] = subprocess.Popen(
            argv,
            env=self.env if env is None else env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def _start_redis(self) -> None:
        self.redis_port = free_port()
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self._spawn(
            "redis",
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir / "redis"),
                "--maxclients",
                "10000",
            ],
            env=dict(os.environ),
        )

        def pong() -> bool:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")

        wait_until("redis-server", pong, self._procs["redis"], self.log("redis"))

    def kill_app_server(self, i: int) -> None:
        """SIGKILL to app server `i`'s supervisor and workers at once (a crashed host process)."""
        proc = self._procs[f"app-{i}"]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_redis(self) -> None:
        """Stop the private Redis (the check's last step: readiness must say so)."""
        self._terminate("redis")

    def _create_database(self) -> None:
        for sql in (
            f'DROP DATABASE IF EXISTS "{self.database}"',
            f'CREATE DATABASE "{self.database}"',
        ):
            subprocess.run([*PG_ADMIN, sql], check=True, capture_output=True)
        self._database_created = True

    def _start_nginx(self, cert: Path, key: Path) -> None:
        self.https_port = free_port()
        servers = [f"server 127.0.0.1:{p} max_fails=10 fail_timeout=5s;" for p in self.app_ports]
        common = {
            "MPP_SERVER_NAME": "127.0.0.1 localhost",
            "MPP_TLS_CERT": str(cert),
            "MPP_TLS_KEY": str(key),
            "MPP_MAX_BODY": MAX_BODY,
        }
        # The site once with every app server (the one a regency installs), then once per app
        # server alone (its own ports): a check can pin a request to one server through nginx.
        self.http_port = free_port()  # the shared site's plain HTTP (redirects to HTTPS)
        sites = [("mpp_app", servers, self.https_port, self.http_port)]
        pinned_ports = [free_port() for _ in self.app_ports]
        sites += [
            (f"mpp_app_{i}", [servers[i]], pinned_ports[i], free_port())
            for i in range(len(servers))
        ]
        nginx_dir = self.workdir / "nginx"
        includes = []
        for upstream, members, https_port, http_port in sites:
            site = nginx_dir / f"{upstream}.conf"
            values = {
                **common,
                "MPP_UPSTREAM": upstream,
                "MPP_APP_SERVERS": "\n    ".join(members),
                "MPP_HTTP_PORT": f"127.0.0.1:{http_port}",
                "MPP_HTTPS_PORT": f"127.0.0.1:{https_port}",
            }
            site.write_text(render_nginx(values), encoding="utf-8")
            includes.append(f"    include {site};")
        tmp = nginx_dir / "tmp"
        # What Debian's /etc/nginx/nginx.conf is on a host: the process, its files, its limits.
        # Run as root (CI), nginx's workers would be www-data, who cannot write in this
        # private workdir (request bodies are buffered there): they run as its owner.
        user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
        self.nginx_conf.write_text(
            f"{user}daemon off;\n"
            "worker_processes auto;\n"
            "worker_rlimit_nofile 20000;\n"
            f"pid {nginx_dir / 'nginx.pid'};\n"
            f"error_log {self.log('nginx-error')} warn;\n"
            "events { worker_connections 8192; }\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n"
            # combined, and nginx's request id (the app logs the same id, X-Request-ID).
            '    log_format mpp_profile \'$remote_addr - $remote_user [$time_local] "$request" '
            '$status $body_bytes_sent "$http_referer" "$http_user_agent" $request_id\';\n'
            f"    access_log {self.log('nginx-access')} mpp_profile buffer=64k flush=1s;\n"
            f"    client_body_temp_path {tmp / 'body'};\n"
            f"    proxy_temp_path {tmp / 'proxy'};\n"
            f"    fastcgi_temp_path {tmp / 'fastcgi'};\n"
            f"    uwsgi_temp_path {tmp / 'uwsgi'};\n"
            f"    scgi_temp_path {tmp / 'scgi'};\n" + "\n".join(includes) + "\n}\n",
            encoding="utf-8",
        )
        # Its prefix, config and error log (-e: also before the config is read, where Debian's
        # build would open /var/log/nginx/error.log, which a user other than root cannot).
        own_files = [
            "-p",
            str(nginx_dir),
            "-c",
            str(self.nginx_conf),
            "-e",
            str(self.log("nginx-error")),
        ]
        test = subprocess.run(
            [NGINX, "-t", "-q", *own_files],
            capture_output=True,
            text=True,
        )
        if test.returncode:
            raise RuntimeError(f"nginx -t refused {self.nginx_conf}:\n{test.stderr}")
        self._spawn("nginx", [NGINX, *own_files])
        self.url = f"https://127.0.0.1:{self.https_port}"
        self.server_urls = [f"https://127.0.0.1:{port}" for port in pinned_ports]
        context = self.ssl_context()
        for url in [self.url, *self.server_urls]:
            wait_until(
                f"nginx ({url})",
                lambda url=url: urllib.request.urlopen(  # noqa: S310 - our own nginx
                    url + "/livez", timeout=2, context=context
                ),
                self._procs["nginx"],
                self.log("nginx-error"),
            )

    def _terminate(self, name: str, timeout: float = 15.0) -> None:
        proc = self._procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        # SIGTERM to the group: uvicorn's supervisor stops its workers; nginx exits at once.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=timeout)
        # Whatever is left of the group (a worker that ignored SIGTERM): killed.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)

    def stop(self) -> None:
        """Stop everything started (front to back), drop the database; safe to call twice."""
        for name in ["nginx", "worker", *[n for n in self._procs if n.startswith("app-")]]:
            self._terminate(name)
        self._terminate("redis")
        for out in self._logs:
            out.close()
        self._logs.clear()
        if self._database_created:
            subprocess.run(
                [*PG_ADMIN, f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'],
                check=False,
                capture_output=True,
            )
            self._database_created = False


def main() -> None:
    parser = argparse.ArgumentParser(description="Start the production profile and keep it up.")
    parser.add_argument("command", choices=["up"])
    parser.add_argument("--app-servers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--workdir", help="default: a new temporary directory")
    parser.add_argument("--database", help="PostgreSQL database to (re)create")
    args = parser.parse_args()
    workdir = args.workdir or tempfile.mkdtemp(prefix="mpp-profile-")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # tear down on `kill` too
    with Profile(workdir, args.app_servers, args.workers, database=args.database) as p:
        print(f"MPP production profile in {p.workdir}")
        print(f"  through nginx (HTTPS):  {p.url}  (certificate: {p.cafile})")
        for i, (pinned, direct) in enumerate(zip(p.server_urls, p.direct_urls, strict=True)):
            print(f"  app server {i + 1}:  {pinned}  (direct: {direct})")
        print(f"  database: {p.database}  redis: {p.redis_url}")
        print("  environment for `mpp` commands: " + " ".join(
            f"{k}={p.env[k]}" for k in ("DATABASE_URL", "REDIS_URL", "MPP_DATA_DIR")
        ))  # fmt: skip
        print("Ctrl-C stops everything.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
