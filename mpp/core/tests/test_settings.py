"""Unsafe production settings refuse to start with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CHECK = "import django; django.setup(); print('ok')"


def run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "-c", CHECK],
        env={**clean, "DJANGO_SETTINGS_MODULE": "mpp.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DEBUG": "1", "ALLOWED_HOSTS": "mpp.kukarkab.go.id", "SECRET_KEY": "x" * 50},
            "DEBUG is on",
        ),
        ({"ALLOWED_HOSTS": "mpp.kukarkab.go.id"}, "built-in demo key"),
        ({"ALLOWED_HOSTS": "mpp.kukarkab.go.id", "SECRET_KEY": "short"}, "at least 32"),
        ({"DEBUG": "perhaps"}, "DEBUG='perhaps'"),
    ],
)
def test_unsafe_settings_refuse_to_start(env, message):
    result = run(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_safe_production_settings_start():
    result = run({"ALLOWED_HOSTS": "mpp.kukarkab.go.id", "SECRET_KEY": "k" * 50, "DEBUG": "0"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_the_local_demo_starts_with_defaults():
    assert run({}).returncode == 0


def test_time_zone_and_language_defaults(settings):
    assert settings.TIME_ZONE == "Asia/Makassar"
    assert settings.LANGUAGE_CODE == "id"
    assert ("en", "English") in settings.LANGUAGES
