"""Read files into records: the text that offsets will refer to, plus what metadata the file states.

A loader never guesses: a field the file does not state stays empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from rag.errors import IngestError
from rag.types import Metadata, iso_date

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".pdf"}
MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True)
class Record:
    origin: str  # unique key of where it came from: absolute path, plus "#i" for a record in a JSON file
    source: str  # display name: file name, plus "#i"
    path: str
    text: str
    meta: Metadata
    pages: tuple[int, ...] = ()  # PDFs: where each page begins in ``text``


_MAGIC = [
    (b"%PDF-", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "a program"),
    (b"RIFF", "audio/video data"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
]


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes, name: str) -> str:
    """Bytes -> text. UTF-8 first; otherwise the encoding charset-normalizer finds most coherent
    (cp1256 Arabic, latin-1, ...). Binary data is refused with what it looks like."""
    if not data.strip():
        raise IngestError("empty file")
    head = data[:16].lstrip()
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise IngestError(f"binary content (looks like {what}), not a text file")
    if b"\x00" in data[:8192]:
        raise IngestError("binary content (NUL bytes), not a text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _guess(data)
    controls = sum(
        1 for ch in text[:20000] if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd"
    )
    if controls > 0.05 * min(len(text), 20000):
        raise IngestError("binary content (mostly unprintable bytes), not a text file")
    return _normalise(text)


def _guess(data: bytes) -> str:
    """Not UTF-8: among the decodings charset-normalizer finds about as clean as the cleanest, the one
    that reads most like a language; among equals, Windows-1252 (the usual Western web encoding)."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:200_000]))
    if matches:
        least = min(m.chaos for m in matches)
        near = [m for m in matches if m.chaos <= least + 0.05]
        pick = max(near, key=lambda m: (round(m.coherence, 3), m.encoding == "cp1252"))
        try:
            return data.decode(pick.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace")


def _meta_from(d: dict, default: Metadata | None = None) -> Metadata:
    base = default or Metadata()
    return Metadata(
        title=str(d.get("title") or base.title).strip(),
        outlet=str(d.get("outlet") or d.get("source") or d.get("site") or base.outlet).strip(),
        author=str(d.get("author") or d.get("byline") or base.author).strip(),
        published=iso_date(d.get("published") or d.get("date") or d.get("published_at"))
        or base.published,
        url=str(d.get("url") or d.get("link") or base.url).strip(),
        updated=iso_date(d.get("updated") or d.get("modified") or d.get("updated_at"))
        or base.updated,
        language=str(d.get("language") or d.get("lang") or base.language).strip().lower(),
    )


def load_manifest(folder: Path) -> dict[str, Metadata]:
    """``manifest.json`` beside the files: {"file name": {title, outlet, author, published, url}}."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise IngestError(f"{path}: unreadable manifest ({e})") from e
    entries = raw.get("documents", raw) if isinstance(raw, dict) else {}
    return {name: _meta_from(v) for name, v in entries.items() if isinstance(v, dict)}


def load_file(path: Path, manifest: dict[str, Metadata] | None = None) -> list[Record]:
    """Read one file into records. Raises IngestError with the reason when it cannot."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise IngestError(
            f"unsupported file type '{suffix or path.name}' (supported: {', '.join(sorted(SUFFIXES))})"
        )
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(f"cannot read: {e.strerror or e}") from e
    given = (manifest or {}).get(path.name, Metadata())
    origin, name = str(path.resolve()), path.name
    if suffix == ".pdf":
        from rag.pdf import extract_pdf

        text, pages, found = extract_pdf(data, path.name)
        return [Record(origin, name, origin, text, _merge(given, found), pages)]
    text = decode(data, path.name)
    if suffix in {".json", ".jsonl"}:
        return _json_records(text, path, given, jsonl=suffix == ".jsonl")
    if suffix in {".html", ".htm"}:
        from rag.html import extract

        body, found = extract(text)
        meta = _merge(given, found)
        return [Record(origin, name, origin, body, meta)]
    return [Record(origin, name, origin, text, given)]


def _merge(given: Metadata, found: Metadata) -> Metadata:
    """Manifest values win; the file's own metadata fills the gaps."""
    return Metadata(**{f: getattr(given, f) or getattr(found, f) for f in Metadata.__slots__})


_TEXT_FIELDS = ("text", "content", "body", "article")


def _json_records(text: str, path: Path, given: Metadata, jsonl: bool) -> list[Record]:
    items: list[object]
    try:
        if jsonl:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            raw = json.loads(text)
            if isinstance(raw, dict) and isinstance(
                raw.get("articles") or raw.get("documents"), list
            ):
                raw = raw.get("articles") or raw.get("documents")
            items = raw if isinstance(raw, list) else [raw]
    except ValueError as e:
        raise IngestError(f"malformed JSON: {e}") from e
    records = []
    origin = str(path.resolve())
    single = len(items) == 1
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        body = next(
            (item[f] for f in _TEXT_FIELDS if isinstance(item.get(f), str) and item[f].strip()),
            None,
        )
        if body is None:
            continue
        suffix = "" if single else f"#{i}"
        meta = _merge(given, _meta_from(item)) if single else _meta_from(item)
        records.append(
            Record(origin + suffix, path.name + suffix, origin, body.replace("\r\n", "\n"), meta)
        )
    if not records:
        raise IngestError(f"no record with a text field ({'/'.join(_TEXT_FIELDS)})")
    return records


def with_title(record: Record, fallback: str) -> Record:
    return (
        record if record.meta.title else replace(record, meta=replace(record.meta, title=fallback))
    )
