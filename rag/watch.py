"""Keep a library current: ingest a set of feeds (or pages) again every so often.

Each round is an ordinary ingest of the URLs: pages and feeds that did not change cost a conditional
request (HTTP 304) and nothing else, new items are added, and a page that changed replaces what was
stored for its URL.
A round that fails (the network is down, another process holds the index) is reported and the next
round runs on time.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence

from rag.errors import RagError
from rag.ingest import IngestReport

log = logging.getLogger("newsrag")

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$", re.IGNORECASE)
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(text: str) -> float:
    """'15m' -> 900.0; '30s', '2h', '1d', or plain seconds. Raises ValueError with what is accepted."""
    m = _EVERY.match(str(text))
    if not m:
        raise ValueError(f"cannot read {text!r} as an interval: use e.g. 30s, 15m, 2h or 1d")
    seconds = float(m.group(1)) * _UNIT[(m.group(2) or "s").lower()]
    if seconds < 1:
        raise ValueError("the interval must be at least 1 second")
    return seconds


class Watcher:
    """Ingest ``urls`` every ``every`` seconds until stopped, in the calling thread (``run``) or in
    a background thread (``start``)."""

    def __init__(
        self,
        assistant,
        urls: Sequence[str],
        every: float,
        on_report: Callable[[IngestReport], None] | None = None,
    ):
        self.assistant = assistant
        self.urls = list(urls)
        self.every = every
        self.on_report = on_report or _log_report
        self.rounds = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run(self, rounds: int | None = None) -> None:
        while not self._stop.is_set():
            self.round()
            if rounds is not None and self.rounds >= rounds:
                return
            self._stop.wait(self.every)

    def round(self) -> IngestReport | None:
        self.rounds += 1
        try:
            report = self.assistant.ingest(self.urls)
        except RagError as e:
            log.warning("watch round %d failed: %s", self.rounds, e)
            return None
        except Exception:  # a bug must not end the watch: the next round runs on time
            log.exception("watch round %d failed", self.rounds)
            return None
        self.on_report(report)
        return report

    def start(self) -> Watcher:
        self._thread = threading.Thread(target=self.run, name="newsrag-watch", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout)


def _log_report(report: IngestReport) -> None:
    for source, reason in report.failed:
        log.warning("watch: failed: %s: %s", source, reason)
    log.info("watch: %s", report.summary())
