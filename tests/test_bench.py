"""`rag bench --smoke` runs end to end so the benchmark cannot rot (its timings are not asserted)."""

import json

import pytest

pytestmark = pytest.mark.slow


def test_bench_smoke_runs_and_reports(tmp_path):
    from eval.bench import main

    out, png = tmp_path / "bench.json", tmp_path / "scale.png"
    assert (
        main(
            [
                "--smoke",
                "--out",
                str(out),
                "--plot",
                str(png),
                "--scale-dir",
                str(tmp_path / "scale"),
            ]
        )
        == 0
    )
    r = json.loads(out.read_text())
    assert r["ingest"]["ours"]["chunks"] > 0 and r["ingest"]["peer"]["chunks"] > 0
    assert r["serving"]["errors"] == 0 and r["serving"]["answers_per_s"] > 0
    assert set(r["ratios"]) == {
        "warm_p50_ours_answer_vs_peer_retrieval",
        "cold_ours_vs_peer",
        "ingest_chunks_per_s_ours_vs_peer",
        "ingest_seconds_ours_vs_peer",
    }
    so = r["scale_out"]
    assert (
        so["one_worker"]["errors"] == 0
        and so["two_workers"]["errors"] == 0
        and so["two_workers"]["workers"] == 2
    )
    # The scale curve: the bundled corpus alone, then with ~300 distractor chunks, both measured; a PNG.
    first, grown = r["scale"]["points"]
    assert grown["chunks"] >= first["chunks"] + 300 and grown["ingested_chunks"] >= 300
    assert first["metrics"]["citation_validity"] == grown["metrics"]["citation_validity"] == 1.0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Grown indexes are kept: a second run with the same folder only measures.
    assert (tmp_path / "scale" / "index-300" / "grown.json").is_file()
