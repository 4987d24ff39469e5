"""Discord adapter: app commands (``tree``), scheduled posts (``publisher``) and embed rendering (``render``)."""

from __future__ import annotations
