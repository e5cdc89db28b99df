"""`portal rollup`: a city's or province's site built from its members' published open data.

config → sources (a built site's folder, its address, or a Git mirror of it) → member_data
(read, check against the member's own catalog, summarise) → render (pages and tables) →
build (the same builder and search index as a member's site).
Nothing a member has not published can enter: only its public files are read.
"""
