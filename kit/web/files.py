"""The provider's document files on the submission page: uploaded (PDF or image, checked by
content), opened from the finding and the judgement forms as a download that never renders in
the app's own origin, and what toezicht (or a reviewer) records as arrived, as `kit documents
add` does on the command line.

Layer: web. The rules are kit.services.files and kit.services.documents."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import Response

from kit.errors import AccessDenied, KitError
from kit.limits import max_file_bytes
from kit.services.documents import add_documents
from kit.services.files import add_case_file, open_case_file
from kit.services.updates import NothingNew
from kit.web.auth import store_of
from kit.web.deps import LoggedIn, Posted, SubmissionId
from kit.web.submission import back

router = APIRouter()
# A file is served to be saved, never shown: nothing in it runs, loads or frames, even if a
# browser were to render it.
DOWNLOAD_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@router.post("/inschrijving/{submission_id}/bestand")
async def upload_file(
    request: Request,
    login: Posted,
    submission_id: SubmissionId,
    bestand: UploadFile,
    soort: Annotated[str, Form(max_length=100)],
) -> Response:

    content = await bestand.read(max_file_bytes() + 1)
    add_case_file(
        store_of(request), login.actor, submission_id, bestand.filename or "", content, soort
    )
    return back(submission_id, "bestand")


@router.get("/inschrijving/{submission_id}/bestand/{file_id}")
def download_file(
    request: Request,
    login: LoggedIn,
    submission_id: SubmissionId,
    file_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)],
) -> Response:
    row, blob = open_case_file(store_of(request), login.actor, submission_id, file_id)
    ascii_name = "".join(
        c if (c.isascii() and c.isalnum()) or c in "._-" else "_" for c in row.filename
    )
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(row.filename)}"
    return Response(
        blob.content,
        media_type=blob.media_type,
        headers={**DOWNLOAD_HEADERS, "Content-Disposition": disposition},
    )


@router.post("/inschrijving/{submission_id}/stukken")
async def record_arrival(
    request: Request,
    login: Posted,
    submission_id: SubmissionId,
    bestand: UploadFile,
    ontvangen: Annotated[date, Form()],
) -> Response:
    """What a provider sent (documents, staff, locations as in the case format; YAML or JSON),
    recorded on the day it arrived and screened again in the same round (`kit documents add`)."""

    content = await bestand.read(max_file_bytes() + 1)
    name = Path(bestand.filename or "").name
    if not name.lower().endswith((".yaml", ".yml", ".json")) or len(content) > max_file_bytes():
        raise KitError(
            f"bestand {name or '?'}: verwacht een YAML- of JSON-bestand van hoogstens "
            f"{max_file_bytes() // 2**20} MB"
        )
    with tempfile.TemporaryDirectory(prefix="kit-stukken-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            result = add_documents(store_of(request), login.actor, submission_id, path, ontvangen)
        except NothingNew:
            return back(submission_id, "niets-nieuw")
        except AccessDenied:
            raise
        except KitError as exc:
            raise KitError(exc.message.replace(f"{folder}/", "")) from None
    return back(submission_id, "stukken", result.outcome.screening_id)
