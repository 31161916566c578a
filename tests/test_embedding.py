"""The ONNX embedder gives the same vectors as sentence-transformers, without importing torch."""

import subprocess
import sys

import numpy as np

from rag.embedding import OnnxEmbedder, SentenceTransformerEmbedder

TEXTS = [
    "When did Bashar al-Assad leave the country?",
    "HTS began the operation, entering Aleppo on 29 November.",
    "",
    "ا" * 3 + " Damascus " * 200,  # longer than the model's 256 tokens: truncated the same way
    "The Zarqa Valley council said on 3 March 2025 that the reservoir holds 41 million cubic metres of water.",
]


def test_onnx_matches_sentence_transformers():
    onnx, torch = OnnxEmbedder(batch_size=2), SentenceTransformerEmbedder()
    a, b = onnx.embed(TEXTS), torch.embed(TEXTS)
    assert a.shape == b.shape == (len(TEXTS), 384) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert float((a * b).sum(axis=1).min()) > 0.9999
    # Order is kept although batches are formed by length.
    assert np.allclose(onnx.embed(TEXTS[::-1]), a[::-1], atol=1e-5)


def test_question_path_does_not_import_torch():
    code = (
        "import sys; from rag.embedding import OnnxEmbedder; OnnxEmbedder().embed(['a question']); "
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["False", "False"], out.stderr[-1000:]
