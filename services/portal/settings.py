"""The portal's LAMADI_* settings: the services it calls, its cookies and protections, the staff
directory's sessions and passwords (docs/operations.md lists them all)."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator

from shared.pdf.fonts import PdfFont
from shared.settings import ServiceSettings

DEVELOPMENT_PORTAL_SECRET = "lamadi-portal-development-secret-do-not-use-in-production"


class PortalSettings(ServiceSettings):
    port: int = 8000
    intake_url: str = "http://127.0.0.1:8001"
    intake_timeout: float = 30.0
    # Signs the CSRF tokens and encrypts the tracking, pending-filing and draft cookies.
    portal_secret: SecretStr = SecretStr(DEVELOPMENT_PORTAL_SECRET)
    # Secure cookies need HTTPS; a plain-HTTP local run (make run, tests) turns them off.
    secure_cookies: bool = True
    # Per client address, in the `limits` notation ("10/minute", "100/hour").
    filing_rate_limit: str = "10/minute"
    tracking_rate_limit: str = "20/minute"
    verify_rate_limit: str = "30/minute"  # the public verification pages: a code looked up, a PDF checked
    # The same variables as intake's, so the limits shown before upload are the ones applied.
    max_document_bytes: int = 10 * 1024 * 1024
    max_documents: int = 10
    max_body_bytes: int = 0  # 0: room for max_documents documents of max_document_bytes, and 1 MB more
    # Answers held between the form and "check your answers", purged after this long.
    staging_dir: Path = Path("var/portal-staging")
    staging_seconds: int = 3600
    tracking_session_seconds: int = 3600
    csrf_token_seconds: int = 8 * 3600  # a form left open longer is refused (and shown again)

    # Staff pages: the staff APIs the portal calls with a token it mints for the person signed in.
    review_url: str = "http://127.0.0.1:8002"
    notifier_url: str = "http://127.0.0.1:8003"
    reporting_url: str = "http://127.0.0.1:8004"
    staff_api_timeout: float = 30.0
    staff_token_seconds: int = Field(300, ge=30, le=3600)  # the JWT minted for each page's calls
    staff_session_seconds: int = Field(8 * 3600, ge=60)  # a session ends this long after sign-in…
    staff_idle_seconds: int = Field(30 * 60, ge=60)  # …or after this long without a page
    sign_in_attempts: int = Field(5, ge=1, le=100)  # consecutive failures before the account locks
    lockout_seconds: int = Field(15 * 60, ge=1)
    sign_in_rate_limit: str = "20/minute"  # per client address, on top of the lockout
    # argon2-cffi's parameter profile for staff passwords; CHEAPEST (for tests: a fast, weak
    # hash) is refused in production.
    password_hash_profile: Literal["RFC_9106_LOW_MEMORY", "RFC_9106_HIGH_MEMORY", "CHEAPEST"] = "RFC_9106_LOW_MEMORY"
    pdf_font: PdfFont  # the information note's preview (shared/pdf/fonts.py)
    ops_refresh_seconds: int = Field(5, ge=1, le=300)  # the queues page refreshes itself this often

    @model_validator(mode="after")
    def _body_fits_the_documents(self) -> "PortalSettings":
        if self.max_body_bytes == 0:
            self.max_body_bytes = self.max_documents * self.max_document_bytes + 1024 * 1024
        return self

    @model_validator(mode="after")
    def _refuse_default_portal_secret(self) -> "PortalSettings":
        if self.env == "production" and self.portal_secret.get_secret_value() == DEVELOPMENT_PORTAL_SECRET:
            raise ValueError("LAMADI_PORTAL_SECRET must be set outside development")
        if self.env == "production" and self.password_hash_profile == "CHEAPEST":
            raise ValueError("LAMADI_PASSWORD_HASH_PROFILE=CHEAPEST is for tests: not in production")
        return self
