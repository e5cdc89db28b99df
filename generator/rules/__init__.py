"""Check stage: cross-field and cross-record rules over the typed Repository."""
