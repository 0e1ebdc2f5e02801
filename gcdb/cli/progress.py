"""Progress of long commands on stderr: ``[k/n · 12,3 s] step`` lines, without any dependency.

A :class:`Steps` is a callable taking the message of the step that starts now; it numbers the steps, prints the
seconds elapsed since the command started, and prints nothing when disabled (``--quiet``)::

    steps = Steps(4, lang="tr")
    steps("girdiler okunuyor")   # [1/4 · 0,0 s] girdiler okunuyor
    ...
    steps.done()                 # [bitti · 15,2 s]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class Steps:
    """Numbered progress lines ``[k/n · t s] message`` on ``stream`` (stderr); ``enabled=False`` prints nothing;
    ``lang``: the language of the numbers and of the closing line (default: the current language)."""

    def __init__(
        self,
        total: int,
        *,
        lang: str | None = None,
        enabled: bool = True,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.total = max(int(total), 0)
        self.lang = lang
        self.enabled = enabled
        self.stream = stream
        self.clock = clock
        self.start = clock()
        self.step = 0

    def _seconds(self) -> str:
        from gcdb.i18n import format_number

        return format_number(self.clock() - self.start, 1, self.lang)

    def _print(self, text: str) -> None:
        if self.enabled:
            print(text, file=self.stream or sys.stderr, flush=True)

    def __call__(self, message: str) -> None:
        self.step += 1
        total = max(self.total, self.step)  # never "[9/8]" if a caller miscounted
        self._print(f"[{self.step}/{total} · {self._seconds()} s] {message}")

    def done(self) -> None:
        """The closing line, with the total time."""
        from gcdb.i18n import t

        self._print(f"[{t('progress.done', self.lang)} · {self._seconds()} s]")
