"""Grouping articles into stories: the same event from several outlets becomes one ``Story``."""

from __future__ import annotations

from digests.stories.match import Candidate, best_story, same_story
from digests.stories.signature import Signature, signature

__all__ = ["Candidate", "Signature", "best_story", "same_story", "signature"]
