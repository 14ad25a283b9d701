"""The agency's identity (names, address, contacts, logo): configuration shared by the portal,
the emails and the PDFs, so one agency's deployment shows one name everywhere."""

from __future__ import annotations

from pathlib import Path

from pydantic import EmailStr, HttpUrl
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_LOGO = Path(__file__).with_name("agency-logo.svg")


class AgencyIdentity(BaseSettings):
    """LAMADI_AGENCY_NAME_AR, LAMADI_AGENCY_NAME_FR, LAMADI_AGENCY_ADDRESS_AR, … (defaults: Khénifra)."""

    model_config = SettingsConfigDict(env_prefix="LAMADI_AGENCY_", extra="ignore")

    name_ar: str = "الوكالة الحضرية لخنيفرة"
    name_fr: str = "Agence urbaine de Khénifra"
    # Placeholders for the contacts: a deployment sets the agency's real ones.
    address_ar: str = "خنيفرة، المغرب"
    address_fr: str = "Khénifra, Maroc"
    phone: str = "+212 5 35 00 00 00"
    email: EmailStr = "contact@example.ma"
    website: HttpUrl = HttpUrl("https://www.example.ma")
    logo_path: Path = DEFAULT_LOGO  # SVG or PNG, shown by the portal and drawn on PDFs

    def name(self, language: str) -> str:
        return self.name_ar if language == "ar" else self.name_fr

    def address(self, language: str) -> str:
        return self.address_ar if language == "ar" else self.address_fr

    @property
    def names(self) -> dict[str, str]:
        return {"fr": self.name_fr, "ar": self.name_ar}
