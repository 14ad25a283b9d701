"""The portal's vendored front-end files are exactly those recorded (version, licence, sha256)."""

import hashlib
import tomllib
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "services" / "portal" / "static" / "vendor"


def test_every_vendored_file_has_its_recorded_checksum_and_nothing_else_is_vendored():
    record = tomllib.loads((VENDOR / "VENDORED.toml").read_text())
    listed = {}
    for package in record["package"]:
        assert package["version"] and package["licence"], package["name"]
        assert any(f["path"].endswith("LICENSE") for f in package["files"]), f"{package['name']} has no licence file"
        listed.update({f["path"]: f["sha256"] for f in package["files"]})
    on_disk = {str(p.relative_to(VENDOR)) for p in VENDOR.rglob("*") if p.is_file()} - {"VENDORED.toml", "update.sh"}
    assert on_disk == set(listed)
    for path, sha256 in listed.items():
        assert hashlib.sha256((VENDOR / path).read_bytes()).hexdigest() == sha256, path


def test_the_pinned_versions_are_the_ones_the_issue_asks_for():
    versions = {p["name"]: p["version"] for p in tomllib.loads((VENDOR / "VENDORED.toml").read_text())["package"]}
    assert versions["htmx.org"].startswith("2.0.")
    assert versions["bootstrap"].startswith("5.3.")
    assert "@fontsource/noto-naskh-arabic" in versions
