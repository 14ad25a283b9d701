"""The electronic seal (shared/seal.py): a sealed receipt validates with pyHanko's validator
against the test trust root — intact, valid, trusted, the whole file covered — and stops to the
first changed byte; B-T carries a trusted timestamp from the tests' own authority; a seal from
another CA is not trusted; a development seal is refused outside development; `lamadi seal
init` and `show` through the command line's entry."""

from __future__ import annotations

import asyncio
import pickle
import stat
from datetime import UTC, datetime
from io import BytesIO

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import pkcs12
from pydantic import ValidationError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from deploy import run as make_run
from lamadi_cli.main import main as lamadi
from shared.catalogue import default_catalogue
from shared.pdf import Receipt, render_receipt, resolve_font
from shared.seal import (
    DEVELOPMENT_MARK,
    FIELD_NAME,
    Sealer,
    SealSettings,
    check_seal,
    make_development_seal,
    seal_config,
)
from shared.settings import ServiceSettings

CATALOGUE = default_catalogue()
RECEIVED = datetime(2025, 6, 3, 9, 30, tzinfo=UTC)


class Settings(ServiceSettings, SealSettings):
    """A service's settings with the seal, as the notifier's and reporting's are."""


@pytest.fixture(scope="module")
def font():
    return resolve_font()


def receipt_pdf(font, language: str = "fr") -> bytes:
    receipt = Receipt(language=language, tracking_number="UA-2025-000123", kind="building_permit",
                      applicant_name="Fatima Zahra El Idrissi", received_at=RECEIVED,
                      documents=[{"name": "plans.pdf", "type": "architectural_plans", "sha256": "a1" * 32,
                                  "size": 123_456}])
    return render_receipt(receipt, font, CATALOGUE)


async def pyhanko_status(pdf: bytes, trust_roots):
    """pyHanko's own verdict, beside check_seal's reading of it."""
    signature = PdfFileReader(BytesIO(pdf)).embedded_regular_signatures[-1]
    return await async_validate_pdf_signature(signature, ValidationContext(trust_roots=trust_roots))


# ---------------------------------------------------------------- sealing and checking


@pytest.mark.parametrize("language", ["ar", "fr"])
async def test_a_sealed_receipt_is_intact_valid_trusted_over_the_whole_file(seal_kit, font, language):
    sealer = seal_kit.sealer()
    pdf = receipt_pdf(font, language)
    sealed = await sealer.seal(pdf)

    status = await pyhanko_status(sealed, seal_kit.trust_roots)
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.modification_level == ModificationLevel.NONE
    assert status.timestamp_validity is None  # B-B
    signature = PdfFileReader(BytesIO(sealed)).embedded_regular_signatures[-1]
    assert signature.field_name == FIELD_NAME
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    embedded = [choice.chosen.subject.human_friendly for choice in signature.signed_data["certificates"]]
    assert any("test CA" in name for name in embedded)  # the chain, not the seal's certificate alone
    # The signed attributes pyHanko gives PAdES (the seal builds the ESS one once, for speed).
    attributes = {a["type"].native: a["values"][0] for a in signature.signer_info["signed_attrs"]}
    assert set(attributes) == {"content_type", "message_digest", "signing_certificate_v2"}
    assert attributes["signing_certificate_v2"].dump() == as_signing_certificate_v2(signature.signer_cert).dump()

    check = await check_seal(sealed, seal_kit.trust_roots)
    assert check.sound and check.reason is None
    assert (check.sealed, check.intact, check.trusted, check.whole_file) == (True, True, True, True)
    assert check.signer == sealer.subject and "test seal" in check.signer
    assert check.signed_at is not None and check.timestamp_at is None
    assert sealed.startswith(pdf)  # an incremental update: the drawn bytes stay as they were


async def test_one_changed_byte_in_the_signed_range_breaks_the_seal(seal_kit, font):
    sealed = await seal_kit.sealer().seal(receipt_pdf(font))
    # A byte inside the first content stream: the file still parses, its digest no longer matches.
    inside = sealed.index(b"stream", sealed.index(b"/Length")) + 20
    changed = sealed[:inside] + bytes([sealed[inside] ^ 0x01]) + sealed[inside + 1:]

    status = await pyhanko_status(changed, seal_kit.trust_roots)
    assert not status.intact
    check = await check_seal(changed, seal_kit.trust_roots)
    assert check.reason == "seal_broken" and check.sealed and not check.intact and not check.sound


async def test_bytes_added_after_the_seal_leave_it_short_of_the_whole_file(seal_kit, font):
    sealed = await seal_kit.sealer().seal(receipt_pdf(font))
    check = await check_seal(sealed + b"\n% appended\n", seal_kit.trust_roots)
    assert check.reason == "seal_broken" and check.intact and not check.whole_file


async def test_b_t_carries_a_trusted_timestamp_from_the_authority(seal_kit, timestamp_authority, font):
    sealer = seal_kit.sealer(timestamp_authority.url)
    granted = timestamp_authority.granted
    sealed = await sealer.seal(receipt_pdf(font, "ar"))
    await sealer.aclose()  # its session to the authority, on this loop

    assert sealer.level == "B-T" and timestamp_authority.granted == granted + 1
    status = await pyhanko_status(sealed, seal_kit.trust_roots)
    stamp = status.timestamp_validity
    assert stamp is not None and (stamp.intact, stamp.valid, stamp.trusted) == (True, True, True)
    check = await check_seal(sealed, seal_kit.trust_roots)
    assert check.sound and check.timestamp_trusted and check.timestamp_at == stamp.timestamp


async def test_b_t_in_worker_threads_each_with_its_own_loop(seal_kit, timestamp_authority, font):
    sealer = seal_kit.sealer(timestamp_authority.url)
    pdf = receipt_pdf(font)
    sealed = await asyncio.gather(*(asyncio.to_thread(sealer.seal_blocking, pdf) for _ in range(3)))
    for document in sealed:
        check = await check_seal(document, seal_kit.trust_roots)
        assert check.sound and check.timestamp_trusted
    sealer.close()  # the worker threads' sessions to the authority


async def test_a_seal_from_another_ca_is_not_trusted(seal_kit, unrelated_seal_kit, font):
    sealed = await unrelated_seal_kit.sealer().seal(receipt_pdf(font))

    check = await check_seal(sealed, seal_kit.trust_roots)
    assert check.reason == "untrusted_seal" and check.intact and check.whole_file and not check.trusted
    assert (await check_seal(sealed, unrelated_seal_kit.trust_roots)).sound  # sound against its own root


async def test_what_is_not_a_sealed_pdf(seal_kit, font):
    assert (await check_seal(b"%PDF-1.7 not really", seal_kit.trust_roots)).reason == "not_a_pdf"
    assert (await check_seal("نص".encode(), seal_kit.trust_roots)).reason == "not_a_pdf"
    unsealed = await check_seal(receipt_pdf(font), seal_kit.trust_roots)
    assert unsealed.reason == "no_seal" and not unsealed.sealed


async def test_the_config_crosses_to_worker_processes(seal_kit, font):
    """Pickled as a process pool's initializer arguments are; the worker's sealer seals alike."""
    config = pickle.loads(pickle.dumps(seal_kit.config()))
    assert config == seal_kit.config()
    assert seal_kit.files.passphrase_file.read_text().strip() not in repr(config)  # safe to log
    sealed = await Sealer(config).seal(receipt_pdf(font))
    assert (await check_seal(sealed, seal_kit.trust_roots)).sound


# ---------------------------------------------------------------- settings


def settings_with(monkeypatch, env: str, **variables: str) -> Settings:
    monkeypatch.setenv("LAMADI_ENV", env)
    monkeypatch.setenv("LAMADI_JWT_SECRET", "a-test-secret-long-enough-for-production-use")
    for name in ("LAMADI_SEAL_PKCS12", "LAMADI_SEAL_PASSPHRASE", "LAMADI_SEAL_PASSPHRASE_FILE",
                 "LAMADI_SEAL_TSA_URL", "LAMADI_SEAL_TRUST_ROOTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return Settings()


@pytest.mark.parametrize("env", ["production", "test"])
def test_a_development_seal_is_refused_outside_development(tmp_path, monkeypatch, env):
    files = make_development_seal(tmp_path)
    with pytest.raises(ValidationError, match=f"development seal .*refused with LAMADI_ENV={env}"):
        settings_with(monkeypatch, env, LAMADI_SEAL_PKCS12=str(files.pkcs12),
                      LAMADI_SEAL_PASSPHRASE_FILE=str(files.passphrase_file))


def test_a_development_seal_is_accepted_in_development(tmp_path, monkeypatch):
    files = make_development_seal(tmp_path)
    settings = settings_with(monkeypatch, "development", LAMADI_SEAL_PKCS12=str(files.pkcs12),
                             LAMADI_SEAL_PASSPHRASE_FILE=str(files.passphrase_file))
    config = seal_config(settings)
    # The passphrase file is read at load: the config carries the passphrase, not the path.
    assert config.passphrase == files.passphrase_file.read_text().strip().encode()
    _, certificate, _ = pkcs12.load_key_and_certificates(config.pkcs12, config.passphrase)
    assert DEVELOPMENT_MARK in certificate.subject.rfc4514_string()


@pytest.mark.parametrize("env", ["production", "test"])
def test_the_test_seal_is_accepted_outside_development(seal_kit, monkeypatch, env):
    settings = settings_with(monkeypatch, env, **seal_kit.env)
    assert seal_config(settings).pkcs12 == seal_kit.files.pkcs12.read_bytes()


def test_no_seal_is_refused_in_production_only(monkeypatch):
    with pytest.raises(ValidationError, match="LAMADI_SEAL_PKCS12 must be set in production"):
        settings_with(monkeypatch, "production")
    assert seal_config(settings_with(monkeypatch, "test")) is None


def test_a_wrong_passphrase_is_named_and_not_echoed(seal_kit, monkeypatch):
    with pytest.raises(ValidationError) as refused:
        settings_with(monkeypatch, "test", LAMADI_SEAL_PKCS12=str(seal_kit.files.pkcs12),
                      LAMADI_SEAL_PASSPHRASE="not-the-passphrase-42")
    assert "cannot open the PKCS#12" in str(refused.value)
    assert "not-the-passphrase-42" not in str(refused.value)


def test_both_passphrase_settings_are_refused(seal_kit, monkeypatch):
    with pytest.raises(ValidationError, match="not both"):
        settings_with(monkeypatch, "test", **seal_kit.env, LAMADI_SEAL_PASSPHRASE="x")


# ---------------------------------------------------------------- the command line and make run


def fingerprint_of(pkcs12_path, passphrase_path) -> str:
    _, certificate, _ = pkcs12.load_key_and_certificates(pkcs12_path.read_bytes(),
                                                         passphrase_path.read_text().strip().encode())
    return certificate.fingerprint(hashes.SHA256()).hex(":").upper()


def test_seal_init_then_show(tmp_path, monkeypatch, capsys):
    directory = tmp_path / "seal"
    assert lamadi(["seal", "init", "--dir", str(directory)]) == 0
    said = capsys.readouterr().out
    pkcs12_path, passphrase_path = directory / "seal.p12", directory / "seal.passphrase"
    assert f"LAMADI_SEAL_PKCS12={pkcs12_path.resolve()}" in said
    assert f"LAMADI_SEAL_PASSPHRASE_FILE={passphrase_path.resolve()}" in said
    assert stat.S_IMODE(passphrase_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(pkcs12_path.stat().st_mode) == 0o600
    fingerprint = fingerprint_of(pkcs12_path, passphrase_path)

    monkeypatch.setenv("LAMADI_SEAL_PKCS12", str(pkcs12_path))
    monkeypatch.setenv("LAMADI_SEAL_PASSPHRASE_FILE", str(passphrase_path))
    monkeypatch.delenv("LAMADI_SEAL_TSA_URL", raising=False)
    monkeypatch.delenv("LAMADI_SEAL_TRUST_ROOTS", raising=False)
    assert lamadi(["seal", "show"]) == 0
    shown = capsys.readouterr().out
    assert "CN=Lamadi DEVELOPMENT seal" in shown and "O=Lamadi" in shown
    assert "valid from" in shown and "valid until" in shown and "days left" in shown
    assert fingerprint in shown
    assert "PAdES B-B" in shown and "development  yes" in shown


def test_seal_init_refuses_to_overwrite_without_force(tmp_path, capsys):
    directory = tmp_path / "seal"
    assert lamadi(["seal", "init", "--dir", str(directory)]) == 0
    first = (directory / "seal.p12").read_bytes()
    capsys.readouterr()
    assert lamadi(["seal", "init", "--dir", str(directory)]) == 1
    assert "--force" in capsys.readouterr().err
    assert (directory / "seal.p12").read_bytes() == first
    assert lamadi(["seal", "init", "--dir", str(directory), "--force"]) == 0
    assert (directory / "seal.p12").read_bytes() != first


def test_seal_show_says_when_no_seal_is_configured_and_finds_the_one_make_run_made(tmp_path, monkeypatch, capsys):
    import lamadi_cli.seal as seal_command

    monkeypatch.setattr(seal_command, "DEFAULT_DIR", tmp_path / "var" / "seal")
    for name in ("LAMADI_SEAL_PKCS12", "LAMADI_SEAL_PASSPHRASE", "LAMADI_SEAL_PASSPHRASE_FILE"):
        monkeypatch.delenv(name, raising=False)
    assert lamadi(["seal", "show"]) == 1
    assert "LAMADI_SEAL_PKCS12 is unset" in capsys.readouterr().err
    assert lamadi(["seal", "init", "--dir", str(tmp_path / "var" / "seal")]) == 0
    capsys.readouterr()
    assert lamadi(["seal", "show"]) == 0  # unset, the seal `make run` gives the services
    shown = capsys.readouterr().out
    assert "var/seal/seal.p12" in shown and "DEVELOPMENT" in shown


def test_make_run_makes_the_development_seal_once(tmp_path, monkeypatch):
    monkeypatch.setattr(make_run, "SEAL_DIR", tmp_path / "var" / "seal")
    monkeypatch.delenv("LAMADI_SEAL_PKCS12", raising=False)
    env = make_run.seal_environment()
    made = (tmp_path / "var" / "seal" / "seal.p12").read_bytes()
    assert env["LAMADI_SEAL_PKCS12"] == str(tmp_path / "var" / "seal" / "seal.p12")
    assert make_run.seal_environment() == env  # the next start keeps it
    assert (tmp_path / "var" / "seal" / "seal.p12").read_bytes() == made
    assert make_run.service_environment("notifier", env)["LAMADI_SEAL_PASSPHRASE_FILE"] == env[
        "LAMADI_SEAL_PASSPHRASE_FILE"]

    monkeypatch.setenv("LAMADI_SEAL_PKCS12", "/etc/agency/seal.p12")  # the user's own: left alone
    assert make_run.seal_environment() == {}
