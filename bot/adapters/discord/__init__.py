"""Discord adapter: embed rendering of neutral messages."""

from __future__ import annotations
