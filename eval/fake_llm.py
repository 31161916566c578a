"""A scripted LLM server on 127.0.0.1 speaking the OpenAI chat-completions and Ollama chat protocols.

For tests and for running `rag eval --llm` without a model. It is not a language model: a reply is
either scripted (``server.script = [...]``: strings, or TIMEOUT to stall) or, in "extract" mode,
made by a fixed rule: the source sentence sharing the most words with the question, cited as [n].

    python -m eval.fake_llm --port 8011          # extract mode, until Ctrl-C
    RAG_LLM=openai:fake RAG_LLM_BASE_URL=http://127.0.0.1:8011/v1 rag eval
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from rag.sentences import split_sentences
from rag.tokens import tokenize
from rag.types import Span

TIMEOUT = object()  # script entry: stall longer than any client waits
_SOURCE = re.compile(r'<source n="(\d+)"[^>]*>\n(.*?)\n</source>', re.S)
_QUESTION = re.compile(r"^Question: (.*)$", re.M)


_LAST_MESSAGE = re.compile(r"^Last message: (.*)$", re.M)


def extract_reply(prompt: str) -> str:
    """The rule-based 'model': quote the source sentence with the most question words, cite it.
    Asked to rewrite a follow-up, it returns the message unchanged (it cannot rewrite)."""
    last = _LAST_MESSAGE.search(prompt)
    if last and "Standalone question:" in prompt:
        return last.group(1)
    m = _QUESTION.search(prompt)
    if not m:
        return "The sources don't say."
    words = set(tokenize(m.group(1)))
    best, best_n, best_score = "", 0, 0.0
    for n, text in _SOURCE.findall(prompt):
        for span in split_sentences(text, Span(0, len(text))):
            sent = text[span.start : span.end]
            toks = set(tokenize(sent))
            score = len(words & toks) / (len(words) or 1)
            if score > best_score:
                best, best_n, best_score = sent, int(n), score
    if best_score < 0.34:
        return "The sources don't say."
    return f"{best} [{best_n}]"


class FakeLLM:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, stall: float = 30.0):
        self.script: list = []  # replies served in order; empty -> extract mode
        self.requests: list[dict] = []
        self.stall = stall
        self._httpd = ThreadingHTTPServer((host, port), self._handler())
        self._httpd.daemon_threads = True
        self.url = f"http://{host}:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _reply(self, messages: list[dict]):
        if self.script:
            return self.script.pop(0)
        return extract_reply(messages[-1]["content"] if messages else "")

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _json(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                body = json.loads(
                    self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}"
                )
                fake.requests.append({"path": self.path, "body": body})
                if self.path.endswith("/chat/completions"):
                    return self._openai(body)
                if self.path == "/api/chat":
                    return self._ollama(body)
                self._json(404, {"error": f"no route {self.path}"})

            def _text(self, body: dict) -> str | None:
                reply = fake._reply(body.get("messages", []))
                if reply is TIMEOUT:
                    time.sleep(fake.stall)
                    return None
                return reply

            @staticmethod
            def _pieces(text: str) -> list[str]:
                return re.findall(r"\S+\s*|\s+", text) or [""]

            def _openai(self, body: dict) -> None:
                text = self._text(body)
                if text is None:
                    return
                model = body.get("model", "fake")
                if not body.get("stream"):
                    return self._json(
                        200,
                        {
                            "id": "chatcmpl-fake",
                            "object": "chat.completion",
                            "created": 0,
                            "model": model,
                            "choices": [
                                {
                                    "index": 0,
                                    "message": {"role": "assistant", "content": text},
                                    "finish_reason": "stop",
                                }
                            ],
                            "usage": {
                                "prompt_tokens": 1,
                                "completion_tokens": 1,
                                "total_tokens": 2,
                            },
                        },
                    )
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for i, piece in enumerate(self._pieces(text)):
                    delta = {"content": piece} | ({"role": "assistant"} if i == 0 else {})
                    chunk = {
                        "id": "chatcmpl-fake",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": model,
                        "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
                    }
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                end = {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": model,
                    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                }
                self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())

            def _ollama(self, body: dict) -> None:
                text = self._text(body)
                if text is None:
                    return
                base = {"model": body.get("model", "fake"), "created_at": "2024-01-01T00:00:00Z"}
                final = base | {
                    "message": {"role": "assistant", "content": ""},
                    "done": True,
                    "done_reason": "stop",
                    "total_duration": 1,
                    "load_duration": 1,
                    "prompt_eval_count": 1,
                    "prompt_eval_duration": 1,
                    "eval_count": 1,
                    "eval_duration": 1,
                }
                if not body.get("stream", True):
                    return self._json(
                        200, final | {"message": {"role": "assistant", "content": text}}
                    )
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.end_headers()
                for piece in self._pieces(text):
                    line = base | {
                        "message": {"role": "assistant", "content": piece},
                        "done": False,
                    }
                    self.wfile.write((json.dumps(line) + "\n").encode())
                self.wfile.write((json.dumps(final) + "\n").encode())

        return Handler


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m eval.fake_llm",
        description="A scripted OpenAI/Ollama-compatible server (extract mode).",
    )
    ap.add_argument("--port", type=int, default=8011)
    args = ap.parse_args(argv)
    with FakeLLM(port=args.port) as fake:
        print(
            f"fake LLM at {fake.url}/v1 (OpenAI) and {fake.url}/api/chat (Ollama); Ctrl-C to stop",
            flush=True,
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
