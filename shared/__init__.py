"""Code every Lamadi service shares: events, settings, logging, database and messaging."""
