"""What an applicant files: one model per kind of the catalogue, told apart by ``kind``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, EmailStr, Field, TypeAdapter, field_validator
from pydantic_core import PydanticCustomError
from stdnum.ma import ice as ice_number

from services.intake.domain.location import Location
from shared.text import SingleLine

CIN_PATTERN = r"^[A-Z]{1,2}[0-9]{1,6}$"  # carte d'identité nationale: 1-2 letters, up to 6 digits
PHONE_PATTERN = r"^\+?[0-9][0-9 .-]{7,18}[0-9]$"
TRACKING_NUMBER_PATTERN = r"^AU-[0-9]{4}-[0-9A-Z]{5}-[0-9A-Z]{5}$"

# Single-line values (shared/text.py): names, references, subjects become email headers,
# PDF cells and file names; a line break there is a mistake, not data.
Text = Annotated[SingleLine, Field(min_length=1, max_length=200)]
LongText = Annotated[str, Field(min_length=10, max_length=5000)]


class Applicant(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    full_name: SingleLine = Field(min_length=2, max_length=120)
    email: EmailStr
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN)
    language: Literal["ar", "fr"] = "fr"
    cin: str | None = Field(default=None, pattern=CIN_PATTERN, description="National identity card number")


def _cin_is_required(schema: dict) -> None:
    schema["properties"]["cin"].pop("default", None)
    schema["required"] = [*schema.get("required", []), "cin"]


class Owner(Applicant):
    """The owner asking for an information note: the CIN is required."""

    model_config = ConfigDict(json_schema_extra=_cin_is_required)
    # A default plus validate_default, so a missing CIN gets the clear message below.
    cin: str = Field(default=None, validate_default=True, pattern=CIN_PATTERN,
                     description="National identity card number (required for an information note)")

    @field_validator("cin", mode="before")
    @classmethod
    def _required(cls, value: object) -> object:
        if value is None:
            raise PydanticCustomError("missing", "the owner's CIN (carte nationale d'identité) is required "
                                                 "for an information note")
        return value


class _Filing(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    applicant: Applicant
    location: Location | None = Field(default=None, description="The place this filing is about (optional)")

    def details(self) -> dict:
        return self.model_dump(mode="json", exclude={"applicant", "kind", "previous_tracking_number"},
                               exclude_none=True)

    @property
    def previous(self) -> str | None:
        """The earlier filing this one follows (a pre-study filed again), if any."""
        return getattr(self, "previous_tracking_number", None)


class InformationNoteFiling(_Filing):
    """Note de renseignements urbanistiques for one parcel."""

    kind: Literal["information_note"]
    applicant: Owner
    land_title: Text = Field(description="Titre foncier or réquisition number")
    commune: Text
    address: Text | None = None
    purpose: Text | None = None


class ComplaintFiling(_Filing):
    kind: Literal["complaint"]
    subtype: Literal["complaint", "observation", "suggestion"] = "complaint"
    subject: SingleLine = Field(min_length=3, max_length=200)
    message: LongText
    topic: Literal["building_site", "missing_permit_sign", "illegal_construction", "other"] | None = Field(
        default=None, description="What the complaint is about, when it is about a place (public, with the location)")
    media_urls: list[AnyHttpUrl] | None = Field(
        default=None, max_length=10, description="Links to photos of the place (recorded, never fetched)")


class PreStudyFiling(_Filing):
    kind: Literal["pre_study"]
    architect_registration: Text = Field(description="Registration number at the Ordre des architectes")
    project_title: Text
    commune: Text
    land_title: Text | None = None
    description: LongText
    previous_tracking_number: str | None = Field(
        default=None, pattern=TRACKING_NUMBER_PATTERN,
        description="Filing again: the tracking number of your earlier, decided pre-study of this project")


class BuildingPermitFiling(_Filing):
    kind: Literal["building_permit"]
    project_size: Literal["small", "large"]
    architect_registration: Text
    project_title: Text
    commune: Text
    land_title: Text
    built_area_m2: Decimal = Field(gt=0, max_digits=10, decimal_places=2)
    floors: int = Field(ge=0, le=100)


class SubdivisionPermitFiling(_Filing):
    kind: Literal["subdivision_permit"]
    subtype: Literal["subdivision", "parcelling", "housing_group"]
    professional_registration: Text = Field(description="Architect's or surveyor's registration number")
    commune: Text
    land_title: Text
    land_area_m2: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    lots: int = Field(ge=1, le=10000)


class SupplierInvoiceFiling(_Filing):
    kind: Literal["supplier_invoice"]
    company_name: Text
    ice: str = Field(description="Identifiant commun de l'entreprise, 15 digits")
    invoice_number: Text
    invoice_date: date
    amount_mad: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    contract_reference: Text | None = None

    @field_validator("ice")
    @classmethod
    def _valid_ice(cls, value: str) -> str:
        if not ice_number.is_valid(value):
            raise ValueError("not a valid ICE (15 digits with a valid check number)")
        return ice_number.compact(value)


Filing = Annotated[
    InformationNoteFiling
    | ComplaintFiling
    | PreStudyFiling
    | BuildingPermitFiling
    | SubdivisionPermitFiling
    | SupplierInvoiceFiling,
    Field(discriminator="kind"),
]
FILING = TypeAdapter(Filing)
KINDS = {model.model_fields["kind"].annotation.__args__[0]: model for model in (  # type: ignore[union-attr]
    InformationNoteFiling, ComplaintFiling, PreStudyFiling, BuildingPermitFiling, SubdivisionPermitFiling,
    SupplierInvoiceFiling,
)}


class Response(BaseModel):
    """An applicant's answer to observations."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    message: str = Field(min_length=1, max_length=5000)


class Withdrawal(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: str | None = Field(default=None, max_length=1000)


class Contest(BaseModel):
    """An applicant contests a rejected committee decision, with a motive."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    motive: str = Field(min_length=3, max_length=5000)
