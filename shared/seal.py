"""The agency's electronic seal (cachet électronique, law 43-20): PAdES signatures on the PDFs it
issues, made with pyHanko, and their check.

- ``SealSettings``: the LAMADI_SEAL_* settings, a mixin of the settings of the services that draw
  PDFs (the notifier, reporting). Loading them refuses a development seal outside development, and
  no seal at all in production.
- ``SealConfig``: what a process needs to seal: bytes, paths and strings only, frozen and
  picklable, so each PDF worker process builds its own ``Sealer`` in its initializer.
- ``Sealer``: PAdES B-B (the certificate chain embedded), or B-T when a timestamp authority is set
  (an RFC 3161 token over the signature). ``seal`` is pyHanko's async API; ``seal_blocking`` runs
  it in an event loop of the calling thread's own, for worker processes and threads (signing is
  CPU work, never done on a service's event loop).
- ``check_seal``: pyHanko's validator against the given trust roots, in the words of the
  verification page (shared/vocabulary.toml, ``verification_reasons``).
- ``make_development_seal``: a CA and a seal certificate of our own (cryptography's x509 builder),
  for `lamadi seal init`, `make run` and the tests; ``issue_tsa_certificate``: a timestamp
  authority's certificate from that CA, for the tests' own authority (tests/tsa.py).
"""

from __future__ import annotations

import asyncio
import atexit
import os
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import aiohttp
from asn1crypto import keys as asn1_keys
from asn1crypto import pem, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.attributes import CMSAttributeProvider, SignedAttributeProviderSpec
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import SigningError, as_signing_certificate_v2
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, SimpleSigner
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

FIELD_NAME = "Cachet"
# In the subject of a seal made by `lamadi seal init`: a service outside development refuses it.
DEVELOPMENT_MARK = "DEVELOPMENT"
ORGANISATION = "Lamadi"
PKCS12_NAME, PASSPHRASE_NAME, CA_NAME = "seal.p12", "seal.passphrase", "ca.pem"

# Room kept in the PDF for the signature (its CMS bytes; the PDF holds them hex-encoded). Given to
# pyHanko, it skips the dry-run signature it would make only to measure that size.
# The chain's certificates are counted exactly; the rest (signed attributes, the signature) is
# a few hundred bytes, a timestamp token a few kilobytes (its TSA's chain included).
_CMS_OVERHEAD = 2048
_TOKEN_ALLOWANCE = 8192
_TSA_TIMEOUT = 10  # seconds for a token


# ---------------------------------------------------------------- settings


class SealSettings(BaseSettings):
    """The seal, for a service that draws PDFs: ``class XSettings(ServiceSettings, SealSettings)``.

    LAMADI_SEAL_PKCS12: the seal's PKCS#12 (key, certificate and its chain). Unset: documents are
    issued unsealed (their QR code and register entry still), which production refuses.
    LAMADI_SEAL_PASSPHRASE or LAMADI_SEAL_PASSPHRASE_FILE (read once, at load): its passphrase.
    LAMADI_SEAL_TSA_URL: an RFC 3161 timestamp authority; set, seals are PAdES B-T, else B-B.
    LAMADI_SEAL_TRUST_ROOTS: the PEM bundle a seal is checked against (the timestamp authority's
    root too, for B-T); unset: the root certificate(s) in the PKCS#12's chain."""

    # hide_input_in_errors: a refusal names the setting, never echoes the input (the passphrase).
    model_config = SettingsConfigDict(env_prefix="LAMADI_", extra="ignore", hide_input_in_errors=True)

    seal_pkcs12: Path | None = None
    seal_passphrase: SecretStr | None = None
    seal_passphrase_file: Path | None = None
    seal_tsa_url: str | None = None
    seal_trust_roots: Path | None = None

    @model_validator(mode="after")
    def _seal_fit_for_env(self) -> "SealSettings":
        if self.seal_passphrase is not None and self.seal_passphrase_file is not None:
            raise ValueError("set LAMADI_SEAL_PASSPHRASE or LAMADI_SEAL_PASSPHRASE_FILE, not both")
        if self.seal_passphrase_file is not None:
            self.seal_passphrase = SecretStr(_read(self.seal_passphrase_file, "LAMADI_SEAL_PASSPHRASE_FILE")
                                             .decode().rstrip("\r\n"))
        env = getattr(self, "env", None)  # ServiceSettings' LAMADI_ENV, where the mixin sits beside it
        config = seal_config(self)
        if config is None:
            if env == "production":
                raise ValueError("LAMADI_SEAL_PKCS12 must be set in production: the agency's documents are "
                                 "sealed (see README, \"The electronic seal\")")
            return self
        _, certificate, _ = _open_pkcs12(config)  # refuses a PKCS#12 it cannot open
        if certificate is None:
            raise ValueError(f"the PKCS#12 {config.source} holds no certificate")
        trust_roots_of(config)  # refuses a chain without its root when LAMADI_SEAL_TRUST_ROOTS is unset
        if is_development_subject(certificate.subject) and env not in (None, "development"):
            raise ValueError(f"LAMADI_SEAL_PKCS12 holds a development seal ({certificate.subject.rfc4514_string()}), "
                             f"refused with LAMADI_ENV={env}: configure the agency's own seal certificate "
                             "(README, \"The electronic seal\")")
        return self


def _read(path: Path, setting: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{setting}: cannot read {path} ({exc.strerror or type(exc).__name__})") from None


@dataclass(frozen=True)
class SealConfig:
    """What a process needs to seal and check, read from the settings once: picklable, so the
    parent reads the files and every worker process gets the same bytes."""

    pkcs12: bytes = field(repr=False)
    passphrase: bytes | None = field(repr=False)
    tsa_url: str | None = None
    trust_roots_pem: bytes | None = field(default=None, repr=False)
    source: str = ""  # where the PKCS#12 came from, for messages


def seal_config(settings: SealSettings) -> SealConfig | None:
    """The configured seal, or None when LAMADI_SEAL_PKCS12 is unset (documents issued unsealed)."""
    if settings.seal_pkcs12 is None:
        return None
    passphrase = settings.seal_passphrase.get_secret_value().encode() if settings.seal_passphrase else None
    roots = _read(settings.seal_trust_roots, "LAMADI_SEAL_TRUST_ROOTS") if settings.seal_trust_roots else None
    return SealConfig(pkcs12=_read(settings.seal_pkcs12, "LAMADI_SEAL_PKCS12"), passphrase=passphrase,
                      tsa_url=settings.seal_tsa_url or None, trust_roots_pem=roots, source=str(settings.seal_pkcs12))


def trust_roots_of(config: SealConfig) -> list[asn1_x509.Certificate]:
    """What a seal is checked against: LAMADI_SEAL_TRUST_ROOTS, else the self-signed
    certificate(s) of the PKCS#12's chain."""
    if config.trust_roots_pem is not None:
        try:
            roots = [asn1_x509.Certificate.load(der) for kind, _, der in
                     pem.unarmor(config.trust_roots_pem, multiple=True) if kind == "CERTIFICATE"]
        except ValueError:
            roots = []
        if not roots:
            raise ValueError("LAMADI_SEAL_TRUST_ROOTS holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        return roots
    _, _, chain = _open_pkcs12(config)
    roots = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
             for c in chain if c.subject == c.issuer]
    if not roots:
        raise ValueError(f"the PKCS#12 {config.source} carries no root certificate in its chain: set "
                         "LAMADI_SEAL_TRUST_ROOTS to the PEM of its issuer's root")
    return roots


def _open_pkcs12(config: SealConfig):
    try:
        return pkcs12.load_key_and_certificates(config.pkcs12, config.passphrase)
    except ValueError:
        raise ValueError(_unreadable(config)) from None


def _unreadable(config: SealConfig) -> str:
    return (f"cannot open the PKCS#12 {config.source}: wrong passphrase (LAMADI_SEAL_PASSPHRASE or "
            "LAMADI_SEAL_PASSPHRASE_FILE) or not a PKCS#12 file")


# ---------------------------------------------------------------- sealing


class Sealer:
    """Seals PDFs with one certificate. Build one per process (a PDF worker's initializer) and
    keep it: the key is decrypted and the chain read once. With a timestamp authority, each
    event loop keeps an HTTP session to it (``close`` ends them; at exit if not before)."""

    def __init__(self, config: SealConfig):
        self.config = config
        try:
            self._signer = SimpleSigner.load_pkcs12_data(config.pkcs12, other_certs=(), passphrase=config.passphrase)
        except ValueError:
            raise ValueError(_unreadable(config)) from None
        certificate = self._signer.signing_cert
        self.certificate: x509.Certificate = x509.load_der_x509_certificate(certificate.dump())
        self._signer.signed_attr_prov_spec = _PadesSignedAttributes(certificate)
        self._metadata = PdfSignatureMetadata(field_name=FIELD_NAME, md_algorithm="sha256",
                                              subfilter=SigSeedSubFilter.PADES)
        self._pdf_signer = PdfSigner(self._metadata, signer=self._signer)  # B-B: nothing per loop
        chain = sum(len(c.dump()) for c in self._signer.cert_registry) + len(certificate.dump())
        allowance = chain + _CMS_OVERHEAD + (_TOKEN_ALLOWANCE if config.tsa_url else 0)
        self._bytes_reserved = allowance + allowance % 2  # CMS bytes (pyHanko wants an even count)
        self._sessions: dict[asyncio.AbstractEventLoop, aiohttp.ClientSession] = {}
        self._own_loops = threading.local()
        if config.tsa_url:
            atexit.register(self.close)

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()

    @property
    def issuer(self) -> str:
        return self.certificate.issuer.rfc4514_string()

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate, as certificate viewers print it (AB:CD:…)."""
        return self.certificate.fingerprint(hashes.SHA256()).hex(":").upper()

    @property
    def is_development(self) -> bool:
        return is_development_subject(self.certificate.subject)

    @property
    def timestamped(self) -> bool:
        """Whether its seals carry an RFC 3161 timestamp (LAMADI_SEAL_TSA_URL set)."""
        return bool(self.config.tsa_url)

    @property
    def level(self) -> str:
        """PAdES baseline level: B-T with a timestamp authority, else B-B."""
        return "B-T" if self.timestamped else "B-B"

    async def seal(self, pdf: bytes) -> bytes:
        """``pdf`` with the agency's seal over every byte, as an incremental update. CPU work
        (some 5 ms a receipt): call it where PDFs are drawn, not on a service's event loop. B-T:
        raises pyHanko's TimestampRequestError when the authority cannot be reached."""
        try:
            return await self._sign(pdf, self._bytes_reserved)
        except SigningError:
            # The room kept was too small (an unusually large timestamp token): let pyHanko
            # measure it, once, and keep what it measured for the next seals.
            sealed = await self._sign(pdf, None)
            self._bytes_reserved = max(self._bytes_reserved, _reserved_in(sealed))
            return sealed

    async def _sign(self, pdf: bytes, bytes_reserved: int | None) -> bytes:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        output = await self._signer_here().async_sign_pdf(writer, bytes_reserved=bytes_reserved)
        return output.getvalue()

    def _signer_here(self) -> PdfSigner:
        if not self.config.tsa_url:
            return self._pdf_signer
        # An aiohttp session belongs to one event loop; one kept per loop spares a new session
        # (and connection) per token, half the CPU of a B-T seal.
        loop = asyncio.get_running_loop()
        session = self._sessions.get(loop)
        if session is None or session.closed:
            session = self._sessions[loop] = aiohttp.ClientSession()
        timestamper = HTTPTimeStamper(self.config.tsa_url, timeout=_TSA_TIMEOUT, session=session)
        return PdfSigner(self._metadata, signer=self._signer, timestamper=timestamper)

    def seal_blocking(self, pdf: bytes) -> bytes:
        """``seal`` for code with no event loop (PDF worker processes, threads): each thread runs
        it in an event loop of its own, kept between seals."""
        loop = getattr(self._own_loops, "loop", None)
        if loop is None:
            loop = self._own_loops.loop = asyncio.new_event_loop()
        return loop.run_until_complete(self.seal(pdf))

    async def aclose(self) -> None:
        """Close the session of the running loop (after ``seal`` was awaited on it)."""
        session = self._sessions.pop(asyncio.get_running_loop(), None)
        if session is not None:
            await session.close()

    def close(self) -> None:
        """Close the sessions of the loops not running now (``seal_blocking``'s), and this
        thread's loop. Called on a running loop, the closing runs in a thread of its own."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            self._close_idle()
            return
        closing = threading.Thread(target=self._close_idle, name="sealer-close")
        closing.start()
        closing.join()

    def _close_idle(self) -> None:
        for loop, session in list(self._sessions.items()):
            if not loop.is_closed() and not loop.is_running():
                loop.run_until_complete(session.close())
                del self._sessions[loop]
        loop = getattr(self._own_loops, "loop", None)
        if loop is not None:
            loop.close()
            self._own_loops.loop = None


class _SigningCertificateV2(CMSAttributeProvider):
    """pyHanko's SigningCertificateV2Provider, its value encoded once per sealer and read back
    from DER for each seal. The same attribute; but asn1crypto copies a value built from Python
    objects through every level it is nested in, which made this attribute most of a seal's CPU
    (bench/seal.py: a receipt's seal took 19 ms of CPU, 5 with this)."""

    attribute_type = "signing_certificate_v2"

    def __init__(self, certificate: asn1_x509.Certificate):
        self._der = as_signing_certificate_v2(certificate, "sha256").dump()

    async def build_attr_value(self, dry_run=False) -> tsp.SigningCertificateV2:
        return tsp.SigningCertificateV2.load(self._der)


class _PadesSignedAttributes(SignedAttributeProviderSpec):
    """The signed attributes pyHanko gives a PAdES signature (its CAdESSignedAttributeProviderSpec
    with is_pades: the ESS signing-certificate-v2, no signing-time; content-type and
    message-digest it adds itself), through that cheaper provider."""

    def __init__(self, certificate: asn1_x509.Certificate):
        self._providers = (_SigningCertificateV2(certificate),)

    def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str):
        return self._providers


def _reserved_in(sealed: bytes) -> int:
    signature = PdfFileReader(BytesIO(sealed)).embedded_regular_signatures[-1]
    return len(signature.sig_object.raw_get("/Contents").original_bytes)


def is_development_subject(name: x509.Name) -> bool:
    return any(DEVELOPMENT_MARK in str(attribute.value) for attribute in name)


# ---------------------------------------------------------------- checking


@dataclass(frozen=True)
class SealCheck:
    """What pyHanko's validator says of a PDF's seal. ``reason`` is a verification_reasons code
    when something is wrong (not_a_pdf, no_seal, seal_broken, untrusted_seal), None when the seal
    is sound: intact, over the whole file, from a trusted certificate. Whether these are the
    bytes the agency issued is the register's to say (by their sha256), not the seal's: the
    signature's own hex room is outside what it signs, so its padding can change unnoticed."""

    sealed: bool
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str | None = None
    signed_at: datetime | None = None
    timestamp_at: datetime | None = None
    timestamp_trusted: bool = False
    reason: str | None = None

    @property
    def sound(self) -> bool:
        return self.reason is None


async def check_seal(pdf: bytes, trust_roots: list[asn1_x509.Certificate]) -> SealCheck:
    """Validate the last signature of ``pdf`` against ``trust_roots`` (and only them: no system
    trust store, no fetching). CPU work, some 15 ms for a receipt: run it off a busy event loop."""
    try:
        signatures = PdfFileReader(BytesIO(pdf), strict=False).embedded_regular_signatures
    except (PdfError, ValueError, TypeError, KeyError, IndexError):
        return SealCheck(sealed=False, reason="not_a_pdf")
    if not signatures:
        return SealCheck(sealed=False, reason="no_seal")
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
    try:
        status = await async_validate_pdf_signature(signatures[-1], signer_validation_context=context)
    except (PdfError, ValueError, TypeError, KeyError):  # a signature too mangled to read
        return SealCheck(sealed=True, reason="seal_broken")
    intact = bool(status.intact and status.valid)
    whole_file = (status.coverage == SignatureCoverageLevel.ENTIRE_FILE
                  and status.modification_level == ModificationLevel.NONE)
    stamp = status.timestamp_validity
    stamp_sound = stamp is None or bool(stamp.intact and stamp.valid)
    if not (intact and whole_file and stamp_sound):
        reason = "seal_broken"
    elif not status.trusted:
        reason = "untrusted_seal"
    else:
        reason = None
    return SealCheck(
        sealed=True, intact=intact, trusted=bool(status.trusted), whole_file=whole_file,
        signer=x509.load_der_x509_certificate(status.signing_cert.dump()).subject.rfc4514_string(),
        signed_at=status.signer_reported_dt,
        timestamp_at=stamp.timestamp if stamp else None, timestamp_trusted=bool(stamp and stamp.trusted),
        reason=reason)


def check_seal_blocking(pdf: bytes, trust_roots: list[asn1_x509.Certificate]) -> SealCheck:
    """``check_seal`` in a loop of its own: for a thread, so a service's event loop does not
    spend the validation's CPU (``await asyncio.to_thread(check_seal_blocking, ...)``)."""
    return asyncio.run(check_seal(pdf, trust_roots))


# ---------------------------------------------------------------- certificates of our own


@dataclass(frozen=True)
class CertificateAuthority:
    """A CA made here, in memory: its key is never written (nothing needs it once the seal is
    issued, but the tests' timestamp authority)."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey = field(repr=False)


@dataclass(frozen=True)
class SealFiles:
    pkcs12: Path
    passphrase_file: Path
    ca_pem: Path
    authority: CertificateAuthority


def make_development_seal(directory: Path, *, development: bool = True) -> SealFiles:
    """A new CA and a seal certificate it issues (EC P-256), written in ``directory`` as the
    seal's PKCS#12 (the CA in its chain), its passphrase in a file readable by its owner alone,
    and the CA's certificate in PEM. ``development``: the subjects say DEVELOPMENT, so no
    service outside development accepts it; the tests' seal is not (LAMADI_ENV=test)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    mark = f" {DEVELOPMENT_MARK}" if development else " test"
    authority = _make_authority(f"Lamadi{mark} CA")
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = _issue(authority, key.public_key(), f"Lamadi{mark} seal", years=5, extensions=[
        (x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                       data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                       encipher_only=False, decipher_only=False), True),
    ])
    passphrase = secrets.token_urlsafe(24)
    files = SealFiles(pkcs12=directory / PKCS12_NAME, passphrase_file=directory / PASSPHRASE_NAME,
                      ca_pem=directory / CA_NAME, authority=authority)
    _write_private(files.passphrase_file, passphrase.encode() + b"\n")
    _write_private(files.pkcs12, pkcs12.serialize_key_and_certificates(
        b"lamadi-seal", key, certificate, [authority.certificate],
        serialization.BestAvailableEncryption(passphrase.encode())))
    files.ca_pem.write_bytes(authority.certificate.public_bytes(serialization.Encoding.PEM))
    return files


def issue_tsa_certificate(authority: CertificateAuthority,
                          name: str = "Lamadi test timestamp authority"
                          ) -> tuple[asn1_x509.Certificate, asn1_keys.PrivateKeyInfo]:
    """A timestamp authority's certificate (extended key usage timeStamping, critical, as RFC
    3161 requires) and RSA key (pyHanko's DummyTimeStamper signs with RSA), in asn1crypto's
    types, for the tests' own authority."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = _issue(authority, key.public_key(), name, years=2, extensions=[
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True),
        (x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                       data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                       encipher_only=False, decipher_only=False), True),
    ])
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return (asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
            asn1_keys.PrivateKeyInfo.load(der_key))


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "MA"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _make_authority(common_name: str) -> CertificateAuthority:
    key = ec.generate_private_key(ec.SECP256R1())
    name, now = _name(common_name), datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(days=365 * 10))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256()))
    return CertificateAuthority(certificate=certificate, key=key)


def _issue(authority: CertificateAuthority, public_key, common_name: str, *, years: int,
           extensions: list[tuple[x509.ExtensionType, bool]]) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(authority.certificate.subject)
        .public_key(public_key).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()),
                       critical=False))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(authority.key, hashes.SHA256())


def _write_private(path: Path, data: bytes) -> None:
    """Written readable by its owner alone, from the first byte (no window where it is not)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    os.chmod(path, 0o600)  # a file that was there already keeps its mode through O_CREAT
