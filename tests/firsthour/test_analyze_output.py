"""``newsbot analyze -o``: the output is replaced only once the whole input was read, never the input."""

from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

ARTICLE = {"id": "a1", "title": "Talks resume", "text": "Delegations met in Istanbul on Friday. They spoke for hours."}


def _analyze(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["analyze", *args])
    return result.exit_code, result.output


def test_output_equal_to_input_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    before = src.read_bytes()
    code, out = _analyze(str(src), "-o", str(src))
    assert code == 2
    assert "is the input file" in out
    assert src.read_bytes() == before
    # the same file under another name (a symlink) is the input too
    link = tmp_path / "link.jsonl"
    link.symlink_to(src)
    code, _ = _analyze(str(src), "-o", str(link))
    assert code == 2 and src.read_bytes() == before


def test_a_missing_input_leaves_the_output_untouched(tmp_path: Path) -> None:
    keep = tmp_path / "keep.jsonl"
    keep.write_text('{"precious": true}\n', encoding="utf-8")
    code, out = _analyze(str(tmp_path / "missing.jsonl"), "-o", str(keep))
    assert code == 1
    assert "no such file" in out
    assert keep.read_text(encoding="utf-8") == '{"precious": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.jsonl"]  # no temporary file left behind


def test_an_input_failing_half_way_leaves_the_output_untouched(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(json.dumps(ARTICLE).encode() + b"\n" + b'{"text": "caf\xe9"}\n')  # line 2 is not UTF-8
    keep = tmp_path / "keep.jsonl"
    keep.write_text("old\n", encoding="utf-8")
    code, out = _analyze(str(src), "-o", str(keep))
    assert code == 1
    assert "not valid UTF-8" in out and "unchanged" in out
    assert keep.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "keep.jsonl"]


def test_success_replaces_the_output_and_keeps_its_permissions(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    out_file = tmp_path / "out.jsonl"
    out_file.write_text("old\n", encoding="utf-8")
    os.chmod(out_file, 0o640)
    code, _ = _analyze(str(src), "-o", str(out_file))
    assert code == 0
    records = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a1"]
    assert out_file.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]
