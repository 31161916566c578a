"""The quality gate: the bundled questions and the frozen news test split must meet every threshold
in eval/thresholds.json."""

import json

import pytest

pytestmark = pytest.mark.slow


def test_eval_meets_every_threshold(tmp_path, capsys):
    from eval.run import main

    out = tmp_path / "eval.json"
    code = main(out=str(out))
    printed = capsys.readouterr().out
    print(printed)  # the metrics table shows in the CI log
    result = json.loads(out.read_text())
    assert result["failures"] == [], printed
    assert code == 0
    assert result["questions"] >= 60
    assert sum(1 for r in result["rows"] if not r["answerable"]) >= 12
    # every news split was asked, and the frozen test split is gated
    assert {k: v["metrics"]["questions"] >= 100 for k, v in result["news"].items()} == {
        "train": True,
        "dev": True,
        "test": True,
    }
    # the timeline's dates were scored on the bundled corpus and the frozen test split
    assert {"bundled", "test"} <= set(result["timeline"])
    assert result["timeline"]["test"]["labelled"] >= 150
