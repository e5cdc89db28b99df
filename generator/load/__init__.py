"""Load stage: files on disk → LoadedDocument (JSON-compatible data + positions) or diagnostics."""
