"""Render the neutral :class:`~digests.message.Message` as Discord embeds.

Pure functions: no client, no I/O. Layout: the message title and intro form the first embed; every
section is its own embed (title = heading, url = the story link, description = its lines). Every
limit is met by splitting across embeds and messages (title 256, description 4,096, footer 2,048,
6,000 characters and 10 embeds per message); only titles and the footer are ever truncated ("…").

Buttons: a section's actions become one row of buttons (at most 5) on the message that carries the
section's last embed; a message carries at most 5 rows, so a digest of many stories splits by rows
too. A button's ``custom_id`` is ``newsbot:`` and the command it runs (``newsbot:story 12``); the
adapter answers the click through the handler table (:mod:`.interactions`).

Escaping: article text gets every markdown-significant character backslash-escaped (a strict
superset of :func:`discord.utils.escape_markdown`, which leaves a lone ``*`` or ``_`` alone, where it
could pair with the renderer's own ``**``) and then :func:`discord.utils.escape_mentions`, so it can
neither break formatting, form a masked link, auto-link a URL, nor mention anyone. Titles (which
render no links or mentions) use ``escape_markdown`` itself; the footer (plain text) only
``escape_mentions``. Payloads also carry ``allowed_mentions: {"parse": []}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

import discord
from discord.utils import escape_markdown, escape_mentions

from bot.adapters.textfit import size, split_raw, truncate
from digests.message import Action, Line, LineKind, Message, Section, Tone

__all__ = [
    "ACTION_PREFIX",
    "DiscordMessage",
    "action_view",
    "escape",
    "render_embeds",
    "render_line",
    "render_messages",
    "render_payloads",
    "safe_url",
]

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4_000  # Discord allows 4,096; a margin
FOOTER_LIMIT = 2_048
MESSAGE_LIMIT = 5_800  # Discord allows 6,000 across all embeds of a message; a margin
MAX_EMBEDS = 10
URL_LIMIT = 1_500  # longer URLs are dropped (label only) so a link always fits
NAME_LIMIT = 200  # source, label, speaker: truncated beyond this (last resort)
FIGURE_LIMIT = 100
ACTION_PREFIX = "newsbot:"
CUSTOM_ID_LIMIT = 100
LABEL_LIMIT = 80
MAX_ROWS = 5
MAX_BUTTONS = 5

_COLOURS = {
    Tone.INFO: discord.Colour.blurple(),
    Tone.SUCCESS: discord.Colour.green(),
    Tone.ERROR: discord.Colour.red(),
}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_MARKDOWN = re.compile(r"[\\*_~|`\[\]()<>#:\-]")
_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f<>()\[\]\"`\\]")


def escape(text: str) -> str:
    """Escape article text for Discord markdown: no formatting, link or mention can survive."""
    return escape_mentions(_MARKDOWN.sub(lambda m: "\\" + m.group(0), text))


def _escape_title(text: str) -> str:
    """Titles render markdown but no links or mentions: ``escape_markdown``, and mentions broken."""
    return _escape_plain(escape_markdown(text))


def _escape_plain(text: str) -> str:
    """Footers render nothing; still break every mention form (a ZWSP after ``@`` and ``<``)."""
    return escape_mentions(text).replace("<", "<\u200b")


def safe_url(url: str | None) -> str | None:
    """Return ``url`` with ``()[]<>``, quotes and whitespace percent-encoded, or ``None`` if it is
    not an http(s) URL (or is too long to be worth a link)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    cleaned = _URL_UNSAFE.sub(lambda m: quote(m.group(0), safe=""), url)
    return cleaned if len(cleaned) <= URL_LIMIT else None


def _truncate(text: str, limit: int, esc: Callable[[str], str] = escape) -> str:
    return truncate(text, limit, esc)


def _split_raw(text: str, limit: int) -> list[str]:
    return split_raw(text, limit, escape, lambda c: 1 if c == "@" else 0)


def _units(prefix: str, body: str, suffix: str, limit: int) -> list[str]:
    """One rendered line (``prefix`` + escaped ``body`` + ``suffix``), split into pieces that each
    fit ``limit``. The prefix stays on the first piece and the suffix (the source link) on the last."""
    whole = prefix + escape(body) + suffix
    if size(whole) <= limit:
        return [whole]
    room = limit - max(size(prefix), size(suffix))
    pieces = [escape(piece) for piece in _split_raw(body, room)]
    pieces[0] = prefix + pieces[0]
    pieces[-1] = pieces[-1] + suffix
    return pieces


def _day(when: datetime) -> str:
    return f"{when.day} {_MONTHS[when.month - 1]}"


def _attribution(line: Line) -> str:
    """``[source](url) (label), 20 May`` with every part optional."""
    parts: list[str] = []
    if line.source or line.url:
        name = line.source or urlsplit(line.url or "").hostname or "source"
        target = safe_url(line.url)
        label = _truncate(name, NAME_LIMIT)
        parts.append(f"[{label}]({target})" if target else label)
    if line.source_label:
        parts.append(f"({_truncate(line.source_label, NAME_LIMIT)})")
    text = " ".join(parts)
    if line.when is not None:
        text = f"{text}, {_day(line.when)}" if text else _day(line.when)
    return text


def render_line(line: Line, limit: int = DESCRIPTION_LIMIT) -> list[str]:
    """Render one line as Discord markdown; more than one string only if longer than ``limit``."""
    source = _attribution(line)
    if line.kind is LineKind.SENTENCE:
        return _units("• ", line.text, f" — {source}" if source else "", limit)
    if line.kind is LineKind.QUOTE:
        speaker = f" — **{_truncate(line.speaker, NAME_LIMIT)}**" if line.speaker else ""
        tail = f"{speaker} ({source})" if source else speaker
        return _units("> “", line.text, f"”{tail}", limit)
    if line.kind is LineKind.FIGURE:
        tail = f" ({source})" if source else ""
        figure = (line.figure or "").strip()
        if figure and len(figure) <= FIGURE_LIMIT and figure in line.text:
            return _units(f"**{escape(figure)}** — ", line.text, tail, limit)
        return _units("", line.text, tail, limit)
    return _units("", line.text, "", limit)


def _pack(units: list[str], limit: int = DESCRIPTION_LIMIT) -> list[str]:
    """Join units with newlines into descriptions of at most ``limit`` (every unit already fits)."""
    texts: list[str] = []
    current = ""
    for unit in units:
        joined = f"{current}\n{unit}" if current else unit
        if size(joined) <= limit:
            current = joined
        else:
            texts.append(current)
            current = unit
    if current.strip():
        texts.append(current)
    return texts


def _embeds_for(title: str | None, url: str | None, units: list[str], tone: Tone) -> list[discord.Embed]:
    """One embed with ``title``/``url`` and the first description; continuations untitled."""
    colour = _COLOURS[tone]
    descriptions: list[str | None] = list(_pack(units)) or [None]
    embeds = [discord.Embed(colour=colour, description=d) for d in descriptions]
    if title and title.strip():
        embeds[0].title = _truncate(title, TITLE_LIMIT, _escape_title)
        embeds[0].url = safe_url(url)
    elif descriptions == [None]:
        return []
    return embeds


def _section_embeds(section: Section, tone: Tone) -> list[discord.Embed]:
    units: list[str] = []
    for line in section.lines:
        units.extend(render_line(line))
    return _embeds_for(section.heading, section.url, units, tone)


def _buttons(actions: tuple[Action, ...]) -> tuple[Action, ...]:
    """The actions that fit a row of buttons (a ``custom_id`` holds at most 100 characters)."""
    fits = [a for a in actions if len(ACTION_PREFIX + a.line) <= CUSTOM_ID_LIMIT]
    return tuple(fits[:MAX_BUTTONS])


def _groups(message: Message) -> list[tuple[list[discord.Embed], tuple[Action, ...]]]:
    """The embeds of the title and of each section, with the section's buttons; the footer on the
    last embed (or one of its own)."""
    intro = _units("", message.intro, "", DESCRIPTION_LIMIT) if message.intro else []
    groups: list[tuple[list[discord.Embed], tuple[Action, ...]]] = [
        (_embeds_for(message.title, None, intro, message.tone), ())
    ]
    for section in message.sections:
        embeds = _section_embeds(section, message.tone)
        groups.append((embeds, _buttons(section.actions) if embeds else ()))
    if message.footer and message.footer.strip():
        footer = _truncate(message.footer, FOOTER_LIMIT, _escape_plain)
        last = next((g[0][-1] for g in reversed(groups) if g[0]), None)
        if last is None or _size_of(last) + size(footer) > MESSAGE_LIMIT:
            groups.append(([discord.Embed(colour=_COLOURS[message.tone])], ()))
            last = groups[-1][0][0]
        last.set_footer(text=footer)
    return groups


def _size_of(embed: discord.Embed) -> int:
    """What an embed counts toward the 6,000 total, in UTF-16 units (``>= len(embed)``)."""
    parts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    parts += [f"{field.name or ''}{field.value or ''}" for field in embed.fields]
    parts.append(embed.author.name or "")
    return sum(size(part) for part in parts)


@dataclass
class DiscordMessage:
    """One message to send: its embeds, and its rows of buttons (at most 5 rows of 5)."""

    embeds: list[discord.Embed] = field(default_factory=list)
    rows: list[tuple[Action, ...]] = field(default_factory=list)

    def components(self) -> list[dict[str, Any]]:
        """The rows as message components (the JSON Discord takes)."""
        return [
            {
                "type": 1,
                "components": [
                    {
                        "type": 2,
                        "style": 1 if i == 0 else 2,  # the first (Full story) primary, the rest grey
                        "label": _label(action.label),
                        "custom_id": ACTION_PREFIX + action.line,
                    }
                    for i, action in enumerate(row)
                ],
            }
            for row in self.rows
        ]


def _label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"


def render_messages(message: Message) -> list[DiscordMessage]:
    """``message`` as Discord messages: each at most 10 embeds under the 6,000-character limit (with
    a margin) and at most 5 rows of buttons. Empty only when the message has no visible text."""
    messages: list[DiscordMessage] = []
    current = DiscordMessage()
    used = 0
    for embeds, actions in _groups(message):
        if actions and len(current.rows) == MAX_ROWS:
            messages.append(current)
            current, used = DiscordMessage(), 0
        for embed in embeds:
            size = _size_of(embed)
            if current.embeds and (len(current.embeds) == MAX_EMBEDS or used + size > MESSAGE_LIMIT):
                messages.append(current)
                current, used = DiscordMessage(), 0
            current.embeds.append(embed)
            used += size
        if actions:
            current.rows.append(actions)
    if current.embeds:
        messages.append(current)
    return messages


def render_embeds(message: Message) -> list[list[discord.Embed]]:
    """The embeds of each message of :func:`render_messages`."""
    return [m.embeds for m in render_messages(message)]


def action_view(rows: list[tuple[Action, ...]]) -> discord.ui.View | None:
    """The rows as a discord.py view to send with a message (call it inside the event loop).

    The view is stopped before it is sent: discord.py then never keeps it in its view store (a
    digest's buttons stay valid for ever, so the store would only grow). The clicks reach
    ``on_interaction``, which runs the button's command through the handler table.
    """
    if not rows:
        return None
    view = discord.ui.View(timeout=None)
    for number, row in enumerate(rows):
        for i, action in enumerate(row):
            style = discord.ButtonStyle.primary if i == 0 else discord.ButtonStyle.secondary
            view.add_item(
                discord.ui.Button(
                    label=_label(action.label), custom_id=ACTION_PREFIX + action.line, style=style, row=number
                )
            )
    view.stop()
    return view


def render_payloads(message: Message) -> list[dict[str, Any]]:
    """The JSON bodies of the Create Message calls for ``message``: embeds plus
    ``allowed_mentions: {"parse": []}`` (the caller adds ``nonce`` and the like)."""
    payloads = []
    for part in render_messages(message):
        payload: dict[str, Any] = {
            "embeds": [embed.to_dict() for embed in part.embeds],
            "allowed_mentions": {"parse": []},
        }
        if part.rows:
            payload["components"] = part.components()
        payloads.append(payload)
    return payloads
