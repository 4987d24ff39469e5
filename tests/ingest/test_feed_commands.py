"""``/news feeds`` in chat and ``newsbot feeds|stories|ingest URL`` on the command line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.handlers import ChannelRef, CommandRequest, UserRef, dispatch
from tests.bot.test_cli import newsbot
from tests.httpserver import LocalServer, Route
from tests.ingest.feedkit import LONG, Item, page, rss

RSS = "application/rss+xml"
ALLOW = {"NEWSBOT_FETCH_ALLOWLIST": "127.0.0.1", "NEWSBOT_FETCH_ONLY_ALLOWLIST": "1", "NEWSBOT_FETCH_HOST_DELAY": "0"}


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as srv:
        yield srv


def _req(*args: str, admin: bool = True, workspace: str = "T1") -> CommandRequest:
    return CommandRequest("feeds", args, UserRef("U1", is_admin=admin), ChannelRef("slack", workspace, "C1"))


@pytest.fixture
def local_svc(svc: Any) -> Any:
    svc.settings = svc.settings.model_copy(
        update={"fetch_allowlist": "127.0.0.1", "fetch_only_allowlist": True, "fetch_host_delay": 0.0}
    )
    return svc


async def test_chat_feeds_admin_actions_and_refusals(local_svc: Any, server: LocalServer) -> None:
    url = server.route("/feed", Route(rss([Item("g", "Title", "https://x.example/a")]), content_type=RSS))
    refused = await dispatch(_req("add", url, admin=False), local_svc)
    assert refused.is_error and "Only workspace admins" in refused.message.title
    bad = await dispatch(_req("add", "http://10.1.2.3/feed"), local_svc)
    assert bad.is_error and "NEWSBOT_FETCH_ALLOWLIST" in bad.message.title
    added = await dispatch(_req("add", url, "My", "Wire"), local_svc)
    assert not added.is_error and "My Wire" in added.message.title
    dup = await dispatch(_req("add", url), local_svc)
    assert dup.is_error and "already added" in dup.message.title
    mine = await dispatch(_req(), local_svc)
    assert "My Wire" in json.dumps([ln.text for s in mine.message.sections for ln in s.lines])
    other = await dispatch(_req(workspace="T2"), local_svc)
    assert "My Wire" not in json.dumps([ln.text for s in other.message.sections for ln in s.lines])
    assert (await dispatch(_req("mute", "Some", "Outlet"), local_svc)).is_error is False
    assert await local_svc.db.feeds.mutes(("slack", "T1")) == ["some outlet"]
    feed_id = (await local_svc.db.feeds.list(("slack", "T1")))[0].id
    assert (await dispatch(_req("remove", str(feed_id), workspace="T2"), local_svc)).is_error
    assert not (await dispatch(_req("remove", str(feed_id)), local_svc)).is_error


def test_cli_feeds_add_poll_list_stories_and_ingest_url(tmp_path: Path, server: LocalServer) -> None:
    items = [
        Item(f"g{i}", f"Odesa grid report {i}", f"https://wire.example/{i}", text=f"{i}: " + LONG * 8) for i in range(2)
    ]
    url = server.route("/feed", Route(rss(items), content_type=RSS))
    added = newsbot(tmp_path, "feeds", "add", url, "--name", "Wire", "--label", "test label", **ALLOW)
    assert added.returncode == 0, added.stderr
    assert "added feed" in added.stdout
    refused = newsbot(tmp_path, "feeds", "add", "http://169.254.169.254/latest", **ALLOW)
    assert refused.returncode == 1 and "feed not added" in refused.stderr
    polled = newsbot(tmp_path, "feeds", "poll", "--all", **ALLOW)
    assert polled.returncode == 0, polled.stderr
    assert "2 new" in polled.stdout
    listed = newsbot(tmp_path, "feeds", "list", "--json", **ALLOW)
    (feed,) = json.loads(listed.stdout)
    assert feed["state"] == "ok" and feed["item_count"] == 2 and feed["label"] == "test label"
    stories = newsbot(tmp_path, "stories", "--since", "3650d", "--json", **ALLOW)
    data = json.loads(stories.stdout)
    assert data and all(a["outlet"] == "Wire" for s in data for a in s["articles"])
    page_url = server.route("/article", Route(page("A page", "\n\n".join([LONG] * 3))))
    ingested = newsbot(tmp_path, "ingest", page_url, **ALLOW)
    assert ingested.returncode == 0, ingested.stderr
    assert "pages: 1 stored" in ingested.stdout
    removed = newsbot(tmp_path, "feeds", "remove", str(feed["id"]), **ALLOW)
    assert removed.returncode == 0 and "removed feed" in removed.stdout
