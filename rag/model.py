"""The learned decision: which sentence answers, and whether any answers well enough to say so.

Two logistic models over the features of ``rag.evidence.FEATURES``, fitted on the train split of the
news eval set (``python -m eval.train``) and committed as ``rag/weights.json``:

- the *sentence* model scores every candidate sentence: how likely it is to be a sentence that answers
  the question (its label in training: it is a supporting sentence a person marked);
- the *answer* model looks at the best sentences together (how good the best is, by how much it beats
  the next, whether it holds the asked-for kind of value and agrees with the question's year or round)
  and gives the probability that quoting them answers the question right.

Its two thresholds, chosen on the dev split, make three outcomes: answered, *not confirmed* (the closest
passages are shown but not vouched for), and "the sources don't say".

Fitting is plain Newton's method on an L2-penalised log-likelihood in float64, from zeros, with a fixed
number of steps: the same features give the same weights, bit for bit.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).resolve().parent / "weights.json"
log = logging.getLogger("newsrag")

# Features of the answer decision, computed from the ranked evidence by rag.answer.answer_features.
# Few on purpose: the answer model learns from one row per question (hundreds, not tens of
# thousands), and each of these should only ever push one way (a better best sentence, a sentence
# with the asked-for value, no conflicting year...), which keeps it sane on questions unlike train's.
ANSWER_FEATURES = (
    "top",
    "margin",
    "top_typed",
    "top_needs_value",
    "top_anchored",
    "top_qualifier_conflict",
    "top_qualifier_conflict_around",
    "top_missing_term",
    "top_entity_of_kind",
    "top_rules_pass",
    "keyword_query",
    "kind_reason",
    "kind_manner",
    "kind_other",
)


@dataclass(frozen=True)
class Logistic:
    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def __call__(self, x: list[float] | np.ndarray) -> float:
        return float(self.batch(np.asarray([x], dtype=np.float64))[0])

    def batch(self, x: np.ndarray) -> np.ndarray:
        """Probabilities for the rows of ``x``."""
        z = ((np.asarray(x, dtype=np.float64) - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))

    def weights(self) -> dict[str, float]:
        """Each feature's weight on the standardised scale: how much it moves the decision."""
        return {n: float(c) for n, c in zip(self.names, self.coef, strict=True)}

    def to_dict(self) -> dict:
        return {
            "names": list(self.names),
            "mean": [round(float(v), 8) for v in self.mean],
            "scale": [round(float(v), 8) for v in self.scale],
            "coef": [round(float(v), 8) for v in self.coef],
            "intercept": round(self.intercept, 8),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Logistic:
        return cls(
            tuple(d["names"]),
            np.asarray(d["mean"], dtype=np.float64),
            np.asarray(d["scale"], dtype=np.float64),
            np.asarray(d["coef"], dtype=np.float64),
            float(d["intercept"]),
        )


def fit(
    x: np.ndarray, y: np.ndarray, names: tuple[str, ...], l2: float = 1.0, steps: int = 30
) -> Logistic:
    """L2-penalised logistic regression by Newton's method (deterministic)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0  # the intercept is not shrunk
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -40, 40)))
        grad = z.T @ (p - y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty) + 1e-9 * np.eye(len(w))
        w = w - np.linalg.solve(hess, grad)
    # Rounded as saved, so the model in memory and the one loaded from weights.json are the same.
    r = lambda a: np.round(a, 8)  # noqa: E731
    return Logistic(names, r(mean), r(scale), r(w[:-1]), float(r(w[-1])))


@dataclass(frozen=True)
class Decision:
    """The fitted models and the dev-chosen thresholds."""

    sentence: Logistic
    answer: Logistic
    answer_threshold: float  # at or above: answered
    show_threshold: float  # at or above (and under answer_threshold): not confirmed, passages shown
    trained_on: dict
    relative_support: float = 0.8  # further quotes need this share of the best one's score

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> Decision:
        d = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            Logistic.from_dict(d["sentence"]),
            Logistic.from_dict(d["answer"]),
            float(d["answer_threshold"]),
            float(d["show_threshold"]),
            d.get("trained_on", {}),
            float(d.get("relative_support", 0.8)),
        )

    def to_dict(self) -> dict:
        return {
            "sentence": self.sentence.to_dict(),
            "answer": self.answer.to_dict(),
            "answer_threshold": self.answer_threshold,
            "show_threshold": self.show_threshold,
            "relative_support": self.relative_support,
            "trained_on": self.trained_on,
        }


_LOADED: Decision | None = None


def default_decision() -> Decision | None:
    """The committed decision, loaded once per process; None before any was trained."""
    global _LOADED
    if _LOADED is None and WEIGHTS.is_file():
        from rag.evidence import FEATURES

        decision = Decision.load()
        if decision.sentence.names != FEATURES or decision.answer.names != ANSWER_FEATURES:
            log.warning(
                "rag/weights.json was fitted on other features: answering by the hand-set rules "
                "until `python -m eval.train` is run"
            )
            return None
        _LOADED = decision
    return _LOADED
