"""Read commands: digest, topics and status. Everyone may run them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.handlers.parse import parse_since
from bot.handlers.request import CommandRequest
from bot.services import Services
from digests.digest import build_digest, group_stories, matching
from digests.errors import CommandError
from digests.message import Line, Message, Reply, Section
from digests.models import Article
from digests.status import StatusReport, judge, status_message
from digests.topics import Topic

__all__ = ["handle_digest", "handle_status", "handle_topics", "resolve_topic", "status_report"]

RECENT_LIMIT = 2000  # matching articles a digest is built from (the newest of the topic)


def resolve_topic(
    svc: Services, name: str | None, *, need_status: bool = False, topics: Mapping[str, Topic] | None = None
) -> Topic:
    """The topic called ``name`` among ``topics`` (default: the config topics); a CommandError
    listing the known topics otherwise."""
    known = svc.topics if topics is None else topics
    candidates = {t.id: t for t in known.values() if not need_status or t.status_states}
    if name is None:
        if len(candidates) == 1:
            return next(iter(candidates.values()))
        raise CommandError("Which topic?", f"Topics: {', '.join(sorted(candidates))}.")
    topic = candidates.get(name.lower())
    if topic is None:
        what = "topic with status tracking" if need_status and name.lower() in known else "topic"
        raise CommandError(f"Unknown {what} `{name}`.", f"Known: {', '.join(sorted(candidates))}.")
    return topic


async def channel_topics(svc: Services, req: CommandRequest) -> dict[str, Topic]:
    """The topics the caller's workspace can use."""
    return await svc.topics_for(req.channel.platform, req.channel.workspace_id)


def _check_cooldown(req: CommandRequest, svc: Services) -> None:
    """Shared digests are limited per channel so that ``/digest`` cannot flood it."""
    if not req.share:
        return
    key = (req.channel.platform, req.channel.workspace_id, req.channel.channel_id)
    now = svc.now()
    last = svc.cooldowns.get(key)
    wait = svc.settings.digest_cooldown_seconds - (now - last).total_seconds() if last else 0
    if wait > 0:
        raise CommandError(
            f"A digest was shared in this channel moments ago; wait {int(wait) + 1} s.",
            "Or ask without `share:yes` to see it yourself now.",
        )
    svc.cooldowns[key] = now


async def _topic_articles(svc: Services, topic: Topic, req: CommandRequest) -> tuple[list[Article], str | None]:
    """The topic's newest articles, selected by topic and time in the store: a config topic through
    its index (``article_topics``), a workspace keyword topic by reading back until enough match."""
    since_text = req.options.get("since")
    since = parse_since(since_text, svc.now()) if since_text else None
    scope = (req.channel.platform, req.channel.workspace_id)
    if svc.db.status.topics.get(topic.id) == topic:
        articles = await svc.db.articles.for_topic(topic.id, since=since, limit=RECENT_LIMIT, scope=scope)
        return matching(topic, articles), since_text
    found: list[Article] = []
    offset = 0
    while len(found) < RECENT_LIMIT:
        page = await svc.db.articles.recent(since=since, limit=RECENT_LIMIT, scope=scope, offset=offset)
        found.extend(matching(topic, page))
        if len(page) < RECENT_LIMIT or offset >= 50 * RECENT_LIMIT:  # the whole store, or 100,000 read
            break
        offset += len(page)
    return found[:RECENT_LIMIT], since_text


async def handle_digest(req: CommandRequest, svc: Services) -> Reply:
    """``digest [TOPIC] [since:24h]``: the newest stories on a topic, now, in this channel."""
    if len(req.args) > 1:
        raise CommandError("Too many arguments.", "Usage: `/news digest [TOPIC] [since:24h]`.")
    topic_id = req.args[0] if req.args else None
    if topic_id is None:
        subs = await svc.db.subscriptions.list(
            platform=req.channel.platform, workspace_id=req.channel.workspace_id, channel_id=req.channel.channel_id
        )
        if len(subs) == 1:
            topic_id = subs[0].topic_id
    topic = resolve_topic(svc, topic_id, topics=await channel_topics(svc, req))
    _check_cooldown(req, svc)
    articles, _ = await _topic_articles(svc, topic, req)
    since = parse_since(req.options["since"], svc.now()) if "since" in req.options else None
    message = build_digest(
        topic,
        group_stories(articles),
        now=svc.now(),
        since=since,
        max_stories=svc.settings.digest_max_stories,
        max_sentences=svc.settings.summary_sentences,
    )
    return Reply(message, ephemeral=not req.share)


PREVIEW_ARTICLES = 500  # how far back a preview looks: the newest articles this workspace sees
PREVIEW_SHOWN = 10


async def handle_topics(req: CommandRequest, svc: Services) -> Reply:
    """``topics``: every topic this workspace can subscribe to, with this channel's subscriptions;
    ``topics preview TOPIC``: the recent headlines the topic would match, and why."""
    if req.args and req.args[0].lower() == "preview":
        return await _preview(req, svc)
    if req.args:
        raise CommandError(f"Unknown `topics {req.args[0]}`.", "Usage: `/news topics` or `/news topics preview TOPIC`.")
    subs = await svc.db.subscriptions.list(
        platform=req.channel.platform, workspace_id=req.channel.workspace_id, channel_id=req.channel.channel_id
    )
    subscribed = {s.topic_id: s for s in subs}
    lines = []
    for topic in sorted((await channel_topics(svc, req)).values(), key=lambda t: t.id):
        extra = []
        if topic.status_states:
            extra.append("status tracking")
        if topic.aliases:
            extra.append(", ".join(f"/{a}" for a in topic.aliases))
        if topic.id in subscribed:
            extra.append(f"subscribed here: {subscribed[topic.id].schedule} {subscribed[topic.id].timezone}")
        note = f" ({'; '.join(extra)})" if extra else ""
        lines.append(Line(f"{topic.id}: {topic.title}{note}. {topic.description}".strip()))
    return Reply(
        Message(title=f"{len(lines)} topics", sections=(Section(None, tuple(lines)),)), ephemeral=not req.share
    )


async def _preview(req: CommandRequest, svc: Services) -> Reply:
    if len(req.args) != 2:
        raise CommandError(
            "Which topic?", "Usage: `/news topics preview TOPIC`, e.g. `/news topics preview ceasefire`."
        )
    topic = resolve_topic(svc, req.args[1], topics=await channel_topics(svc, req))
    scope = (req.channel.platform, req.channel.workspace_id)
    articles = await svc.db.articles.recent(limit=PREVIEW_ARTICLES, scope=scope)
    matched: list[tuple[Article, str]] = []
    near: list[tuple[Article, str]] = []  # mentioned, but not enough: what a tweak would change
    for article in articles:
        rel = topic.relevance(article.title, article.text, article.source)
        if rel.matched:
            matched.append((article, rel.reason()))
        elif rel.hits or rel.ignored:
            near.append((article, rel.reason()))
    sections = []
    if matched:
        sections.append(
            Section(
                f"Would match ({len(matched)} of the newest {len(articles)})",
                tuple(
                    Line(f"{a.title} — {why}", url=a.url, source=a.source, when=a.when)
                    for a, why in matched[:PREVIEW_SHOWN]
                ),
            )
        )
    if near:
        sections.append(
            Section(
                f"Mentioned but not matched ({len(near)})",
                tuple(
                    Line(f"{a.title} — {why}", url=a.url, source=a.source, when=a.when)
                    for a, why in near[: PREVIEW_SHOWN // 2]
                ),
            )
        )
    intro = (
        f"How `{topic.id}` reads the newest {len(articles)} articles of this workspace: an article matches when "
        "the topic's phrases are in its headline or lead, or come up often; part of a longer name does not count."
    )
    if not matched:
        intro += " Nothing recent would match."
    return Reply(
        Message(title=f"Preview: {topic.title}", intro=intro, sections=tuple(sections)), ephemeral=not req.share
    )


async def handle_status(req: CommandRequest, svc: Services) -> Reply:
    """``status TOPIC [since:24h]``: where a tracked story stands, with the evidence; what changed
    since the previous answer in this channel (or since the given time)."""
    if len(req.args) > 1:
        raise CommandError("Too many arguments.", "Usage: `/news status TOPIC [since:24h]`.")
    topic = resolve_topic(
        svc, req.args[0] if req.args else None, need_status=True, topics=await channel_topics(svc, req)
    )
    as_of = svc.now()
    if "as-of" in req.options:
        as_of = parse_since(req.options["as-of"], as_of)
    report = await status_report(svc, topic, req, as_of=as_of)
    return Reply(status_message(report), ephemeral=not req.share)


async def status_report(svc: Services, topic: Topic, req: CommandRequest, *, as_of: datetime) -> StatusReport:
    """Build the report from the status index, and remember this answer for the channel.

    Nothing is cached between answers; each reads, on one connection: this channel's last answer,
    the scoring keys of the window's cue sentences (one covering index, no text), the newest 20
    articles, and then the text of only the few sentences the answer shows.
    """
    scope = (req.channel.platform, req.channel.workspace_id)
    window = timedelta(days=topic.status_window_days)
    key = (req.channel.platform, req.channel.workspace_id, req.channel.channel_id, topic.id)
    async with svc.db.status.view(scope) as view:
        previous = await view.last_answer(*key)
        if "since" in req.options:
            previous = (previous[0] if previous else None, parse_since(req.options["since"], as_of))
        for _ in range(3):
            cues = await view.cues(topic.id, since=as_of - window, until=as_of)
            recent = await view.recent(topic.id, until=as_of, limit=20)
            verdict = judge(topic, cues, recent, as_of=as_of, previous=previous)
            texts = await view.texts(verdict.shown)
            if verdict.shown <= texts.keys():
                break  # else an article was re-indexed between the reads: read again
        report = verdict.report(texts)
        if "as-of" not in req.options:
            await view.record_answer(*key, report.state.id if report.state else None, as_of)
    return report
