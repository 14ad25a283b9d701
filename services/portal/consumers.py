"""The portal consumes no event (and publishes none): it asks the services over HTTP. The
runtime therefore starts it without a broker (bootstrap.py)."""

from shared.runtime import Subscription

SUBSCRIPTIONS: tuple[Subscription, ...] = ()
