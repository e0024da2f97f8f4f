"""deploy/ (what a regency installs, docs/adr/0021) stays in step with the code: the nginx site's
body limit is the app's, the systemd units run commands that exist with settings the env file
gives, and that env file passes `mpp check --deploy`. `make production-check` runs the whole
profile; these catch drift in every test run, in a second."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

from mpp.core.tests.test_deploy import manage

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
from deploy.profile import MAX_BODY, render_nginx, unit_command  # noqa: E402

ENV_EXAMPLE = ROOT / "deploy" / "mpp.env.example"
UNITS = ["mpp-web@.service", "mpp-worker.service"]


def env_example() -> dict[str, str]:
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    pairs = (line.split("=", 1) for line in lines if re.match(r"^[A-Z_]+=", line))
    return dict(pairs)


def test_nginx_accepts_exactly_the_largest_upload_the_app_accepts():
    units = {"k": 1024, "m": 1024 * 1024}
    assert int(MAX_BODY[:-1]) * units[MAX_BODY[-1]] == settings.MPP_UPLOAD_MAX_BYTES
    site = render_nginx(
        {
            "MPP_SERVER_NAME": "mpp.kukarkab.go.id",
            "MPP_HTTP_PORT": "80",
            "MPP_HTTPS_PORT": "443",
            "MPP_TLS_CERT": "/etc/ssl/cert.pem",
            "MPP_TLS_KEY": "/etc/ssl/key.pem",
            "MPP_UPSTREAM": "mpp_app",
            "MPP_APP_SERVERS": "server 127.0.0.1:8001;",
            "MPP_MAX_BODY": MAX_BODY,
        }
    )
    assert not re.search(r"\$\{MPP_[A-Z_]+\}", site)
    assert f"client_max_body_size {MAX_BODY};" in site
    # Set, never appended: a client cannot choose its own address (docs/adr/0017).
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site
    assert "$proxy_add_x_forwarded_for" not in site


def test_a_template_name_without_a_value_is_an_error():
    try:
        render_nginx({"MPP_SERVER_NAME": "mpp.kukarkab.go.id"})
    except KeyError as error:
        assert "MPP_TLS_CERT" in str(error)
    else:
        raise AssertionError("rendered with names missing")


def test_the_units_run_mpp_commands_with_settings_the_env_file_gives():
    given = env_example()
    commands = get_commands()
    for unit in UNITS:
        text = (ROOT / "deploy" / "systemd" / unit).read_text(encoding="utf-8")
        needed = set(re.findall(r"\$\{(\w+)\}", text))
        assert needed <= set(given), f"{unit} needs {needed - set(given)}"
        argv = unit_command(unit, "8001", **given)
        assert argv[3] in commands, f"{unit} runs `mpp {argv[3]}`, which does not exist"
    web = unit_command("mpp-web@.service", "8001", **given)
    assert web[3:] == ["serve", "--host", "127.0.0.1", "--port", "8001", "--workers", "2"]


def test_the_env_file_example_passes_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env_example())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
