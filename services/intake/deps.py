"""What intake's handlers work with (built once in bootstrap.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.intake.settings import IntakeSettings
from shared.blobs import BlobStore
from shared.container import Dependencies
from shared.deps import dependencies_of


@dataclass(kw_only=True)
class IntakeDeps(Dependencies):
    settings: IntakeSettings
    documents: BlobStore
    issued: BlobStore  # the notifier's issued documents, by sha256 (read only here)
    catalogue_view: list[dict[str, Any]]  # GET /api/v1/catalogue, computed once


Deps = dependencies_of(IntakeDeps)
