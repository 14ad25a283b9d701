"""The baseline for intake: a bare FastAPI app, one POST route taking a pydantic body shaped like
a complaint filing, served by the very function that serves every service (shared.serve), so
whatever server stack intake runs on, this runs on too.

    LAMADI_PORT=8999 python -m bench.bare_app
"""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel

from shared.serve import serve
from shared.settings import ServiceSettings


class Applicant(BaseModel):
    full_name: str
    email: str
    language: str
    phone: str | None = None


class Filing(BaseModel):
    kind: str
    subtype: str
    subject: str
    message: str
    applicant: Applicant


app = FastAPI()


@app.post("/api/v1/submissions", status_code=202)
async def submit(filing: Filing) -> dict:
    return {"tracking_number": "AU-BARE-0", "status": "received", "kind": filing.kind}


if __name__ == "__main__":
    serve(app, ServiceSettings())
