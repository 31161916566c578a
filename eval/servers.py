"""Start a real `rag serve` as a child process on a free loopback port (tests and benchmarks)."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from rag import offline

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("RAG_ARTIFACTS", REPO / "test-artifacts"))


# Debian's chromium, driven by Playwright; these flags keep it from calling out on a closed network.
CHROMIUM = os.environ.get("RAG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log: Path
    index_dir: Path

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def rag_command() -> list[str]:
    exe = Path(sys.executable).with_name("rag")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "rag.cli"]


def start_rag_server(
    name: str,
    index_dir: Path,
    *args: str,
    env: dict[str, str] | None = None,
    auth: tuple[str, str] | None = None,
    timeout: float = 180,
) -> Server:
    """`rag serve` on a free port; returns once /healthz answers. The log goes to test-artifacts/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = ARTIFACTS / f"server-{name}.log"
    full_env = {**os.environ, "RAG_INDEX_DIR": str(index_dir), **(env or {})}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*rag_command(), "serve", "--port", str(port), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=full_env,
            cwd=REPO,
        )
    server = Server(f"http://127.0.0.1:{port}", proc, log, Path(index_dir))
    headers = {}
    if auth:
        headers["Authorization"] = (
            "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        )
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"rag serve exited with {proc.returncode}:\n{server.log_tail()}")
        try:
            urllib.request.urlopen(
                urllib.request.Request(server.url + "/healthz", headers=headers), timeout=2
            )
            return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(
        f"rag serve did not answer /healthz within {timeout:.0f} s:\n{server.log_tail()}"
    )


def start_chroma_server(path: Path, name: str = "chroma", timeout: float = 60) -> Server:
    """`chroma run` (from the chromadb wheel) on a free loopback port; returns once its heartbeat answers."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    exe = Path(sys.executable).with_name("chroma")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "chromadb.cli.cli"]
    port = free_port()
    log = ARTIFACTS / f"server-{name}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*cmd, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=offline.environment(),
        )
    server = Server(f"http://127.0.0.1:{port}", proc, log, Path(path))
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma run exited with {proc.returncode}:\n{server.log_tail()}")
        try:
            urllib.request.urlopen(server.url + "/api/v2/heartbeat", timeout=1)
            return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"chroma run did not start within {timeout:.0f} s:\n{server.log_tail()}")
