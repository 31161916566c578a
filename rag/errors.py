"""The few errors newsrag raises. Each message says what to do about it."""


class RagError(Exception):
    """Base class: anything newsrag reports to a user."""


class ConfigError(RagError):
    """A setting is wrong or a needed component is missing."""


class QuestionError(RagError):
    """The question cannot be asked as given (empty, too long, no words)."""


class IngestError(RagError):
    """A file could not be ingested; the message is the reason shown in the report."""


class StoreError(RagError):
    """The index could not be opened, read or written."""
