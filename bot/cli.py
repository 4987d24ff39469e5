"""The ``newsbot`` command line (typer). Every subcommand has ``--help``."""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import json
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, TextIO, TypeVar

import typer
from pydantic import ValidationError

from bot.atomicfile import atomic_write, same_file
from bot.cli_discord import discord_app
from bot.cli_feeds import feeds_app, ingest_urls, is_url, stories_app
from bot.cli_slack import slack_app
from bot.settings import Settings
from digests.errors import CommandError, ConfigError
from digests.message import Message

T = TypeVar("T")

# The options given before the command (``newsbot --verbose stats``), for this process's one run.
_OPTIONS: dict[str, bool] = {"verbose": False}

app = typer.Typer(help="newsbot: verbatim news digests for Discord, Slack and the terminal.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
topics_app = typer.Typer(help="Topics: list them, preview what one would match.", no_args_is_help=True)
app.add_typer(topics_app, name="topics")
app.add_typer(slack_app, name="slack")
app.add_typer(discord_app, name="discord")
app.add_typer(feeds_app, name="feeds")
app.add_typer(stories_app, name="stories")


@app.callback()
def _options(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log libraries' details too (each Alembic migration step...).")
    ] = False,
) -> None:
    """newsbot: verbatim news digests for Discord, Slack and the terminal."""
    _OPTIONS["verbose"] = verbose  # every run sets it: read by ``_settings`` (like NEWSBOT_VERBOSE=1)


class Format(enum.StrEnum):
    text = "text"
    json = "json"
    slack = "slack"
    discord = "discord"


def _settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        key = "NEWSBOT_" + "_".join(str(p) for p in err["loc"]).upper()
        message = err["msg"].removeprefix("Value error, ")
        typer.echo(f"error: environment: {key}: {message}", err=True)
        raise typer.Exit(2) from None
    from bot.logs import configure_logging

    if _OPTIONS["verbose"]:
        settings = settings.model_copy(update={"verbose": True})
    secrets = [
        s.get_secret_value()
        for s in (
            settings.discord_token,
            settings.slack_bot_token,
            settings.slack_signing_secret,
            settings.slack_app_token,
            settings.slack_client_secret,
        )
        if s
    ]
    configure_logging(settings.log_format, settings.log_level, secrets, verbose=settings.verbose)
    return settings


def _run(coro_fn: Callable[[], Awaitable[T]]) -> T:
    async def _main() -> T:
        return await coro_fn()

    try:
        return asyncio.run(_main())
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def format_message(message: Message, fmt: Format) -> str:
    """The message as text, neutral JSON, or the exact Slack / Discord payloads."""
    if fmt is Format.text:
        from bot.adapters.console.render import render_text

        return render_text(message)
    if fmt is Format.json:
        return json.dumps(_jsonable(message), ensure_ascii=False, indent=2)
    if fmt is Format.slack:
        from bot.adapters.slack.render import render_payloads as slack_payloads

        return json.dumps(slack_payloads(message), ensure_ascii=False, indent=2)
    from bot.adapters.discord.render import render_payloads as discord_payloads

    return json.dumps(discord_payloads(message), ensure_ascii=False, indent=2)


_UNSUPPORTED_SHOWN = 20  # unsupported files named one by one; beyond that, a count


@app.command(
    epilog="Examples: newsbot ingest seeds/ · newsbot ingest archive/ --skip-unsupported ·"
    " newsbot ingest https://example.org/news/story.html"
)
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (.txt, .json, .jsonl, .html), or page URLs.")],
    skip_unsupported: Annotated[
        bool,
        typer.Option(
            "--skip-unsupported", help="Files of other types in a folder (.pdf, .html.gz...) are named, not an error."
        ),
    ] = False,
) -> None:
    """Ingest articles from files, folders and web pages (idempotent: nothing is stored twice).

    Exit code 1 if anything failed, or if a folder held files of a type newsbot cannot read
    (they are named; --skip-unsupported makes that a note). On a terminal a progress bar shows
    the files done, the rate, the time left and the failures so far; otherwise a line at every
    tenth of the way. The last line sums up.
    """
    from bot.app import ingest_paths, open_services
    from bot.progress import final_line
    from digests.ingest.files import KNOWN_EXTENSIONS

    settings = _settings()

    async def _go() -> int:
        svc = await open_services(settings)
        files = [Path(p) for p in paths if not is_url(p)]
        try:
            report = await ingest_paths(svc.db, files, max_sentences=settings.summary_sentences, progress=sys.stderr)
            pages = await ingest_urls(svc, [p for p in paths if is_url(p)]) if len(files) < len(paths) else None
        finally:
            await svc.db.close()
        for err in report.errors + (pages[2] if pages else []):
            typer.echo(f"error: {err}", err=True)
        skipped = report.unsupported
        if skipped:
            level = "note" if skip_unsupported else "error"
            known = ", ".join(sorted(KNOWN_EXTENSIONS))
            typer.echo(f"{level}: {len(skipped)} files of a type newsbot cannot read (it reads {known}):", err=True)
            for name in skipped[:_UNSUPPORTED_SHOWN]:
                typer.echo(f"  {name}", err=True)
            if len(skipped) > _UNSUPPORTED_SHOWN:
                typer.echo(f"  ... and {len(skipped) - _UNSUPPORTED_SHOWN} more", err=True)
            if not skip_unsupported:
                typer.echo("  (pass --skip-unsupported to skip them without an error)", err=True)
        if files:
            typer.echo(final_line(report, report.files, time.monotonic() - started))
        if pages:
            typer.echo(f"pages: {pages[0]} stored, {pages[1]} unchanged, {len(pages[2])} failed")
        failed = not report.ok or bool(pages and pages[2]) or bool(skipped and not skip_unsupported)
        return 1 if failed else 0

    started = time.monotonic()
    raise typer.Exit(_run(_go))


class _InputUnreadable(Exception):
    """The input file of ``analyze`` could not be read (to its end)."""


def _analyze_lines(infile: Path, out: TextIO, sentences: int) -> int:
    """Analyse each line of ``infile`` into ``out``; returns how many lines failed."""
    from digests.store.codec import analysis_to_json
    from digests.text import analyze as run_analysis

    failed = 0
    try:
        with infile.open(encoding="utf-8") as fh:
            for lineno, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                try:
                    item = json.loads(raw)
                    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                        raise ValueError("expected an object with a string `text`")
                    result = run_analysis(item["text"], item.get("title"), max_sentences=sentences)
                except (ValueError, TypeError) as exc:
                    typer.echo(f"error: {infile}:{lineno}: {exc}", err=True)
                    failed += 1
                    continue
                record = {"id": item.get("id", lineno), **analysis_to_json(result)}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise _InputUnreadable(exc.strerror or str(exc)) from None
    except UnicodeDecodeError as exc:
        raise _InputUnreadable(f"not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    return failed


@app.command(
    epilog="Example: newsbot analyze articles.jsonl -o analysed.jsonl  (one JSON object per line:"
    " id, language, summary, quotes, other_quoted, figures; see the README)"
)
def analyze(
    infile: Annotated[Path, typer.Argument(help="JSONL with {id, title?, text} per line.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Write here instead of stdout (replaced only once the whole input was read)."
        ),
    ] = None,
    sentences: Annotated[int, typer.Option(help="Summary length in sentences.")] = 3,
) -> None:
    """Analyse articles without a database: summary, quotes and figures per line.

    With -o the result goes to a temporary file beside OUTPUT that replaces it only once the whole
    input was read: a missing or unreadable input leaves OUTPUT as it was, and OUTPUT may not be
    the input itself. A bad line is reported on stderr (exit code 1) and the others still go out.
    """
    if output is not None and same_file(infile, output):
        typer.echo(f"error: {output} is the input file; write the output to another file", err=True)
        raise typer.Exit(2)
    if not infile.is_file():
        why = "is a folder, not a file" if infile.is_dir() else "no such file"
        typer.echo(f"error: {infile}: {why}", err=True)
        raise typer.Exit(1)
    try:
        if output is None:
            failed = _analyze_lines(infile, sys.stdout, sentences)
        else:
            try:
                with atomic_write(output) as out:
                    failed = _analyze_lines(infile, out, sentences)
            except OSError as exc:
                typer.echo(f"error: {output}: cannot write: {exc.strerror or exc}", err=True)
                raise typer.Exit(1) from None
    except _InputUnreadable as exc:
        kept = f"; {output} is unchanged" if output is not None else ""
        typer.echo(f"error: {infile}: {exc}{kept}", err=True)
        raise typer.Exit(1) from None
    raise typer.Exit(1 if failed else 0)


@app.command()
def digest(
    topic: Annotated[str, typer.Argument(help="Topic id, e.g. ceasefire.")],
    since: Annotated[str | None, typer.Option(help="Only news since: 24h, 7d, or a date.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text, json, or the slack/discord payloads.")] = Format.text,
) -> None:
    """Print a topic's digest."""
    from bot.app import open_services
    from bot.handlers import ChannelRef, CommandRequest, UserRef, dispatch

    settings = _settings()

    async def _go() -> int:
        svc = await open_services(settings)
        try:
            options = {"since": since} if since else {}
            req = CommandRequest(
                "digest", (topic,), UserRef("cli", is_admin=True), ChannelRef("console", "local", "cli"), options
            )
            reply = await dispatch(req, svc)
        finally:
            await svc.db.close()
        typer.echo(format_message(reply.message, fmt))
        return 1 if reply.is_error else 0

    raise typer.Exit(_run(_go))


@app.command()
def ask(
    line: Annotated[str, typer.Argument(help='A slash command, e.g. "/ceasefire-status" or "/news topics".')],
    fmt: Annotated[Format, typer.Option("--format", help="text, json, or the slack/discord payloads.")] = Format.text,
) -> None:
    """Run one slash command through the same handler table the adapters use."""
    from bot.app import open_services
    from bot.handlers import ChannelRef, UserRef, dispatch_line

    settings = _settings()

    async def _go() -> int:
        svc = await open_services(settings)
        try:
            reply = await dispatch_line(line, UserRef("cli", is_admin=True), ChannelRef("console", "local", "cli"), svc)
        finally:
            await svc.db.close()
        typer.echo(format_message(reply.message, fmt))
        return 1 if reply.is_error else 0

    raise typer.Exit(_run(_go))


def _topics_command(args: tuple[str, ...], fmt: Format) -> None:
    """Run ``/news topics ARGS`` through the handler table, as the adapters do."""
    from bot.app import open_services
    from bot.handlers import ChannelRef, CommandRequest, UserRef, dispatch

    settings = _settings()

    async def _go() -> int:
        svc = await open_services(settings)
        try:
            req = CommandRequest(
                "topics", args, UserRef("cli", is_admin=True), ChannelRef("console", "local", "cli"), {}
            )
            reply = await dispatch(req, svc)
        finally:
            await svc.db.close()
        typer.echo(format_message(reply.message, fmt))
        return 1 if reply.is_error else 0

    raise typer.Exit(_run(_go))


@topics_app.command("list")
def topics_list(
    fmt: Annotated[Format, typer.Option("--format", help="text, json, or the slack/discord payloads.")] = Format.text,
) -> None:
    """Every topic, as /news topics lists them."""
    _topics_command((), fmt)


@topics_app.command("preview")
def topics_preview(
    topic: Annotated[str, typer.Argument(help="Topic id, e.g. ceasefire.")],
    fmt: Annotated[Format, typer.Option("--format", help="text, json, or the slack/discord payloads.")] = Format.text,
) -> None:
    """The recent headlines TOPIC would match, and why (same answer as /news topics preview)."""
    _topics_command(("preview", topic), fmt)


class Role(enum.StrEnum):
    all = "all"
    poller = "poller"
    scheduler = "scheduler"
    discord = "discord"
    slack = "slack"


@app.command()
def run(
    role: Annotated[
        Role,
        typer.Option(
            help="What this process runs: all; poller (feeds only); scheduler (ticks and deliveries, posting over"
            " REST); discord or slack (that platform's commands only)."
        ),
    ] = Role.all,
) -> None:
    """Run the bot: adapters from the environment, the console when no tokens are set."""
    from bot.app import build_app

    settings = _settings()

    async def _go() -> int:
        async with build_app(settings, role=role.value) as bot_app:
            return await bot_app.run()

    raise typer.Exit(_run(_go))


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply the Alembic migrations (also done automatically at start)."""
    from digests.store.engine import create_engine, current_revision, upgrade

    settings = _settings()

    async def _go() -> str | None:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine, revision)
            return await current_revision(engine)
        finally:
            await engine.dispose()

    typer.echo(f"database at revision {_run(_go)}")


@db_app.command("prune")
def db_prune(
    days: Annotated[
        int | None,
        typer.Option("--days", min=1, help="Prune articles older than this (default: NEWSBOT_RETENTION_DAYS)."),
    ] = None,
) -> None:
    """Retention: empty the full text of old articles (their summary, quotes and link stay)."""
    from bot.app import open_services

    settings = _settings()
    keep = days or settings.retention_days
    if keep is None:
        typer.echo("Nothing to do: pass --days N or set NEWSBOT_RETENTION_DAYS.", err=True)
        raise typer.Exit(2)

    async def _go() -> int:
        svc = await open_services(settings)
        try:
            return await svc.db.articles.prune_text(svc.now() - timedelta(days=keep))
        finally:
            await svc.db.close()

    typer.echo(f"pruned the text of {_run(_go)} articles older than {keep} days")


@db_app.command("copy")
def db_copy(
    source_url: Annotated[str, typer.Argument(help="The database to copy from, e.g. sqlite:///data/newsbot.db")],
    target_url: Annotated[str, typer.Argument(help="The database to copy to, e.g. postgresql://user@host/db")],
    with_articles: Annotated[
        bool, typer.Option("--with-articles", help="Copy stories and articles too (else feeds re-fetch them).")
    ] = False,
) -> None:
    """Migrate TARGET_URL to head, then copy subscriptions, settings, topics, feeds, installations and
    platform state from SOURCE_URL (rows already there are skipped). Stop the bot first."""
    from digests.store.copy import copy_database

    _settings()  # logging

    async def _go() -> str:
        return (await copy_database(source_url, target_url, with_articles=with_articles)).summary()

    typer.echo(f"copied: {_run(_go)}")


@app.command()
def status(
    topic: Annotated[str, typer.Argument(help="A topic with status tracking, e.g. ceasefire.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Answer as the bot would have then (a date or ISO time).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="text, json, or the slack/discord payloads.")] = Format.text,
) -> None:
    """Where a tracked story stands, with evidence (same answer as /news status)."""
    from bot.app import open_services
    from bot.handlers import ChannelRef, CommandRequest, UserRef
    from bot.handlers.news import resolve_topic, status_report
    from bot.handlers.parse import parse_since
    from digests.status import status_json, status_message

    settings = _settings()

    async def _go() -> int:
        svc = await open_services(settings)
        try:
            req = CommandRequest(
                "status",
                (topic,),
                UserRef("cli", is_admin=True),
                ChannelRef("console", "local", "cli"),
                {"as-of": as_of} if as_of else {},
            )
            try:
                found = resolve_topic(svc, topic, need_status=True)
                when = parse_since(as_of, svc.now()) if as_of else svc.now()
                if as_of and len(as_of.strip()) == 10:  # a bare date: as of the end of that day
                    when = when.replace(hour=23, minute=59, second=59)
            except CommandError as exc:
                typer.echo(f"error: {exc}", err=True)
                return 2
            report = await status_report(svc, found, req, as_of=when)
        finally:
            await svc.db.close()
        if as_json:
            typer.echo(json.dumps(status_json(report), ensure_ascii=False, indent=2))
        else:
            typer.echo(format_message(status_message(report), fmt))
        return 0

    raise typer.Exit(_run(_go))


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Counts of articles, stories, feeds, topics, subscriptions and deliveries."""
    from bot.app import open_services

    settings = _settings()

    async def _go() -> dict[str, int]:
        svc = await open_services(settings)
        try:
            return {
                "articles": await svc.db.articles.count(),
                "stories": await svc.db.articles.count_stories(),
                "feeds": await svc.db.feeds.count(),
                "topics": len(svc.topics),
                "subscriptions": await svc.db.subscriptions.count(),
                "deliveries": await svc.db.deliveries.count(),
            }
        finally:
            await svc.db.close()

    counts = _run(_go)
    if as_json:
        typer.echo(json.dumps(counts))
    else:
        for key, value in counts.items():
            typer.echo(f"{key:14} {value}")


def main() -> None:
    """Entry point of the ``newsbot`` script."""
    try:
        app()
    except CommandError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
