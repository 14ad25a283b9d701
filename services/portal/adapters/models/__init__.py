"""The portal's own models of the answers it reads from the other services: each declares only
the fields the pages use and ignores the rest (as notifications-admin's JSONModel does), so a
service may add to its answers without the portal changing. The services' own response models
(their ``api/models.py``) are the contract; these are what the portal takes from it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Answer(BaseModel):
    """A part of a service's answer, as the portal reads it."""

    model_config = ConfigDict(extra="ignore", frozen=True)
