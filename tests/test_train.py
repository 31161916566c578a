"""The committed decision is the one the train split gives: `python -m eval.train` reproduces
rag/weights.json bit for bit (so nobody hand-edits a weight, and a feature change cannot ship with
stale weights), and it never reads the frozen test split."""

import pytest

from rag.model import WEIGHTS

pytestmark = pytest.mark.slow


def test_training_reproduces_the_committed_weights_without_reading_test(monkeypatch, tmp_path):
    import eval.train as training

    seen: list[str] = []
    split_items, topics = training.split_items, training.topics
    monkeypatch.setattr(training, "split_items", lambda s: seen.append(s) or split_items(s))
    monkeypatch.setattr(training, "topics", lambda s: seen.append(s) or topics(s))
    out = tmp_path / "weights.json"
    training.train(out, verbose=False)
    assert "test" not in seen and {"train", "dev"} <= set(seen)
    assert out.read_text(encoding="utf-8") == WEIGHTS.read_text(encoding="utf-8"), (
        "rag/weights.json differs from what `python -m eval.train` fits now: run it and commit the result"
    )
