"""One HTTP server: the JSON API under /api, a health check, and the browser app at /.

    rag serve [--host 127.0.0.1] [--port 7860] [--auth user:pass]

The API returns the same Answer contract as the Python API. With auth set, every path (UI, API,
health check, Gradio's own endpoints) needs HTTP Basic credentials; without it the server refuses
to listen anywhere but loopback.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import logging
import secrets
import socket
from typing import Annotated

from fastapi import FastAPI, File, HTTPException, Query, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from rag.assistant import Assistant
from rag.errors import QuestionError, RagError, StoreError
from rag.types import Answer, DocumentInfo, FileResult, TimelineEvent, Turn

log = logging.getLogger("newsrag.server")


# -- API models (the OpenAPI schema is generated from these and from the records in rag.types) ----
class AskRequest(BaseModel):
    question: str = Field(
        ...,
        max_length=100_000,
        description="The question, in plain text.",
        examples=["When did the rebels enter Aleppo?"],
    )
    history: list[Turn] = Field(
        [],
        max_length=50,
        description="Earlier turns, oldest first, so a follow-up ('and when did they take Hama?') can be understood.",
    )


class UploadOut(BaseModel):
    results: list[FileResult]
    summary: str


class Health(BaseModel):
    status: str
    documents: int
    chunks: int


class Problem(BaseModel):
    detail: str


# -- auth -----------------------------------------------------------------------------------------
class BasicAuth:
    """ASGI middleware: every HTTP request and websocket needs the one user:password pair."""

    def __init__(self, app, user: str, password: str, realm: str = "newsrag"):
        self.app = app
        self._expected = f"{user}:{password}".encode()
        self._challenge = f'Basic realm="{realm}", charset="UTF-8"'.encode()

    def _ok(self, headers: list[tuple[bytes, bytes]]) -> bool:
        for name, value in headers:
            if name == b"authorization":
                scheme, _, token = value.partition(b" ")
                if scheme.lower() != b"basic":
                    return False
                try:
                    given = base64.b64decode(token.strip(), validate=True)
                except (binascii.Error, ValueError):
                    return False
                return secrets.compare_digest(given, self._expected)
        return False

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket") or self._ok(scope.get("headers", [])):
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"www-authenticate", self._challenge),
                    (b"content-type", b"application/json"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b'{"detail":"authentication required"}'})


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """'user:pass' -> ('user', 'pass'). Raises ValueError with the reason on anything else."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ValueError("--auth must be user:password, both non-empty")
    return user, password


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# -- app ------------------------------------------------------------------------------------------
def create_api(assistant: Assistant) -> FastAPI:
    api = FastAPI(
        title="newsrag",
        summary="Grounded answers from news articles, every sentence cited.",
        version="0.1.0",
        docs_url=None,  # Swagger UI loads its scripts from a CDN; this server stays offline
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    problems = {400: {"model": Problem}, 503: {"model": Problem}}

    @api.exception_handler(QuestionError)
    async def _bad_question(request, exc: QuestionError):
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @api.exception_handler(StoreError)
    async def _busy(request, exc: StoreError):
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @api.exception_handler(RagError)
    async def _failed(request, exc: RagError):
        log.exception("request failed")
        return JSONResponse({"detail": str(exc)}, status_code=500)

    @api.get("/healthz", response_model=Health, tags=["service"])
    def healthz() -> Health:
        docs, chunks = assistant.index.count()
        return Health(status="ok", documents=docs, chunks=chunks)

    @api.post("/api/ask", response_model=Answer, responses=problems, tags=["answers"])
    def ask(req: AskRequest) -> Answer:
        """Answer a question from the articles, or say they don't. Same contract as `Assistant.ask`."""
        return assistant.ask(req.question, req.history)

    @api.get(
        "/api/timeline", response_model=list[TimelineEvent], responses=problems, tags=["answers"]
    )
    def timeline(
        query: str | None = Query(
            None, max_length=1000, description="Only events about these words."
        ),
        start: str | None = Query(None, description="First date: YYYY, YYYY-MM or YYYY-MM-DD."),
        end: str | None = Query(None, description="Last date: YYYY, YYYY-MM or YYYY-MM-DD."),
    ) -> list[TimelineEvent]:
        """Dated events of the articles, oldest first; each with the sentences that date it, cited."""
        return assistant.timeline(query, start, end)

    @api.get("/api/documents", response_model=list[DocumentInfo], tags=["documents"])
    def documents() -> list[DocumentInfo]:
        """Every document (its path on the server stays on the server)."""
        return assistant.sources()

    @api.post("/api/documents", response_model=UploadOut, responses=problems, tags=["documents"])
    def upload(
        files: Annotated[
            list[UploadFile], File(description="Article files: .txt .md .html .htm .json .jsonl")
        ],
    ) -> UploadOut:
        """Add or update articles. One result per file (or per record of a JSON file); a bad file never stops the rest."""
        report, rows = assistant.add_uploads((f.filename or "", f.file) for f in files)
        return UploadOut(results=rows, summary=report.summary())

    @api.delete(
        "/api/documents/{doc_id}",
        status_code=204,
        responses={404: {"model": Problem}, 503: {"model": Problem}},
        tags=["documents"],
    )
    def delete(doc_id: str) -> None:
        if not assistant.delete(doc_id):
            raise HTTPException(404, f"no document with id {doc_id}")

    return api


def create_app(assistant: Assistant, auth: tuple[str, str] | None = None):
    """The whole server as one ASGI app: API routes first, the Gradio UI mounted at '/'."""
    import gradio as gr

    from ui import app as ui_app

    api = create_api(assistant)
    api = gr.mount_gradio_app(
        api,
        ui_app.build(assistant),
        path="/",
        theme=ui_app.theme(),
        css=ui_app.css(),
        head=ui_app.head(),
        max_file_size=assistant.settings.max_file_bytes,
        footer_links=[],
        show_error=True,
    )
    return BasicAuth(api, *auth) if auth else api


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def serve(
    assistant: Assistant,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: tuple[str, str] | None = None,
) -> None:
    import uvicorn

    app = create_app(assistant, auth)
    shown = f"[{host}]" if ":" in host else host
    print(
        f"newsrag is running at http://{shown}:{port}/  (API schema: /api/openapi.json; Ctrl-C to stop)",
        flush=True,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
