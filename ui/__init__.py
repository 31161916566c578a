"""The browser app (``ui.app``) and the HTTP API around it (``ui.server``)."""

from rag import offline

offline.apply()  # before gradio is imported
