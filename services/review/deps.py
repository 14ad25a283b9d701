"""What review's handlers work with (built once in bootstrap.py)."""

from __future__ import annotations

from dataclasses import dataclass

from services.review.settings import ReviewSettings
from shared.blobs import BlobStore
from shared.container import Dependencies
from shared.deps import dependencies_of


@dataclass(kw_only=True)
class ReviewDeps(Dependencies):
    settings: ReviewSettings
    documents: BlobStore  # intake's blob store, read only here


Deps = dependencies_of(ReviewDeps)
