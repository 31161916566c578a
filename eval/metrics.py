"""Metric functions. Independent of the answerer's internals: they read only the Answer contract."""

from __future__ import annotations

import re
import unicodedata

_MARKER = re.compile(r"\[(\d+)\]")
_ATTRIBUTION = re.compile(r"^According to [^:]{1,200}: ")


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split())


def facts_present(answer_text: str, facts: list[list[str]]) -> bool:
    """Every fact group has at least one of its alternatives in the answer."""
    t = norm(answer_text)
    return all(any(norm(alt) in t for alt in group) for group in facts)


def claims(answer_text: str) -> list[tuple[str, list[int]]]:
    """Split an answer into claims: each piece of text ending in one or more [n] markers.

    Text with no marker after it is a claim with no citation (it will count as unbacked)."""
    out: list[tuple[str, list[int]]] = []
    pos = 0
    for m in re.finditer(r"((?:\s*\[\d+\])+)", answer_text):
        body = answer_text[pos : m.start()].strip()
        out.append((body, [int(n) for n in _MARKER.findall(m.group(1))]))
        pos = m.end()
    rest = answer_text[pos:].strip()
    if rest:
        out.append((rest, []))
    return out


def faithfulness(answer_text: str, quotes: dict[int, str]) -> tuple[int, int]:
    """(backed, total) claims. A claim is backed when, minus its attribution, it stands verbatim in a cited quote.

    A leading 'The sources differ:' line is a framing statement, not a claim about the world."""
    backed = total = 0
    for body, ns in claims(answer_text):
        lines = [
            ln for ln in body.splitlines() if ln.strip() and ln.strip() != "The sources differ:"
        ]
        if not lines:
            continue
        body = _ATTRIBUTION.sub("", " ".join(lines).strip())
        total += 1
        if ns and any(n in quotes and norm(body) in norm(quotes[n]) for n in ns):
            backed += 1
    return backed, total


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)
