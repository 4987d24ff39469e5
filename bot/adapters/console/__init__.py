"""Console adapter: stdin commands, stdout posts."""

from __future__ import annotations

from bot.adapters.console.adapter import ConsoleAdapter, ConsolePublisher
from bot.adapters.console.render import render_text

__all__ = ["ConsoleAdapter", "ConsolePublisher", "render_text"]
