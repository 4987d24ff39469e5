"""``newsbot stories regroup``: group stored articles again with the current rule.

Articles are replayed in the order they were stored, each grouped with the already-replayed ones
exactly as ingest would (index look-up, then average linkage over the neighbourhood); articles
outside ``since`` keep their stories and may be joined. Feature counts are rebuilt first when they
do not cover every stored article (a database from before the counts existed).

Nothing is posted twice: a story that keeps exactly its articles keeps its id; any other result gets
a new id, with ``story_lineage`` rows naming the stories its articles came from, so a regrouped
story made only of articles already posted to a channel is not new news there
(``DeliveryStore.posted_story_ids``). A story no longer holding articles is deleted unless it was
posted (the ledger still names it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from digests.store.grouping import (
    MAX_MEMBERS,
    MAX_NEIGHBOUR_STORIES,
    Evidence,
    candidate_articles,
    count_terms,
    drop_empty_stories,
    index_article,
    nearest_stories,
    signature_of,
    total_counted,
)
from digests.store.tables import ArticleRow, StoryKeyRow, StoryLineageRow, StoryRow, TermCountRow
from digests.stories import evidence
from digests.stories.evidence import Item

__all__ = ["RegroupReport", "regroup"]

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass
class RegroupReport:
    articles: int = 0
    stories_before: int = 0
    stories_after: int = 0
    unchanged: int = 0  # stories that kept exactly their articles
    recounted: bool = False

    def summary(self) -> str:
        return (
            f"{self.articles} articles regrouped: {self.stories_before} stories before, {self.stories_after} after"
            f" ({self.unchanged} unchanged)" + ("; feature counts rebuilt" if self.recounted else "")
        )


def _when() -> Any:
    return func.coalesce(ArticleRow.published, ArticleRow.ingested_at)


async def regroup(
    sessions: async_sessionmaker[AsyncSession],
    *,
    since: datetime | None = None,
    batch: int = 500,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> RegroupReport:
    """Regroup the stored articles (those since ``since``, by publication date else first seen)."""
    now = now or datetime.now(UTC)
    report = RegroupReport()
    async with sessions() as session:
        query = select(ArticleRow.id, ArticleRow.story_id).order_by(ArticleRow.id)
        if since is not None:
            query = query.where(_when() >= since)
        original = {int(a): int(s) for a, s in (await session.execute(query)).all()}
        stored = int((await session.execute(select(func.count()).select_from(ArticleRow))).scalar_one())
        counted = await total_counted(session)
    report.articles = len(original)
    report.stories_before = len(set(original.values()))
    if since is None or counted != stored:
        await _recount_simple(sessions, batch, progress)
        report.recounted = True
    ids = list(original)
    async with sessions() as session:
        for start in range(0, len(ids), 900):
            await session.execute(delete(StoryKeyRow).where(StoryKeyRow.article_id.in_(ids[start : start + 900])))
        await session.commit()
    labels: dict[int, int] = {}  # replayed article -> group label (negative, this run's own)
    members: dict[int, set[int]] = defaultdict(set)
    next_label = -1
    for start in range(0, len(ids), batch):
        async with sessions() as session:
            rows = (
                (await session.execute(select(ArticleRow).where(ArticleRow.id.in_(ids[start : start + batch]))))
                .scalars()
                .all()
            )
            for row in sorted(rows, key=lambda r: r.id):
                sig = signature_of(row)
                ev = Evidence(session)
                await ev.load(sig.features)
                weights = ev.weigh(sig)
                me = Item(row.id, None, weights, sig.span, sig.minhash)
                cands = await candidate_articles(session, sig, weights, ev, exclude=row.id)
                items = await _neighbours(session, ev, me, cands, labels, members, original)
                groups = evidence.cluster(items)
                for group in groups:
                    fixed = next((it.label for it in group if it.fixed), None)
                    if fixed is not None:
                        label = int(fixed)  # joins a story outside the range: its id
                    else:
                        votes = Counter(it.label for it in group if it.label is not None and it.label < 0)
                        label = votes.most_common(1)[0][0] if votes else next_label
                        if label == next_label:
                            next_label -= 1
                    for it in group:
                        if it.fixed:
                            continue
                        old = labels.get(it.key)
                        if old is not None and old != label:
                            members[old].discard(it.key)
                        labels[it.key] = label
                        members[label].add(it.key)
                await index_article(session, row.id, sig, weights, ev)
            await session.commit()
        if progress:
            progress("grouping", min(start + batch, len(ids)), len(ids))
    async with sessions() as session:
        report.unchanged, report.stories_after = await _write(session, labels, original, now)
        await session.commit()
    return report


async def _recount_simple(sessions: async_sessionmaker[AsyncSession], batch: int, progress: Progress | None) -> None:
    """Rebuild ``term_counts`` from every stored article (and refresh old signatures)."""
    async with sessions() as session:
        total = int((await session.execute(select(func.count()).select_from(ArticleRow))).scalar_one())
        await session.execute(delete(TermCountRow))
        await session.commit()
    done, last = 0, 0
    while True:
        async with sessions() as session:
            rows = (
                (
                    await session.execute(
                        select(ArticleRow).where(ArticleRow.id > last).order_by(ArticleRow.id).limit(batch)
                    )
                )
                .scalars()
                .all()
            )
            if not rows:
                break
            for row in rows:
                sig = signature_of(row)
                if row.signature is None or row.signature.get("v") != sig.to_json()["v"]:
                    row.signature = sig.to_json()
                await count_terms(session, sig.features)
            await session.commit()
            last = rows[-1].id
            done += len(rows)
        if progress:
            progress("counting features", done, total)


async def _neighbours(
    session: AsyncSession,
    ev: Evidence,
    me: Item,
    candidates: list[int],
    labels: dict[int, int],
    members: dict[int, set[int]],
    original: dict[int, int],
) -> list[Item]:
    """``me`` and the articles of the groups its candidates belong to: replayed ones by their label
    in this run, others (outside the range) as their fixed story."""
    group_of: dict[int, int] = {}
    outside = [c for c in candidates if c not in original]
    for c in candidates:
        if c in labels:
            group_of.setdefault(labels[c], c)
    if outside:
        for article_id, story_id in (
            await session.execute(select(ArticleRow.id, ArticleRow.story_id).where(ArticleRow.id.in_(outside[:500])))
        ).all():
            group_of.setdefault(int(story_id), int(article_id))
    chosen = list(group_of)[: 2 * MAX_NEIGHBOUR_STORIES]
    wanted: dict[int, int] = {}  # article -> label
    fixed: set[int] = set()
    for label in chosen:
        if label < 0:
            for a in sorted(members[label])[-MAX_MEMBERS:]:
                wanted[a] = label
        else:
            found = await session.execute(
                select(ArticleRow.id)
                .where(ArticleRow.story_id == label)
                .order_by(ArticleRow.id.desc())
                .limit(MAX_MEMBERS)
            )
            for (a,) in found.all():
                if a not in original:
                    wanted[int(a)] = label
                    fixed.add(int(a))
    if not wanted:
        return [me]
    rows = (await session.execute(select(ArticleRow).where(ArticleRow.id.in_(list(wanted))))).scalars().all()
    sigs = {row.id: signature_of(row) for row in rows}
    await ev.load(t for s in sigs.values() for t in s.features)
    by_label: dict[int, list[Item]] = defaultdict(list)
    for row in rows:
        s = sigs[row.id]
        by_label[wanted[row.id]].append(Item(row.id, wanted[row.id], ev.weigh(s), s.span, s.minhash, row.id in fixed))
    return nearest_stories(me, by_label)


async def _write(
    session: AsyncSession, labels: dict[int, int], original: dict[int, int], now: datetime
) -> tuple[int, int]:
    """Story ids for the groups of this run; returns (stories unchanged, stories now holding the
    replayed articles)."""
    groups: dict[int, set[int]] = defaultdict(set)
    for article, label in labels.items():
        groups[label].add(article)
    old_sets: dict[int, set[int]] = defaultdict(set)
    posted: set[int] = set()
    stories = sorted(set(original.values()))
    for start in range(0, len(stories), 900):
        part = stories[start : start + 900]
        for row_id, story_id in (
            await session.execute(select(ArticleRow.id, ArticleRow.story_id).where(ArticleRow.story_id.in_(part)))
        ).all():
            old_sets[int(story_id)].add(int(row_id))
        posted |= {
            int(s)
            for (s,) in (
                await session.execute(select(StoryRow.id).where(StoryRow.id.in_(part), StoryRow.posted_at.isnot(None)))
            ).all()
        }
    taken: set[int] = set()
    unchanged = 0
    final: set[int] = set()
    for label, arts in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        if label > 0:  # joined a story outside the range
            story_id = label
        else:
            olds = Counter(original[a] for a in arts)
            biggest = olds.most_common(1)[0][0]
            if old_sets[biggest] == arts and biggest not in taken:
                unchanged += 1
                story_id = biggest
            elif biggest not in taken and not (set(olds) & posted):
                story_id = biggest  # never posted: the id may carry the new grouping
            else:
                story = StoryRow(title=await _title(session, min(arts)), created_at=now, updated_at=now)
                session.add(story)
                await session.flush()
                story_id = story.id
                session.add_all(StoryLineageRow(story_id=story_id, parent_id=p) for p in sorted(set(olds)))
        taken.add(story_id)
        final.add(story_id)
        moved = sorted(a for a in arts if original[a] != story_id)
        for start in range(0, len(moved), 900):
            await session.execute(
                update(ArticleRow).where(ArticleRow.id.in_(moved[start : start + 900])).values(story_id=story_id)
            )
    await session.flush()
    empty = sorted(set(stories) - taken)
    for start in range(0, len(empty), 900):
        await drop_empty_stories(session, empty[start : start + 900])
    return unchanged, len(final)


async def _title(session: AsyncSession, article_id: int) -> str:
    return str((await session.execute(select(ArticleRow.title).where(ArticleRow.id == article_id))).scalar_one())
