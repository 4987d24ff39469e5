"""Ingest → analyse → store, for any source of ``ArticleInput`` (files now, feeds and pages later).

Analysis is CPU-bound, so it runs in a worker thread, off the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field

from digests.ingest.files import IngestError
from digests.models import Analysis, ArticleInput
from digests.store import ArticleStore, Outcome
from digests.text import analyze

__all__ = ["IngestReport", "analyze_input", "ingest_items"]

MAX_TEXT_CHARS = 400_000  # about 60,000 words; longer bodies are refused rather than truncated


@dataclass
class IngestReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[IngestError] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)  # files in a folder of a type we cannot read
    files: int = 0  # files read (file ingests)

    @property
    def ok(self) -> bool:
        """No input failed (files of an unsupported type skipped in a folder are counted apart)."""
        return not self.errors

    def add(self, other: IngestReport) -> None:
        """Add ``other``'s counts and errors to this report."""
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.errors.extend(other.errors)
        self.unsupported.extend(other.unsupported)
        self.files += other.files

    def summary(self) -> str:
        text = f"{self.created} new, {self.updated} updated, {self.unchanged} unchanged, {len(self.errors)} failed"
        return text + (f", {len(self.unsupported)} skipped (unsupported type)" if self.unsupported else "")


async def analyze_input(item: ArticleInput, *, max_sentences: int = 3) -> Analysis:
    """Analyse an article in a worker thread."""
    return await asyncio.to_thread(analyze, item.text, item.title, max_sentences=max_sentences)


async def ingest_items(
    store: ArticleStore, items: Iterable[ArticleInput | IngestError], *, max_sentences: int = 3
) -> IngestReport:
    """Store every good item; record every bad one. One bad item never stops the others."""
    report = IngestReport()

    async def _analyze(item: ArticleInput) -> Analysis:
        return await analyze_input(item, max_sentences=max_sentences)

    for item in items:
        if isinstance(item, IngestError):
            report.errors.append(item)
            continue
        origin = item.origin or item.url or item.title[:60]
        if len(item.text) > MAX_TEXT_CHARS:
            report.errors.append(IngestError(origin, f"article text too long ({len(item.text):,} characters)"))
            continue
        try:
            result = await store.upsert(item, _analyze)
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the batch
            report.errors.append(IngestError(origin, f"could not store: {type(exc).__name__}: {exc}"))
            continue
        if result.outcome is Outcome.CREATED:
            report.created += 1
        elif result.outcome is Outcome.UPDATED:
            report.updated += 1
        else:
            report.unchanged += 1
    return report
