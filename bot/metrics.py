"""Prometheus metrics of one process, in one registry (served at ``/metrics`` by ``bot.health``).

Every worker exposes its own counters; Prometheus sums them across workers.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector, generate_latest

__all__ = [
    "ARTICLES_INGESTED",
    "COMMAND_LATENCY",
    "DELIVERIES_FAILED",
    "DELIVERIES_RETRIED",
    "DELIVERIES_SENT",
    "DELIVERY_LAG",
    "FEED_POLLS",
    "FEED_POLL_FAILURES",
    "REGISTRY",
    "render",
]

REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)

FEED_POLLS = Counter(
    "newsbot_feed_polls", "Feed polls finished, by result (ok, not-modified, error)", ["result"], registry=REGISTRY
)
FEED_POLL_FAILURES = Counter("newsbot_feed_poll_failures", "Feed polls that failed", registry=REGISTRY)
ARTICLES_INGESTED = Counter(
    "newsbot_articles_ingested",
    "Articles stored, by outcome (created, updated) and source (feed, file)",
    ["outcome", "source"],
    registry=REGISTRY,
)
DELIVERIES_SENT = Counter(
    "newsbot_deliveries_sent", "Scheduled deliveries posted (or found already posted)", registry=REGISTRY
)
DELIVERIES_FAILED = Counter(
    "newsbot_deliveries_failed",
    "Delivery attempts that did not post, by reason (error, rate_limited, paused)",
    ["reason"],
    registry=REGISTRY,
)
DELIVERIES_RETRIED = Counter(
    "newsbot_deliveries_retried", "Delivery attempts after the first one of a delivery", registry=REGISTRY
)
DELIVERY_LAG = Histogram(
    "newsbot_delivery_lag_seconds",
    "From a delivery's scheduled slot to its post",
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 6 * 3600, float("inf")),
    registry=REGISTRY,
)
COMMAND_LATENCY = Histogram(
    "newsbot_command_seconds",
    "Time to answer a command, by command",
    ["command"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, float("inf")),
    registry=REGISTRY,
)


def render() -> bytes:
    """The registry in the Prometheus text format."""
    return generate_latest(REGISTRY)
