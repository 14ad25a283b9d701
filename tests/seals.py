"""The tests' seal: a test CA of their own, the seal certificate it issues, and a timestamp
authority it also certifies (tests/tsa.py), made once per run.

The seal's subject says "test", not DEVELOPMENT: services under test run with LAMADI_ENV=test,
which refuses a development seal. Its CA is the test trust root; the PKCS#12 carries it in its
chain, so a service given only LAMADI_SEAL_PKCS12 and LAMADI_SEAL_PASSPHRASE_FILE checks seals
against it (LAMADI_SEAL_TRUST_ROOTS unset) — the timestamp authority's tokens included.

Fixtures (tests/conftest.py, for every tier):
- ``seal_kit`` (session): the test seal (``SealKit``);
- ``unrelated_seal_kit`` (session): a seal from another CA, outside the test trust roots;
- ``timestamp_authority`` (session): the running authority, ``.url``;
- ``seal_env``: LAMADI_SEAL_PKCS12 and LAMADI_SEAL_PASSPHRASE_FILE set in os.environ for the
  test (B-B), the other LAMADI_SEAL_* unset; returns them, to pass to processes;
- ``seal_env_bt``: the same with LAMADI_SEAL_TSA_URL (B-T).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shared.seal import SealConfig, Sealer, SealFiles, issue_tsa_certificate, make_development_seal, trust_roots_of
from tests.tsa import TimestampAuthority

SEAL_VARIABLES = ("LAMADI_SEAL_PKCS12", "LAMADI_SEAL_PASSPHRASE", "LAMADI_SEAL_PASSPHRASE_FILE",
                  "LAMADI_SEAL_TSA_URL", "LAMADI_SEAL_TRUST_ROOTS")


@dataclass(frozen=True)
class SealKit:
    files: SealFiles

    @property
    def env(self) -> dict[str, str]:
        """The LAMADI_SEAL_* settings of this seal (B-B)."""
        return {"LAMADI_SEAL_PKCS12": str(self.files.pkcs12),
                "LAMADI_SEAL_PASSPHRASE_FILE": str(self.files.passphrase_file)}

    def config(self, tsa_url: str | None = None) -> SealConfig:
        return SealConfig(pkcs12=self.files.pkcs12.read_bytes(),
                          passphrase=self.files.passphrase_file.read_text().strip().encode(),
                          tsa_url=tsa_url, source=str(self.files.pkcs12))

    def sealer(self, tsa_url: str | None = None) -> Sealer:
        return Sealer(self.config(tsa_url))

    @property
    def trust_roots(self) -> list:
        """The test trust root (asn1crypto), what ``check_seal`` takes."""
        return trust_roots_of(self.config())


def make_seal_kit(directory: Path) -> SealKit:
    return SealKit(make_development_seal(directory, development=False))


def start_timestamp_authority(kit: SealKit) -> TimestampAuthority:
    """An authority whose certificate the kit's CA issued (so the kit's trust root covers it)."""
    certificate, key = issue_tsa_certificate(kit.files.authority)
    return TimestampAuthority(certificate, key, chain=kit.trust_roots).start()
