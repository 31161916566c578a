"""Cross-validation by topic over train and dev: ``python -m eval.cv [FOLDS]``.

Dev is 120 questions on three topics: a change that flips three of them moves its figures by 0.025,
as much as most changes are worth. To judge a change to the features or the question analysis, the
15 train and dev topics are dealt into folds; each fold's topics are answered by models fitted (and
thresholds chosen) on the other folds' topics alone, exactly as ``eval.train`` fits on train. The
figures add up every question answered by a model that never saw its topic. The test split is never
read.

``python -m eval.cv --curve``: the learning curve, each fold's model fitted on a third, two thirds
and all of the other folds' topics (two draws of topics for the partial shares). How fast right −
wrong still rises with more topics says whether more data of this kind would close a gap.
"""

from __future__ import annotations

import random
import sys

from eval.train import at_threshold, collect, fit_decision, outcomes, rescore


def cross_validate(
    folds: int = 5, verbose: bool = True, share: float = 1.0, seed: int = 0, cases=None
) -> dict:
    """``share`` < 1: each fold's model is fitted on that share of the other folds' topics (drawn
    with ``seed``)."""
    cases = cases if cases is not None else collect("train") + collect("dev")
    names = sorted({c.item.topic for c in cases})
    fold_of = {t: i % folds for i, t in enumerate(names)}
    rows = []
    first = answerable = 0
    for k in range(folds):
        held = [c for c in cases if fold_of[c.item.topic] == k]
        others = [t for t in names if fold_of[t] != k]
        random.Random(seed * 100 + k).shuffle(others)
        kept = set(others[: max(2, round(share * len(others)))])
        fitted = [c for c in cases if c.item.topic in kept]
        decision, _ = fit_decision(fitted)
        rescore(held, decision.sentence)
        # the sentence marked as the answer ranked first, among answerable one-part questions
        asked = [c for c in held if c.item.answerable and "two_part" not in c.item.tags]
        first += sum(1 for c in asked if c.labels and c.labels[0] == 1)
        answerable += len(asked)
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
        "answer_sentence_first": first / (answerable or 1),
    }
    if verbose:
        print(
            "all folds: "
            + ", ".join(
                f"{m} {v:.3f}" if isinstance(v, float) else f"{m} {v}" for m, v in total.items()
            )
        )
    return total


def learning_curve(shares=(1 / 3, 2 / 3, 1.0), draws: int = 2) -> list[tuple[float, float]]:
    """(share of the other topics fitted on, mean right − wrong over the draws)."""
    cases = collect("train") + collect("dev")
    out = []
    for share in shares:
        seeds = range(draws if share < 1 else 1)
        got = [cross_validate(5, False, share, seed, cases) for seed in seeds]
        mean = sum(g["right_minus_wrong"] for g in got) / len(got)
        print(
            f"fitted on {share:.2f} of the other topics: right - wrong "
            + ", ".join(f"{g['right_minus_wrong']:.3f}" for g in got)
            + f" (mean {mean:.3f}); answer sentence ranked first "
            + ", ".join(f"{g['answer_sentence_first']:.3f}" for g in got),
            flush=True,
        )
        out.append((share, mean))
    return out


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--curve"]
    if "--curve" in sys.argv[1:]:
        learning_curve()
    else:
        cross_validate(int(args[0]) if args else 5)
