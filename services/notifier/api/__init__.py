"""The notifier's HTTP API, for staff and operators: the delivery ledger (list, resend)."""

from services.notifier.api import deliveries

routers = [deliveries.router]
