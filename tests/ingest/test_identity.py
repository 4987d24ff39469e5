"""canonical_url, normalize_text, content_hash and title_key: what makes two inputs one article."""

from __future__ import annotations

import pytest

from digests.ingest import TRACKING_PARAMS, canonical_url, content_hash, normalize_text, title_key

BASE = "https://www.cnn.com/2025/05/20/europe/ukraine-russia-drones"


@pytest.mark.parametrize(
    "variant",
    [
        BASE,
        BASE + "/",
        BASE + "?utm_source=twitter",
        BASE + "?utm_source=twitter&utm_medium=social&utm_campaign=x&UTM_Content=y&utm_term=z",
        BASE + "?fbclid=IwAR0abc&gclid=123&dclid=4&mc_cid=5&mc_eid=6&igshid=7&ref_src=twsrc&cmpid=org",
        BASE + "#comments",
        BASE + "/?utm_source=rss#top",
        BASE + "?",
        "HTTPS://WWW.CNN.COM:443/2025/05/20/europe/ukraine-russia-drones",
        "  " + BASE + "?utm_id=9  ",
        "https://user:secret@www.cnn.com/2025/05/20/europe/ukraine-russia-drones",
    ],
)
def test_tracking_and_layout_variants_give_one_canonical_url(variant: str) -> None:
    assert canonical_url(variant) == BASE


def test_other_params_are_kept_verbatim_and_in_order() -> None:
    url = "https://example.com/story?id=42&utm_source=x&page=2&q=a+b&fbclid=1&empty="
    assert canonical_url(url) == "https://example.com/story?id=42&page=2&q=a+b&empty="
    # different article ids stay different
    assert canonical_url("https://example.com/story?id=1") != canonical_url("https://example.com/story?id=2")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://Example.COM", "http://example.com/"),
        ("http://example.com:80/a/", "http://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),  # 443 is not http's default
        ("https://bücher.example/straße", "https://xn--bcher-kva.example/stra%C3%9Fe"),
        ("https://example.com/caf%c3%a9", "https://example.com/caf%C3%A9"),
        ("https://example.com./a", "https://example.com/a"),
        ("https://[2001:db8::1]:8080/x/", "https://[2001:db8::1]:8080/x"),
        ("https://example.com/Case/Sensitive/Path", "https://example.com/Case/Sensitive/Path"),
    ],
)
def test_canonical_url_normalises(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/file",
        "mailto:news@example.com",
        "javascript:alert(1)",
        "example.com/x",
        "",
        "https://",
        "https://example.com:99999/",
        "http://[::1/",
    ],
)
def test_non_http_or_broken_urls_have_no_canonical_form(url: str) -> None:
    assert canonical_url(url) is None


def test_tracking_list_is_documented_and_lowercase() -> None:
    assert {"fbclid", "gclid", "dclid", "mc_cid", "mc_eid", "igshid", "ref_src", "cmpid"} <= TRACKING_PARAMS
    assert all(name == name.lower() for name in TRACKING_PARAMS)


BODY = "First paragraph, with a figure: 108 drones.\n\nSecond paragraph.\nStill the second one.\n\nThird."


@pytest.mark.parametrize(
    "variant",
    [
        BODY,
        "  " + BODY + "\n\n\n",
        BODY.replace("\n", "\r\n"),
        BODY.replace("\n", "\r"),
        BODY.replace(" ", "  ").replace("figure:", "figure:\t"),
        BODY.replace("\n\n", "\n \n\n\n"),
        BODY.replace("\n", "   \n  "),
        BODY.replace(" ", "\u00a0"),
    ],
)
def test_whitespace_changes_give_same_text_and_hash(variant: str) -> None:
    assert normalize_text(variant) == BODY
    assert content_hash(variant) == content_hash(BODY)


def test_normalize_text_is_nfc_and_idempotent() -> None:
    decomposed = "Cafe\u0301 opens"
    assert normalize_text(decomposed) == "Caf\u00e9 opens"
    assert normalize_text(normalize_text(BODY)) == normalize_text(BODY)
    assert content_hash(decomposed) == content_hash("Caf\u00e9 opens")


def test_content_hash_ignores_paragraph_layout_but_not_words() -> None:
    assert content_hash("one two\n\nthree") == content_hash("one two three")
    assert content_hash(BODY) != content_hash(BODY.replace("108", "109"))
    assert content_hash(BODY) != content_hash(BODY + " Extra sentence.")
    assert content_hash("onetwo") != content_hash("one two")
    digest = content_hash(BODY)
    assert len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)


def test_title_key_ignores_case_punctuation_and_spacing() -> None:
    a = title_key("Drone Attacks Persist Despite Trump-Putin Call", "CNN")
    b = title_key("  drone attacks persist — despite Trump–Putin call!  ", " cnn ")
    assert a == b == "drone attacks persist despite trump putin call|cnn"
    assert title_key("Trump’s call", None) == title_key("Trump's call", "") == "trump s call|"


def test_title_key_separates_outlets_and_titles() -> None:
    assert title_key("Same headline", "CNN") != title_key("Same headline", "BBC")
    assert title_key("Same headline", "CNN") != title_key("Other headline", "CNN")
