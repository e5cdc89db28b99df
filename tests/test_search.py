"""The search index (generator/search/): every page holding a query's text is found and no
other, on a generated corpus large enough for many shards and long pages, and on the demo's
built pages; the same pages give the same bytes. search.js follows the same steps, and
tests/test_browser.py holds it to the built pages' text in Chromium."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest

from generator.search.extract import SearchPage
from generator.search.index import write_index
from generator.search.normalise import normalise, query_terms
from generator.search.query import IndexReader
from tests.conftest import PROJECT

# Words as published records use them, with Traditional, full-width and bracket variants mixed in.
WORDS = ["麒麟区", "南宁街道", "沿江街道", "应急管理局", "整改措施", "落实情况", "评估报告", "隐患", "重大事故隐患",
         "挂牌督办", "验收销号", "曲靖市某化工贸易有限公司", "钱某某", "王某", "欧阳某某", "安委办〔2021〕4号",
         "麒安办[2025]61号", "麒政复(2025)31号", "高處墜落", "燃氣", "ＳＧ－２０２５－００９", "91530302J3Y7LLJY10",
         "一案双罚", "危险作业罪", "事故", "调查报告", "防范", "和", "的", "，", "。", "；", "3·14", "2026-03-31",
         "𠀋", "A级", "ab cd"]


def _corpus(count: int, seed: int) -> list[SearchPage]:
    rng = random.Random(seed)
    pages = []
    for n in range(count):
        blocks = ["".join(rng.choice(WORDS) for _ in range(rng.randint(1, 60))) for _ in range(rng.randint(1, 12))]
        if n % 50 == 0:  # a long page: positions past 65,535 take more varint bytes
            blocks.append("".join(rng.choice(WORDS) for _ in range(16000)))
        pages.append(SearchPage(url=f"records/R{n:04d}/", title=rng.choice(WORDS) + rng.choice(WORDS),
                                date=f"20{rng.randint(10, 26)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                                number=rng.choice(["", "麒安办〔2025〕61号", f"麒应急罚〔2026〕{n}号"]),
                                filters={"类别": [rng.choice(["事故", "评估报告"])]}, blocks=blocks))
    return pages


def _write(pages: list[SearchPage], filters: list[str], root: Path, **sizes: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    write_index(pages, filters, root, **sizes)
    return root / "search-index"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _texts(reader: IndexReader) -> list[str]:
    """Each page's normalised title, 文号 and blocks, a line each (no term spans two)."""
    texts = []
    for number in range(reader.info["pages"]):
        page = reader.page(number)
        texts.append("\n".join(normalise(block) for block in [page["title"], page["number"], *page["blocks"]]))
    return texts


def _truth(texts: list[str], query: str) -> set[int]:
    terms = query_terms(query)
    return {number for number, text in enumerate(texts) if terms and all(term in text for term in terms)}


def _queries(reader: IndexReader, rng: random.Random, count: int) -> list[str]:
    """Pieces of one to six characters cut from random places in the pages, and words none holds."""
    queries = ["挂牌督办", "安委办(2021)4号", "安委办〔2021〕4", "〔2021〕4号", "高处坠落", "燃气", "sg-2025",
               "钱某某 麒麟区", "核电站", "zzz", "𠀋", "某"]
    for _ in range(count):
        blocks = reader.page(rng.randrange(reader.info["pages"]))["blocks"]
        text = normalise(rng.choice(blocks))
        length = rng.randint(1, 6)
        start = rng.randrange(max(1, len(text) - length + 1))
        queries.append(text[start:start + length])
    return queries


def test_every_page_holding_the_query_is_found_and_no_other(tmp_path: Path) -> None:
    reader = IndexReader(_write(_corpus(600, seed=7), ["类别"], tmp_path))
    assert reader.info["shards"] > 1 and reader.info["large"]  # both kinds of file are read
    texts = _texts(reader)
    rng = random.Random(3)
    relevant = found = hit = 0
    for query in _queries(reader, rng, 300):
        truth, result = _truth(texts, query), reader.search(query)
        assert len(result) == len(set(result)) and set(result) == truth, query
        relevant, found, hit = relevant + len(truth), found + len(result), hit + len(truth & set(result))
    assert relevant > 10_000 and hit == relevant == found  # recall and precision 1.0


def test_titles_and_numbers_rank_first_then_newest(tmp_path: Path) -> None:
    pages = [SearchPage("a/", "麒麟区燃气专项整治", "2024-01-01", "", {}, ["正文"]),
             SearchPage("b/", "其他通知", "2026-05-01", "", {}, ["关于燃气的说明"]),
             SearchPage("c/", "较早通知", "2025-05-01", "麒安办〔2025〕61号", {}, ["燃气"]),
             SearchPage("d/", "无关", "2026-06-01", "", {}, ["引用麒安办[2025]61号"])]
    reader = IndexReader(_write(pages, [], tmp_path))
    urls = lambda query: [reader.page(n)["url"] for n in reader.search(query)]  # noqa: E731
    assert urls("燃气") == ["a/", "b/", "c/"]  # the title match first, then newest first
    assert urls("麒安办(2025)61号") == ["c/", "d/"]  # the record's own 文号 first
    assert urls("气") == ["a/", "b/", "c/"]


def test_the_same_pages_give_the_same_bytes_in_any_order(tmp_path: Path) -> None:
    pages = _corpus(200, seed=11)
    first = _files(_write(pages, ["类别"], tmp_path / "a"))
    assert _files(_write(list(reversed(pages)), ["类别"], tmp_path / "b")) == first


@pytest.mark.parametrize("run_pages, partitions", [(7, 4), (64, 16), (300, 2)])
def test_the_same_bytes_however_the_lists_are_cut_and_spilled(tmp_path: Path, run_pages: int,
                                                              partitions: int) -> None:
    """The index is made in runs of pages and partitions of n-grams, spilled to disk to bound
    memory (postings.py); in one piece or in many, the files are the same. 16 partitions
    are more than this index's shards, 2 fewer: both ways of grouping them are taken."""
    pages = _corpus(600, seed=7)
    whole = _files(_write(pages, ["类别"], tmp_path / "whole", run_pages=10_000, partitions=1))
    cut = _write(pages, ["类别"], tmp_path / "cut", run_pages=run_pages, partitions=partitions)
    assert _files(cut) == whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut", "whole"]  # no work files left


def test_the_demo_index_finds_exactly_the_pages_holding_the_text(built_site: Path) -> None:
    reader = IndexReader(built_site / "search-index")
    assert reader.info["pages"] >= 27
    texts = _texts(reader)
    for query in _queries(reader, random.Random(5), 300):
        assert set(reader.search(query)) == _truth(texts, query), query


def test_the_search_script_never_writes_markup() -> None:
    """Index text reaches the page as text nodes and <mark> elements only (HAZARDS.md X14)."""
    script = (PROJECT / "site_templates" / "assets" / "search.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "document.write" not in script


@pytest.mark.parametrize("query, terms", [
    ("安委办（2021）4号", ["安委办〔2021〕4号"]),
    ("安委办 [2021] 4号", ["安委办", "〔2021〕", "4号"]),
    ("高處墜落　燃氣", ["高处坠落", "燃气"]),  # an ideographic space separates terms too
    ("ＳＧ－２０２５", ["sg-2025"]),
    ("  ", []),
])
def test_queries_are_normalised_as_the_pages_are(query: str, terms: list[str]) -> None:
    assert query_terms(query) == terms


def test_the_leak_guard_reads_the_index_files(tmp_path: Path) -> None:
    """A hidden record's id or text in any index file, a page's text or a compressed shard,
    is a leak: the guard reads them as the browser will (HAZARDS.md X14)."""
    from generator.assemble.leak_guard import scan

    secret = "未公开的事故调查情况说明全文内容"
    pages = [SearchPage("accidents/SG-2024-001/", "公开的事故", "2024-01-01", "", {}, ["见 SG-2099-001 的说明"]),
             SearchPage("accidents/SG-2024-002/", "另一起事故", "2024-02-01", "", {}, [secret])]
    _write(pages, [], tmp_path)
    leaks = scan(tmp_path, {"SG-2099-001"}, {secret}, part="index").leaks
    found = {(leak.file.split("/")[1], leak.kind) for leak in leaks}
    assert ("p", "id") in found and ("p", "text") in found, found
    # The compressed shards hold the text as n-grams only; their bytes are read unpacked.
    shard = next((tmp_path / "search-index" / "g").iterdir())
    shard.write_bytes(gzip.compress(b"SG-2099-001", mtime=0))
    assert any(leak.file.endswith(shard.name) for leak in scan(tmp_path, {"SG-2099-001"}, part="index").leaks)
