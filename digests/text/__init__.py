"""Platform-neutral text analysis of English news: sentences, summaries, quotes, key figures.

Pure Python; nothing is downloaded at run time. Every string returned is verbatim from the input
text, and every offset is a Python ``str`` index into it.
"""

from __future__ import annotations

from digests.models import Analysis
from digests.text.figures import extract_figures
from digests.text.quotes import extract_quotes
from digests.text.sentences import sentences, split_sentences
from digests.text.summarize import summarize, summarize_story

__all__ = [
    "analyze",
    "extract_figures",
    "extract_quotes",
    "sentences",
    "split_sentences",
    "summarize",
    "summarize_story",
]


def analyze(text: str, title: str | None = None, *, max_sentences: int = 3) -> Analysis:
    """Analyse one article: an extractive summary, its direct quotations and its key figures."""
    return Analysis(
        summary=tuple(summarize(text, title, max_sentences=max_sentences)),
        quotes=tuple(extract_quotes(text)),
        figures=tuple(extract_figures(text)),
    )
