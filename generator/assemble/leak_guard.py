"""After the build, before the swap: scan every output file for non-public content.

Three independent tripwires, each a reason to refuse the build and keep the old site:
- the id of a record that must not be public (decided here, not by the gate);
- a text fingerprint of such a record (runs of 16+ word characters of its front
  matter and body that no public record contains), which catches content that
  escaped without its id, such as sentinels planted by the tests;
- executable markup in page content, read as elements and attributes (HAZARDS.md principle 3).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import html
import html.parser
import json
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Iterable, Literal

from generator.assemble.tree import files_under
from generator.cores import forked_map, worker_count
from generator.model import Record, Status
from generator.search.index import FOLDER as SEARCH_FOLDER

# Files worth a second process, and files handed to a worker at a time.
PARALLEL_FROM = 500
_CHUNK = 32

# Files stored gzip-compressed: MkDocs' sitemap (and the search index's .bin shards, by their bytes).
_GZIPPED = {".gz"}
# Ids are ASCII slugs (common.schema.json); bounded, so SG-2024-001 does not match SG-2024-0011.
_ID_TOKEN = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z0-9][A-Za-z0-9-]{2,63}(?![A-Za-z0-9-])")
# Without the look-arounds a third faster, and a superset: every token above is matched
# whole by this too (it starts a run, and the run is no longer than this takes). Only a
# hit is confirmed with the exact pattern.
_ID_CANDIDATE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{2,63}")
_RUN = re.compile(r"[0-9A-Za-z_\u3400-\u9fff-]{16,}")


def forbidden_ids(records: Iterable[Record], as_of: dt.date) -> set[str]:
    """Ids that must not appear in the site, decided without the publication gate.

    Deliberately a second, independent reading of the rule in publish.py: if the
    gate is ever wrong, the two disagree and the guard catches it.
    """
    allowed_statuses = {"published", "withdrawn"}
    return {r.id for r in records
            if r.status.value not in allowed_statuses or r.publish_date is None or r.publish_date > as_of
            # a credit entry whose listing has ended must no longer be published (应急管理部令第11号)
            or as_of >= getattr(r, "listing_end", dt.date.max)}


def fingerprints(records: Iterable[Record], sources: dict[str, bytes], as_of: dt.date,
                 published_anyway: Iterable[str] = (), memo: RunMemo | None = None) -> set[str]:
    """Word runs of non-public records (and of withdrawn bodies) found in no public record.

    `published_anyway`: text the site carries by design, such as the schemas' field
    descriptions, whose examples may match a record's wording. `memo`: a long-running
    process's runs of each file, kept while it holds the very same bytes.
    """
    records = list(records)
    hidden = forbidden_ids(records, as_of)
    secret: set[str] = set()
    shared: set[str] = set()
    public_text: list[str] = list(published_anyway)
    for record in records:
        if record.id in hidden:
            secret.update(_runs_of_file(record.path, sources[record.path], memo))
        elif record.status is Status.WITHDRAWN and record.withdrawal and record.withdrawal.date <= as_of:
            secret.update(_RUN.findall(record.body))  # only a notice stays public
            public_text.append(record.title + (record.withdrawal.reason if record.withdrawal else ""))
        else:
            shared.update(_runs_of_file(record.path, sources[record.path], memo))
    # No run spans a line break: the runs of texts joined by one are the runs of each text.
    shared.update(_RUN.findall("\n".join(public_text)))
    return secret - shared


RunMemo = dict[str, tuple[bytes, frozenset[str]]]  # path → (its bytes, the word runs of its text)


def _runs_of_file(path: str, raw: bytes, memo: RunMemo | None) -> frozenset[str]:
    known = memo.get(path) if memo is not None else None
    if known is not None and known[0] is raw:
        return known[1]
    runs = frozenset(_RUN.findall(raw.decode("utf-8", errors="replace")))
    if memo is not None:
        memo[path] = (raw, runs)
    return runs


@dataclass(frozen=True)
class Leak:
    file: str
    what: str  # the id, fingerprint or pattern found
    kind: str  # "id", "text" or "executable"


def _readable(path: Path, data: bytes) -> str:
    if path.suffix in _GZIPPED or (path.suffix == ".bin" and data.startswith(b"\x1f\x8b")):  # the index's shards
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="replace")
    if path.suffix == ".json":
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return html.unescape(text) if path.suffix in (".html", ".xml") else text


def _content_of(path: Path, text: str) -> str:
    """The part of a page that carries record content (theme scripts are allowed elsewhere)."""
    if path.suffix == ".html" and "<article" in text:
        return text[text.index("<article"):text.rindex("</article>") if "</article>" in text else len(text)]
    return ""


@dataclass(frozen=True)
class ScanResult:
    leaks: list[Leak]
    # rel → digest of each file found clean: with the same key, the same bytes are clean again.
    clean: dict[str, str]

    def __add__(self, other: ScanResult) -> ScanResult:
        return ScanResult(self.leaks + other.leaks, {**self.clean, **other.clean})


def guard_key(hidden_ids: set[str], secret_runs: set[str]) -> str:
    """What a file's verdict depends on besides its bytes: this code and what is secret."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    for item in sorted(hidden_ids) + ["\0"] + sorted(secret_runs):
        h.update(item.encode() + b"\0")
    return h.hexdigest()


def scan(site_dir: Path, hidden_ids: set[str], secret_runs: set[str] = frozenset(),  # type: ignore[assignment]
         known_clean: dict[str, str] | None = None, part: Literal["all", "pages", "index"] = "all") -> ScanResult:
    """Every file of the site except the theme's assets, on every core for a large site.

    `known_clean`: files found clean by an earlier scan under the same guard_key, by digest;
    a file with those very bytes is not scanned again. `part`: "pages" for all but the search
    index (scanned while the index is built), "index" for the search index bundles alone.
    """
    def wanted(top: str) -> bool:
        in_index = top == SEARCH_FOLDER
        return top != "assets" and (part == "all" or in_index == (part == "index"))

    paths = [site_dir / rel for rel in files_under(site_dir) if wanted(rel.partition("/")[0])]
    # A new memo of line verdicts for each scan: they hold only for these secrets.
    check = partial(_scan_file, site_dir, hidden_ids, secret_runs, known_clean or {}, _LineVerdicts())
    found = forked_map(check, paths, worker_count(len(paths), PARALLEL_FROM), chunksize=_CHUNK)
    return ScanResult([leak for _, _, leak in found if leak is not None],
                      {rel: file_digest for rel, file_digest, leak in found if leak is None})


def _scan_file(site_dir: Path, hidden_ids: set[str], secret_runs: set[str], known_clean: dict[str, str],
               verdicts: _LineVerdicts, path: Path) -> tuple[str, str, Leak | None]:
    rel = path.relative_to(site_dir).as_posix()
    data = path.read_bytes()
    file_digest = hashlib.sha256(data).hexdigest()
    if known_clean.get(rel) == file_digest:
        return rel, file_digest, None
    text = _readable(path, data)
    ids, runs = verdicts.found_in(text, hidden_ids, secret_runs)
    if ids:
        return rel, file_digest, Leak(rel, min(ids), "id")
    if runs:
        return rel, file_digest, Leak(rel, min(runs), "text")
    # Elements and attributes as a browser reads them: quoted code (&lt;script&gt;) is text. The
    # search index holds each page's text, which search.js inserts as inert text only: what
    # could run there is what the page's own elements already are.
    executable = _executable_elements(_content_of(path, data.decode("utf-8", errors="replace"))) \
        if path.suffix == ".html" else None
    return rel, file_digest, Leak(rel, executable, "executable") if executable else None


_EXECUTABLE_ELEMENTS = frozenset({"script", "iframe", "object", "embed", "svg", "math", "frame", "frameset", "base",
                                  "form", "meta", "link", "style"})
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"})
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


class _Elements(html.parser.HTMLParser):
    """The first executable thing in a piece of HTML: an element that runs or loads code, an
    event-handler attribute, or a URL attribute with a script or data-HTML scheme."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found is not None:
            return
        if tag in _EXECUTABLE_ELEMENTS:
            self.found = f"<{tag}"
            return
        for name, value in attrs:
            if name.startswith("on"):
                self.found = f"{name}="
                return
            if name in _URL_ATTRIBUTES and value:
                scheme = _CONTROL.sub("", html.unescape(value)).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text")):
                    self.found = scheme.split(":", 1)[0] + ":"
                    return

    handle_startendtag = handle_starttag


# What can make a piece of HTML executable, looked for in its lower-cased text before parsing it:
# one of those elements' tags, an on…= (in a tag or in text), or a URL attribute whose value is
# neither plainly http(s)/mailto nor a plain relative path (an entity or a scheme in it). A
# superset: only a page with one of these is parsed, and the parse decides. Parsing every page
# took 7 s of CPU at 10,000 records; these three searches take about one.
_ELEMENT_TAGS = tuple(f"<{name}" for name in sorted(_EXECUTABLE_ELEMENTS))
_MAY_HANDLE = re.compile(r"\son[a-z]+\s*=")
_MAY_SCHEME = re.compile(r"""(?:href|src|action|formaction|data|poster|background)\s*=\s*["']?(?!https?://|mailto:)[^"'\s>]*[:&]""")


def _may_run(content: str) -> bool:
    lowered = content.lower()
    return (any(tag in lowered for tag in _ELEMENT_TAGS) or _MAY_HANDLE.search(lowered) is not None
            or _MAY_SCHEME.search(lowered) is not None)


def _executable_elements(content: str) -> str | None:
    if "<" not in content or not _may_run(content):
        return None
    parser = _Elements()
    parser.feed(content)
    parser.close()
    return parser.found


class _LineVerdicts:
    """Lines judged before, so that each distinct line is judged once per scan.

    No id or word run spans a line break, so each line is judged on its own, and a line judged
    before (the theme's header, navigation and footer repeat on every page: over a thousand
    lines each) is not scanned again. The lines of a file are set against the clean lines
    known in one set operation: looking each one up in turn took a third of the guard's time.
    """

    LIMIT = 100_000  # lines remembered per process: the repeated ones come first

    def __init__(self) -> None:
        self.clean: set[str] = set()
        self.dirty: dict[str, tuple[frozenset[str], frozenset[str]]] = {}  # line → (hidden ids, secret runs)

    def found_in(self, text: str, hidden_ids: set[str], secret_runs: set[str]) -> tuple[set[str], set[str]]:
        """The hidden ids and the secret word runs in `text`."""
        lines = set(text.split("\n"))
        lines.difference_update(self.clean)
        ids: set[str] = set()
        runs: set[str] = set()
        for line in lines:
            found = self.dirty.get(line) or self.judge(line, hidden_ids, secret_runs)
            if found:
                ids.update(found[0])
                runs.update(found[1])
        return ids, runs

    def judge(self, line: str, hidden_ids: set[str], secret_runs: set[str],
              ) -> tuple[frozenset[str], frozenset[str]] | tuple[()]:
        # Every id-shaped token, looked up in a set: one pass over the text. (A regex that
        # alternates thousands of ids took minutes over a 10,000-record site.)
        ids = hidden_ids.intersection(_ID_CANDIDATE.findall(line)) if hidden_ids else ()
        if ids:
            ids = hidden_ids.intersection(_ID_TOKEN.findall(line))
        runs = secret_runs.intersection(_RUN.findall(line)) if secret_runs else ()
        if not ids and not runs:
            if len(self.clean) < self.LIMIT:
                self.clean.add(line)
            return ()
        verdict = (frozenset(ids), frozenset(runs))
        if len(self.dirty) < self.LIMIT:
            self.dirty[line] = verdict
        return verdict
