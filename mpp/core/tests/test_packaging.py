"""The wheel a production host installs (docs/adr/0022): built once from this tree, it carries
every file of the package (the built 3D bundle, htmx, compiled translations, templates, region
data) and runs from a virtual environment of its own, without the source tree or Node.js."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
BUILT = ["mpp/metapers/static/metapers/hall.bundle.js", "mpp/static/vendor/htmx/htmx.min.js"]


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{args[:4]}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    return done  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = [name for name in BUILT if not (ROOT / name).is_file()]
    assert not missing, f"{missing} not built: run `make setup-dev` (it builds them with npm)"
    out = tmp_path_factory.mktemp("dist")
    # setuptools assembles the wheel in build/: a stale copy there could carry deleted files.
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out)], cwd=ROOT)
    (built,) = out.glob("mpp-*-py3-none-any.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A new virtual environment with the wheel installed (--no-deps) and this environment's
    packages behind it on the path: the dependencies, not the source tree."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    _run([*pip, "install", "-q", "--no-deps", "--no-index", str(wheel)])
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    # A path line in a .pth file only extends sys.path: this environment's own .pth files (its
    # editable install of the source tree among them) are not run there.
    (Path(purelib.stdout.strip()) / "_dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n"
    )
    yield venv


def test_the_wheel_carries_every_file_of_the_package_and_no_test(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert set(BUILT) <= names
    assert "mpp/locale/en/LC_MESSAGES/django.mo" in names
    expected = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "mpp").rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and "tests" not in path.parts
        and path.suffix != ".pyc"
    }
    assert sorted(expected - names) == []
    assert [n for n in names if "/tests/" in n] == []


def test_the_installed_wheel_runs_without_the_source_tree(installed, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH"}
    }
    env["MPP_DATA_DIR"] = str(tmp_path / "data")
    mpp = str(installed / "bin" / "mpp")
    probe = (
        "import json, mpp; from django.conf import settings; from django.utils import translation;"
        "from django.contrib.staticfiles import finders; translation.activate('en');"
        "print(json.dumps([mpp.__file__, str(settings.STATIC_ROOT), str(settings.MEDIA_ROOT),"
        " translation.gettext('Masuk petugas'),"
        " [finders.find(f) for f in ('metapers/hall.bundle.js', 'vendor/htmx/htmx.min.js')]]))"
    )
    # Two processes at once: each spends most of its time starting Django.
    with ThreadPoolExecutor(2) as pool:
        checked = pool.submit(_run, [mpp, "check"], cwd=tmp_path, env=env)
        shell = _run([mpp, "shell", "-c", probe], cwd=tmp_path, env=env)
    assert "no issues" in checked.result().stdout
    module, static_root, media_root, translated, found = json.loads(shell.stdout.splitlines()[-1])
    assert module.startswith(str(installed)) and not module.startswith(str(ROOT))
    assert all(path.startswith(str(installed)) for path in found), found  # no Node.js needed
    assert static_root == str(tmp_path / "data" / "static")  # not inside the installed package
    assert media_root == str(tmp_path / "data" / "files")
    assert translated == "Staff login"  # the compiled catalogue came along


def _pinned(requirement: str) -> str:
    """ "uvicorn[standard]==0.54.0" -> "uvicorn==0.54.0", names as the locks write them."""
    name, version = re.sub(r"\[.*?\]", "", requirement).split("==")
    return f"{re.sub(r'[-_.]+', '-', name.strip()).lower()}=={version.strip()}"


def test_the_locks_hold_every_pin_of_pyproject():
    """A pin changed in pyproject.toml without `make lock` would leave `make setup` installing
    the old version (or failing on a new package): the locks must name every pin."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    runtime = project["dependencies"] + [r for k, v in extras.items() if k != "dev" for r in v]
    dev = runtime + [r for r in extras["dev"] if not r.startswith("mpp[")]
    for lock, pins in [("runtime", runtime), ("dev", dev)]:
        text = (ROOT / "requirements" / f"{lock}.txt").read_text()
        locked = {m.lower() for m in re.findall(r"^([A-Za-z0-9][\w.-]*==[^\s;\\]+)", text, re.M)}
        missing = sorted(_pinned(r) for r in pins if _pinned(r) not in locked)
        assert missing == [], f"requirements/{lock}.txt lacks {missing}: run `make lock`"
