"""Which quotes are attributed confidently enough to be shown under a person's name.

Everything that answers "what did X say" (``/news quotes``, a story's key quotes) decides through
:func:`is_confident`, and only there. Today a quote counts when it has a resolved speaker; once the
speaker model gives each quote a ``confidence`` (issue 16), a quote also needs
:data:`MIN_CONFIDENCE` or more. When unsure, the quote is left out: it is never shown as someone's.
"""

from __future__ import annotations

from digests.models import Quote

__all__ = ["MIN_CONFIDENCE", "is_confident"]

MIN_CONFIDENCE = 0.5  # the speaker model's probability that the speaker is right


def is_confident(quote: Quote) -> bool:
    """Whether ``quote`` may be shown as said by ``quote.speaker``."""
    speaker = (quote.speaker or "").strip()
    if not speaker or speaker.casefold() == "unattributed":
        return False
    confidence = getattr(quote, "confidence", None)  # the speaker model's, when it is there
    return confidence is None or float(confidence) >= MIN_CONFIDENCE
