"""Prometheus metrics every service exposes on /metrics."""

from prometheus_client import Counter, Gauge, Histogram

EVENTS_CONSUMED = Counter(
    "lamadi_events_consumed_total", "Events taken from a queue, by outcome", ["queue", "type", "outcome"]
)
EVENTS_PUBLISHED = Counter("lamadi_events_published_total", "Outbox rows published with a confirm", ["type"])
OUTBOX_BACKLOG = Gauge("lamadi_outbox_backlog", "Outbox rows not yet published")
HTTP_REQUESTS = Histogram(
    "lamadi_http_request_seconds", "HTTP request duration", ["method", "route", "status"]
)
