"""Fit the second reader of weekdays, last or coming one: ``python -m eval.weekday_model``.

Writes ``rag/weekday_weights.json``. The rows are the weekdays of the train and dev labels
(``eval/timeline/``) that the extractor counts from the publication date with no 'last', 'next' or
'this' before them, and that are not the publication's own weekday; each labelled as the last one of
its name or the coming one (other labels are left out). The rules' reading is one of the features:
the model learns where they go wrong. The extractor leaves out a weekday the model reads unlike the
rules. The penalty is chosen by cross-validation with whole topics
held out (ten folds); the figures printed are those held-out readings, against the rules'. Test is
never read. The same labels give the same weights, bit for bit (``rag.model.fit``).
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import numpy as np

from eval.timeline_eval import RESOLVABLE, _documents, _folders, _labels
from rag import timeline
from rag.model import fit

SPLITS = ("train", "dev")
PENALTIES = (1.0, 3.0, 10.0, 30.0, 100.0)
FOLDS = 10


def rows(splits=SPLITS) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Features, label (1: the coming one), the rules' reading, and the topic of each weekday."""
    x, y, rules, topics = [], [], [], []
    with mock.patch.object(timeline, "_weekday_model", lambda: None):  # the rules' own reading
        for split in splits:
            for name, folder in _folders(split):
                docs = _documents(folder)
                labels, _ = _labels(name, docs)
                for doc in docs.values():
                    pub = timeline._parse_iso(doc.meta.published)
                    labs = [lab for lab in labels if lab.source == doc.source]
                    if pub is None or not labs:
                        continue
                    for e in timeline.extract(doc):
                        row = _row(doc, e, pub, labs)
                        if row:
                            x.append(row[0])
                            y.append(row[1])
                            rules.append(row[2])
                            topics.append(name)
    return np.asarray(x), np.asarray(y), np.asarray(rules), topics


def _row(doc, e, pub, labs):
    if e.how != timeline.PUBLICATION or e.precision != timeline.DAY:
        return None
    sentence = doc.text[e.start : e.end]
    at = e.expr_start - e.start
    m = next(
        (
            m
            for kind, m in timeline._expressions(sentence)
            if kind == "weekday" and m.start() <= at < m.end() + 1
        ),
        None,
    )
    if m is None or m.group(0).lower().startswith(("last", "next", "this")):
        return None
    back = (pub.weekday() - timeline._WEEKDAY_INDEX[m.group(1).lower()]) % 7
    if not back:
        return None
    last, coming = pub - timedelta(days=back), pub + timedelta(days=7 - back)
    said = [
        lab.date
        for lab in labs
        if lab.kind in RESOLVABLE and lab.start < e.expr_end and e.expr_start < lab.end
    ]
    if not said or said[0] not in (last.isoformat(), coming.isoformat()):
        return None
    rules = e.date == coming.isoformat()
    return (
        timeline.weekday_features(sentence, m, back, rules),
        int(said[0] == coming.isoformat()),
        rules,
    )


def held_out(x, y, topics, penalty: float) -> np.ndarray:
    """Each row's reading by a model fitted without its topic."""
    names = sorted(set(topics))
    fold = np.asarray([names.index(t) % FOLDS for t in topics])
    out = np.zeros(len(y))
    for k in range(FOLDS):
        model = fit(x[fold != k], y[fold != k], timeline.WEEKDAY_FEATURES, l2=penalty)
        out[fold == k] = model.batch(x[fold == k])
    return out


def train(out: Path = timeline.WEEKDAY_WEIGHTS) -> dict:
    x, y, rules, topics = rows()
    print(f"{len(y)} weekdays from {len(set(topics))} topics; the coming one: {y.mean():.3f}")
    print(f"rules: {(rules != y).sum()} read wrong")
    best = None
    for penalty in PENALTIES:
        coming = held_out(x, y, topics, penalty)
        said = coming > 0.5
        wrong = int((said != y).sum())
        left = np.where(rules, 1 - coming, coming) >= timeline._SURE  # sure of the other reading
        print(
            f"penalty {penalty:g}: held out, {wrong} read wrong; sure of the other reading than the"
            f" rules' {int(left.sum())} times (left out by the extractor), {int((left & (rules != y)).sum())}"
            " of them read wrong by the rules"
        )
        if best is None or wrong <= best[1]:
            best = (penalty, wrong)
    model = fit(x, y, timeline.WEEKDAY_FEATURES, l2=best[0])
    out.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
    print(f"penalty {best[0]:g} -> {out}")
    return {"rows": len(y), "rules_wrong": int((rules != y).sum()), "model_wrong": best[1]}


if __name__ == "__main__":
    train(Path(sys.argv[1]) if len(sys.argv) > 1 else timeline.WEEKDAY_WEIGHTS)
