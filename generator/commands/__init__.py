"""The `portal` commands beyond check and build: each one's implementation, one module each."""
