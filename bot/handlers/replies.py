"""Small constructors for handler replies."""

from __future__ import annotations

from digests.errors import CommandError
from digests.message import Line, Message, Reply, Section, Tone

__all__ = ["error_reply", "text_reply"]


def error_reply(exc: CommandError) -> Reply:
    """An error answered only to the caller: the problem, and what to type instead."""
    sections = (Section(None, (Line(exc.hint),)),) if exc.hint else ()
    return Reply(Message(title=exc.problem, sections=sections, tone=Tone.ERROR), ephemeral=True)


def text_reply(title: str, *lines: str, tone: Tone = Tone.INFO, ephemeral: bool = True) -> Reply:
    sections = (Section(None, tuple(Line(t) for t in lines)),) if lines else ()
    return Reply(Message(title=title, sections=sections, tone=tone), ephemeral=ephemeral)
