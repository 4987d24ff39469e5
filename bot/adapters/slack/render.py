"""Render the neutral :class:`~digests.message.Message` as Slack Block Kit payloads.

Pure functions: no client, no I/O. Every piece of message text is escaped for mrkdwn (``&``, ``<``,
``>`` and only those), so article text can never form a mention (``<!channel>``, ``<@U…>``,
``<!subteam^…>``) or a link; links are built here, from http(s) URLs only. Text objects are sent with
``verbatim`` on, so Slack does not auto-link or auto-parse anything either, and payloads never ask for
``link_names``. Limits (50 blocks, 3,000 characters of section text, 150 of header) are met by
splitting, never by dropping text; only the header is truncated (with "…").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.adapters.textfit import size, split_raw, truncate
from digests.message import Action, Line, LineKind, Message, Section, Tone

__all__ = [
    "ACTION_PREFIX",
    "escape",
    "fallback_text",
    "render_blocks",
    "render_line",
    "render_payloads",
    "safe_url",
]

MAX_BLOCKS = 50
SECTION_TEXT_LIMIT = 2_900  # Slack allows 3,000; a margin for clients that count differently
HEADER_LIMIT = 150
CONTEXT_LIMIT = 2_000
FALLBACK_LIMIT = 3_000
URL_LIMIT = 1_500  # longer URLs are dropped (label only) so a link always fits in a section
NAME_LIMIT = 200  # source, label, speaker: truncated beyond this (last resort)
FIGURE_LIMIT = 100
HEADING_LIMIT = 1_000  # with a maximal link, still fits one section text

ACTION_PREFIX = "newsbot:"  # action_id of every button; its value is the command it runs
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2_000
MAX_BUTTONS = 25

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f<>|\"`]")


def escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` (and only those) as Slack mrkdwn requires."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: str | None) -> str | None:
    """Return ``url`` made safe inside ``<url|label>``, or ``None`` if it is not an http(s) URL."""
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
    cleaned = cleaned.replace("&", "&amp;")
    return cleaned if len(cleaned) <= URL_LIMIT else None


def _truncate(text: str, limit: int, esc: Callable[[str], str] = escape) -> str:
    return truncate(text, limit, esc)


def _split_raw(text: str, limit: int) -> list[str]:
    return split_raw(text, limit, escape)


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


def _link(url: str | None, label: str) -> str:
    """``<url|label>`` (``label`` already escaped) when the URL is safe, else the label alone.

    Slack has no escape for ``|``; inside a link label it is replaced by "∣" (U+2223) so the label
    can never be read as a second URL/label separator."""
    target = safe_url(url)
    return f"<{target}|{label.replace('|', '∣')}>" if target else label


def _day(when: datetime) -> str:
    return f"{when.day} {_MONTHS[when.month - 1]}"


def _attribution(line: Line) -> str:
    """``<url|source> (label), 20 May`` with every part optional."""
    parts: list[str] = []
    if line.source or line.url:
        name = line.source or urlsplit(line.url or "").hostname or "source"
        parts.append(_link(line.url, _truncate(name, NAME_LIMIT)))
    if line.source_label:
        parts.append(f"({_truncate(line.source_label, NAME_LIMIT)})")
    text = " ".join(parts)
    if line.when is not None:
        text = f"{text}, {_day(line.when)}" if text else _day(line.when)
    return text


def render_line(line: Line, limit: int = SECTION_TEXT_LIMIT) -> list[str]:
    """Render one line as mrkdwn; more than one string only if it is longer than ``limit``."""
    source = _attribution(line)
    if line.kind is LineKind.SENTENCE:
        return _units("• ", line.text, f" — {source}" if source else "", limit)
    if line.kind is LineKind.QUOTE:
        speaker = f" — {_truncate(line.speaker, NAME_LIMIT)}" if line.speaker else ""
        tail = f"{speaker} ({source})" if source else speaker
        return _units("> “", line.text, f"”{tail}", limit)
    if line.kind is LineKind.FIGURE:
        tail = f" ({source})" if source else ""
        figure = (line.figure or "").strip()
        if figure and len(figure) <= FIGURE_LIMIT and figure in line.text:
            return _units(f"*{escape(figure)}* — ", line.text, tail, limit)
        return _units("", line.text, tail, limit)
    return _units("", line.text, "", limit)


def _heading(section: Section) -> str | None:
    if not section.heading or not section.heading.strip():
        return None
    return f"*{_link(section.url, _truncate(section.heading, HEADING_LIMIT))}*"


def _pack(units: list[str], limit: int = SECTION_TEXT_LIMIT) -> list[str]:
    """Join units with newlines into texts of at most ``limit`` (every unit already fits)."""
    texts: list[str] = []
    current = ""
    for unit in units:
        if not unit.strip():
            continue
        joined = f"{current}\n{unit}" if current else unit
        if size(joined) <= limit:
            current = joined
        else:
            texts.append(current)
            current = unit
    if current:
        texts.append(current)
    return texts


def _sections(units: list[str]) -> list[Block]:
    return [SectionBlock(text=MarkdownTextObject(text=t, verbatim=True)) for t in _pack(units)]


def _actions(actions: tuple[Action, ...]) -> list[Block]:
    """One actions block of buttons; each button's value is the command it runs (``story 12``)."""
    buttons = []
    for index, action in enumerate(actions[:MAX_BUTTONS]):
        if len(action.line) > BUTTON_VALUE_LIMIT:
            continue
        confirm = (
            ConfirmObject(title="Are you sure?", text=_truncate(action.confirm, 300), confirm="Yes", deny="Cancel")
            if action.confirm
            else None
        )
        buttons.append(
            ButtonElement(
                text=_truncate(action.label, BUTTON_TEXT_LIMIT),  # plain text, escaped like the header
                action_id=f"{ACTION_PREFIX}{index}",
                value=action.line,
                style="primary" if index == 0 else None,
                confirm=confirm,
            )
        )
    return [ActionsBlock(elements=buttons)] if buttons else []


def _title(message: Message) -> str:
    warn = ":warning: " if message.tone is Tone.ERROR else ""
    return warn + message.title


def _groups(message: Message) -> list[list[Block]]:
    """Blocks grouped so that payload splits fall between stories where possible."""
    groups: list[list[Block]] = []
    head: list[Block] = []
    if message.title.strip():
        title = _truncate(_title(message), HEADER_LIMIT)
        head.append(HeaderBlock(text=PlainTextObject(text=title, emoji=True)))
    if message.intro and message.intro.strip():
        head.extend(_sections(_units("", message.intro, "", SECTION_TEXT_LIMIT)))
    if head:
        groups.append(head)
    for section in message.sections:
        units = [u for u in [_heading(section)] if u]
        for line in section.lines:
            units.extend(render_line(line))
        blocks = _sections(units) + _actions(section.actions)
        after_header_only = len(groups) == 1 and len(groups[0]) == 1 and bool(head)
        if blocks and groups and section.heading and not after_header_only:
            blocks.insert(0, DividerBlock())
        if blocks:
            groups.append(blocks)
    if message.footer and message.footer.strip():
        footer = _truncate(message.footer, CONTEXT_LIMIT)
        groups.append([ContextBlock(elements=[MarkdownTextObject(text=footer, verbatim=True)])])
    return groups


def _chunk(groups: list[list[Block]]) -> list[list[Block]]:
    """Pack block groups into messages of at most :data:`MAX_BLOCKS` blocks."""
    messages: list[list[Block]] = []
    current: list[Block] = []
    for group in groups:
        if current and len(current) + len(group) > MAX_BLOCKS:
            messages.append(current)
            current = []
        if not current and group and isinstance(group[0], DividerBlock):
            group = group[1:]  # a message never starts with a divider
        for block in group:
            if len(current) == MAX_BLOCKS:
                messages.append(current)
                current = []
            current.append(block)
    if current:
        messages.append(current)
    return messages


def render_blocks(message: Message) -> list[dict[str, Any]]:
    """All blocks of ``message`` as validated dicts, in order, before splitting into messages.

    Every block is within Slack's per-block limits; the list itself may exceed 50 blocks — use
    :func:`render_payloads` to get postable messages.
    """
    return [block.to_dict() for group in _groups(message) for block in group]


def fallback_text(message: Message, limit: int = FALLBACK_LIMIT) -> str:
    """The plain, escaped notification text: the title, then the intro and first lines."""
    parts = [_title(message), message.intro or ""]
    for section in message.sections:
        first = section.lines[0].text if section.lines else ""
        parts.append(": ".join(p for p in (section.heading or "", first) if p))
    text = "\n".join(p.strip() for p in parts if p.strip())
    return _truncate(text, limit) if text else "(empty message)"


def render_payloads(message: Message) -> list[dict[str, Any]]:
    """``chat.postMessage`` payloads for ``message`` (one or more; the caller adds ``channel``).

    Each carries the escaped fallback ``text``, at most 50 validated blocks, and unfurling off.
    The list is empty only when the message has no visible text at all.
    """
    chunks = _chunk(_groups(message))
    summary = fallback_text(message)
    payloads: list[dict[str, Any]] = []
    for index, blocks in enumerate(chunks):
        if index == 0:
            text = summary
        else:
            title = _truncate(_title(message), FALLBACK_LIMIT - 20)
            text = f"{title} ({index + 1}/{len(chunks)})"
        payloads.append(
            {
                "text": text,
                "blocks": [block.to_dict() for block in blocks],
                "unfurl_links": False,
                "unfurl_media": False,
            }
        )
    return payloads
