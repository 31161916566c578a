"""Can leaving out risky dates buy fewer wrong ones? ``python -m eval.timeline_risk``.

A logistic model of "this event's date is wrong", over what the extractor knows of each event
(how it was resolved, its kind of expression, where its anchor was, its distance from the
publication date, a quote, future or past words, a list's entry...), fitted on the train and dev
labels with whole topics held out (ten folds). It prints, for the events the held-out model finds
riskiest, how many of them are wrong and how many right: what leaving them out would cost.

Measured in the ninth session on train and dev with round 17 (13,461 events of 123 topics, 426
dated wrongly): of the 20 riskiest, 8 were wrong and 12 right; of the 100 riskiest, 17 and 83; of
the 400 riskiest, 56 and 344. Before round 17 was moved into train and dev, a first form of this
model fitted on the rest and tried on round 17 (630 events, 42 wrong) did no better: leaving out
its 20 riskiest removed 4 wrong and 16 right dates (resolved 0.811 -> 0.789, wrongly dated 0.066 ->
0.061). Leaving dates out does not buy the target; reading them better must.
"""

from __future__ import annotations

import re
import sys
from datetime import date

import numpy as np

from eval.timeline_eval import RESOLVABLE, documents, folders, placed_labels
from rag import timeline
from rag.model import fit

FOLDS = 10
_FUTURE = re.compile(
    r"\b(?:will|would|shall|due|set to|set for|scheduled|expected|plans?|planned|next|until|is to"
    r"|are to|aims?|hopes?|deadline)\b",
    re.I,
)
_PAST = re.compile(r"\b(?:was|were|had|did|ago|earlier|\w+ed)\b", re.I)
_ENTRY = re.compile(r"\s*(?:[-\u2022*]|\d+[.)]|\d\d:\d\d)")
KINDS = (
    "weekday",
    "yesterday",
    "part",
    "ordinal_day",
    "after_event",
    "counted",
    "daytime",
    "period",
    "next_day",
    "same_day",
    "weekend",
    "season_rel",
    "ago",
    "year_rel",
    "story_day",
    "season",
    "month_alone",
    "day_month",
    "month_day",
    "year_alone",
    "week_on",
)


def features(doc, event: timeline.Dated, events: list[timeline.Dated]) -> dict[str, float]:
    pub = timeline._parse_iso(doc.meta.published)
    when = date.fromisoformat((event.date + "-01-01")[:10] if len(event.date) < 10 else event.date)
    sentence = doc.text[event.start : event.end]
    kind = next(
        (
            k
            for k, m in timeline._expressions(sentence)
            if event.start + m.start() <= event.expr_start < event.start + m.end() + 1
        ),
        "",
    )
    days = (when - pub).days if pub else 0
    line = doc.text[doc.text.rfind("\n", 0, event.start) + 1 : event.end]
    row = {f"how_{h}": event.how == h for h in ("stated", "relative", "publication")}
    row |= {f"precision_{p}": event.precision == p for p in ("day", "month", "year")}
    row |= {f"kind_{k}": kind == k for k in KINDS}
    row |= {
        "year_of_publication": event.anchor == "year of the publication date",
        "year_of_paragraph": "stated earlier in the paragraph" in event.anchor,
        "has_publication": pub is not None,
        "ahead": max(0, days) / 180,
        "back": min(max(0, -days), 3650) / 365,
        "quote": bool(re.search(r"[\"“”]", sentence)),
        "future_words": bool(_FUTURE.search(sentence)),
        "past_words": bool(_PAST.search(sentence)),
        "headline": "\n" not in doc.text[: event.start],
        "entry": bool(_ENTRY.match(line)),
        "paragraph": min(doc.text.count("\n\n", 0, event.start), 20) / 20,
        "dates_in_sentence": min(sum(e.start == event.start for e in events), 5),
    }
    return {k: float(v) for k, v in row.items()}


def rows(splits=("train", "dev")) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Features of every event on labelled words, whether its date is wrong, and its topic."""
    x, y, topics = [], [], []
    for split in splits:
        for name, folder in folders(split):
            docs = documents(folder)
            labels, _ = placed_labels(name, docs)
            for source, doc in docs.items():
                labs = [lab for lab in labels if lab.source == source]
                events = timeline.extract(doc)
                for e in events:
                    hit = [lab for lab in labs if e.expr_start < lab.end and lab.start < e.expr_end]
                    if not hit:
                        continue
                    right = any(lab.kind in RESOLVABLE and lab.date == e.date for lab in hit)
                    x.append(list(features(doc, e, events).values()))
                    y.append(int(not right))
                    topics.append(name)
    return np.asarray(x), np.asarray(y), topics


def main(penalty: float = 10.0) -> None:
    x, y, topics = rows()
    names = tuple(f"f{i}" for i in range(x.shape[1]))
    order = sorted(set(topics))
    fold = np.asarray([order.index(t) % FOLDS for t in topics])
    risk = np.zeros(len(y))
    for k in range(FOLDS):
        model = fit(x[fold != k], y[fold != k], names, l2=penalty)
        risk[fold == k] = model.batch(x[fold == k])
    print(f"{len(y)} events of {len(order)} topics, {int(y.sum())} dated wrongly")
    ranked = np.argsort(-risk, kind="stable")
    for n in (20, 50, 100, 200, 400):
        wrong = int(y[ranked[:n]].sum())
        print(f"the {n} riskiest (held out by topic): {wrong} wrong, {n - wrong} right")


if __name__ == "__main__":
    main(*(float(a) for a in sys.argv[1:2]))
