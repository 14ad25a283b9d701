from pathlib import Path

from pydantic import SecretStr, model_validator

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
    # The same variables as intake's, so the limits shown before upload are the ones applied.
    max_document_bytes: int = 10 * 1024 * 1024
    max_documents: int = 10
    max_body_bytes: int = 0  # 0: room for max_documents documents of max_document_bytes, and 1 MB more
    # Answers held between the form and "check your answers", purged after this long.
    staging_dir: Path = Path("var/portal-staging")
    staging_seconds: int = 3600
    tracking_session_seconds: int = 3600
    csrf_token_seconds: int = 8 * 3600  # a form left open longer is refused (and shown again)

    @model_validator(mode="after")
    def _body_fits_the_documents(self) -> "PortalSettings":
        if self.max_body_bytes == 0:
            self.max_body_bytes = self.max_documents * self.max_document_bytes + 1024 * 1024
        return self

    @model_validator(mode="after")
    def _refuse_default_portal_secret(self) -> "PortalSettings":
        if self.env == "production" and self.portal_secret.get_secret_value() == DEVELOPMENT_PORTAL_SECRET:
            raise ValueError("LAMADI_PORTAL_SECRET must be set outside development")
        return self
