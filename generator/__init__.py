"""Transparency portal generator for production-safety oversight records."""

__version__ = "0.1.0"
