"""Derive stage: deadlines, deadline tables and publication indices."""
