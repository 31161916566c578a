"""The environment that keeps every library offline and quiet: no model hub, no telemetry.

Applied when the ``rag`` package is imported, before any library that reads it is (huggingface_hub
reads its flags once, at import); child processes get it through ``environment()``.
"""

from __future__ import annotations

import os

# Always: models come from local folders, and nothing phones home.
FORCED = {
    "HF_HUB_OFFLINE": "1",  # huggingface_hub / sentence-transformers: never ask the hub
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",  # chromadb
    "GRADIO_ANALYTICS_ENABLED": "False",  # gradio
}
# Unless the user says otherwise.
DEFAULTS = {"TRANSFORMERS_VERBOSITY": "error"}


def apply() -> None:
    os.environ.update(FORCED)
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)


def environment() -> dict[str, str]:
    """This process's environment with the offline settings, for a child process."""
    return {**DEFAULTS, **os.environ, **FORCED}
