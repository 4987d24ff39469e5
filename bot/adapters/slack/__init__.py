"""Slack adapter: Block Kit rendering of neutral messages."""

from __future__ import annotations
