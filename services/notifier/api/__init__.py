"""The notifier's HTTP API, for staff and operators: the delivery ledger (list, resend) and
where the daily report goes."""

from services.notifier.api import deliveries, recipients

routers = [deliveries.router, recipients.router]
