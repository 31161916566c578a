"""Answers and passages as HTML for the browser. Pure functions; every piece of article text is escaped.

Article text is data from the web: it goes through ``html.escape`` before it meets any markup, and
the only markup is ours. Links to articles are kept only when they are http(s).
"""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any
from urllib.parse import quote

from rag.answer import date_label
from rag.types import Answer, Citation, Mention, Passage, TimelineEvent

_MARKER = re.compile(r"\[(\d+)\]")
_DISAGREE_LEAD = "The sources differ:"


def esc(text: Any) -> str:
    return html.escape(str(text or ""), quote=True)


def safe_url(url: str) -> str:
    url = (url or "").strip()
    return url if re.match(r"https?://[^\s\"'<>]+$", url, re.I) else ""


def cite_id(turn: int, n: int) -> str:
    return f"rag-c-{turn}-{n}"


def _line(text: str, turn: int, numbers: set[int]) -> str:
    """One answer line, escaped, with its [n] markers turned into links to the passage."""
    out, pos = [], 0
    for m in _MARKER.finditer(text):
        n = int(m.group(1))
        if n not in numbers:
            continue
        out.append(esc(text[pos : m.start()]))
        out.append(
            f'<a class="rag-cite" href="#{cite_id(turn, n)}" title="Show passage {n}">[{n}]</a>'
        )
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def kind(answer: Answer) -> str:
    if answer.status == "unconfirmed":
        return "unconfirmed"
    if answer.abstained:
        return "abstain"
    return "disagree" if answer.disagreement else "answer"


_BADGES = {
    "abstain": "Not in the sources",
    "unconfirmed": "Not confirmed",
    "disagree": "Sources disagree",
    "answer": "From the sources",
}


def message_html(answer: Answer, turn: int, timeline: tuple[str, int] | None = None) -> str:
    """The finished answer as a chat message: a badge saying what kind of answer it is, then its lines.

    Kept on one line with no blank lines, so the chat's Markdown renderer treats it as one HTML block
    and leaves article text alone (no emphasis from stray '*', no links from '[x](y)').
    """
    k = kind(answer)
    numbers = {c.n for c in answer.citations}
    head = ""
    if answer.standalone_question:
        head += (
            f'<div class="rag-understood">Understood as: {esc(answer.standalone_question)}</div>'
        )
    if answer.backend.startswith("extractive (LLM"):
        head += '<div class="rag-note">The language model could not be reached; this answer quotes the sources directly.</div>'
    checks = answer.sentences
    if checks and k != "abstain":  # a generated answer: one span per verified sentence
        spans = []
        for c in checks:
            cls = "rag-sent" if c.supported else "rag-sent rag-unsupported"
            why = (
                ""
                if c.supported
                else f' title="Not supported by its sources: {esc("; ".join(c.problems))}"'
            )
            spans.append(f'<span class="{cls}"{why}>{_line(c.text, turn, numbers)}</span>')
        body = "<p>" + " ".join(spans) + "</p>"
        if any(not c.supported for c in checks):
            body += '<div class="rag-note">Underlined sentences could not be verified against the passages they cite.</div>'
    else:
        lines = [ln for ln in answer.text.split("\n") if ln.strip()]
        if k == "disagree" and lines and lines[0].strip() == _DISAGREE_LEAD:
            lines = lines[1:]
        body = "".join(f"<p>{_line(ln, turn, numbers)}</p>" for ln in lines)
    if timeline:  # a when-question about a story with a sequence of dated events
        words, n = timeline
        body += (
            # the words ride in the link itself: the chat's sanitizer drops data- attributes
            f'<div class="rag-note"><a class="rag-tl-link" href="#rag-tl:{esc(quote(words))}">'
            f"On the timeline: {n} dated events about “{esc(words)}”</a></div>"
        )
    return (
        f'<div class="rag-msg rag-{k}"><div class="rag-badge">{_BADGES[k]}</div>{head}{body}</div>'
    )


def pending_html(text: str) -> str:
    """A partial answer while it streams: plain escaped text, markers not yet linked."""
    body = "".join(f"<p>{esc(ln)}</p>" for ln in text.split("\n") if ln.strip())
    return f'<div class="rag-msg rag-pending">{body}</div>'


def error_html(message: str) -> str:
    return f'<div class="rag-msg rag-error"><div class="rag-badge">Cannot answer that</div><p>{esc(message)}</p></div>'


def question_html(question: str) -> str:
    return f'<div class="rag-q">{esc(question)}</div>'


def passage_html(turn: int, citation: Citation, context: Passage) -> str:
    c = citation
    who = " · ".join(esc(x) for x in (c.outlet, c.author) if x)
    when = esc(date_label(c.published)) if c.published else ""
    if c.updated and c.updated != c.published:
        when = " · ".join(x for x in (when, f"updated {esc(date_label(c.updated))}") if x)
    meta = " · ".join(x for x in (who, when) if x) or "outlet and date not stated"
    if c.superseded:
        meta = '<span class="rag-superseded">Earlier version, since revised</span> · ' + meta
    title = esc(c.title or c.source)
    url = safe_url(c.url)
    if url:
        title = (
            f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">{title}</a>'
        )
    before = ("… " if context.clipped_before else "") + esc(context.before)
    after = esc(context.after) + (" …" if context.clipped_after else "")
    page = f", page {c.page}" if c.page else ""
    where = f"{esc(c.source)}{page}, characters {c.start}–{c.end}"
    return (
        f'<article class="rag-passage" id="{cite_id(turn, c.n)}">'
        f'<header><span class="rag-n">[{c.n}]</span> <span class="rag-title">{title}</span></header>'
        f'<div class="rag-meta">{meta}</div>'
        f"<blockquote>{before}<mark>{esc(context.quote)}</mark>{after}</blockquote>"
        f'<div class="rag-where">{where}</div>'
        "</article>"
    )


def sources_html(turns: list[dict[str, Any]], limit: int = 20) -> str:
    """The evidence panel: for each question asked (newest first), every passage its answer cites."""
    if not turns:
        return (
            '<div class="rag-sources-empty">Ask a question. Every passage an answer quotes appears here, '
            "highlighted inside its paragraph, with the article's outlet and date.</div>"
        )
    parts = []
    for t in reversed(turns[-limit:]):
        answer = t["answer"]
        k = kind(answer)
        head = f'<h4 class="rag-turn-q">{esc(t["question"])}</h4>'
        if k == "abstain":
            body = f'<p class="rag-none">Nothing to cite: {esc(answer.reason)}</p>'
        else:
            body = "".join(
                passage_html(t["turn"], c, ctx)
                for c, ctx in zip(answer.citations, t["passages"], strict=True)
            )
        parts.append(
            f'<section class="rag-turn rag-turn-{k}" id="rag-t-{t["turn"]}">{head}{body}</section>'
        )
    return "".join(parts)


# -- timeline --------------------------------------------------------------------------------------
def _day_number(iso: str) -> int:
    """Days since 0001-01-01 of the first day an ISO date of any precision covers."""
    y, m, d = (int(x) for x in (iso + "-01-01")[:10].split("-"))
    return date(y, m, d).toordinal()


def _how(m: Mention) -> str:
    if m.how == "relative":
        return f"counted from “{esc(m.anchor)}”"
    if m.how == "publication":
        return "counted from the publication date"
    return f"stated ({esc(m.anchor)})" if m.anchor else "stated"


def timeline_html(events: list[TimelineEvent]) -> str:
    """Events on a time axis (one dot each, placed by date; a click brings its sources into view),
    then every event with the sentences that date it, grouped by month."""
    if not events:
        return '<div class="rag-sources-empty">No dated events match.</div>'
    first, last = _day_number(events[0].date), _day_number(events[-1].date)
    span = max(last - first, 1)
    dots = []
    for i, e in enumerate(events):
        left = 100.0 * (_day_number(e.date) - first) / span
        cls = "rag-tl-dot rag-tl-differ" if e.disagreement else "rag-tl-dot"
        tip = f"{date_label(e.date) if e.precision == 'day' else e.date}: {e.text[:140]}"
        dots.append(
            f'<a class="rag-cite {cls}" href="#rag-tl-{i}" style="left:{left:.2f}%" '
            f'title="{esc(tip)}" aria-label="{esc(tip)}"></a>'
        )
    axis = (
        f'<div class="rag-tl-axis"><div class="rag-tl-line"></div>{"".join(dots)}</div>'
        f'<div class="rag-tl-ends"><span>{esc(events[0].date)}</span>'
        f"<span>{esc(events[-1].date)}</span></div>"
    )
    rows, month = [], None
    for i, e in enumerate(events):
        if e.date[:7] != month:
            month = e.date[:7]
            rows.append(f'<h4 class="rag-tl-month">{esc(month)}</h4>')
        badge = (
            '<span class="rag-tl-badge">Sources differ on the date</span>' if e.disagreement else ""
        )
        mentions = "".join(
            f'<li><span class="rag-n">[{m.citation.n}]</span> <b>{esc(m.date)}</b> '
            f"“{esc(m.expression)}”, {_how(m)} · "
            f"{esc(' · '.join(x for x in (m.citation.outlet, m.citation.title or m.citation.source) if x))}"
            f"<blockquote>{esc(m.citation.quote)}</blockquote>"
            f'<div class="rag-where">{esc(m.citation.source)}, characters '
            f"{m.citation.start}–{m.citation.end}</div></li>"
            for m in e.mentions
        )
        rows.append(
            f'<article class="rag-passage rag-tl-event" id="rag-tl-{i}">'
            f'<header><span class="rag-tl-date">{esc(e.date)}</span> {badge}</header>'
            f'<ul class="rag-tl-mentions">{mentions}</ul></article>'
        )
    summary = f'<div class="rag-note">{len(events)} dated events.</div>'
    return f'<div class="rag-timeline">{summary}{axis}{"".join(rows)}</div>'
