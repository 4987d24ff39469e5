"""Grouping articles into stories: the same development from several outlets becomes one ``Story``."""

from __future__ import annotations

from digests.stories.evidence import THRESHOLD, THRESHOLD_UNDATED, WINDOW_DAYS, Item, cluster, features, weigh
from digests.stories.signature import Signature, signature

__all__ = [
    "THRESHOLD",
    "THRESHOLD_UNDATED",
    "WINDOW_DAYS",
    "Item",
    "Signature",
    "cluster",
    "features",
    "signature",
    "weigh",
]
