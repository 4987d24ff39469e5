"""``newsbot ingest`` of a folder: unsupported files are named and counted (exit 1 unless
``--skip-unsupported``); progress is a bar on a terminal, plain lines otherwise; a summary line ends it."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from tests.bot.test_cli import newsbot


def _folder(tmp_path: Path, articles: int) -> Path:
    folder = tmp_path / "archive"
    (folder / "sub").mkdir(parents=True)
    for i in range(articles):
        (folder / f"a{i:03d}.json").write_text(
            json.dumps({"title": f"Report {i}", "text": f"Council met on day {i}. It approved item {i}."}),
            encoding="utf-8",
        )
    return folder


def test_a_folder_with_unsupported_files_names_them_and_shows_plain_progress(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 25)
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "page.html.gz").write_bytes(b"\x1f\x8b\x08\x00")
    (folder / "sub" / "report.pdf").write_bytes(b"%PDF-1.4")
    (folder / ".hidden.pdf").write_bytes(b"%PDF")  # hidden files are not content
    result = newsbot(tmp_path, "ingest", str(folder))
    assert result.returncode == 1, result.stderr
    # the unsupported files: counted, each named, and how to skip them
    assert "error: 2 files of a type newsbot cannot read" in result.stderr
    assert str(folder / "page.html.gz") in result.stderr and str(folder / "sub" / "report.pdf") in result.stderr
    assert ".hidden.pdf" not in result.stderr
    assert "--skip-unsupported" in result.stderr
    # progress off a terminal: one plain line per tenth of the way, no control codes
    lines = [line for line in result.stderr.splitlines() if line.startswith("ingest: ")]
    assert len(lines) == 10, result.stderr
    assert lines[-1].startswith("ingest: 26/26 files (100%), ") and lines[-1].endswith(", 1 failed")
    assert re.search(r"[\d.]+ files/s, about \d+ s left", lines[0])
    assert "\x1b[" not in result.stderr
    # the summary line
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("ingested: 26 files in ") and "files/s" in last
    assert "25 new, 0 updated, 0 unchanged, 1 failed, 2 skipped (unsupported type)" in last
    # with --skip-unsupported they are still named, as a note, and only the broken file fails the run
    (folder / "broken.json").unlink()
    again = newsbot(tmp_path, "ingest", "--skip-unsupported", str(folder))
    assert again.returncode == 0, again.stderr
    assert "note: 2 files of a type newsbot cannot read" in again.stderr
    assert "25 unchanged" in again.stdout


def test_progress_on_a_terminal_is_a_bar_with_rate_eta_and_failures() -> None:
    from bot.progress import IngestProgress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    with IngestProgress(40, stream) as progress:
        for done in range(1, 41):
            progress.update(done, failed=done // 20)
    shown = stream.getvalue()
    assert "40/40" in shown and "files/s" in shown and "ETA" in shown and "2 failed" in shown
    assert "━" in shown  # rich's bar
    assert "ingest: " not in shown  # not the plain lines


def test_plain_progress_stays_quiet_for_a_handful_of_files() -> None:
    from bot.progress import IngestProgress

    stream = io.StringIO()
    with IngestProgress(5, stream) as progress:
        for done in range(1, 6):
            progress.update(done, failed=0)
    assert stream.getvalue() == ""
