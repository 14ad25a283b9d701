"""Where a filing is about: a point (WGS 84 latitude and longitude), an address, or both.

Field names are Open311 GeoReport v2's (``lat``, ``long``, ``address_string``), so a report
from an Open311 client and one from Lamadi's own API carry the same object. Whether a point
lies inside the agency's area is a setting (``LAMADI_AREA_BBOX``), checked when the filing is
taken (``outside_area``), not here."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, model_validator

# Letters, digits, punctuation and spaces: no control characters in an address that is shown
# on public pages and written into XML.
ADDRESS_PATTERN = r"^[^\x00-\x1f\x7f]*$"


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    lat: float | None = Field(default=None, ge=-90, le=90, description="Latitude, WGS 84 (decimal degrees)")
    long: float | None = Field(default=None, ge=-180, le=180, description="Longitude, WGS 84 (decimal degrees)")
    address_string: str | None = Field(
        default=None, min_length=3, max_length=300, pattern=ADDRESS_PATTERN,
        description="The place in words, most specific first: number or crossing, street, quarter, town")

    @model_validator(mode="after")
    def _point_or_address(self) -> "Location":
        if (self.lat is None) != (self.long is None):
            raise ValueError("lat and long go together: send both, or neither with an address_string")
        if self.lat is None and self.address_string is None:
            raise ValueError("a location needs lat and long, or an address_string, or both")
        return self

    @property
    def point(self) -> tuple[float, float] | None:
        return None if self.lat is None or self.long is None else (self.lat, self.long)


@dataclass(frozen=True)
class Area:
    """The agency's territory as a bounding box, in GeoJSON order: west, south, east, north."""

    west: float
    south: float
    east: float
    north: float

    def __post_init__(self) -> None:
        if not (-180 <= self.west < self.east <= 180 and -90 <= self.south < self.north <= 90):
            raise ValueError(f"not a bounding box (west, south, east, north): {self}")

    def contains(self, lat: float, long: float) -> bool:
        return self.south <= lat <= self.north and self.west <= long <= self.east


def outside_area_refusal(location: Location | None, area: Area) -> str | None:
    """Why this location cannot be taken by the agency, or None when it can."""
    if location is None or location.point is None or area.contains(*location.point):
        return None
    return (f"The point ({location.lat}, {location.long}) is outside the agency's area (latitude {area.south} to "
            f"{area.north}, longitude {area.west} to {area.east}); the agency only handles places on its territory.")
