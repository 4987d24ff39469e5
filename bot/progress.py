"""Progress of a long ``newsbot ingest``: a rich progress bar on a terminal (files done of the total,
rate, time left, failures so far), plain lines at every tenth of the way otherwise (logs, CI, pipes),
and one summary line at the end either way."""

from __future__ import annotations

import time
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from digests.pipeline import IngestReport

__all__ = ["PLAIN_MIN_FILES", "IngestProgress", "final_line"]

PLAIN_MIN_FILES = 20  # fewer files than this: no progress lines off a terminal, only the summary


class _RateColumn(ProgressColumn):
    """Files per second so far."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} files/s" if speed else "- files/s", style="progress.data.speed")


def _rate(done: int, seconds: float) -> str:
    return f"{done / seconds:.1f} files/s" if seconds > 0 else "- files/s"


def final_line(report: IngestReport, files: int, seconds: float) -> str:
    """``ingested: 1200 files in 26.5 s (45.3 files/s): 1180 new, ... failed``."""
    return f"ingested: {files} files in {seconds:.1f} s ({_rate(files, seconds)}): {report.summary()}"


class IngestProgress:
    """``with IngestProgress(total, stream) as p: ... p.update(done, failed)``."""

    def __init__(self, total: int, stream: TextIO, *, tty: bool | None = None) -> None:
        self.total = total
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.started = time.monotonic()
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._next_tenth = 1

    def __enter__(self) -> IngestProgress:
        if self.tty and self.total:
            self._progress = Progress(
                TextColumn("ingesting"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("files"),
                _RateColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[failed]} failed"),
                console=Console(file=self.stream, force_terminal=True),
                transient=False,
            )
            self._progress.start()
            self._task = self._progress.add_task("ingest", total=self.total, failed=0)
        return self

    def update(self, done: int, failed: int) -> None:
        """``done`` files of the total are read, ``failed`` inputs failed so far."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=done, failed=failed)
            return
        if self.total < PLAIN_MIN_FILES:
            return
        while self._next_tenth <= 10 and done * 10 >= self._next_tenth * self.total:
            elapsed = time.monotonic() - self.started
            left = (self.total - done) * elapsed / done if done else 0.0
            self.stream.write(
                f"ingest: {done}/{self.total} files ({self._next_tenth * 10}%), {_rate(done, elapsed)},"
                f" about {left:.0f} s left, {failed} failed\n"
            )
            self.stream.flush()
            self._next_tenth += 1

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started
