"""What an applicant sends: filings of every kind (JSON or multipart) and small real files; and
those files as intake keeps them (in the blob store, described in its events)."""

import base64
import hashlib
import json
from pathlib import Path

from shared.blobs import BlobStore

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# A 1x1 PNG.
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def complaint(**applicant) -> dict:
    return {
        "kind": "complaint",
        "subtype": "complaint",
        "subject": "Chantier sans autorisation affichée",
        "message": "Un chantier rue 12 ne montre aucun panneau d'autorisation depuis trois semaines.",
        "applicant": {"full_name": "Amina Berrada", "email": "amina@example.ma", "language": "fr",
                      "phone": "+212 600 000 000", **applicant},
    }


# A valid ICE (15 digits, mod 97-10 check), from python-stdnum's own examples.
VALID_ICE = "001561191000066"

_APPLICANT = {"full_name": "Amina Berrada", "email": "amina@example.ma", "language": "fr", "phone": "+212 600 000 000"}

_FIELDS: dict[str, dict] = {
    "information_note": {"land_title": "TF 12345/K", "commune": "Khénifra", "address": "Rue 12, Hay Amal",
                         "purpose": "Construction d'une maison"},
    "complaint": {"subtype": "complaint", "subject": "Chantier sans autorisation affichée",
                  "message": "Un chantier rue 12 ne montre aucun panneau d'autorisation depuis trois semaines."},
    "pre_study": {"architect_registration": "OA-4521", "project_title": "Immeuble R+3 Hay Amal",
                  "commune": "Khénifra", "land_title": "TF 12345/K",
                  "description": "Immeuble de quatre niveaux avec commerces au rez-de-chaussée."},
    "building_permit": {"project_size": "small", "architect_registration": "OA-4521",
                        "project_title": "Maison individuelle R+1", "commune": "Khénifra", "land_title": "TF 12345/K",
                        "built_area_m2": "180.50", "floors": 2},
    "subdivision_permit": {"subtype": "subdivision", "professional_registration": "IGT-778", "commune": "M'rirt",
                           "land_title": "TF 9876/K", "land_area_m2": "25000", "lots": 40},
    "supplier_invoice": {"company_name": "Bureau d'études Atlas", "ice": VALID_ICE, "invoice_number": "F-2026-012",
                         "invoice_date": "2026-10-01", "amount_mad": "12000.00", "contract_reference": "M-17/2026"},
}

# Required documents per kind, as in shared/catalogue.toml (kept literal so a test notices a change).
REQUIRED_DOCUMENTS: dict[str, list[str]] = {
    "information_note": ["cin_copy", "property_proof", "situation_plan"],
    "complaint": [],
    "pre_study": ["project_file", "situation_plan"],
    "building_permit": ["architectural_plans", "situation_plan", "property_proof", "architect_contract"],
    "subdivision_permit": ["subdivision_plan", "topographic_plan", "property_proof"],
    "supplier_invoice": ["invoice", "service_certificate"],
}


def filing(kind: str, *, applicant: dict | None = None, **fields) -> dict:
    """A valid JSON filing of this kind (an information note's applicant has a CIN)."""
    person = {**_APPLICANT, **({"cin": "AB123456"} if kind == "information_note" else {}), **(applicant or {})}
    return {"kind": kind, **_FIELDS[kind], **fields, "applicant": person}


def pdf(label: str) -> bytes:
    """A small valid PDF whose bytes (so sha256) depend on the label."""
    return MINIMAL_PDF + f"% {label}\n".encode()


def documents_for(kind: str, *, skip: tuple[str, ...] = ()) -> list[tuple[str, tuple[str, bytes, str]]]:
    """The kind's required documents as multipart files: field name = document type code."""
    return [(code, (f"{code}.pdf", pdf(code), "application/pdf"))
            for code in REQUIRED_DOCUMENTS[kind] if code not in skip]


def multipart(payload: dict, *, skip: tuple[str, ...] = (), extra: list | None = None) -> dict:
    """Keyword arguments for httpx ``post``: the filing as the ``submission`` part and its required
    documents (minus ``skip``), plus ``extra`` (field, file) pairs."""
    # The JSON travels as a file-less part, so the body stays multipart even without documents.
    submission = ("submission", (None, json.dumps(payload), "application/json"))
    return {"files": [submission, *documents_for(payload["kind"], skip=skip), *(extra or [])]}


def document_ref(content: bytes, name: str, type_code: str, content_type: str = "application/pdf") -> dict:
    """The file as intake's events describe it (submission.received's documents)."""
    return {"name": name, "type": type_code, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content),
            "content_type": content_type}


def put_in_store(documents_dir: Path, content: bytes) -> Path:
    """The file kept in the blob store under ``documents_dir`` as intake keeps an upload."""
    path = BlobStore(documents_dir).path_of(hashlib.sha256(content).hexdigest())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path
