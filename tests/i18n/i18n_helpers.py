"""Helpers of the Turkish-first tests: the ``gcdb`` command run in-process."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MESSY = ROOT / "datasets" / "demo" / "messy"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return (self.out + "\n" + self.err).splitlines()


def run_gcdb(*argv: object) -> Run:
    """``gcdb *argv`` in-process: exit code, stdout, stderr (a traceback fails the test)."""
    from gcdb.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:
            code = int(exc.code or 0)
    run = Run(code, out.getvalue(), err.getvalue())
    assert "Traceback" not in run.out + run.err, run.out + run.err
    return run
