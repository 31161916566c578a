"""The learned decision: which sentence answers, and whether any answers well enough to say so.

Two logistic models over the features of ``rag.evidence.FEATURES``, fitted on the train split of the
news eval set (``python -m eval.train``) and committed as ``rag/weights.json``:

- the *sentence* model is a choice among the candidate sentences of one question, or none of them (a
  conditional logit with a "none" option, as extractive QA models with unanswerable questions do): it
  gives each sentence the probability that it is the one that answers (in training: a sentence a person
  marked as supporting the answer) and the question the probability that none does (in training: the
  question has no answer in the articles);
- the *answer* model looks at the best sentences together (how good the best is, by how much it beats
  the next, whether it holds the asked-for kind of value and agrees with the question's year or round)
  and gives the probability that quoting them answers the question right.

Its two thresholds, chosen on the dev split, make three outcomes: answered, *not confirmed* (the closest
passages are shown but not vouched for), and "the sources don't say".

Fitting is deterministic (Newton's method, and L-BFGS for the choice model, in float64 from zeros;
weights rounded to 8 decimals): the same features give the same weights, bit for bit.
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
    "answerable",
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
        z = (
            (np.asarray(x, dtype=np.float64) - self.mean) / self.scale
        ) @ self.coef + self.intercept
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


# What the "none of them" option of the choice model looks at: the question alone.
QUESTION_FEATURES = (
    "bias",
    "kind_date",
    "kind_number",
    "kind_place",
    "kind_person",
    "kind_thing",
    "kind_reason",
    "kind_manner",
    "kind_other",
    "keyword_query",
    "qualified",
    "names_something",
)


@dataclass(frozen=True)
class Choice:
    """Which of one question's candidate sentences answers it, or none."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    null_names: tuple[str, ...]
    null_coef: np.ndarray

    def utilities(self, x: np.ndarray) -> np.ndarray:
        """Each candidate's score before the choice among them (higher: more likely the answer)."""
        return ((np.asarray(x, dtype=np.float64) - self.mean) / self.scale) @ self.coef

    def probabilities(
        self, x: np.ndarray, z: np.ndarray, usable: np.ndarray
    ) -> tuple[float, np.ndarray]:
        """(probability that none answers, each candidate's probability); unusable candidates get 0."""
        u = np.where(usable, self.utilities(x), -np.inf)
        u0 = float(np.asarray(z, dtype=np.float64) @ self.null_coef)
        top = max(u0, float(u.max())) if len(u) else u0
        e, e0 = np.exp(u - top), np.exp(u0 - top)
        total = e0 + e.sum()
        return float(e0 / total), e / total

    def weights(self) -> dict[str, float]:
        return {n: float(c) for n, c in zip(self.names, self.coef, strict=True)}

    def to_dict(self) -> dict:
        return {
            "names": list(self.names),
            "mean": [float(v) for v in self.mean],
            "scale": [float(v) for v in self.scale],
            "coef": [float(v) for v in self.coef],
            "null_names": list(self.null_names),
            "null_coef": [float(v) for v in self.null_coef],
        }

    @classmethod
    def from_dict(cls, d: dict) -> Choice:
        return cls(
            tuple(d["names"]),
            np.asarray(d["mean"], dtype=np.float64),
            np.asarray(d["scale"], dtype=np.float64),
            np.asarray(d["coef"], dtype=np.float64),
            tuple(d["null_names"]),
            np.asarray(d["null_coef"], dtype=np.float64),
        )


def fit_choice(
    groups: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
    names: tuple[str, ...],
    null_names: tuple[str, ...],
    l2: float = 1.0,
) -> Choice:
    """Maximum likelihood (L2-penalised, bias not shrunk) of the marked answer of each question: one of
    its positive candidates, or none. ``groups``: (candidate features, question features, usable mask,
    positive mask over [none, *candidates])."""
    from scipy.optimize import minimize

    pool = np.vstack([x[usable] for x, _, usable, _ in groups if usable.any()])
    mean = np.round(pool.mean(axis=0), 8)
    scale = pool.std(axis=0)
    scale = np.round(np.where(scale < 1e-9, 1.0, scale), 8)
    data = [((x - mean) / scale, z, usable, pos) for x, z, usable, pos in groups]
    nf = len(names)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        a, v = w[:nf], w[nf:]
        total, ga, gv = 0.0, np.zeros(nf), np.zeros(len(v))
        for x, z, usable, pos in data:
            u = np.concatenate([[z @ v], np.where(usable, x @ a, -np.inf)])
            e = np.exp(u - u.max())
            p = e / e.sum()
            hit = p * pos
            total -= np.log(hit.sum() + 1e-300)
            d = p - hit / hit.sum()
            ga += x.T @ d[1:]
            gv += z * d[0]
        shrink = np.concatenate([a, v * (np.arange(len(v)) > 0)])
        grad = np.concatenate([ga, gv]) + l2 * shrink
        return total + 0.5 * l2 * float(shrink @ shrink), grad

    w0 = np.zeros(nf + len(null_names))
    w = minimize(loss, w0, jac=True, method="L-BFGS-B", options={"maxiter": 1000}).x
    w = np.round(w, 8)
    return Choice(names, mean, scale, w[:nf], null_names, w[nf:])


@dataclass(frozen=True)
class Decision:
    """The fitted models and the dev-chosen thresholds."""

    sentence: Choice
    answer: Logistic
    answer_threshold: float  # at or above: answered
    show_threshold: float  # at or above (and under answer_threshold): not confirmed, passages shown
    trained_on: dict
    relative_support: float = 0.8  # further quotes need this share of the best one's score

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> Decision:
        d = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            Choice.from_dict(d["sentence"]),
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
