"""Small real files for upload tests."""

import base64

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
