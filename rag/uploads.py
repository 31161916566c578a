"""Files arriving over the network: safe names, size limits, a home inside the index.

An upload is saved under ``<index_dir>/uploads/`` before it is ingested through the same code path
as ``rag ingest``, so citations point at a file that exists and re-uploading a name updates it.
Nothing about the sender's name is trusted: no folders, no hidden files, no odd characters.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rag.loaders import SUFFIXES

_UNSAFE = re.compile(r"[^\w.\- ()\[\]]+")
_MAX_NAME = 120


@dataclass(frozen=True, slots=True)
class Rejected:
    name: str
    reason: str


def safe_name(name: str) -> str:
    """The last path component, control characters and unusual punctuation replaced. '' if nothing usable."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE.sub("_", base).strip(" .")
    if len(base) > _MAX_NAME:
        stem, suffix = os.path.splitext(base)
        base = stem[: _MAX_NAME - len(suffix)] + suffix
    return base


def check_name(name: str) -> tuple[str, str]:
    """(safe name, '') or ('', reason the upload is refused)."""
    safe = safe_name(name)
    if not safe or safe.startswith("."):
        return "", "file name is empty or hidden"
    suffix = Path(safe).suffix.lower()
    if suffix not in SUFFIXES:
        allowed = ", ".join(sorted(SUFFIXES))
        return "", f"unsupported file type '{suffix or safe}' (allowed: {allowed})"
    return safe, ""


def save(name: str, data: BinaryIO, folder: Path, max_bytes: int) -> Path | Rejected:
    """Copy one upload into ``folder`` atomically. Over ``max_bytes`` or a bad name -> Rejected."""
    safe, reason = check_name(name)
    if reason:
        return Rejected(name, reason)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        size = 0
        with os.fdopen(fd, "wb") as out:
            while block := data.read(1 << 16):
                size += len(block)
                if size > max_bytes:
                    os.unlink(tmp)
                    return Rejected(
                        name, f"larger than the {max_bytes:,}-byte limit (RAG_MAX_FILE_BYTES)"
                    )
                out.write(block)
        if size == 0:
            os.unlink(tmp)
            return Rejected(name, "empty file")
        target = folder / safe
        os.replace(tmp, target)
        return target
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
