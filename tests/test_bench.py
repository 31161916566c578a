"""`rag bench --smoke` runs end to end so the benchmark cannot rot (its figures are not asserted)."""

import json

import pytest

pytestmark = pytest.mark.slow


def test_bench_smoke_runs_and_reports(tmp_path):
    from eval.bench import main

    out = tmp_path / "bench.json"
    assert main(["--smoke", "--out", str(out)]) == 0
    r = json.loads(out.read_text())
    assert r["ingest"]["ours"]["chunks"] > 0 and r["ingest"]["peer"]["chunks"] > 0
    assert r["serving"]["errors"] == 0 and r["serving"]["answers_per_s"] > 0
    assert set(r["ratios"]) == {"warm_p50_ours_answer_vs_peer_retrieval", "cold_ours_vs_peer",
                                "ingest_chunks_per_s_ours_vs_peer", "ingest_seconds_ours_vs_peer"}
