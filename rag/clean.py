"""Drop scraped site chrome by general rules, keeping the offsets of everything kept.

Works line by line: a line is kept whole (trimmed) or dropped whole, so every kept paragraph is a
``Span`` into the original text and nothing is rewritten.
"""

from __future__ import annotations

import re

from rag.types import Span

_LINE = re.compile(r"[^\n]+")

# Whole-line chrome, matched against the trimmed line, case-insensitively.
_CHROME = [
    r"home\s*[»>›/|].*",  # breadcrumbs
    r"(leave|post|add|write) a (comment|reply|response)\.?",
    r"comments? (about|on) this (article|story|post)\.?",
    r"please fill( in)? the (fields|form) below\.?",
    r"\d+\s+comments?",
    r"this site uses akismet.*",
    r"(you must be )?logged in to post a comment\.?",
    r"subscribe( now)?\b.*",
    r"already an? (subscriber|member)\b.*",  # paywalls
    r"get unlimited (digital )?access\b.*",
    r"cancel any ?time\b.*",
    r"(log|sign) in\b.{0,40}",
    r"sign up (for|to) (our|the) newsletter.*",
    r"continue reading\.?",
    r"discover more from .*",
    r"back to top( button)?",
    r"(related|recommended|popular|more) (articles|posts|stories|news)\s*:?",
    r"share (this|on) .*",
    r".*\bfollow us on (facebook|twitter|x|instagram|telegram|social).*",
    r".*content is protected.*",
    r"(right[- ]click|copying) (is )?disabled.*",
    r"(advertisement|sponsored( content)?|skip to (main )?content|cookie (policy|settings)).*",
    r"all rights reserved.*|©.*|copyright ©.*",
    r"[a-z]{2}_[A-Z]{2}[A-Za-z]*(\s+[a-z]{2}_[A-Z]{2}[A-Za-z]*)*",  # language pickers: en_USEnglish
    r"[\s*•·\-–—_=~#]+",  # separator lines
    r"tags?\s*:.*",
]
_CHROME_RE = re.compile(r"^(?:" + "|".join(_CHROME) + r")$", re.IGNORECASE)
# Case-sensitive language-picker form (the pattern above is compiled ignoring case and so is loose).
_LANG_PICKER = re.compile(r"^[a-z]{2}_[A-Z]{2}\S*$")

# A header that starts a list of links to other stories; the list runs until real prose returns.
_LINK_LIST_HEADER = re.compile(
    r"^(read also|also read|read more|see also|more from|related|you may also like|recommended for you)\s*:?\s*$",
    re.IGNORECASE,
)
_HASHTAG = re.compile(r"#\w")
_BULLET = re.compile(r"^[-•*·]\s+")


def _is_hashtag_line(line: str) -> bool:
    words = line.split()
    tags = sum(1 for w in words if _HASHTAG.match(w))
    return tags >= 2 and tags >= 0.6 * len(words)


def _is_prose(line: str) -> bool:
    """A paragraph of running text, as opposed to a headline or a link title."""
    words = line.split()
    return len(words) >= 25 or (len(words) >= 12 and line.rstrip()[-1:] in '.!?"”’')


def is_chrome(line: str) -> bool:
    s = " ".join(line.split())  # also folds non-breaking spaces
    s = _BULLET.sub("", s)  # extractors write list items as "- item"
    if not s:
        return False
    if _LANG_PICKER.match(s):
        return True
    # Short lines only: a long paragraph that happens to start with "Share" is prose.
    if len(s) <= 160 and _CHROME_RE.match(s):
        return True
    return _is_hashtag_line(s)


def clean(text: str) -> tuple[Span, ...]:
    """Return the spans of ``text`` that are article content, one per kept line, in order."""
    kept: list[Span] = []
    seen: set[str] = set()
    in_link_list = False
    for m in _LINE.finditer(text):
        raw = m.group()
        stripped = raw.strip()
        if not stripped:
            continue
        if _LINK_LIST_HEADER.match(stripped):
            in_link_list = True
            continue
        if in_link_list:
            if not _is_prose(stripped):
                continue
            in_link_list = False
        if is_chrome(stripped):
            continue
        # Scraped pages often repeat the headline (title tag + h1); keep the first.
        key = " ".join(stripped.lower().split())
        if key in seen:
            continue
        seen.add(key)
        lead = len(raw) - len(raw.lstrip())
        start = m.start() + lead
        kept.append(Span(start, start + len(stripped)))
    return tuple(kept)
