"""Asking the news: ``search`` the store, a person's ``quotes``, one ``story`` in full. Everyone may
run them; answers are private unless ``share:yes``. Every wrong input gets one line saying what to
type instead."""

from __future__ import annotations

import difflib
from datetime import datetime

from bot.handlers.news import channel_topics, resolve_topic
from bot.handlers.parse import parse_since
from bot.handlers.replies import text_reply
from bot.handlers.request import CommandRequest
from bot.services import Services
from digests.answers import quotes_message, search_message, story_message
from digests.errors import CommandError
from digests.message import Reply
from digests.store.search import ArticleFilter, name_tokens, parse_query
from digests.topics import Topic

__all__ = ["MAX_PERSON_CHARS", "handle_quotes", "handle_search", "handle_story"]

MAX_PERSON_CHARS = 100
MAX_RESULTS = 10
DEFAULT_RESULTS = 5
MAX_STORY_ID = 2**63 - 1


def _scope(req: CommandRequest) -> tuple[str, str]:
    return (req.channel.platform, req.channel.workspace_id)


def _limit(req: CommandRequest) -> int:
    text = req.options.get("max")
    if text is None:
        return DEFAULT_RESULTS
    if not text.isdigit() or not 1 <= int(text) <= MAX_RESULTS:
        raise CommandError(f"Cannot read `max:{text}`.", f"Use a number from 1 to {MAX_RESULTS}, e.g. `max:5`.")
    return int(text)


async def _filters(
    req: CommandRequest, svc: Services
) -> tuple[Topic | None, str | None, ArticleFilter | None, datetime | None, dict[str, Topic]]:
    """The ``topic:`` and ``since:`` options: the topic (its id when the index keeps it, else a
    filter), and the time."""
    since = parse_since(req.options["since"], svc.now()) if "since" in req.options else None
    topics = await channel_topics(svc, req)
    topic = resolve_topic(svc, req.options["topic"], topics=topics) if "topic" in req.options else None
    if topic is None:
        return None, None, None, since, topics
    if topic.workspace_id is None:  # config topics are kept at ingest (article_topics)
        return topic, topic.id, None, since, topics
    return topic, None, topic.matches, since, topics


async def handle_search(req: CommandRequest, svc: Services) -> Reply:
    """``search WORDS [topic:T] [since:7d]``: stories whose articles contain every word (and
    "quoted phrase"), best first."""
    query = parse_query(req.args)
    limit = _limit(req)
    topic, topic_id, keep, since, topics = await _filters(req, svc)
    stories = await svc.db.search.search(
        query, scope=_scope(req), since=since, topic_id=topic_id, keep=keep, limit=limit
    )
    if stories:
        message = search_message(str(query), stories, topic=topic.id if topic else None, since=since)
        return Reply(message, ephemeral=not req.share)
    hints = []
    if topic is not None or since is not None:
        hints.append("Try without `topic:` or `since:`.")
    closest = await _closest_topic(svc, req, str(query), topics, since)
    if closest is not None:
        hints.append(f"Closest topic: {closest.id} ({closest.title}): `/news digest {closest.id}`.")
    hints.append("Try fewer or other words; every word must appear.")
    return text_reply(f"Nothing matches “{query}”.", " ".join(hints))


async def _closest_topic(
    svc: Services, req: CommandRequest, query: str, topics: dict[str, Topic], since: datetime | None
) -> Topic | None:
    """The topic most of the articles matching any one of the words belong to; else the topic
    whose name or title is nearest to a word of the query."""
    counts = await svc.db.search.topic_counts(parse_query(req.args), scope=_scope(req), since=since)
    counts = {t: n for t, n in counts.items() if t in topics}
    if counts:
        return topics[max(sorted(counts), key=lambda t: counts[t])]
    names = {t.id: t for t in topics.values()} | {t.title.casefold(): t for t in topics.values()}
    for word in query.casefold().split():
        near = difflib.get_close_matches(word.strip('"'), list(names), n=1, cutoff=0.75)
        if near:
            return names[near[0]]
    return None


async def handle_quotes(req: CommandRequest, svc: Services) -> Reply:
    """``quotes PERSON [topic:T] [since:7d]``: the person's confidently attributed quotes, newest
    first, verbatim and linked."""
    person = " ".join(req.args).strip()
    example = "Type a surname or full name as the articles give it, e.g. `/news quotes Zelensky`."
    if not person or not name_tokens(person):
        raise CommandError("Whose quotes?", example)
    if len(person) > MAX_PERSON_CHARS:
        raise CommandError(f"That name is {len(person)} characters long; the limit is {MAX_PERSON_CHARS}.", example)
    limit = _limit(req)
    topic, topic_id, keep, since, _ = await _filters(req, svc)
    hits = await svc.db.search.quotes(person, scope=_scope(req), since=since, topic_id=topic_id, keep=keep, limit=limit)
    if not hits:
        near = [name for name, _ in await svc.db.search.people(name_tokens(person)[-1][:3], scope=_scope(req))]
        near = difflib.get_close_matches(person, near, n=3, cutoff=0.5) or near[:3]
        hint = f"Quoted people with similar names: {', '.join(near)}." if near else example
        where = " with these options" if (topic or since) else ""
        raise CommandError(f"No quotes by {person}{where} that the articles clearly attribute.", hint)
    message = quotes_message(
        person, [(h.quote, h.article) for h in hits], topic=topic.id if topic else None, since=since
    )
    return Reply(message, ephemeral=not req.share)


async def handle_story(req: CommandRequest, svc: Services) -> Reply:
    """``story ID``: one story in full (every outlet's headline and link in time order, the summary,
    key quotes and figures)."""
    hint = "Story ids are the numbers shown in digests and search results, e.g. `/news story 12`."
    if len(req.args) != 1:
        raise CommandError("Which story?" if not req.args else "Too many arguments.", hint)
    text = req.args[0].strip().lstrip("#")
    if not text.isdigit() or not 0 < int(text) <= MAX_STORY_ID:
        raise CommandError(f"`{req.args[0][:40]}` is not a story id.", hint)
    story = await svc.db.search.story(int(text), scope=_scope(req))
    if story is None:
        raise CommandError(
            f"No story {text} here.", "Find stories with `/news search WORDS`; " + hint[0].lower() + hint[1:]
        )
    return Reply(story_message(story, max_sentences=max(svc.settings.summary_sentences, 3)), ephemeral=not req.share)
