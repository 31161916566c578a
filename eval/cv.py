"""Cross-validation by topic over train and dev: ``python -m eval.cv [FOLDS]``.

Dev is 120 questions on three topics: a change that flips three of them moves its figures by 0.025,
as much as most changes are worth. To judge a change to the features or the question analysis, the
15 train and dev topics are dealt into folds; each fold's topics are answered by models fitted (and
thresholds chosen) on the other folds' topics alone, exactly as ``eval.train`` fits on train. The
figures add up every question answered by a model that never saw its topic. The test split is never
read.
"""

from __future__ import annotations

import sys

from eval.train import at_threshold, collect, fit_decision, outcomes, rescore


def cross_validate(folds: int = 5, verbose: bool = True) -> dict:
    cases = collect("train") + collect("dev")
    names = sorted({c.item.topic for c in cases})
    fold_of = {t: i % folds for i, t in enumerate(names)}
    rows = []
    for k in range(folds):
        held = [c for c in cases if fold_of[c.item.topic] == k]
        fitted = [c for c in cases if fold_of[c.item.topic] != k]
        decision, _ = fit_decision(fitted)
        rescore(held, decision.sentence)
        got = outcomes(held, decision)
        stats = at_threshold(got, decision.answer_threshold)
        if verbose:
            topics = ", ".join(t for t in names if fold_of[t] == k)
            print(
                f"fold {k} ({topics}): threshold {decision.answer_threshold:.2f}, "
                + ", ".join(f"{m} {v:.3f}" for m, v in stats.items()),
                flush=True,
            )
        # Each fold has its own threshold: keep whether it answered, as a probability of 1 or 0.
        rows += [
            (float(p >= decision.answer_threshold), answerable, right)
            for p, answerable, right in got
        ]
    answered = [r for r in rows if r[0]]
    right = sum(1 for r in answered if r[2])
    total = {
        "questions": len(rows),
        **at_threshold(rows, 1.0),
        "right_minus_wrong": (2 * right - len(answered)) / len(rows),
    }
    if verbose:
        print(
            "all folds: "
            + ", ".join(
                f"{m} {v:.3f}" if isinstance(v, float) else f"{m} {v}" for m, v in total.items()
            )
        )
    return total


if __name__ == "__main__":
    cross_validate(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
