"""`mpp nikah draw`: issue 20's contract, recomputed here by hand with hashlib."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest

from mpp.programs.draw import draw_winners


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mpp", "nikah", *args], capture_output=True, text=True, check=False
    )


def test_the_winners_follow_the_hashes_of_seed_and_code(tmp_path):
    codes = ["NM-QX7K2M", "NM-2B8CDE", "NM-H4J9PZ", "NM-WR3T6Y", "NM-5N7MKA"]
    entrants = tmp_path / "peserta.txt"
    entrants.write_text("\n".join(codes) + "\n", encoding="utf-8")
    seed = "syawal-1447-kutai-kartanegara"
    result = run("draw", "--entrants", str(entrants), "--seed", seed, "--prizes", "3")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    sorted_file = "".join(f"{c}\n" for c in sorted(codes)).encode()
    assert printed["entrants_sha256"] == hashlib.sha256(sorted_file).hexdigest()
    assert printed["seed_sha256"] == hashlib.sha256(seed.encode()).hexdigest()
    by_hash = sorted(codes, key=lambda c: hashlib.sha256(f"{seed}:{c}".encode()).hexdigest())
    assert printed["winners"] == [
        {"prize": 1, "entrant": by_hash[0]},
        {"prize": 2, "entrant": by_hash[1]},
        {"prize": 3, "entrant": by_hash[2]},
    ]
    assert printed == draw_winners(codes, seed, 3).as_dict()  # the page's function


def test_the_order_of_the_file_does_not_matter(tmp_path):
    codes = ["NM-AAAAAA", "NM-BBBBBB", "NM-CCCCCC"]
    one, other = tmp_path / "a.txt", tmp_path / "b.txt"
    one.write_text("\n".join(codes) + "\n")
    other.write_text("\n".join(reversed(codes)))
    first = run("draw", "--entrants", str(one), "--seed", "s" * 16, "--prizes", "2")
    second = run("draw", "--entrants", str(other), "--seed", "s" * 16, "--prizes", "2")
    assert first.returncode == second.returncode == 0
    assert json.loads(first.stdout) == json.loads(second.stdout)


def test_a_duplicate_code_exits_2_and_names_it(tmp_path):
    entrants = tmp_path / "peserta.txt"
    entrants.write_text("NM-AAAAAA\nNM-BBBBBB\nNM-AAAAAA\n")
    result = run("draw", "--entrants", str(entrants), "--seed", "x", "--prizes", "1")
    assert result.returncode == 2
    assert "NM-AAAAAA" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ("--entrants", "/nonexistent/peserta.txt", "--seed", "x", "--prizes", "1"),
        ("--entrants", "EMPTY", "--seed", "x", "--prizes", "1"),
        ("--entrants", "OK", "--seed", "x", "--prizes", "0"),
        ("--entrants", "OK", "--seed", "x", "--prizes", "banyak"),
        ("--entrants", "OK", "--prizes", "1"),
    ],
)
def test_bad_arguments_exit_2(tmp_path, args):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "ok.txt").write_text("NM-AAAAAA\n")
    paths = {"EMPTY": str(tmp_path / "empty.txt"), "OK": str(tmp_path / "ok.txt")}
    result = run("draw", *(paths.get(a, a) for a in args))
    assert result.returncode == 2
    assert result.stderr
