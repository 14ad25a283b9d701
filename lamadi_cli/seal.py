"""`lamadi seal init|show`: the agency's electronic seal.

`init` makes a development CA and a seal certificate it issues (marked DEVELOPMENT in their
subjects: a service outside LAMADI_ENV=development refuses them), so that a newcomer's documents
are sealed too; `make run` does it on first start through ``development_seal_env``. An agency's
real seal is a PKCS#12 from its trust-service provider, given by LAMADI_SEAL_PKCS12 (README,
"The electronic seal"); `show` prints the one configured, whichever it is."""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from pydantic import ValidationError

from lamadi_cli.common import CliError, render_table
from shared.seal import (
    CA_NAME,
    PASSPHRASE_NAME,
    PKCS12_NAME,
    Sealer,
    SealSettings,
    make_development_seal,
    seal_config,
    trust_roots_of,
)

DEFAULT_DIR = Path("var/seal")


def _files(directory: Path) -> list[Path]:
    return [directory / PKCS12_NAME, directory / PASSPHRASE_NAME, directory / CA_NAME]


def _env_of(directory: Path) -> dict[str, str]:
    directory = directory.resolve()
    return {"LAMADI_SEAL_PKCS12": str(directory / PKCS12_NAME),
            "LAMADI_SEAL_PASSPHRASE_FILE": str(directory / PASSPHRASE_NAME)}


def init_seal(directory: Path, *, force: bool = False) -> Sealer:
    """A new development seal in ``directory``; refused over an existing one unless ``force``."""
    present = [path for path in _files(directory) if path.exists()]
    if present and not force:
        raise CliError(f"a seal is there already ({', '.join(map(str, present))}): kept. --force replaces it "
                       "(the documents sealed so far then check against the old CA, no longer trusted)")
    files = make_development_seal(directory, development=True)
    return Sealer(seal_config(SealSettings(seal_pkcs12=files.pkcs12, seal_passphrase_file=files.passphrase_file)))


def development_seal_env(directory: Path) -> tuple[dict[str, str], bool]:
    """The LAMADI_SEAL_* settings of the development seal in ``directory``, made there first if
    it is not (what `make run` gives the services); and whether it was made now."""
    made = not all(path.exists() for path in _files(directory)[:2])
    if made:
        init_seal(directory, force=True)
    return _env_of(directory), made


def cmd_seal_init(args: argparse.Namespace) -> int:
    sealer = init_seal(args.dir, force=args.force)
    print(f"wrote a development seal in {args.dir}/ (refused outside LAMADI_ENV=development):")
    print(render_table(("file", "what"), [
        [args.dir / PKCS12_NAME, "the seal's key and certificate, its CA in the chain (PKCS#12)"],
        [args.dir / PASSPHRASE_NAME, "the PKCS#12's passphrase (readable by you alone)"],
        [args.dir / CA_NAME, "the development CA's certificate: the trust root its seals are checked against"],
    ]))
    print(f"\nsubject  {sealer.subject}\nSHA-256  {sealer.fingerprint}")
    print("\nthe services that draw PDFs (notifier, reporting) seal with it given (`make run` gives them):")
    for name, value in _env_of(args.dir).items():
        print(f"  export {name}={value}")
    return 0


def _configured() -> tuple[Sealer, str]:
    # Unset, the seal `make run` gives the services, when there is one (var/seal/).
    made_by_run = {} if os.environ.get("LAMADI_SEAL_PKCS12") or not (DEFAULT_DIR / PKCS12_NAME).exists() \
        else {"seal_pkcs12": DEFAULT_DIR / PKCS12_NAME, "seal_passphrase_file": DEFAULT_DIR / PASSPHRASE_NAME}
    try:
        settings = SealSettings(**made_by_run)  # alone: no LAMADI_ENV check, `show` says what it would refuse
        config = seal_config(settings)
    except ValidationError as exc:
        raise CliError(f"invalid LAMADI_SEAL_* settings: {'; '.join(e['msg'] for e in exc.errors())}") from None
    if config is None:
        raise CliError(f"no seal configured: LAMADI_SEAL_PKCS12 is unset and {DEFAULT_DIR}/ holds none (documents "
                       "are issued unsealed). For development: lamadi seal init (make run does it)")
    roots = ", ".join(_subject(root) for root in trust_roots_of(config))
    origin = "LAMADI_SEAL_TRUST_ROOTS" if config.trust_roots_pem else "the PKCS#12's chain"
    return Sealer(config), f"{roots} (from {origin})"


def _subject(certificate) -> str:
    return x509.load_der_x509_certificate(certificate.dump()).subject.rfc4514_string()


def cmd_seal_show(args: argparse.Namespace) -> int:
    sealer, roots = _configured()
    certificate = sealer.certificate
    start, end = certificate.not_valid_before_utc, certificate.not_valid_after_utc
    left = (end - datetime.now(UTC)).days
    env = os.environ.get("LAMADI_ENV", "development")
    development = "no"
    if sealer.is_development:
        development = "yes: refused outside LAMADI_ENV=development" + (
            f" (here LAMADI_ENV={env}: refused)" if env != "development" else "")
    level = (f"PAdES B-T: timestamps from {sealer.config.tsa_url}" if sealer.config.tsa_url
             else "PAdES B-B: no timestamp authority (LAMADI_SEAL_TSA_URL unset)")
    rows = [
        ("file", sealer.config.source),
        ("subject", sealer.subject),
        ("issuer", sealer.issuer),
        ("valid from", f"{start:%Y-%m-%d %H:%M} UTC"),
        ("valid until", f"{end:%Y-%m-%d %H:%M} UTC ({'expired' if left < 0 else f'{left} days left'})"),
        ("SHA-256", sealer.fingerprint),
        ("development", development),
        ("level", level),
        ("trust roots", roots),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    return 0


def add_seal_parser(commands) -> None:
    """``lamadi seal …`` on the main parser's sub-commands."""
    seal = commands.add_parser("seal", help="the electronic seal on the PDFs the agency issues",
                               description="The agency's electronic seal (PAdES), LAMADI_SEAL_* settings.")
    seal.set_defaults(func=None, help_of=seal)
    actions = seal.add_subparsers(title="actions", metavar="ACTION")
    init = actions.add_parser("init", help="make a development CA and seal certificate",
                              description="Make a development CA and a seal certificate it issues (PKCS#12, its "
                                          "passphrase in a file beside it, the CA in PEM), marked DEVELOPMENT: "
                                          "refused outside LAMADI_ENV=development.")
    init.add_argument("--dir", type=Path, default=DEFAULT_DIR, help=f"where to write them (default {DEFAULT_DIR})")
    init.add_argument("--force", action="store_true", help="replace a seal already there")
    init.set_defaults(func=cmd_seal_init)
    show = actions.add_parser("show", help="subject, validity and fingerprint of the configured seal",
                              description="The seal LAMADI_SEAL_PKCS12 gives: subject, issuer, validity, SHA-256 "
                                          "fingerprint, whether it is a development seal, B-B or B-T, trust roots.")
    show.set_defaults(func=cmd_seal_show)
