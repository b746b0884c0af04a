"""The endpoints that write: corrections, and the upload of an article. Off unless the server has a token.

    POST /api/corrections   {"target": "claim", "id": "doc-…:2", "kind": "value", "field": "low", "value": 12,
                             "note": "the ministry revised it", "author": "A. Petrova"}        → 201 the correction
    POST /api/documents?name=report.txt   (the file's bytes as the body)                     → 200 what was read

Every route of this router depends on `deps.require_token`: 403 while the server has no token (the default), 401
without `Authorization: Bearer TOKEN` or with another token; the token is checked before the body is read. Writes
go only into the store, one at a time: an upload goes through the same readers, limits, rejections and
transactions as `letopis ingest` (an archive is opened in memory), and its `name` is only the source name stored
with it (`upload:report.txt`), never a path that is opened or created.
"""
from __future__ import annotations

import re
import sqlite3
import threading
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from .. import api
from ..corpus.corrections import new_correction, was_of
from ..errors import BadCorrection
from ..ingest import IngestOptions, Rejection
from ..store.corrections import CorrectionsTable
from ..store.sqlite import Store
from . import corrections as corrected
from . import schemas
from .deps import require_token

router = APIRouter(tags=["writes"], dependencies=[Depends(require_token)])

MAX_JSON = 64 * 1024          # bytes of a correction
AUTH = {401: {"description": "no token, or not the server's"},
        403: {"description": "writes are off: the server was started without a token"}}
BUSY = {503: {"description": "the store is busy (an ingest is writing): try again"}}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def setup(app, options: IngestOptions | None = None) -> None:
    """What the write endpoints need on the app: the ingest options and the lock that makes writes one at a time."""
    app.state.ingest_options = options or IngestOptions()
    app.state.write_lock = threading.Lock()


async def _body(request: Request, cap: int) -> bytes:
    """The request body, read up to `cap` bytes (what lies beyond is never read)."""
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) >= cap:
            return bytes(data[:cap])
    return bytes(data)


def _busy(e: sqlite3.OperationalError) -> HTTPException:
    if "locked" in str(e) or "busy" in str(e):
        return HTTPException(503, "the store is busy (an ingest is writing): try again", headers={"Retry-After": "5"})
    raise e


# --- corrections -----------------------------------------------------------------------------------------------

@router.post("/corrections", status_code=201, response_model=schemas.Correction,
             responses={**AUTH, 404: {"description": "no such claim, event or statement"},
                        413: {"description": f"a body over {MAX_JSON} bytes"}, **BUSY},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": schemas.CorrectionIn.model_json_schema()}}}})
async def add_correction(request: Request) -> dict:
    """Store a correction of a figure claim, an event or a statement: `wrong`, a corrected `value` of one field,
    or a `note`, each with who (`author`) and why (`note`); the time is the server's. The extraction is never
    changed; the correction is shown with its item and listed at GET /api/corrections."""
    body = await _body(request, MAX_JSON + 1)
    if len(body) > MAX_JSON:
        raise HTTPException(413, f"a correction is at most {MAX_JSON} bytes of JSON")
    try:
        given = schemas.CorrectionIn.model_validate_json(body)
    except ValidationError as e:
        raise RequestValidationError(jsonable_encoder(e.errors(include_url=False))) from None
    return await run_in_threadpool(_store_correction, request.app, given)


def _store_correction(app, given: schemas.CorrectionIn) -> dict:
    with app.state.write_lock, Store(app.state.db) as store:
        try:
            with store.transaction():
                found = corrected.item(store, given.target, given.id)
                if found is None:
                    raise HTTPException(404, f"no {given.target} with id {given.id!r}: see /api/"
                                             f"{'figures' if given.target == 'claim' else given.target + 's'} for ids")
                c = new_correction(given.target, given.id, given.kind, given.note, given.author, given.field,
                                   given.value, was_of(given.target, found))
                CorrectionsTable(store.db).add(c)
        except BadCorrection as e:
            raise HTTPException(422, str(e)) from None
        except sqlite3.OperationalError as e:
            raise _busy(e) from None
    return c.to_json()


# --- an uploaded article ---------------------------------------------------------------------------------------

def source_name(name: str | None) -> str:
    """The source name of an upload: `upload:` and the last part of `name` (no folders, no control characters)."""
    base = _CONTROL.sub("", re.split(r"[/\\]", name or "")[-1]).strip()
    return f"upload:{base[:200]}" if base and base not in (".", "..") else "upload"


@router.post("/documents", response_model=schemas.IngestResult,
             responses={**AUTH, 413: {"description": "over the ingest size limit (stored as a too-large rejection)",
                                      "model": schemas.IngestResult}, **BUSY},
             openapi_extra={"requestBody": {"required": True, "description": "the file's bytes (any supported "
                                            "format or a .zip/.tar.gz archive; the format is read from the content)",
                                            "content": {"application/octet-stream": {
                                                "schema": {"type": "string", "format": "binary"}}}}})
async def upload(request: Request,
                 name: Annotated[str | None, Query(max_length=200, description=(
                     "the file's name, kept as the source name `upload:NAME` (its folders are dropped)"))] = None):
    """Ingest one uploaded article (or archive of articles) as `letopis ingest` would: stored when new (idempotent
    by content hash), extracted, folded into the corpus and indexed, or rejected with a reason code."""
    options: IngestOptions = request.app.state.ingest_options
    data = await _body(request, options.max_bytes + 1)
    report = await run_in_threadpool(_ingest, request.app, source_name(name), data)
    too_large = any(r.reason == "too-large" for r in report.rejected) and len(data) > options.max_bytes
    return JSONResponse(jsonable_encoder(report.to_json()), status_code=413 if too_large else 200)


def _ingest(app, name: str, data: bytes) -> api.IngestReport:
    options: IngestOptions = app.state.ingest_options
    with app.state.write_lock, Store(app.state.db) as store:
        try:
            if len(data) > options.max_bytes:      # the rest of the body was never read
                over = Rejection(name, "too-large", f"over the limit of {options.max_bytes} bytes")
                return api.ingest_items([over], store)
            return api.ingest_bytes(name, data, store, options)
        except sqlite3.OperationalError as e:
            raise _busy(e) from None
