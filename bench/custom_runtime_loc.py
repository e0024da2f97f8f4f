"""Lines of custom runtime code: the layers the issue-3 throughput ratio grew (issue 17, §3).

    .venv/bin/python bench/custom_runtime_loc.py [REV ...]

Counts, at each git revision (default: the working tree), the lines of the parts listed in
`LAYERS`: whole modules, or named top-level definitions of a module (counted from the `ast`, so
a moved or reformatted definition is still found). A part that no longer exists counts 0. Lines
are physical lines (docstrings and comments included, as `wc -l`) and, beside them, code lines
(neither blank nor a comment only). Tests are not counted: they follow the code.

Before issue 17 (commit 9c3344e):  bench/custom_runtime_loc.py 9c3344e HEAD
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (what, path, names): names None counts the whole module; otherwise the top-level definitions
# (functions, classes, assignments) of those names.
LAYERS: list[tuple[str, str, tuple[str, ...] | None]] = [
    ("reference cache, pub/sub watch thread", "mpp/core/refcache.py", None),
    ("issuing's reference data", "mpp/queueing/refs.py", None),
    ("private SQLite pool", "mpp/core/sqlite/__init__.py", None),
    ("private SQLite pool", "mpp/core/sqlite/base.py", None),
    ("channel layer over Channels' privates", "mpp/core/layers.py", None),
    ("in-process SQLite writer lock", "mpp/core/db.py", None),
    (
        "hand-built issuing SQL",
        "mpp/queueing/issuing.py",
        (
            "_issuing_transaction",
            "new_ticket",
            "_prepared_cursor",
            "_always_prepared",
            "_Statements",
            "_PER_TICKET",
            "_statements",
        ),
    ),
    ("small bodies read on the loop (a2wsgi)", "mpp/core/bodies.py", None),
    ("one Redis pool per process", "mpp/core/redis_pool.py", ("SharedConnectionPool",)),
    (
        "events handed to the server's loop, held past the writer lock",
        "mpp/core/events.py",
        (
            "_redis",
            "_server_loop",
            "ServerLoop",
            "_deliver",
            "_on_loop",
            "_report_failure",
            "held_until_released",
        ),
    ),
    ("ASGI assembly (a2wsgi, servestatic, gc.freeze)", "mpp/asgi.py", None),
    ("API token kept in memory", "mpp/accounts/tokens.py", ("BearerToken",)),
]


def _read(rev: str | None, path: str) -> str | None:
    if rev is None:
        file = ROOT / path
        return file.read_text() if file.exists() else None
    done = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:{path}"], capture_output=True, text=True
    )
    return done.stdout if done.returncode == 0 else None


def _span_names(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def _lines(source: str, names: tuple[str, ...] | None) -> list[str]:
    lines = source.splitlines()
    if names is None:
        return lines
    kept: list[str] = []
    for node in ast.parse(source).body:
        if set(_span_names(node)) & set(names):
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            kept += lines[first - 1 : node.end_lineno]
    return kept


def _code(lines: list[str]) -> int:
    return sum(1 for line in lines if line.strip() and not line.strip().startswith("#"))


def count(rev: str | None) -> list[tuple[str, str, int, int]]:
    rows = []
    for what, path, names in LAYERS:
        source = _read(rev, path)
        lines = _lines(source, names) if source is not None else []
        rows.append((what, path, len(lines), _code(lines)))
    return rows


def main(argv: list[str]) -> None:
    revs: list[str | None] = list(argv) or [None]
    tables = {rev: count(rev) for rev in revs}
    heads = [rev or "working tree" for rev in revs]
    print("| part | file | " + " | ".join(f"{h} lines (code)" for h in heads) + " |")
    print("| --- | --- | " + " | ".join("---" for _h in heads) + " |")
    for i, (what, path, _names) in enumerate(LAYERS):
        cells = [f"{tables[rev][i][2]} ({tables[rev][i][3]})" for rev in revs]
        print(f"| {what} | `{path}` | " + " | ".join(cells) + " |")
    totals = [
        f"**{sum(r[2] for r in tables[rev])} ({sum(r[3] for r in tables[rev])})**" for rev in revs
    ]
    print("| **total** | | " + " | ".join(totals) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
