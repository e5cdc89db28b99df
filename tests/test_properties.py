"""Property-based tests: any input yields a record or diagnostics, never a traceback."""

from __future__ import annotations

import html
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.diagnostics import CATALOGUE, Diagnostic
from generator.load.discover import SourceFile
from generator.load.document import LoadedDocument, load_document
from generator.pipeline import check
from generator.settings import LimitSettings
from generator.validate.schema import SchemaSet
from tests.conftest import AS_OF_DATE, PROJECT

SCHEMAS = SchemaSet()
DEMO_FILES = sorted((PROJECT / "content").rglob("*.md"))
# YAML- and Markdown-significant characters, Chinese text and the odd control character.
ALPHABET = st.sampled_from(list(":-[]{}#&*!|>'\"%@`,?\t\n \\<>()") + list("状态标题评估报告是否：，。") + list("abcNOyes0129") + ["\x00", "\r", "\ufeff"])


def _load(tmp: Path, collection: str, data: bytes) -> LoadedDocument | Diagnostic:
    path = tmp / f"{collection}.md"
    path.write_bytes(data)
    return load_document(SourceFile(path, f"content/{collection}s/x.md", collection), LimitSettings())


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front_matter=st.text(ALPHABET, max_size=300), body=st.text(ALPHABET, max_size=200),
       collection=st.sampled_from(["accident", "evaluation"]))
def test_random_front_matter_loads_or_diagnoses(tmp_path: Path, front_matter: str, body: str,
                                                collection: str) -> None:
    result = _load(tmp_path, collection, f"---\n{front_matter}\n---\n{body}".encode("utf-8"))
    if isinstance(result, Diagnostic):
        assert result.code in CATALOGUE and result.line >= 1 and result.column >= 1
    else:
        for diagnostic in SCHEMAS.validate(result):
            assert diagnostic.code in CATALOGUE and diagnostic.line >= 1


@st.composite
def mutated_demo_file(draw: st.DrawFn) -> tuple[Path, str]:
    source = draw(st.sampled_from(DEMO_FILES))
    lines = source.read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "swap", "replace-value"]))
        if action == "delete" and len(lines) > 1:
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "insert":
            j = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:j] + draw(st.text(ALPHABET, min_size=1, max_size=8)) + lines[i][j:]
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(st.text(ALPHABET, max_size=12))}"
    return source, "\n".join(lines)


@pytest.fixture(scope="module")
def mutation_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mutations")
    shutil.copytree(PROJECT / "content", root / "content")
    return root


@settings(max_examples=300, deadline=None)
@given(case=mutated_demo_file())
def test_mutated_demo_content_checks_without_crashing(mutation_root: Path, case: tuple[Path, str]) -> None:
    source, text = case
    target = mutation_root / source.relative_to(PROJECT)
    original = target.read_bytes()
    target.write_text(text, encoding="utf-8")
    try:
        result = check(mutation_root, AS_OF_DATE)
    finally:
        target.write_bytes(original)
    for diagnostic in result.report.diagnostics:
        assert diagnostic.code in CATALOGUE and diagnostic.line >= 1 and diagnostic.column >= 1
        assert diagnostic.code != "E904"


_ID_PIECES = ["SG-2024-001", "SG-2024-0011", "-", "x", "9", "/", "<a href=\"/accidents/", "\">", "事故", " ",
              "A" * 30, "&amp;", "_"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_ID_PIECES), max_size=12))
def test_leak_guard_id_candidates_hold_every_exact_id_token(pieces: list[str]) -> None:
    # The guard looks ids up among the fast candidates and confirms a hit with the exact
    # pattern: a token the candidates miss would be a leak the guard cannot see.
    from generator.assemble.leak_guard import _ID_CANDIDATE, _ID_TOKEN

    text = "".join(pieces)
    assert set(_ID_TOKEN.findall(text)) <= set(_ID_CANDIDATE.findall(text))


def test_leak_guard_finds_an_id_only_as_a_whole_token(tmp_path: Path) -> None:
    from generator.assemble.leak_guard import scan

    pages = {"a.html": "<p>见 SG-2024-0011 与 x-SG-2024-001 和 SG-2024-001x</p>",
             "b.html": '<a href="/accidents/SG-2024-001/">链接</a>'}
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    leaks = scan(tmp_path, {"SG-2024-001"}).leaks
    assert [(leak.file, leak.what) for leak in leaks] == [("b.html", "SG-2024-001")]


_LINE_PIECES = ["SG-2024-001", "SG-2024-0011", "\n", "\n", "-", "x", " ", "<nav>", "事故调查报告提出的防范和整改措施落实",
                "评估报告全文公开", "A" * 20, "&#45;"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_LINE_PIECES), max_size=14).map("".join), min_size=1, max_size=5))
def test_leak_guard_line_by_line_finds_what_the_whole_text_holds(texts: list[str]) -> None:
    # The guard judges each line once and remembers it (the theme repeats on every page):
    # for every file, in any order, the verdict must be the one the whole text gives.
    from generator.assemble import leak_guard
    from generator.assemble.leak_guard import _ID_TOKEN, _RUN, _LineVerdicts

    hidden = {"SG-2024-001"}
    secret = {"事故调查报告提出的防范和整改措施落实", "事故调查报告提出的防范和整改措施落实评估报告全文公开"}
    verdicts = _LineVerdicts()
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        for index, text in enumerate(texts):
            page = site / f"{index}.html"
            page.write_text(text, encoding="utf-8")
            leak = leak_guard._scan_file(site, hidden, secret, {}, verdicts, page)[2]
            whole = html.unescape(text)
            ids = hidden.intersection(_ID_TOKEN.findall(whole))
            runs = secret.intersection(_RUN.findall(whole))
            expected = ((min(ids), "id") if ids else (min(runs), "text") if runs else None)
            assert ((leak.what, leak.kind) if leak else None) == expected, text


_MARKUP_PIECES = ["<", "<s", "<S", "cript", "CRIPT", "<iframe", "<IFrame", "<svg", "<math", "<embed", "<object",
                  " ", "\t", "\n", "on", "ON", "click", "=", " = ", "javascript", "JavaScript", "vbscript", ":",
                  "data", "DATA", ":text", "安全", "x", ">", '"', "&", "&lt;"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_MARKUP_PIECES), max_size=12).map("".join),
       st.sampled_from(["<script>x</script>", "<IMG SRC=x OnError=y>", '<a href="JaVa&#x09;Script:x">a</a>',
                        "<svg/onload=x>", "<iframe src=x></iframe>"]))
def test_leak_guard_reads_markup_as_a_browser_does(text: str, executable: str) -> None:
    # Text on a page is escaped: whatever it says, it never trips the guard (quoted code is text).
    # A real executable element or attribute among that text always does, whatever its case.
    import html as html_module

    from generator.assemble.leak_guard import _executable_elements

    quoted = html_module.escape(text)
    assert _executable_elements(f"<article><p>{quoted}</p></article>") is None, text
    assert _executable_elements(f"<article><p>{quoted}</p>{executable}</article>") is not None, (text, executable)


# Pieces that make the body rules fire, or nearly: raw HTML, links and reference definitions,
# brackets, code spans and fences, pinyin after a character. Each line starts with a run of one
# kind of blank or ">" (deep nesting starts at 17) and may carry a list marker.
_BODY_PIECES = ["<", "<b>", "<!--", "</", "<a:", "](", "]:", "[x]", "[r]: javascript:x", "[", "(", ")", "]",
                "[a](javascript:x)", "http://a", " ", "`", "``", "```", "~~~", "`" + "a" * 70 + "`",
                "安", "產", "(chǎn)", "（shēng）", "(ab)", "abc", "评估报告"]
_BODY_LINE = st.tuples(st.sampled_from([" ", "\t", ">", "> ", "\u3000", "`aa`"]), st.integers(0, 24),
                       st.sampled_from(["", "- ", "1. ", "* "]),
                       st.lists(st.sampled_from(_BODY_PIECES), max_size=12).map("".join)
                       ).map(lambda t: t[0] * t[1] + t[2] + t[3])


@settings(max_examples=500, deadline=None)
@given(st.lists(_BODY_LINE, max_size=12).map("\n".join), st.integers(min_value=1, max_value=8))
# The edges: the shallowest prefix that nests too deep, one bracket too many, full-width pinyin, and
# a reference definition (neither "<" nor "](").
@example("\t" * 17 + "- 项目", 1)
@example(">" * 33 + " - 项目", 1)
@example("[" * 65 + "x", 1)
@example("(" * 40 + "\n" + "[" * 25 + "x", 1)
@example("安（shēng）全", 1)
@example("[r]: javascript:x", 1)
def test_body_rule_shortcuts_skip_only_bodies_without_findings(body: str, repeat: int) -> None:
    # Each body rule first asks a cheap question of the whole body and skips it on "no":
    # the findings must be exactly those of the line-by-line scan with the shortcut off.
    import datetime as dt
    from unittest import mock

    from generator.model import Accident
    from generator.repository import Repository
    from generator.rules import body_parse, body_safety
    from generator.rules.context import RuleContext
    from generator.settings import Settings

    body = "\n".join([body] * repeat)  # long bodies reach the bracket limit
    record = mock.Mock(spec=Accident, path="content/accidents/X.md", body=body, body_first_line=9)
    ctx = RuleContext(Repository(records=[record]), Settings(), SchemaSet(), dt.date.min)
    rules = (body_safety.check_body_safety, body_safety.check_complexity, body_safety.check_pinyin_garbage)
    with_shortcut = [list(rule(ctx)) for rule in rules]
    always = mock.patch.multiple(body_safety, _may_be_too_complex=lambda _: True, _may_hold_pinyin=lambda _: True)
    with always, mock.patch.object(body_parse, "may_hold_markup", lambda _: True):
        body_parse.inspect.cache_clear()  # found with the shortcut: parse again without it
        without = [list(rule(ctx)) for rule in rules]
    body_parse.inspect.cache_clear()
    assert with_shortcut == without, body
