"""What the search index holds of a built record page: the text a reader sees in its indexed
part (the `data-portal-search` element the theme override writes around a record page's
article), block by block, and the page's title, date, 文号 and filters from that element's
attributes. Read from the built HTML, so only what was published can be indexed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

MARK = b"data-portal-search"
# Each of these starts a new block: a query never matches across two paragraphs or cells.
_BLOCKS = frozenset({"p", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "div", "br", "table",
                     "section", "dd", "dt", "blockquote", "pre", "ul", "ol", "figcaption", "caption", "summary",
                     "details", "article", "header", "footer", "hr"})
_SKIP = frozenset({"script", "style", "template", "svg", "noscript"})
_SPACE = re.compile(r"\s+")


@dataclass
class SearchPage:
    url: str  # relative to the site root, ending in /
    title: str
    date: str  # ISO date of publication, "" when none
    number: str  # the 文号 the record is published under, "" when none
    filters: dict[str, list[str]]
    blocks: list[str] = field(default_factory=list)  # visible text, whitespace collapsed
    # For a table cell's block, what names it: the row's first cell in a two-column table
    # (文号 → 麒安办〔2025〕61号), else the column's heading; a result matched there shows it.
    labels: dict[int, str] = field(default_factory=dict)
    cells: list[int] = field(default_factory=list)  # the blocks that are table cells


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.attributes: dict[str, str] = {}
        self.filters: dict[str, list[str]] = {}
        self.labels: dict[int, str] = {}
        self.cells: list[int] = []
        self._run: list[str] = []
        self._depth = 0  # inside the indexed element
        self._skipping = 0
        self._headings: list[str] = []  # the current table's column headings
        self._row: list[tuple[int | None, str]] = []  # the current row's cells: (block index, text)
        self._header_row = False  # the current row has only <th> cells so far
        self._tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self._depth == 0:
            if "data-portal-search" in found:
                self._depth = 1
                self.attributes = {k: v or "" for k, v in found.items()}
            return
        if tag in ("br", "hr", "img", "input", "meta", "link", "wbr"):  # void: no end tag follows
            if tag in _BLOCKS:
                self._end_block()
            return
        self._depth += 1
        if tag in _SKIP:
            self._skipping += 1
        elif tag in _BLOCKS:
            self._end_block()
        if tag == "table":
            self._headings = []
            self._tables += 1
        elif tag == "tr":
            self._row, self._header_row = [], True
        elif tag == "td":
            self._header_row = False
        name_value = found.get("data-search-filter")
        if name_value and ":" in name_value:
            name, value = name_value.split(":", 1)
            self.filters.setdefault(name, []).append(value)

    def handle_endtag(self, tag: str) -> None:
        if self._depth == 0:
            return
        self._depth -= 1
        if tag in _SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in ("td", "th"):
            added = self._end_block()
            if added:
                self.cells.append(len(self.blocks) - 1)
            self._row.append((len(self.blocks) - 1 if added else None, self.blocks[-1] if added else ""))
        elif tag == "tr":
            self._end_row()
        elif tag in _BLOCKS or self._depth == 0:
            self._end_block()

    def _end_row(self) -> None:
        cells, self._row = self._row, []
        if not cells:
            return
        if self._tables == 1:  # the details box (_meta.md.j2): name, value, name, value in every row
            self._label_pairs(cells)
            return
        if self._header_row and not self._headings:  # a first row of <th> names the columns
            self._headings = [text for _, text in cells]
            return
        for column, (block, _) in enumerate(cells):
            if block is None:
                continue
            if self._headings and len(cells) == 2:  # 项目 | 内容: the row's first cell names it
                label = cells[0][1] if column == 1 else ""
            elif self._headings:
                label = self._headings[column] if column < len(self._headings) else ""
            else:
                label = ""
            if label:
                self.labels[block] = label

    def _label_pairs(self, cells: list[tuple[int | None, str]]) -> None:
        for column in range(1, len(cells), 2):
            block = cells[column][0]
            if block is not None and cells[column - 1][1]:
                self.labels[block] = cells[column - 1][1]

    def handle_data(self, data: str) -> None:
        if self._depth and not self._skipping:
            self._run.append(data)

    def _end_block(self) -> bool:
        text = _SPACE.sub(" ", "".join(self._run)).strip()
        self._run = []
        if text:
            self.blocks.append(text)
        return bool(text)


def read_page(url: str, html: bytes) -> SearchPage | None:
    """The page's indexed part, or None when it has none (lists, indices: not records)."""
    start = html.find(MARK)
    if start < 0:
        return None
    start = html.rfind(b"<", 0, start)
    end = html.find(b"</article>", start)
    reader = _Reader()
    reader.feed(html[start:end if end > 0 else len(html)].decode("utf-8", errors="replace"))
    reader.close()
    reader._end_block()
    found = reader.attributes
    title = found.get("data-title", "") or (reader.blocks[0] if reader.blocks else url)
    return SearchPage(url, title, found.get("data-date", ""), found.get("data-number", ""), reader.filters,
                      reader.blocks, reader.labels, reader.cells)
