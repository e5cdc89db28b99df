"""Git history of the content: what was public on an earlier commit."""
