"""The code's layers import one way, and the retriever still speaks llama-index.

Read from the source (every import, at the top of a module or inside a function; a name imported
from a package counts as importing the package's ``__init__``):
- no import cycles between modules;
- the base layer (records, errors, settings, words, tokens, sentences, phrase statistics, the offline
  environment) imports only itself; ``store/`` imports only the base layer and itself;
- the engine (``rag`` but its command line) never imports ``ui`` or ``eval``; ``ui`` never imports
  ``eval``; ``rag.cli`` is the application on top and may import both;
- no module imports another module's private (underscore) names.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
from llama_index.core.schema import QueryBundle

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("rag", "store", "ui", "eval")
BASE = {
    "rag.types",
    "rag.errors",
    "rag.settings",
    "rag.tokens",
    "rag.vocab",
    "rag.offline",
    "rag.sentences",
    "rag.phrases",
}


def modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in sorted((REPO / pkg).glob("*.py")):
            name = pkg if path.stem == "__init__" else f"{pkg}.{path.stem}"
            out[name] = path
    return out


def imports(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, list[str]]]:
    """(imported module, names taken from it) for each import of our own packages in ``path``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names if a.name.split(".")[0] in PACKAGES]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] not in PACKAGES:
                continue
            # `from rag import offline` imports the module rag.offline
            subs = [a.name for a in node.names if f"{node.module}.{a.name}" in known]
            out += [(f"{node.module}.{s}", []) for s in subs]
            names = [a.name for a in node.names if a.name not in subs]
            if names:
                out.append((node.module, names))
    return out


def graph() -> tuple[dict[str, set[str]], list[str]]:
    known = modules()
    edges: dict[str, set[str]] = {m: set() for m in known}
    private = []
    for name, path in known.items():
        for target, names in imports(name, path, known):
            if target in known and target != name:
                edges[name].add(target)
            private += [f"{name} imports {target}.{n}" for n in names if n.startswith("_")]
    return edges, private


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    edges, _ = graph()
    assert cycles(edges) == []


def test_the_cycle_check_sees_a_cycle():
    edges, _ = graph()
    edges["rag.types"] = edges["rag.types"] | {"rag.assistant"}
    assert any("rag.types" in c and "rag.assistant" in c for c in cycles(edges))


def wrong_way(edges: dict[str, set[str]]) -> list[str]:
    wrong = []
    for src, targets in edges.items():
        for dst in sorted(targets):
            top = dst.split(".")[0]
            if src in BASE and dst not in BASE:
                wrong.append(f"{src} -> {dst}")
            if src.startswith("store") and top == "rag" and dst not in BASE:
                wrong.append(f"{src} -> {dst}")
            if src.startswith("rag") and src != "rag.cli" and top in ("ui", "eval"):
                wrong.append(f"{src} -> {dst}")
            if src.startswith("ui") and top == "eval":
                wrong.append(f"{src} -> {dst}")
    return wrong


def test_layers_import_one_way():
    edges, _ = graph()
    assert wrong_way(edges) == []


def test_the_layer_check_sees_a_wrong_way_import():
    edges, _ = graph()
    for src, dst in [
        ("store.keyword", "rag.question"),  # storage using engine logic
        ("store.vectors", "rag"),  # `from rag import Assistant`
        ("rag.phrases", "rag.evidence"),  # the base layer reaching up
        ("rag.answer", "ui.render"),
    ]:
        bad = {k: set(v) for k, v in edges.items()}
        bad[src].add(dst)
        assert wrong_way(bad) == [f"{src} -> {dst}"]


def test_no_private_names_across_modules():
    _, private = graph()
    assert private == []


def test_the_retriever_answers_through_llama_index(assistant):
    """The hybrid retriever is a llama-index BaseRetriever: its nodes carry the ids and scores the
    assistant uses directly."""
    question = "When did the rebels enter Aleppo?"
    qvec = assistant.embedder.embed([question])[0]
    direct = assistant._retriever.hits(question, qvec)
    nodes = assistant._retriever.retrieve(QueryBundle(question, embedding=qvec.tolist()))
    assert direct, "the bundled corpus has chunks about Aleppo"
    assert [(n.node.node_id, n.score) for n in nodes] == direct
    assert np.all(np.diff([s for _, s in direct]) <= 0)
