"""The ``newsbot`` command line, run as a user runs it (a subprocess)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, SEED

NEWSBOT = [sys.executable, "-m", "bot"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "SLACK_", "DISCORD_"))}
    env.update(
        {
            "NEWSBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
            "NEWSBOT_CONFIG_DIR": str(REPO / "config"),
            "NEWSBOT_SEEDS_DIR": str(REPO / "seeds"),
            **extra,
        }
    )
    return env


def newsbot(tmp_path: Path, *args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NEWSBOT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=_env(tmp_path, **env),
        cwd=tmp_path,
        timeout=120,
    )


def test_every_subcommand_has_help(tmp_path: Path) -> None:
    for sub in (["ingest"], ["analyze"], ["digest"], ["ask"], ["run"], ["db", "upgrade"], ["stats"]):
        result = newsbot(tmp_path, *sub, "--help")
        assert result.returncode == 0, result.stderr
        assert "Usage:" in result.stdout


def test_run_answers_commands_with_seed_content(tmp_path: Path) -> None:
    result = newsbot(tmp_path, "run", stdin="/ceasefire-status\n/digest ceasefire\n/topics\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # the start-up digest of the console subscription, then three answers
    assert out.count("Russia–Ukraine ceasefire talks digest") == 2
    assert "> /ceasefire-status" in out and "> /digest ceasefire" in out and "> /topics" in out
    for speaker in ("Volodymyr Zelensky", "Mykhailo Podolyak", "Donald Trump", "William Taylor"):
        assert speaker in out, speaker
    assert "108 Iranian-made Shahed drones" in out and "93 of them" not in out  # a figure needs its object
    assert "the status quo has not changed" in out
    # a second run stores nothing new
    newsbot(tmp_path, "run", stdin="")
    stats = newsbot(tmp_path, "stats", "--json")
    assert json.loads(stats.stdout)["articles"] == 1


def test_ingest_reports_bad_lines_and_keeps_good_ones(tmp_path: Path) -> None:
    good = {"title": "Ceasefire talks in Istanbul", "text": "Russia and Ukraine held ceasefire talks in Istanbul."}
    jsonl = tmp_path / "batch.jsonl"
    jsonl.write_text(
        json.dumps(good)
        + "\n{not json\n"
        + json.dumps({**good, "title": "Second", "text": "Another report on Kyiv."})
        + "\n",
        encoding="utf-8",
    )
    unreadable = tmp_path / "broken.txt"
    unreadable.write_bytes(b"\xff\xfe\x00bad bytes \xc3\x28")
    result = newsbot(tmp_path, "ingest", str(jsonl), str(unreadable), str(SEED))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2, result.stderr
    assert any(f"{jsonl}:2" in e for e in errors)
    assert any(str(unreadable) in e for e in errors)
    assert "3 new" in result.stdout
    assert json.loads(newsbot(tmp_path, "stats", "--json").stdout)["articles"] == 3


def test_analyze_writes_the_documented_shape(tmp_path: Path) -> None:
    body = SEED.read_text(encoding="utf-8").split("\n", 1)[1].rsplit("\nSource:", 1)[0]
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "seed", "title": "Drone attacks", "text": body}) + "\n{oops\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = newsbot(tmp_path, "analyze", str(src), "-o", str(out))
    assert result.returncode == 1 and f"{src}:2" in result.stderr
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["id"] == "seed"
    assert record["summary"] and all(s in body for s in record["summary"])
    for q in record["quotes"]:
        assert set(q) >= {"text", "speaker", "speaker_mention", "start", "end"}
        assert body[q["start"] : q["end"]] == q["text"]
    for f in record["figures"]:
        assert set(f) >= {"text", "value", "sentence"} and f["text"] in f["sentence"]
    assert {q["speaker"] for q in record["quotes"]} >= {"Volodymyr Zelensky", "William Taylor"}


@pytest.mark.parametrize("fmt", ["json", "slack", "discord"])
def test_digest_formats_are_json(tmp_path: Path, fmt: str) -> None:
    newsbot(tmp_path, "ingest", str(SEED))
    result = newsbot(tmp_path, "digest", "ceasefire", "--format", fmt)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    if fmt == "slack":
        assert data[0]["blocks"] and data[0]["unfurl_links"] is False
    elif fmt == "discord":
        assert data[0]["embeds"] and data[0]["allowed_mentions"] == {"parse": []}
    else:
        assert data["title"].startswith("Russia–Ukraine ceasefire talks")


def test_ask_runs_one_command(tmp_path: Path) -> None:
    newsbot(tmp_path, "ingest", str(SEED))
    result = newsbot(tmp_path, "ask", "/digest ceasefire")
    assert result.returncode == 0 and "Drone Attacks Persist" in result.stdout
    bad = newsbot(tmp_path, "ask", "/digest nosuch")
    assert bad.returncode == 1 and "Unknown topic" in bad.stdout


def test_invalid_config_stops_startup_naming_file_key_problem(tmp_path: Path) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "topics.toml").write_text('[topics.war]\ntitle = "War"\nany = "not a list"\n', encoding="utf-8")
    result = newsbot(tmp_path, "ask", "/topics", NEWSBOT_CONFIG_DIR=str(conf))
    assert result.returncode == 2
    assert f"{conf / 'topics.toml'}: topics.war.any:" in result.stderr
    bad_env = newsbot(tmp_path, "stats", NEWSBOT_TIMEZONE="Mars/Base")
    assert bad_env.returncode == 2 and "NEWSBOT_TIMEZONE" in bad_env.stderr


def test_db_upgrade(tmp_path: Path) -> None:
    result = newsbot(tmp_path, "db", "upgrade")
    from digests.store.engine import head_revision

    assert result.returncode == 0 and f"database at revision {head_revision()}" in result.stdout


def test_sigterm_shuts_down_cleanly(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [*NEWSBOT, "run"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(tmp_path),
        cwd=tmp_path,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    seen = ""
    while "digest" not in seen and time.monotonic() < deadline:
        seen += proc.stdout.readline()
    assert "digest" in seen, "the bot did not start"
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=90)  # generous: the suite runs on 2 shared cores
    finally:
        proc.kill()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream:
                stream.close()
    assert code == 0


def test_json_logs_never_show_secrets(tmp_path: Path) -> None:
    token = "5f2b0c1e9d8a7b6c5d4e3f2a1b0c9d8e"  # a signing secret: no adapter starts, but it must stay hidden
    result = newsbot(
        tmp_path, "run", stdin="", NEWSBOT_LOG_FORMAT="json", NEWSBOT_LOG_LEVEL="DEBUG", SLACK_SIGNING_SECRET=token
    )
    assert result.returncode == 0, result.stderr
    assert token not in result.stderr and token not in result.stdout
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert lines and all({"time", "level", "message"} <= set(line) for line in lines)


def test_db_prune(tmp_path: Path) -> None:
    assert newsbot(tmp_path, "ingest", str(SEED)).returncode == 0
    refused = newsbot(tmp_path, "db", "prune")
    assert refused.returncode == 2 and "NEWSBOT_RETENTION_DAYS" in refused.stderr
    kept = newsbot(tmp_path, "db", "prune", NEWSBOT_RETENTION_DAYS="30")
    assert kept.returncode == 0 and "pruned the text of 0 articles older than 30 days" in kept.stdout
