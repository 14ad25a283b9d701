"""The event envelope (CloudEvents field names where they exist)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, TypeVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field


def utcnow() -> datetime:
    return datetime.now(UTC)


class EventData(BaseModel):
    """Payload of one event type. Subclasses set TYPE, e.g. ``submission.received.v1``."""

    model_config = ConfigDict(extra="allow")  # additive changes must not break older consumers
    TYPE: ClassVar[str]


DataT = TypeVar("DataT", bound=EventData)


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True)

    specversion: str = "1.0"
    id: UUID = Field(default_factory=uuid4)
    type: str
    source: str
    subject: str
    time: datetime = Field(default_factory=utcnow)
    correlation_id: str
    causation_id: UUID | None = None
    datacontenttype: str = "application/json"
    data: dict[str, Any]

    @classmethod
    def new(
        cls,
        data: EventData,
        *,
        source: str,
        subject: str,
        correlation_id: str,
        causation_id: UUID | None = None,
    ) -> "Envelope":
        return cls(
            type=data.TYPE,
            source=source,
            subject=subject,
            correlation_id=correlation_id,
            causation_id=causation_id,
            data=data.model_dump(mode="json"),
        )

    def caused(self, data: EventData, *, source: str) -> "Envelope":
        """A follow-up event: same subject and correlation id, caused by this one."""
        return Envelope.new(
            data, source=source, subject=self.subject, correlation_id=self.correlation_id, causation_id=self.id
        )

    def parse(self, model: type[DataT]) -> DataT:
        return model.model_validate(self.data)


class TypedEnvelope(Envelope, Generic[DataT]):
    """Only used to generate each event's JSON Schema with its data model inlined."""

    data: DataT  # type: ignore[assignment]
