"""MkDocs, behind generator/assemble/builder.py: every line that imports or configures it is here."""
