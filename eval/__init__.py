"""Quality and speed measurement for newsrag: `rag eval`."""
