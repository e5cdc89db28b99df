"""The plain-text shortcut for inline Markdown (generator/assemble/fast_inline.py) must give
exactly the HTML that Python-Markdown's own inline processor gives."""

from __future__ import annotations

from pathlib import Path

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions import Extension
from markdown.inlinepatterns import SimpleTagInlineProcessor

from generator.assemble.fast_inline import PlainTextInlineProcessor, trigger_pattern

# The extensions mkdocs.yml uses for every page.
EXTENSIONS = ["tables", "admonition", "toc"]
CONTENT = Path(__file__).resolve().parent.parent / "content"


def convert(text: str, *extra: object) -> tuple[str, str]:
    stock = markdown.Markdown(extensions=[*EXTENSIONS, *extra])
    fast = markdown.Markdown(extensions=[*EXTENSIONS, *extra, "generator.assemble.fast_inline"])
    assert isinstance(fast.treeprocessors["inline"], PlainTextInlineProcessor)
    return stock.convert(text), fast.convert(text)


# Every character an inline pattern reacts to, with Chinese text, spaces and line ends between.
_PIECES = st.sampled_from(["`", "\\", "[", "]", "(", ")", "!", "<", ">", "&", "*", "_", "#", "-", "|", ":",
                           "  \n", "\n", "\n\n", " ", "事故", "整改", "a", "1", ";", "http://x.cn", "@", "amp;", "#x4e8b;", "b>"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_same_html_as_stock_markdown_on_any_text(text: str) -> None:
    stock, fast = convert(text)
    assert fast == stock


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=8).map("".join), min_size=2, max_size=5))
def test_same_html_in_table_cells(cells: list[str]) -> None:
    row = "| " + " | ".join(c.replace("\n", " ").replace("|", "\\|") for c in cells) + " |"
    text = "\n".join([row, "|" + " --- |" * len(cells), row, "", "段落 " + cells[0]])
    stock, fast = convert(text)
    assert fast == stock


def test_same_html_on_the_shipped_records() -> None:
    files = sorted(CONTENT.rglob("*.md"))
    assert files
    for path in files:
        stock, fast = convert(path.read_text(encoding="utf-8"))
        assert fast == stock, path


class _Strike(Extension):
    """A pattern the shortcut does not know: `~~text~~`."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"()~~(.+?)~~", "del"), "strike", 50)


def test_an_unknown_pattern_turns_the_shortcut_off() -> None:
    md = markdown.Markdown(extensions=[*EXTENSIONS, _Strike(), "generator.assemble.fast_inline"])
    assert trigger_pattern(md) is None
    stock, fast = convert("一段 ~~删除~~ 文字", _Strike())
    assert "<del>删除</del>" in fast
    assert fast == stock


def test_plain_text_skips_the_patterns_and_special_text_does_not() -> None:
    md = markdown.Markdown(extensions=[*EXTENSIONS, "generator.assemble.fast_inline"])
    trigger = trigger_pattern(md)
    assert trigger is not None
    assert trigger.search("区安全生产委员会办公室 2023年3月19日 (M1) 1.5") is None
    for special in ("`code`", "a\\-b", "[链接](x.md)", "<b>", "&amp;", "*强调*", "_x_", "行尾  \n下一行"):
        assert trigger.search(special), special
