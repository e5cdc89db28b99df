"""Render stage: PublicView + derived tables → generated Markdown pages."""
