"""The README's examples run against the demo municipality, so that the README cannot drift from the code.

Every ```python block runs, in order, in one namespace (later examples use what earlier ones made), in a
directory holding the files the README names (made from the shipped demo: ``conftest.README_FILES``). Every
``gcdb …`` line of the ```sh blocks is parsed by the real command-line parser: commands and options must exist.
"""

from __future__ import annotations

import re
import shlex
import warnings
from pathlib import Path
from typing import Any

import pytest
from conftest import README, README_FILES, SentBack, readme_names

from gcdb.cli.main import build_parser

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[tuple[int, str]]:
    """(line number, code) of every fenced block in ``language``."""
    text = README.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        if match.group(1) == language:
            found.append((text.count("\n", 0, match.start(2)) + 1, match.group(2)))
    return found


def _local_dask_client(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """``Client()`` in the README starts a local cluster; in the test, threads in this process (quicker, and
    closed at the end)."""
    distributed = pytest.importorskip("distributed")
    import dask.distributed

    made: list[Any] = []
    real = distributed.Client

    def client(*args: Any, **kwargs: Any) -> Any:
        assert not args, "the README's example connects to a local cluster"
        c = real(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None)
        made.append(c)
        return c

    monkeypatch.setattr(dask.distributed, "Client", client)
    return made


def test_readme_has_examples() -> None:
    assert len(blocks("python")) >= 5
    assert len(blocks("sh")) >= 3


def test_readme_python_examples_run(readme_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clients = _local_dask_client(monkeypatch)
    namespace: dict[str, Any] = {"__name__": "readme"} | readme_names()
    try:
        for line, code in blocks("python"):
            with warnings.catch_warnings():
                # the README shows no deprecated name (warnings attributed to the example's own lines)
                warnings.filterwarnings("error", category=DeprecationWarning, module="readme")
                try:
                    exec(compile(code, f"README.md:{line}", "exec"), namespace)
                except Exception as exc:  # pragma: no cover - the failure message names the block
                    raise AssertionError(f"README.md example at line {line} failed: {exc!r}") from exc
    finally:
        for client in clients:
            client.close()
    # what the examples made is what they say
    assert namespace["analysis"].summary.shape[0] > 0
    assert namespace["table"].shape[0] > 0
    sent = namespace["send_back"]
    assert isinstance(sent, SentBack)


def test_readme_files_are_all_used() -> None:
    """Every stand-in file is named in the README (a renamed example would leave a stale one behind)."""
    text = README.read_text(encoding="utf-8")
    assert [name for name in README_FILES if name not in text] == []


def _command_lines() -> list[tuple[int, str]]:
    lines = []
    for start, code in blocks("sh"):
        for offset, raw in enumerate(code.splitlines()):
            command = raw.split("#", 1)[0].strip()
            for part in re.split(r"&&|;", command):
                part = part.strip()
                words = shlex.split(part) if part else []
                if words and Path(words[0]).name == "gcdb":
                    lines.append((start + offset, shlex.join(words)))
                elif words[:3] and words[1:3] == ["-m", "gcdb"]:
                    lines.append((start + offset, shlex.join(["gcdb", *words[3:]])))
    return lines


@pytest.mark.parametrize(("line", "command"), _command_lines(), ids=lambda v: str(v))
def test_readme_commands_parse(line: int, command: str) -> None:
    words = shlex.split(command)[1:]
    try:
        args = build_parser().parse_args(words)
    except SystemExit as exc:  # pragma: no cover - argparse prints why
        raise AssertionError(f"README.md:{line}: `{command}` is not a valid gcdb command line") from exc
    assert getattr(args, "func", None) is not None, f"README.md:{line}: `{command}` runs no command"
