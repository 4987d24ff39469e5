"""``/news subscriptions`` lists every subscription, whatever its mode (issue 18)."""

from __future__ import annotations

from typing import Any

from tests.bot.test_handlers import ADMIN, CHAN, MEMBER, ask


async def test_a_live_subscription_does_not_break_the_channel_list(svc: Any) -> None:
    _, reply = await ask(svc, "/news subscribe ceasefire live", ADMIN)
    assert not reply.is_error
    await svc.db.subscriptions.upsert(
        platform=CHAN.platform,
        workspace_id=CHAN.workspace_id,
        channel_id=CHAN.channel_id,
        topic_id="ceasefire-digest",
        schedule="daily 09:00",
        timezone="UTC",
        max_stories=5,
    )
    for user in (MEMBER, ADMIN):
        text, reply = await ask(svc, "/news subscriptions", user)
        assert not reply.is_error, text
        assert "Unknown schedule" not in text
        assert "ceasefire · live UTC · live: each new story, at most one post every 10 min" in text
        assert "ceasefire-digest · daily 09:00 UTC · next digest" in text


async def test_a_bad_stored_schedule_is_shown_on_its_own_line(svc: Any) -> None:
    await ask(svc, "/news subscribe ceasefire daily 09:00", ADMIN)
    await svc.db.subscriptions.upsert(
        platform=CHAN.platform,
        workspace_id=CHAN.workspace_id,
        channel_id="other",
        topic_id="ceasefire",
        schedule="fortnightly",  # written by an older version, say
        timezone="UTC",
        max_stories=5,
    )
    text, reply = await ask(svc, "/news subscriptions", ADMIN)
    assert not reply.is_error
    assert "#general · ceasefire · daily 09:00 UTC · next digest" in text
    assert "#other · ceasefire · fortnightly UTC · not running: Unknown schedule `fortnightly`." in text
