"""Which PDF library should newsrag extract text with? Measured, not assumed.

    python -m eval.pdf_choice [--rounds 7] [--json out.json] [--also real.pdf ...]

Builds the fixtures of ``eval.pdf_fixtures`` in a temporary folder and runs each candidate's plain text
extraction on them (pypdf ``page.extract_text()``, pdfminer.six ``extract_text`` with default layout
analysis, pypdfium2 ``textpage.get_text_range()``), then the same text through our library-agnostic
post-processing (``rag.pdf.assemble``). Last row: ``rag.pdf.extract_pdf`` end to end, which also uses
the chosen library's line geometry. Columns:

    order      adjacent labelled paragraph pairs found in the right order (a paragraph is found when its
               letters and digits appear contiguously: spacing, hyphen breaks and line breaks ignored)
    exact      labelled paragraphs that are exactly one paragraph of the text (whitespace folded)
    table      table rows found whole, in order
    hyph       syllable-broken words restored / compounds broken at their hyphen kept whole
    heads      running headers, footers and page numbers still in the text / printed
    pages/s    extraction speed over all readable fixtures (best of --rounds), library only
    import     seconds to import the library in a fresh interpreter (start-up cost)
    fail       wrong outcomes: an exception on a readable fixture, text from the user-password PDF,
               a library error on the scanned PDF, a damaged file (bad xref) not recovered, a
               truncated file not refused with an exception

"before" is the library's text as it comes (pages joined by a newline); "after" is our post-processing.
``--also`` times each library (and rag.pdf) on PDFs you have, without labels: speed and errors only.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import re
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from eval.pdf_fixtures import build
from rag.pdf import assemble


def pypdf_pages(data: bytes) -> list[str]:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise PermissionError("password required")
    return [page.extract_text() for page in reader.pages]


def pdfminer_pages(data: bytes) -> list[str]:
    from pdfminer.high_level import extract_text

    text = extract_text(io.BytesIO(data))
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdfium_pages(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out
    finally:
        doc.close()


LIBRARIES: dict[str, tuple[str, Callable[[bytes], list[str]]]] = {
    "pypdf": ("pypdf", pypdf_pages),
    "pdfminer.six": ("pdfminer.high_level", pdfminer_pages),
    "pypdfium2": ("pypdfium2", pdfium_pages),
}


# -- scoring ---------------------------------------------------------------------------------------


def key(text: str) -> str:
    """Letters and digits only, lower case: what survives any spacing, line breaking or hyphenation."""
    return re.sub(r"[^0-9a-z]", "", text.lower().replace("\ufffe", ""))


def fold(text: str) -> str:
    return " ".join(text.split())


def order_pairs(text: str, items: list[str]) -> tuple[int, int]:
    """(pairs in order, pairs): consecutive labelled items both found, the first before the second."""
    k = key(text)
    pos = [k.find(key(p)) if key(p) else -1 for p in items]
    good = sum(1 for a, b in pairwise(pos) if a >= 0 and b > a)
    return good, max(0, len(items) - 1)


def exact(text: str, items: list[str]) -> tuple[int, int]:
    paras = {fold(p) for p in text.split("\n\n")}
    return sum(1 for p in items if fold(p) in paras), len(items)


def words_found(text: str, words: list[str]) -> int:
    flat = fold(text)
    return sum(1 for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", flat))


def heads_left(text: str, heads: list[str]) -> int:
    """Printed running heads still present (each string counted at most as often as it was printed)."""
    flat = fold(text)
    left = 0
    for h in set(heads):
        pattern = rf"(?<![\w£$.,-]){re.escape(h)}(?![\w.,%-])"
        left += min(len(re.findall(pattern, flat)), heads.count(h))
    return left


def damaged_variants(data: bytes) -> dict[str, bytes]:
    """A file whose cross-reference offset is wrong (readers must rebuild it) and one cut short."""
    bad_xref = re.sub(rb"startxref\s+\d+", b"startxref\n999999", data)
    return {"bad_xref": bad_xref, "truncated": data[: int(len(data) * 0.8)]}


# -- the measurement -------------------------------------------------------------------------------


def import_seconds(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    best = float("inf")
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        best = min(best, float(out.stdout.strip()))
    return best


def measure(folder: Path, labels: dict[str, dict], rounds: int) -> dict[str, dict]:
    files = {name: (folder / name).read_bytes() for name in labels}
    readable = [
        n for n, lab in labels.items() if not lab["scanned"] and lab["encryption"] != "user"
    ]
    results: dict[str, dict] = {}
    for lib, (module, pages_of) in LIBRARIES.items():
        results[lib] = score(lib, pages_of, files, labels, readable, rounds)
        results[lib]["import_s"] = import_seconds(module)
    results["rag.pdf (chosen)"] = score_production(files, labels, readable, rounds)
    return results


def _tally() -> dict:
    keys = ["order", "pairs", "exact", "paras", "rows_ok", "rows", "hyph", "hyph_n", "comp", "comp_n",
            "heads", "heads_n"]  # fmt: skip
    return {"before": dict.fromkeys(keys, 0), "after": dict.fromkeys(keys, 0)}


def _add(t: dict, text: str, lab: dict) -> None:
    a, b = order_pairs(text, lab["paragraphs"])
    t["order"] += a
    t["pairs"] += b
    a, b = exact(text, lab["paragraphs"])
    t["exact"] += a
    t["paras"] += b
    rows = lab["table_rows"]
    a, b = order_pairs(text, rows)
    t["rows_ok"] += a + (1 if rows and key(rows[0]) in key(text) else 0)
    t["rows"] += b + (1 if rows else 0)
    t["hyph"] += words_found(text, lab["hyphenated"])
    t["hyph_n"] += len(lab["hyphenated"])
    t["comp"] += words_found(text, lab["compounds"])
    t["comp_n"] += len(lab["compounds"])
    t["heads"] += heads_left(text, lab["headers"])
    t["heads_n"] += len(lab["headers"])


def score(lib, pages_of, files, labels, readable, rounds) -> dict:
    logging.disable(logging.CRITICAL)  # pdfminer and pypdf log every repair they make
    tally, failures, pages_total = _tally(), [], 0
    per_file: dict[str, dict] = {}
    for name in readable:
        try:
            pages = pages_of(files[name])
        except Exception as e:  # a library failing is what we count
            failures.append(f"{name}: {type(e).__name__}: {e}")
            continue
        pages_total += len(pages)
        before = "\n".join(pages)
        after, _ = assemble(pages)
        _add(tally["before"], before, labels[name])
        _add(tally["after"], after, labels[name])
        per_file[name] = {"before": before, "after": after}
    for name, lab in labels.items():
        if lab["encryption"] == "user":
            try:
                pages = pages_of(files[name])
                if any(key(p) for p in pages):
                    failures.append(f"{name}: text read without the password")
            except Exception:  # refusing is right
                pass
        if lab["scanned"]:
            try:
                if any(key(p) for p in pages_of(files[name])):
                    failures.append(f"{name}: text from an image-only PDF")
            except Exception as e:
                failures.append(f"{name}: {type(e).__name__}: {e}")
    probe = files["weekly_report.pdf"]
    first = labels["weekly_report.pdf"]["paragraphs"][2]
    for what, data in damaged_variants(probe).items():
        try:
            got = key("\n".join(pages_of(data)))
            if what == "bad_xref" and key(first) not in got:
                failures.append(f"{what}: text not recovered")
            if what == "truncated":
                failures.append(f"{what}: no exception ({'text' if got else 'no text'} returned)")
        except Exception as e:
            if what == "bad_xref":
                failures.append(f"{what}: {type(e).__name__}: {e}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        best = float("inf")
        for _ in range(rounds):
            t = time.perf_counter()
            for name in readable:
                with contextlib.suppress(Exception):  # failures are counted above
                    pages_of(files[name])
            best = min(best, time.perf_counter() - t)
    logging.disable(logging.NOTSET)
    return {
        "tally": tally,
        "failures": failures,
        "pages": pages_total,
        "pages_per_s": pages_total / best if best > 0 else float("inf"),
        "files": per_file,
    }


def score_production(files, labels, readable, rounds) -> dict:
    from rag.errors import IngestError
    from rag.pdf import extract_pdf

    tally, failures, pages_total = _tally(), [], 0
    for name in readable:
        try:
            text, starts, _ = extract_pdf(files[name], name)
        except IngestError as e:
            failures.append(f"{name}: {e}")
            continue
        pages_total += len(starts)
        _add(tally["after"], text, labels[name])
    for name, lab in labels.items():
        if lab["scanned"] or lab["encryption"] == "user":
            try:
                extract_pdf(files[name], name)
                failures.append(f"{name}: not refused")
            except IngestError:
                pass
    for what, data in damaged_variants(files["weekly_report.pdf"]).items():
        try:
            extract_pdf(data)
            if what == "truncated":
                failures.append(f"{what}: not refused")
        except IngestError:
            if what == "bad_xref":
                failures.append(f"{what}: refused")
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for name in readable:
            extract_pdf(files[name], name)
        best = min(best, time.perf_counter() - t)
    return {
        "tally": tally,
        "failures": failures,
        "pages": pages_total,
        "pages_per_s": pages_total / best,
    }


# -- report ----------------------------------------------------------------------------------------


def _frac(a: int, b: int) -> str:
    return f"{a}/{b}"


def table(results: dict[str, dict]) -> str:
    head = (
        f"{'library':<18} {'stage':<7} {'order':>7} {'exact':>7} {'table':>6} {'hyph':>5} {'comp':>5}"
        f" {'heads':>6} {'pages/s':>8} {'import':>7} {'fail':>5}"
    )
    rows = [head, "-" * len(head)]
    for lib, r in results.items():
        for stage in ("before", "after"):
            t = r["tally"][stage]
            if not t["pairs"]:
                continue
            speed = f"{r['pages_per_s']:.0f}" if stage == "before" or "import_s" not in r else ""
            imp = f"{r['import_s']:.2f}s" if stage == "before" and "import_s" in r else ""
            fails = str(len(r["failures"])) if stage == "before" or "import_s" not in r else ""
            rows.append(
                f"{lib:<18} {stage:<7} {_frac(t['order'], t['pairs']):>7} {_frac(t['exact'], t['paras']):>7}"
                f" {_frac(t['rows_ok'], t['rows']):>6} {_frac(t['hyph'], t['hyph_n']):>5}"
                f" {_frac(t['comp'], t['comp_n']):>5} {_frac(t['heads'], t['heads_n']):>6}"
                f" {speed:>8} {imp:>7} {fails:>5}"
            )
    notes = [f"  {lib}: {f}" for lib, r in results.items() for f in r["failures"]]
    return "\n".join(rows + (["", "failures:"] + notes if notes else []))


def speed_on(paths: list[Path], rounds: int) -> str:
    """pages/s and errors of each library on unlabelled PDFs (real ones: fixture pages are small)."""
    from rag.pdf import extract_pdf

    def production(data: bytes) -> list[str]:
        return ["" for _ in extract_pdf(data)[1]]

    runs = {lib: f for lib, (_, f) in LIBRARIES.items()} | {"rag.pdf (chosen)": production}
    rows = [f"{'file':<32} {'library':<18} {'pages':>5} {'pages/s':>8}  error"]
    logging.disable(logging.CRITICAL)
    for path in paths:
        data = path.read_bytes()
        for lib, pages_of in runs.items():
            best, pages, error = float("inf"), 0, ""
            for _ in range(rounds):
                t = time.perf_counter()
                try:
                    pages = len(pages_of(data))
                except Exception as e:  # an error is a result here
                    error = f"{type(e).__name__}: {e}"[:60]
                    break
                best = min(best, time.perf_counter() - t)
            speed = f"{pages / best:.0f}" if pages and best < float("inf") else ""
            rows.append(f"{path.name[:32]:<32} {lib:<18} {pages:>5} {speed:>8}  {error}")
    logging.disable(logging.NOTSET)
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7, help="timing repetitions (best is kept)")
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    ap.add_argument("--show", metavar="FILE", help="print each library's text for this fixture")
    ap.add_argument("--also", nargs="+", type=Path, default=[], help="time these PDFs too")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        labels = build(Path(tmp))
        results = measure(Path(tmp), labels, args.rounds)
    print(table(results))
    if args.also:
        print()
        print(speed_on(args.also, max(1, args.rounds // 2)))
    if args.show:
        for lib, r in results.items():
            for stage, text in r.get("files", {}).get(args.show, {}).items():
                print(f"\n===== {lib} {stage}\n{text}")
    if args.json:
        slim = {lib: {k: v for k, v in r.items() if k != "files"} for lib, r in results.items()}
        args.json.write_text(json.dumps(slim, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
