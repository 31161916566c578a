"""Read files into records: the text that offsets will refer to, plus what metadata the file states.

A loader never guesses: a field the file does not state stays empty.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from rag.errors import IngestError
from rag.types import Metadata

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl"}
MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True)
class Record:
    origin: str  # unique key of where it came from: absolute path, plus "#i" for a record in a JSON file
    source: str  # display name: file name, plus "#i"
    path: str
    text: str
    meta: Metadata


def decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise IngestError("empty file")
    if b"\x00" in data[:8192]:
        raise IngestError("binary content (NUL bytes), not a text file")
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1").replace("\r\n", "\n").replace("\r", "\n")


def iso_date(value: object) -> str:
    """'2024-11-30T21:11:00Z' -> '2024-11-30'. Anything not starting with a date -> ''."""
    m = re.match(r"\s*(\d{4}-\d{2}-\d{2})", str(value or ""))
    return m.group(1) if m else ""


def _meta_from(d: dict, default: Metadata | None = None) -> Metadata:
    base = default or Metadata()
    return Metadata(
        title=str(d.get("title") or base.title).strip(),
        outlet=str(d.get("outlet") or d.get("source") or d.get("site") or base.outlet).strip(),
        author=str(d.get("author") or d.get("byline") or base.author).strip(),
        published=iso_date(d.get("published") or d.get("date") or d.get("published_at")) or base.published,
        url=str(d.get("url") or d.get("link") or base.url).strip(),
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
        raise IngestError(f"unsupported file type '{suffix or path.name}' (supported: {', '.join(sorted(SUFFIXES))})")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(f"cannot read: {e.strerror or e}") from e
    text = decode(data, path.name)
    given = (manifest or {}).get(path.name, Metadata())
    origin, name = str(path.resolve()), path.name
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
            if isinstance(raw, dict) and isinstance(raw.get("articles") or raw.get("documents"), list):
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
        body = next((item[f] for f in _TEXT_FIELDS if isinstance(item.get(f), str) and item[f].strip()), None)
        if body is None:
            continue
        suffix = "" if single else f"#{i}"
        meta = _merge(given, _meta_from(item)) if single else _meta_from(item)
        records.append(Record(origin + suffix, path.name + suffix, origin, body.replace("\r\n", "\n"), meta))
    if not records:
        raise IngestError(f"no record with a text field ({'/'.join(_TEXT_FIELDS)})")
    return records


def with_title(record: Record, fallback: str) -> Record:
    return record if record.meta.title else replace(record, meta=replace(record.meta, title=fallback))
