"""Fit the learned decision on the train split, choose its thresholds on dev: ``python -m eval.train``.

Writes ``rag/weights.json``. The same articles and questions give the same weights, bit for bit
(features are rounded, the fit is deterministic Newton steps from zeros). The test split is never read.

1. Index the train topics; for every question, score every candidate sentence with the features of
   ``rag.evidence.FEATURES`` (retrieval and features as in answering, no model).
2. Sentence model, a choice among each question's candidates or none of them: the answer is a
   sentence the question's writer marked as supporting it, or none for an unanswerable question.
3. Answer model: rank each question's sentences by the sentence model, compose the answer it would
   give, label = that answer holds the facts (an unanswerable question's label is 0).
4. Dev: the answer threshold (and how close to the best quote further quotes must score) that maximises
   right answers minus ``WRONG_COST`` times wrong ones (a wrong
   confident answer is the worst outcome); not confirmed below it down to half of it.
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from eval.dataset import Item, norm, split_items, topics
from eval.metrics import facts_present
from rag.answer import answer_features, compose
from rag.evidence import FEATURES, apply_model, question_features
from rag.model import (
    ANSWER_FEATURES,
    QUESTION_FEATURES,
    WEIGHTS,
    Choice,
    Decision,
    Logistic,
    fit,
    fit_choice,
)
from rag.tokens import tokenize
from rag.types import Evidence

WRONG_COST = 1.0
TOLERANCE = 0.0  # how far below the best a more cautious threshold may be
SMOOTH = 0.03
SHOW_SHARE = 0.5
RELATIVE_SHARES = (0.8, 0.6, 0.4, 0.2, 0.0)
# The answer model sees one row per question (a few hundred): it needs a firmer hand than the sentence
# model, or it learns the train topics.
ANSWER_L2 = 10.0


@dataclass
class Case:
    item: Item
    q: object
    evidence: list[Evidence]
    docs: dict
    labels: list[int]

    def __post_init__(self) -> None:
        self.label_of = {
            (e.doc_id, e.start, e.end): lab
            for e, lab in zip(self.evidence, self.labels, strict=True)
        }


def open_split(split: str, index_dir: str | Path, settings=None):
    """An assistant over one split's articles (each topic's ``*.txt``, with its manifest)."""
    from rag.assistant import Assistant
    from rag.settings import Settings

    settings = settings or Settings()
    assistant = Assistant.open(index_dir, settings=settings, ingest_default=False)
    files = [f for t in topics(split) for f in sorted(t.glob("*.txt"))]
    assistant.ingest(files)
    return assistant


def _supports(e: Evidence, sources: set[str], item: Item) -> bool:
    """``sources``: the sentence's file and the other versions of its story, where the writer may have
    marked the same sentence."""
    s = norm(e.text)
    for src, quote in item.support:
        if src not in sources:
            continue
        qn = norm(quote)
        if s in qn or qn in s:
            return True
        a, b = set(tokenize(e.text)), set(tokenize(quote))
        if a and b and len(a & b) / len(a | b) >= 0.5:
            return True
    return False


def _label(e: Evidence, sources: set[str], item: Item) -> int:
    """1: a sentence the question's writer marked as answering it; 0: not; -1 (left out of training):
    unmarked but holding one of the facts, so it may answer as well as the marked one."""
    if not item.answerable:
        return 0
    if _supports(e, sources, item):
        return 1
    s = norm(e.text)
    return -1 if any(norm(alt) in s for g in item.facts for alt in g) else 0


def story_sources(assistant) -> dict[str, set[str]]:
    """File -> the files of every version of its story (itself included)."""
    rows = assistant.sources()
    by_story: dict[str, set[str]] = {}
    for r in rows:
        by_story.setdefault(r.story, set()).add(r.source)
    return {r.source: by_story[r.story] for r in rows}


def collect(split: str) -> list[Case]:
    """Every question of the split with its scored candidates (no model) and their labels."""
    from rag.settings import AnswerSettings, Settings

    settings = Settings(answer=AnswerSettings(decision="rules"))
    cases = []
    with tempfile.TemporaryDirectory(prefix=f"rag-train-{split}-") as d:
        assistant = open_split(split, d, settings)
        versions = story_sources(assistant)
        for item in split_items(split):
            g = assistant._gather(item.question)
            labels = [_label(e, versions[g.docs[e.doc_id].source], item) for e in g.evidence]
            cases.append(Case(item, g.q, g.evidence, g.docs, labels))
        assistant.close()
    return cases


def rescore(cases: list[Case], sentence: Choice) -> None:
    for c in cases:
        c.evidence = apply_model(sentence, c.q, c.evidence)
        # apply_model sorts; keep each label with its sentence
        c.labels = [c.label_of[(e.doc_id, e.start, e.end)] for e in c.evidence]


def _groups(cases: list[Case]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """The choice model's training rows: per question, its candidates and which of [none, *candidates]
    is the marked answer. Candidates that may answer as well as the marked one (label -1) are left out;
    an answerable question whose marked sentence was not retrieved teaches nothing and is left out."""
    out = []
    for c in cases:
        labels = np.array(c.labels)
        x = np.array([e.features for e in c.evidence], dtype=np.float64).reshape(-1, len(FEATURES))
        usable = (x[:, FEATURES.index("statement")] > 0) & (labels >= 0)
        if c.item.answerable:
            pos = np.concatenate([[False], (labels == 1) & usable])
            if not pos.any():
                continue
        else:
            pos = np.concatenate([[True], np.zeros(len(labels), dtype=bool)])
        out.append((x, np.array(question_features(c.q)), usable, pos))
    return out


def outcomes(cases: list[Case], decision: Decision) -> list[tuple[float, bool, bool]]:
    """(answer probability, answerable, right if answered) per question; two-part questions are
    decided part by part when answering, so they are left out here."""
    cfg = _cfg()
    always = replace(decision, answer_threshold=0.0, show_threshold=0.0)
    out = []
    for c in cases:
        if "two_part" in c.item.tags:
            continue
        ranked = [e for e in c.evidence if e.score > 0]
        if not ranked:
            out.append((0.0, c.item.answerable, False))
            continue
        p = decision.answer(answer_features(c.q, ranked))
        ans = compose(c.q, c.evidence, c.docs, cfg, always)
        right = c.item.answerable and facts_present(ans.text, [list(g) for g in c.item.facts])
        out.append((p, c.item.answerable, right))
    return out


def at_threshold(rows: list[tuple[float, bool, bool]], t: float) -> dict:
    """right / wrong among answerable questions and refused unanswerable ones at threshold ``t``."""
    n_ans = sum(1 for r in rows if r[1]) or 1
    n_un = sum(1 for r in rows if not r[1]) or 1
    answered = [r for r in rows if r[0] >= t]
    return {
        "right": sum(1 for r in answered if r[2]) / n_ans,
        "wrong_answered": sum(1 for r in answered if r[1] and not r[2]) / n_ans,
        "unanswerable_refused": 1 - sum(1 for r in answered if not r[1]) / n_un,
    }


def choose_threshold(rows: list[tuple[float, bool, bool]]) -> tuple[float, dict]:
    """The answer threshold with the best value of right − WRONG_COST × wrong answers (a share of
    the questions), the most cautious one among equals.

    The value at each threshold is the mean over the thresholds ``SMOOTH`` around it: on a hundred
    questions one question more or less answered moves the raw curve by 0.01, and a rule that picks
    among near-equal raw values jumps between far-apart thresholds when anything upstream changes
    a little."""
    table = []
    for t in np.round(np.arange(0.05, 0.96, 0.01), 2):
        answered = [r for r in rows if r[0] >= t]
        right = sum(1 for r in answered if r[2])
        wrong = len(answered) - right
        table.append((float(t), (right - WRONG_COST * wrong) / len(rows)))
    raw = [v for _, v in table]
    width = round(SMOOTH / 0.01)
    smooth = [
        (t, float(np.mean(raw[max(0, i - width) : i + width + 1])))
        for i, (t, _) in enumerate(table)
    ]
    best = max(v for _, v in smooth)
    t = max(t for t, v in smooth if v >= best - TOLERANCE)
    return t, {"objective": dict(smooth)[t], "best_objective": best, **at_threshold(rows, t)}


def fit_decision(fit_cases: list[Case], tune_cases: list[Case] = ()) -> tuple[Decision, dict]:
    """Both models fitted on ``fit_cases``; the answer threshold and the share for further quotes
    chosen on ``fit_cases`` and ``tune_cases`` pooled. Returns the decision and ``tune_cases``'
    figures at its threshold."""
    groups = _groups(fit_cases)
    sentence = fit_choice(groups, FEATURES, QUESTION_FEATURES, l2=1.0)
    rescore(fit_cases, sentence)
    placeholder = Logistic(
        ANSWER_FEATURES,
        np.zeros(len(ANSWER_FEATURES)),
        np.ones(len(ANSWER_FEATURES)),
        np.zeros(len(ANSWER_FEATURES)),
        0.0,
    )
    first = Decision(sentence, placeholder, 0.0, 0.0, {})
    ax, ay = [], []
    for c in fit_cases:
        if "two_part" in c.item.tags:
            continue
        ranked = [e for e in c.evidence if e.score > 0]
        if not ranked:
            continue
        ax.append(answer_features(c.q, ranked))
        ans = compose(c.q, c.evidence, c.docs, _cfg(), first)
        ay.append(
            int(c.item.answerable and facts_present(ans.text, [list(g) for g in c.item.facts]))
        )
    answer = fit(np.array(ax), np.array(ay, dtype=np.float64), ANSWER_FEATURES, l2=ANSWER_L2)
    decision = Decision(sentence, answer, 0.5, 0.25, {})
    tune_cases = list(tune_cases)
    rescore(tune_cases, sentence)
    best = None
    for share in RELATIVE_SHARES:
        trial = replace(decision, relative_support=share)
        # Chosen on train and dev together: dev alone (120 questions) gives a curve flat from
        # 0.32 to 0.56 whose best point moved from 0.34 to 0.57 when story versions changed a few
        # candidates; train's probabilities come from 14 weights under a strong L2 penalty, so
        # they are barely more confident than unseen questions' (the dev figures are kept apart).
        tune_rows = outcomes(tune_cases, trial)
        threshold, stats = choose_threshold(tune_rows + outcomes(fit_cases, trial))
        key = (round(stats["best_objective"], 6), share)
        if best is None or key > best[0]:
            best = (key, share, threshold, at_threshold(tune_rows, threshold) if tune_rows else {})
    _, share, threshold, tune_stats = best
    decision = Decision(sentence, answer, threshold, round(threshold * SHOW_SHARE, 2), {}, share)
    return decision, tune_stats


def train(out: Path | None = None, verbose: bool = True) -> Decision:
    out = out or WEIGHTS
    train_cases = collect("train")
    dev_cases = collect("dev")
    decision, dev_stats = fit_decision(train_cases, dev_cases)
    decision = replace(
        decision,
        trained_on={
            "train_topics": [t.name for t in topics("train")],
            "train_questions": len(train_cases),
            "train_questions_fitted": len(_groups(train_cases)),
            "train_sentences": int(sum(g[2].sum() for g in _groups(train_cases))),
            "dev_topics": [t.name for t in topics("dev")],
            "dev_questions": len(dev_cases),
            "dev_at_threshold": {k: round(v, 4) for k, v in dev_stats.items()},
            "wrong_cost": WRONG_COST,
        },
    )
    out.write_text(json.dumps(decision.to_dict(), indent=1) + "\n", encoding="utf-8")
    if verbose:
        print(f"wrote {out}")
        print(json.dumps(decision.trained_on, indent=1))
        for name, model in (("sentence", decision.sentence), ("answer", decision.answer)):
            top = sorted(model.weights().items(), key=lambda kv: -abs(kv[1]))
            print(
                f"{name} model, largest weights: " + ", ".join(f"{k} {v:+.2f}" for k, v in top[:8])
            )
    return decision


def _cfg():
    from rag.settings import AnswerSettings

    return AnswerSettings()


if __name__ == "__main__":
    train(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
