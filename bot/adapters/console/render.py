"""Terminal text from the neutral message (pure; no I/O)."""

from __future__ import annotations

from digests.message import Line, LineKind, Message, Tone

__all__ = ["render_line", "render_text"]


def _cite(line: Line) -> str:
    parts = []
    if line.source:
        parts.append(line.source + (f" ({line.source_label})" if line.source_label else ""))
    if line.when:
        parts.append(f"{line.when:%Y-%m-%d}")
    if line.url:
        parts.append(line.url)
    return f" — {', '.join(parts)}" if parts else ""


def render_line(line: Line) -> str:
    text = " ".join(line.text.split())
    if line.kind is LineKind.SENTENCE:
        return f"  • {text}{_cite(line)}"
    if line.kind is LineKind.QUOTE:
        who = line.speaker or "unattributed"
        return f"  “{text}” — {who}{_cite(line).replace(' — ', ', ', 1)}"
    if line.kind is LineKind.FIGURE:
        return f"  # {line.figure}: {text}{_cite(line)}"
    return f"  {text}"


def render_text(message: Message) -> str:
    """The message as plain terminal text."""
    title = ("! " if message.tone is Tone.ERROR else "") + message.title
    out = [title, "=" * min(len(title), 78)]
    if message.intro:
        out.append(message.intro)
    for section in message.sections:
        out.append("")
        if section.heading:
            out.append(section.heading + (f" <{section.url}>" if section.url else ""))
        out.extend(render_line(line) for line in section.lines)
        if section.actions:  # no buttons in a terminal: the commands they run
            out.append("  → " + " · ".join(f"/news {a.line}" for a in section.actions))
    if message.footer:
        out.extend(["", message.footer])
    return "\n".join(out) + "\n"
