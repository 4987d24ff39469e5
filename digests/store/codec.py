"""Convert between stored rows/JSON and the core models, in one place."""

from __future__ import annotations

from typing import Any

from digests.models import Analysis, Article, Delivery, DeliveryState, Figure, OtherQuoted, Quote, Subscription
from digests.store.tables import ArticleRow, DeliveryRow, SubscriptionRow

__all__ = ["ANALYSIS_VERSION", "analysis_from_json", "analysis_to_json", "article", "delivery", "subscription"]

# Bump when the analysis changes shape or gets better, so stored articles are re-analysed.
# 4: trained speaker ranker, quote confidence and speaker type, figures need their unit or object
ANALYSIS_VERSION = 4  # 2: quote roles and key quotes, other_quoted, language; 3: possessive names in pronoun resolution


def analysis_to_json(a: Analysis) -> dict[str, Any]:
    return {
        "language": a.language,
        "summary": list(a.summary),
        "quotes": [
            {
                "text": q.text,
                "speaker": q.speaker,
                "speaker_mention": q.speaker_mention,
                "role": q.role,
                "start": q.start,
                "end": q.end,
                "is_key": q.is_key,
                "confidence": q.confidence,
                "speaker_type": q.speaker_type,
            }
            for q in a.quotes
        ],
        "other_quoted": [{"text": o.text, "kind": o.kind, "start": o.start, "end": o.end} for o in a.other_quoted],
        "figures": [
            {"text": f.text, "value": f.value, "unit": f.unit, "sentence": f.sentence, "start": f.start, "end": f.end}
            for f in a.figures
        ],
    }


def analysis_from_json(d: dict[str, Any]) -> Analysis:
    """The stored analysis; rows written before version 2 lack roles, key flags, other_quoted and language,
    and before version 4 quote confidences and speaker types (read as None)."""
    return Analysis(
        summary=tuple(str(s) for s in d.get("summary", [])),
        quotes=tuple(
            Quote(
                q["text"],
                q.get("speaker"),
                q.get("speaker_mention"),
                int(q["start"]),
                int(q["end"]),
                role=q.get("role"),
                is_key=bool(q.get("is_key", False)),
                confidence=None if q.get("confidence") is None else float(q["confidence"]),
                speaker_type=q.get("speaker_type"),
            )
            for q in d.get("quotes", [])
        ),
        figures=tuple(
            Figure(f["text"], float(f["value"]), f["sentence"], int(f["start"]), int(f["end"]), f.get("unit"))
            for f in d.get("figures", [])
        ),
        other_quoted=tuple(
            OtherQuoted(o["text"], str(o["kind"]), int(o["start"]), int(o["end"])) for o in d.get("other_quoted", [])
        ),
        language=str(d.get("language") or "en"),
    )


def article(row: ArticleRow) -> Article:
    return Article(
        id=row.id,
        story_id=row.story_id,
        title=row.title,
        text=row.text,
        url=row.url,
        source=row.source,
        published=row.published,
        ingested_at=row.ingested_at,
        analysis=analysis_from_json(row.analysis),
        author=row.author,
        label=row.label,
        date_source=row.date_source if row.published is not None else None,
    )


def subscription(row: SubscriptionRow) -> Subscription:
    return Subscription(
        id=row.id,
        platform=row.platform,
        workspace_id=row.workspace_id,
        channel_id=row.channel_id,
        topic_id=row.topic_id,
        schedule=row.schedule,
        timezone=row.timezone,
        max_stories=row.max_stories,
        mode=row.mode,
        paused_reason=row.paused_reason,
        created_at=row.created_at,
        quiet_hours=row.quiet_hours,
        on_empty=row.on_empty or "skip",
    )


def delivery(row: DeliveryRow) -> Delivery:
    return Delivery(
        id=row.id,
        subscription_id=row.subscription_id,
        slot=row.slot,
        state=DeliveryState(row.state),
        attempts=row.attempts,
        message_id=row.message_id,
        error=row.error,
        updated_at=row.updated_at,
    )
