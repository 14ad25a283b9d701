"""The RabbitMQ management API, as far as operators' queue figures need it."""

from __future__ import annotations

from urllib.parse import quote

import httpx

from services.reporting.settings import ReportingSettings
from shared.errors import Unavailable
from shared.process import tls_context


class ManagementUnavailable(Unavailable):
    """The management API could not be reached or did not answer usefully."""

    title = "Broker management unavailable"


class RabbitManagement:
    def __init__(self, base_url: str, *, user: str, password: str, vhost: str, timeout: float = 5.0):
        self.base_url, self.vhost, self.timeout = base_url.rstrip("/"), vhost, timeout
        self._auth = (user, password)

    @classmethod
    def from_settings(cls, settings: ReportingSettings) -> "RabbitManagement":
        user, password, vhost = settings.broker_credentials
        return cls(settings.rabbit_api_url, user=user, password=password, vhost=vhost,
                   timeout=settings.rabbit_api_timeout)

    async def queues(self) -> list[dict]:
        url = f"{self.base_url}/queues/{quote(self.vhost, safe='')}"
        params = {"columns": "name,messages_ready,messages_unacknowledged,consumers"}
        try:
            async with httpx.AsyncClient(auth=self._auth, timeout=self.timeout, verify=tls_context()) as client:
                response = await client.get(url, params=params)
        except httpx.HTTPError as exc:
            raise ManagementUnavailable(
                f"The RabbitMQ management API at {self.base_url} cannot be reached ({type(exc).__name__})."
            ) from exc
        if response.status_code != 200:
            raise ManagementUnavailable(
                f"The RabbitMQ management API at {self.base_url} answered {response.status_code} "
                f"for virtual host {self.vhost!r}."
            )
        return response.json()
