"""Platform-neutral text analysis of news: sentences, summaries, quotes, key figures, language.

Pure Python; nothing is downloaded at run time. Every string returned is verbatim from the input
text, and every offset is a Python ``str`` index into it. Attribution and scored summaries are for
English; other languages (detected, see ``detect_language``) get a summary by position and their
quotations without speakers.
"""

from __future__ import annotations

from digests.models import Analysis
from digests.text.figures import extract_figures
from digests.text.keyquotes import mark_key_quotes
from digests.text.language import detect_language
from digests.text.quotes import extract_quotes, find_quotations
from digests.text.sentences import sentences, split_sentences
from digests.text.summarize import summarize, summarize_lead, summarize_story

__all__ = [
    "analyze",
    "detect_language",
    "extract_figures",
    "extract_quotes",
    "find_quotations",
    "mark_key_quotes",
    "sentences",
    "split_sentences",
    "summarize",
    "summarize_lead",
    "summarize_story",
]


def analyze(text: str, title: str | None = None, *, max_sentences: int = 3) -> Analysis:
    """Analyse one article: language, an extractive summary, direct quotations (with speakers, roles
    and key quotes), other quoted words (titles, scare quotes, slogans, nicknames) and key figures."""
    language = detect_language(text)
    if language != "en":
        quotes, _ = find_quotations(text, attribute=False)
        return Analysis(
            summary=tuple(summarize_lead(text, max_sentences=max_sentences)),
            quotes=tuple(quotes),
            figures=tuple(extract_figures(text)),
            language=language,
        )
    quotes, others = find_quotations(text)
    return Analysis(
        summary=tuple(summarize(text, title, max_sentences=max_sentences)),
        quotes=tuple(mark_key_quotes(text, quotes, title)),
        figures=tuple(extract_figures(text)),
        other_quoted=tuple(others),
        language=language,
    )
