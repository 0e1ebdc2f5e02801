"""``python -m gcdb``: the same as the ``gcdb`` command (useful where the venv's ``bin/`` is not on PATH)."""

from __future__ import annotations

import sys

from gcdb.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
