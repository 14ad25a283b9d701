"""Reporting settings (LAMADI_* environment variables)."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from shared.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    port: int = 8004
    # RabbitMQ management API; user, password and vhost come from amqp_url.
    rabbit_api_url: str = "http://127.0.0.1:15672/api"
    rabbit_api_timeout: float = 5.0

    @property
    def broker_credentials(self) -> tuple[str, str, str]:
        """(user, password, vhost) of amqp_url, as the management API wants them."""
        parts = urlsplit(self.amqp_url)
        vhost = unquote(parts.path[1:]) if len(parts.path) > 1 else "/"
        return unquote(parts.username or "guest"), unquote(parts.password or "guest"), vhost
