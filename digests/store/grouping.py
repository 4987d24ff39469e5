"""Choosing the story of an article at ingest, from the stories of articles that share its rarest
features, and keeping the evidence grouping needs in the store.

* ``term_counts``: how many stored articles have each feature (document frequency), updated at
  ingest, so the weight of "Trump" or "Ship 36" reflects what this deployment reads;
* ``story_keys``: the candidate index, each article's rarest features and MinHash bands (LSH, as
  datasketch's ``MinHashLSH`` does it, but in the database so every process shares it) with the
  days it may have been published; a new article reads only the postings of its own keys in its
  time window, so the cost per article does not grow with the number of articles stored.

The new article and the members of its candidate stories are then grouped afresh by average linkage
(``digests.stories.evidence.cluster``): a story already posted to a channel is kept whole, the
others may be re-formed, so the result does not depend much on the order articles arrive in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from digests.ingest.dates import url_date
from digests.store.tables import ArticleRow, StoryKeyRow, StoryRow, TermCountRow
from digests.stories import evidence
from digests.stories.evidence import Item, Span, index_keys, term_key, weigh
from digests.stories.signature import Signature, signature

__all__ = [
    "MAX_CANDIDATE_STORIES",
    "RARE_DF",
    "Evidence",
    "band_keys",
    "candidate_articles",
    "count_terms",
    "drop_empty_stories",
    "index_article",
    "place_article",
    "signature_of",
    "span_of",
    "total_counted",
]

TOTAL_KEY = 0  # term_counts row holding the number of articles counted
RARE_DF = 50  # a key this rare is looked up at any time (undated articles); others only in the window
MAX_POSTINGS = 500  # postings read per new article
MAX_CANDIDATE_STORIES = 12  # stories that share the most keys with the new article
MAX_MEMBERS = 30  # newest members of a candidate story taken into account
MAX_NEIGHBOUR_STORIES = 6  # candidate stories close enough to be grouped again with the article
BANDS, ROWS = 16, 4  # MinHash LSH: Jaccard 0.6 shares a band with probability ~0.9
_CHUNK = 500


def band_keys(minhash: Sequence[int]) -> list[int]:
    if len(minhash) < BANDS * ROWS:
        return []
    return [term_key(f"#b{b}:" + ".".join(str(v) for v in minhash[b * ROWS : (b + 1) * ROWS])) for b in range(BANDS)]


def span_of(published: datetime | None, url: str | None) -> Span | None:
    """The days an article may have been published: its day, the month of its URL, or None."""
    if published is not None:
        day = published.date().toordinal()
        return (day, day)
    return url_date(url)[1]


def signature_of(row: ArticleRow) -> Signature:
    """The stored signature of ``row``, recomputed when missing or of an older version."""
    stored: dict[str, Any] | None = row.signature
    sig = Signature.from_json(stored) if stored else None
    if sig is None:
        sig = signature(row.title, row.text, span_of(row.published, row.url))
    return sig


def _insert(session: AsyncSession) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


async def count_terms(session: AsyncSession, terms: Iterable[str], delta: int = 1) -> None:
    """Add ``delta`` to the document frequency of each feature, and to the article total."""
    keys = sorted({term_key(t) for t in terms} | {TOTAL_KEY})
    stmt = _insert(session)(TermCountRow)
    # one statement, many parameter sets: compiled once (a VALUES list per call is recompiled each time)
    stmt = stmt.on_conflict_do_update(index_elements=["key"], set_={"df": TermCountRow.df + stmt.excluded.df})
    await session.execute(stmt, [{"key": k, "df": delta} for k in keys])


class Evidence:
    """Document frequencies read from ``term_counts`` during one grouping step (cached)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._df: dict[str, int] = {}
        self.total = 0

    async def load(self, terms: Iterable[str]) -> None:
        missing = sorted({t for t in terms if t not in self._df})
        by_key = {term_key(t): t for t in missing}
        for t in missing:
            self._df[t] = 0
        keys = list(by_key)
        if not self.total:
            keys.append(TOTAL_KEY)
        for start in range(0, len(keys), _CHUNK):
            rows = await self._session.execute(
                select(TermCountRow.key, TermCountRow.df).where(TermCountRow.key.in_(keys[start : start + _CHUNK]))
            )
            for key, df in rows.all():
                if key == TOTAL_KEY:
                    self.total = int(df)
                elif key in by_key:
                    self._df[by_key[key]] = int(df)

    def df(self, term: str) -> int:
        return self._df.get(term, 0)

    def weigh(self, sig: Signature) -> dict[str, float]:
        return weigh(sig.features, self.df, max(self.total, 1))


@dataclass
class _Member:
    row: ArticleRow
    sig: Signature
    label: int
    fixed: bool


async def index_article(
    session: AsyncSession, article_id: int, sig: Signature, weights: Mapping[str, float], ev: Evidence
) -> None:
    """(Re)write the candidate-index postings of one article."""
    await session.execute(delete(StoryKeyRow).where(StoryKeyRow.article_id == article_id))
    keys = {term_key(t) for t in index_keys(weights)} | set(band_keys(sig.minhash))
    lo, hi = sig.span if sig.span else (None, None)
    if keys:
        await session.execute(
            _insert(session)(StoryKeyRow).on_conflict_do_nothing(),
            [{"key": k, "article_id": article_id, "lo": lo, "hi": hi} for k in sorted(keys)],
        )


async def candidate_articles(
    session: AsyncSession, sig: Signature, weights: Mapping[str, float], ev: Evidence, exclude: int | None = None
) -> list[int]:
    """Stored articles that share index keys with this one, most shared keys first."""
    top = index_keys(weights)
    bands = band_keys(sig.minhash)
    rare = [term_key(t) for t in top if ev.df(t) <= RARE_DF] + bands
    hits: Counter[int] = Counter()
    queries = []
    if sig.span is not None:
        lo, hi = sig.span
        w = evidence.WINDOW_DAYS
        queries.append(
            select(StoryKeyRow.article_id).where(
                StoryKeyRow.key.in_([term_key(t) for t in top] + bands),
                StoryKeyRow.lo.between(lo - w - 31, hi + w),  # month spans are at most 31 days long
                StoryKeyRow.hi >= lo - w,
            )
        )
        if rare:
            queries.append(select(StoryKeyRow.article_id).where(StoryKeyRow.key.in_(rare), StoryKeyRow.lo.is_(None)))
    elif rare:
        queries.append(select(StoryKeyRow.article_id).where(StoryKeyRow.key.in_(rare)))
    for query in queries:
        for (article_id,) in (await session.execute(query.limit(MAX_POSTINGS))).all():
            if article_id != exclude:
                hits[int(article_id)] += 1
    return [a for a, _ in hits.most_common()]


async def _story_members(session: AsyncSession, article_ids: Sequence[int], exclude: int | None) -> list[_Member]:
    """The members of the stories of ``article_ids`` (the stories sharing most keys first)."""
    if not article_ids:
        return []
    story_rows = await session.execute(
        select(ArticleRow.id, ArticleRow.story_id).where(ArticleRow.id.in_(list(article_ids[:MAX_POSTINGS])))
    )
    order = {a: n for n, a in enumerate(article_ids)}
    story_hits: Counter[int] = Counter()
    first: dict[int, int] = {}
    for article_id, story_id in story_rows.all():
        story_hits[story_id] += 1
        first[story_id] = min(first.get(story_id, 1 << 30), order[article_id])
    stories = sorted(story_hits, key=lambda s: (-story_hits[s], first[s]))[:MAX_CANDIDATE_STORIES]
    if not stories:
        return []
    posted = {
        sid
        for (sid,) in (
            await session.execute(select(StoryRow.id).where(StoryRow.id.in_(stories), StoryRow.posted_at.isnot(None)))
        ).all()
    }
    members: list[_Member] = []
    for story_id in stories:
        rows = (
            (
                await session.execute(
                    select(ArticleRow)
                    .where(ArticleRow.story_id == story_id)
                    .order_by(ArticleRow.id.desc())
                    .limit(MAX_MEMBERS)
                )
            )
            .scalars()
            .all()
        )
        for row in rows:
            if row.id != exclude:
                members.append(_Member(row, signature_of(row), story_id, story_id in posted))
    return members


def _neighbourhood(me: Item, members: Sequence[_Member], weights: Mapping[int, dict[str, float]]) -> list[Item]:
    """The new article and the members of the candidate stories close enough to matter."""
    by_label: dict[int, list[Item]] = defaultdict(list)
    for m in members:
        by_label[m.label].append(
            Item(m.row.id, m.label, weights[m.row.id], m.sig.span, m.sig.minhash, m.fixed, {"row": m.row})
        )
    return nearest_stories(me, by_label)


def nearest_stories(me: Item, by_label: Mapping[int, Sequence[Item]]) -> list[Item]:
    """``me`` and the members of the (at most MAX_NEIGHBOUR_STORIES) stories whose members agree with
    it on average, best first: the neighbourhood grouped again with the article."""
    scored = []
    for label, items in by_label.items():
        mean = sum(evidence.pair_similarity(me, it) for it in items) / len(items)
        if mean >= evidence.THRESHOLD / 2:
            scored.append((mean, label))
    scored.sort(reverse=True)
    out = [me]
    for _, label in scored[:MAX_NEIGHBOUR_STORIES]:
        out.extend(by_label[label])
    return out


async def place_article(
    session: AsyncSession, sig: Signature, *, title: str, now: datetime, article_id: int | None = None
) -> tuple[int, dict[str, float], Evidence]:
    """Count the new article's features, group it with its neighbours, and return its story id
    (a new story when it joins none). Members of re-formed stories are moved in this session."""
    await count_terms(session, sig.features)
    ev = Evidence(session)
    await ev.load(sig.features)
    weights = ev.weigh(sig)
    me = Item(-1, None, weights, sig.span, sig.minhash)
    members = await _story_members(
        session, await candidate_articles(session, sig, weights, ev, exclude=article_id), article_id
    )
    if not members:
        return await _new_story(session, title, now), weights, ev
    await ev.load(t for m in members for t in m.sig.features)
    member_weights = {m.row.id: ev.weigh(m.sig) for m in members}
    groups = evidence.cluster(_neighbourhood(me, members, member_weights))
    story_id = await _write_groups(session, groups, title=title, now=now)
    return story_id, weights, ev


async def _new_story(session: AsyncSession, title: str, now: datetime) -> int:
    story = StoryRow(title=title, created_at=now, updated_at=now)
    session.add(story)
    await session.flush()
    return story.id


async def _write_groups(session: AsyncSession, groups: list[list[Item]], *, title: str, now: datetime) -> int:
    """Give each group a story id (a posted story keeps its own; else the id most of its members
    had, once), move the members whose story changed, drop stories left empty; the new article's
    (key -1) story id is returned."""
    taken: set[int] = set()
    mine = -1
    old_labels = {it.label for g in groups for it in g if it.label is not None}
    ordered = sorted(groups, key=lambda g: (not any(it.fixed for it in g), -len(g)))
    for group in ordered:
        fixed = next((it.label for it in group if it.fixed), None)
        if fixed is not None:
            story_id: int | None = fixed
        else:
            votes = Counter(it.label for it in group if it.label is not None and it.label not in taken)
            story_id = votes.most_common(1)[0][0] if votes else None
        if story_id is None:
            story_id = await _new_story(session, title, now)
        taken.add(story_id)
        moved = [it.key for it in group if it.key >= 0 and it.label != story_id]
        if moved:
            await session.execute(update(ArticleRow).where(ArticleRow.id.in_(moved)).values(story_id=story_id))
        if any(it.key == -1 for it in group):
            mine = story_id
        else:
            await session.execute(update(StoryRow).where(StoryRow.id == story_id).values(updated_at=now))
    await drop_empty_stories(session, old_labels - taken)
    return mine


async def drop_empty_stories(session: AsyncSession, story_ids: Collection[int]) -> None:
    """Delete the stories among ``story_ids`` that have no article left and were never posted."""
    if not story_ids:
        return
    still = select(ArticleRow.story_id).where(ArticleRow.story_id.in_(list(story_ids)))
    await session.execute(
        delete(StoryRow).where(
            StoryRow.id.in_(list(story_ids)), StoryRow.posted_at.is_(None), StoryRow.id.not_in(still)
        )
    )


async def total_counted(session: AsyncSession) -> int:
    value = (await session.execute(select(TermCountRow.df).where(TermCountRow.key == TOTAL_KEY))).scalar()
    return int(value or 0)
