"""The `mpp` command: Django's management commands under the project's settings.

mpp demo                 set up and serve the demo (SQLite, Kukar's data)
mpp serve                serve pages, API and websockets (supervised ASGI workers)
mpp load-region kukar    load a region data package
mpp <any manage.py command>
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp.settings")
    if len(args) > 1 and not args[1].startswith("-"):
        # Command names are written with hyphens (load-region); modules use underscores.
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
