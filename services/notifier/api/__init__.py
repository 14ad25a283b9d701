"""The notifier's HTTP API: the delivery ledger (list, resend) and where the daily report goes,
for staff and operators; the register of issued documents, for the public and staff."""

from services.notifier.api import deliveries, documents, recipients

routers = [deliveries.router, recipients.router, documents.router]
