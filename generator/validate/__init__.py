"""Validate stage: JSON Schema errors → diagnostics at the offending key or value."""
