"""The one platform-neutral message model that every renderer (console, Slack, Discord) turns into
its own format. Text here is plain text: renderers escape it for their platform.
"""

from __future__ import annotations

import enum
import shlex
from dataclasses import dataclass
from datetime import datetime

__all__ = ["Action", "Line", "LineKind", "Message", "Reply", "Section", "Tone"]


class LineKind(enum.StrEnum):
    TEXT = "text"  # bot prose (help text, confirmations); never article text
    SENTENCE = "sentence"  # a verbatim sentence of a source
    QUOTE = "quote"  # a verbatim quotation; ``speaker`` says who said it
    FIGURE = "figure"  # a key figure; ``text`` is the verbatim sentence, ``figure`` the number span


class Tone(enum.StrEnum):
    INFO = "info"
    SUCCESS = "success"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a section. ``url``/``source`` say where a verbatim line comes from."""

    text: str
    kind: LineKind = LineKind.TEXT
    url: str | None = None
    source: str | None = None
    source_label: str | None = None  # e.g. "state media", shown beside the source name
    when: datetime | None = None
    speaker: str | None = None
    figure: str | None = None


@dataclass(frozen=True, slots=True)
class Action:
    """A button under a section. Pressing it runs ``/news COMMAND ARGS...`` for the one who pressed
    it, through the same handler table and checks as typing it would; the answer is private.
    ``confirm`` asks first where the platform can (Slack)."""

    label: str
    command: str
    args: tuple[str, ...] = ()
    confirm: str | None = None

    @property
    def line(self) -> str:
        """The command as typed after ``/news``: ``story 12``, ``feeds mute 'BBC News'``."""
        return shlex.join((self.command, *self.args))


@dataclass(frozen=True, slots=True)
class Section:
    """A titled group of lines: one story in a digest, or one part of a status answer."""

    heading: str | None
    lines: tuple[Line, ...] = ()
    url: str | None = None  # link for the heading (a story's main article)
    actions: tuple[Action, ...] = ()  # buttons: "Full story", "Mute this outlet"


@dataclass(frozen=True, slots=True)
class Message:
    """A whole message: title, optional intro, sections, optional footer."""

    title: str
    sections: tuple[Section, ...] = ()
    intro: str | None = None
    footer: str | None = None
    tone: Tone = Tone.INFO


@dataclass(frozen=True, slots=True)
class Reply:
    """A handler's answer. ``ephemeral`` replies are shown only to the caller where the platform can."""

    message: Message
    ephemeral: bool = True

    @property
    def is_error(self) -> bool:
        return self.message.tone is Tone.ERROR
