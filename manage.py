#!/usr/bin/env python
"""Django's manage.py; `mpp` (mpp/__main__.py) is the same with hyphenated command names."""

from mpp.__main__ import main

if __name__ == "__main__":
    main()
