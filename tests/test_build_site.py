"""Real MkDocs builds of the demo content, checked by opening the built files."""

from __future__ import annotations

import gzip
import hashlib
import posixpath
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import generator.pipeline
import generator.site_build
from generator.publish import PublicView
from tests.conftest import AS_OF, NON_PUBLIC, PROJECT
from tests.conftest import build as _build

def _all_bytes(site: Path) -> list[tuple[str, bytes]]:
    out = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            gzipped = path.suffix == ".gz" or data.startswith(b"\x1f\x8b")  # the search index's .bin files
            out.append((path.relative_to(site).as_posix(), gzip.decompress(data) if gzipped else data))
    return out


def test_nothing_non_public_reaches_any_file(built_site: Path) -> None:
    files = _all_bytes(built_site)
    # The search index holds each indexed page's text (search-index/p/<n>.json): public pages only.
    texts = [data for name, data in files if name.startswith("search-index/p/")]
    assert len(texts) >= 27
    # …and all of it again in pages.bin, for a roll-up's search: unpacked here, so it is read.
    pages = next(data for name, data in files if name == "search-index/pages.bin")
    assert pages.count(b"\n") == len(texts) and "麒麟区".encode() in pages
    assert any(name == "sitemap.xml" for name, _ in files)
    for name, data in files:
        for record_id, sentinel in NON_PUBLIC.items():
            assert record_id.encode() not in data, f"{record_id} leaked into {name}"
            assert sentinel.encode() not in data, f"{sentinel} leaked into {name}"


def test_the_search_page_uses_our_script_and_index(built_site: Path) -> None:
    search_page = (built_site / "search" / "index.html").read_text(encoding="utf-8")
    assert "assets/search.js" in search_page
    index = built_site / "search-index"
    assert {p.name for p in index.iterdir()} == {"index.json", "heads.bin", "facets.json", "g", "p", "pages.bin"}


_FILTER = re.compile(r'data-search-filter="([^:"]+):([^"]*)"')


def test_each_sector_of_a_page_is_a_search_filter_value_of_its_own(built_site: Path) -> None:
    # A rectification list's hazards span several sectors: the 行业领域 filter must offer each
    # sector once, not the list's combination of them as one more value.
    values = {(name, value) for page in built_site.rglob("index.html")
              for name, value in _FILTER.findall(page.read_text(encoding="utf-8"))}
    sectors = {value for name, value in values if name == "行业领域"}
    assert sectors and not [value for value in sectors if "、" in value], sectors
    page = (built_site / "rectifications" / "ZG-2026-002" / "index.html").read_text(encoding="utf-8")
    assert sorted(value for name, value in _FILTER.findall(page) if name == "行业领域") == sorted(
        {"城镇燃气", "工贸", "危险化学品", "建筑施工", "其他", "矿山", "道路运输"})


def test_public_records_have_stable_urls_with_their_id(built_site: Path) -> None:
    for record_id in ("SG-2024-001", "SG-2025-007", "SG-2026-011"):
        assert (built_site / "accidents" / record_id / "index.html").is_file()
    for record_id in ("EV-2025-001", "EV-2026-002", "EV-2026-003"):
        assert (built_site / "evaluations" / record_id / "index.html").is_file()
    for record_id in NON_PUBLIC:
        assert not list(built_site.rglob(f"*{record_id}*"))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.titles = 0
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.titles += tag == "title"
        # What the browser fetches; a canonical link names the page's public address, fetching nothing.
        if tag in ("link", "script", "img") and ("rel", "canonical") not in attrs:
            self.links += [v or "" for k, v in attrs if k in ("href", "src")]

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.parts))


def _page(site: Path, path: str) -> _Text:
    parser = _Text()
    parser.feed((site / path / "index.html").read_text(encoding="utf-8"))
    return parser


def test_evaluation_page_shows_metadata_verdicts_and_lists(built_site: Path) -> None:
    page = _page(built_site, "evaluations/EV-2026-002")
    text = page.text
    for expected in ("发布机构", "成文日期 2025-12-12", "发布日期 2025-12-26", "文号 沾安办〔2025〕44号",
                     "落实 2 项；基本落实 1 项；未落实 1 项（共 4 项）",
                     "M4 西平街道在事故多发路段增设警示标志和减速设施", "附件1：问题清单", "附件2：工作建议清单",
                     "附件3：经验做法清单", "评估工作过程", "相关工作建议"):
        assert expected in text, expected
    assert page.titles == 1


def test_accident_page_links_its_evaluation_and_deadline(built_site: Path) -> None:
    html = (built_site / "accidents/SG-2024-002/index.html").read_text(encoding="utf-8")
    assert 'href="../../evaluations/EV-2026-002/"' in html
    assert "已公开" in _page(built_site, "accidents/SG-2024-002").text
    # The report of SG-2025-004 is approved but not public: the accident says so, without naming it.
    text = _page(built_site, "accidents/SG-2025-004").text
    assert "已评估未公开" in text and "尚无公开的评估报告" in text


def test_withdrawn_report_leaves_a_notice_not_its_content(built_site: Path) -> None:
    text = _page(built_site, "evaluations/EV-2025-003").text
    assert "撤回公告" in text and "已于 2026-01-06 撤回" in text and "责任单位填写错误" in text
    assert "挂牌上锁可视化" not in text


def test_deadline_table_states_as_of_and_puts_overdue_first(built_site: Path) -> None:
    text = _page(built_site, "deadlines").text
    assert "统计截至：2026-11-22" in text
    table = text[text.index("逾期天数"):]
    statuses = re.findall(r"已逾期未评估|评估期内|已评估未公开|未到评估期|已公开", table)
    order = ["已逾期未评估", "评估期内", "已评估未公开", "未到评估期", "已公开"]
    assert statuses == sorted(statuses, key=order.index)
    assert statuses[0] == "已逾期未评估" and "⚠ 已逾期未评估" in table
    # A real table: one row per public accident (a template slip once rendered it as one paragraph).
    html = (built_site / "deadlines/index.html").read_text(encoding="utf-8")
    assert html.count("<table>") == 1
    assert html.count("<tr>") == 1 + len(list((built_site / "accidents").glob("SG-*")))


def test_navigation_lists_sections_not_records(built_site: Path) -> None:
    html = (built_site / "evaluations/EV-2026-002/index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):html.index("</nav>", html.index("md-nav--primary"))]
    assert "SG-2024-001" not in nav and "EV-2025-001" not in nav
    assert "评估期限表" in nav


class _NavLinks(HTMLParser):
    """(label, href) of each link in a page's primary navigation."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", ""

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((" ".join(self._text.split()), self._href))
            self._href = None


def _nav_targets(site: Path, page: Path) -> tuple[list[tuple[str, str]], bool]:
    """Each navigation label, in order, with the site path its link leads to from `page`; any link active?"""
    html = page.read_text(encoding="utf-8")
    start = html.index('<nav class="md-nav md-nav--primary"')
    nav = html[start:html.index("md-sidebar--secondary", start)]  # the page's own contents nest inside
    parser = _NavLinks()
    parser.feed(nav)
    here = page.parent.relative_to(site).as_posix()
    return ([(label, posixpath.normpath(posixpath.join(here, href))) for label, href in parser.links
             if not href.startswith("#")], "md-nav__link--active" in nav)


def test_navigation_links_lead_to_the_same_pages_from_every_page(built_site: Path) -> None:
    # The navigation is rendered once per place it can differ (mkdocs_hooks.nav_key) and
    # reused: from every page each link must still lead where it leads from the home page.
    expected, _ = _nav_targets(built_site, built_site / "index.html")
    assert len(expected) > 20 and all((built_site / target / "index.html").is_file() for _, target in expected)
    pages = [p for p in built_site.rglob("index.html") if p.relative_to(built_site).parts[0] not in ("assets",)]
    records = 0
    for page in pages:
        targets, active = _nav_targets(built_site, page)
        assert targets == expected, page
        in_nav = page.parent.relative_to(built_site).as_posix() in {target for _, target in expected}
        assert active == in_nav, page
        records += page.parent.name.startswith(("EV-", "SG-"))
    assert records >= 4


def test_no_request_leaves_the_site(built_site: Path) -> None:
    for name, data in _all_bytes(built_site):
        if name.endswith(".html"):
            parser = _Text()
            parser.feed(data.decode("utf-8"))
            external = [l for l in parser.links if re.match(r"(https?:)?//", l)]
            assert not external, (name, external)
            assert b"fonts.googleapis" not in data and b"fonts.gstatic" not in data


def _digest(site: Path) -> str:
    """Every file of the site, search index included, by path and bytes."""
    h = hashlib.sha256()
    for path in sorted(site.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_same_content_and_as_of_give_identical_bytes(built_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert _build(PROJECT, again).exit_code == 0
    assert _digest(again) == _digest(built_site)


def test_embargo_lifts_on_its_date(demo_root: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert _build(demo_root, site, "2026-12-01").exit_code == 0
    assert (site / "evaluations/EV-2026-005/index.html").is_file()
    assert (site / "accidents/SG-2026-012/index.html").is_file()


def test_withdrawn_report_is_public_until_its_withdrawal_date(demo_root: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert _build(demo_root, site, "2026-01-05").exit_code == 0
    text = _page(site, "evaluations/EV-2025-003").text
    assert "撤回公告" not in text and "挂牌上锁可视化" in text


def test_build_refused_on_errors(demo_root: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert _build(demo_root, site).exit_code == 0
    before = _digest(site)
    (demo_root / "content/accidents/SG-2024-001.md").write_text("---\nid: [\n---\n", encoding="utf-8")
    result = _build(demo_root, site)
    assert result.exit_code == 1
    assert "E902" in result.stderr and "E104" in result.stderr
    assert _digest(site) == before


def test_mkdocs_failure_leaves_site_untouched(demo_root: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    assert _build(demo_root, site).exit_code == 0
    before = _digest(site)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(generator.site_build, "build_site", fail)
    result = _build(demo_root, site)
    assert result.exit_code == 1 and "E901" in result.stderr
    assert _digest(site) == before
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".site")]  # no half-built directory left


def test_a_strict_mkdocs_warning_is_named_in_e901(demo_root: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.render.pages import GeneratedPage, render_pages

    def broken_link(*args, **kwargs):  # type: ignore[no-untyped-def]
        return render_pages(*args, **kwargs) + [GeneratedPage("broken.md", "# x\n\n[x](nowhere-at-all.md)\n")]

    monkeypatch.setattr(generator.site_build, "render_pages", broken_link)
    result = _build(demo_root, tmp_path / "site")
    assert result.exit_code == 1 and "E901" in result.stderr
    assert "nowhere-at-all.md" in result.stderr  # which warning, not just "aborted in strict mode"


@pytest.mark.parametrize("workers", ["1", "2"])  # one process, and MkDocs and the guard in two
def test_leak_guard_trips_when_gate_bypassed(demo_root: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch, workers: str) -> None:
    monkeypatch.setenv("PORTAL_WORKERS", workers)
    site = tmp_path / "site"
    assert _build(demo_root, site).exit_code == 0
    before = _digest(site)
    memory = (demo_root / ".portal-cache" / "build.pickle").read_bytes()

    def leaky_view(repo, as_of):  # type: ignore[no-untyped-def]
        # A deliberately broken gate: everything, drafts included, is "public".
        from generator.model import Accident, Campaign, CreditEntry, Directive, Enforcement, Evaluation, Rectification

        def every(kind):  # type: ignore[no-untyped-def]
            return tuple(r for r in repo.records if isinstance(r, kind))

        return PublicView(as_of, every(Accident), every(Evaluation), every(Rectification), every(Enforcement),
                          every(CreditEntry), every(Campaign), every(Directive), ())

    monkeypatch.setattr(generator.site_build, "public_view", leaky_view)
    result = _build(demo_root, site)
    assert result.exit_code == 1
    assert "E903" in result.stderr
    assert _digest(site) == before
    # Nothing of the refused build is remembered as reusable or clean.
    assert (demo_root / ".portal-cache" / "build.pickle").read_bytes() == memory


def test_running_mkdocs_directly_is_refused() -> None:
    completed = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "/tmp/portal-direct-mkdocs"],
                               cwd=PROJECT, capture_output=True, text=True)
    assert completed.returncode != 0
    assert "portal build" in completed.stdout + completed.stderr


XSS_BODY = """
<script>alert(1)</script>
文字 <img src=x onerror=alert(2)> 文字

<svg onload=alert(3)></svg><iframe src="https://evil.example"></iframe>

[点我](javascript:alert(4)) [再点](JaVaScRiPt:alert(5)) ![图](data:image/svg+xml;base64,PHN2Zz4=)

[引用][r]

[r]: javascript:alert(6)

<!-- 内部意见 -->
<div markdown="1" onclick="alert(7)">**x**</div>

<object data="x.swf"></object><embed src="x.swf"><base href="//evil.example/"><meta http-equiv="refresh" content="0;url=//evil.example">
<form action="//evil.example"><input name="q"></form><style>body{display:none}</style><link rel="stylesheet" href="//evil.example/x.css">
<math><mtext><mglyph><style><img src=x onerror=alert(8)></style></mglyph></mtext></math>

模板语法 {{ config }} {% include '/etc/passwd' %} 原样显示。
"""


def test_sanitizer_removes_executable_content_when_check_is_bypassed(demo_root: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = demo_root / "content/accidents/SG-2024-001.md"
    path.write_text(path.read_text(encoding="utf-8") + XSS_BODY, encoding="utf-8")
    monkeypatch.setattr(generator.pipeline, "run_rules", lambda ctx: [])  # the check that would reject it
    site = tmp_path / "site"
    assert _build(demo_root, site).exit_code == 0
    html = (site / "accidents/SG-2024-001/index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    assert "<script" not in article and "<svg" not in article and "<iframe" not in article
    assert not re.search(r"\son[a-z]+\s*=", article)
    assert "javascript:" not in article.lower() and "data:" not in article and "<!--" not in article
    for tag in ("<object", "<embed", "<base", "<meta", "<form", "<input", "<style", "<link", "<math"):
        assert tag not in article, tag
    assert "文字" in article  # the text itself survives
    assert "{{ config }}" in article  # bodies never pass through a template engine (X13)


def test_leak_guard_trips_on_content_without_its_id(demo_root: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A sentinel from each non-public record, leaked into a public page without its id."""
    from generator.render.pages import GeneratedPage, render_pages

    for record_id, sentinel in NON_PUBLIC.items():
        site = tmp_path / record_id
        assert _build(demo_root, site).exit_code == 0
        before = _digest(site)

        def leaky_render(*args, sentinel=sentinel):  # type: ignore[no-untyped-def]
            pages = render_pages(*args)
            return [GeneratedPage(p.path, p.markdown + f"\n\n{sentinel}\n") if p.path == "index.md" else p
                    for p in pages]

        monkeypatch.setattr(generator.site_build, "render_pages", leaky_render)
        result = _build(demo_root, site)
        monkeypatch.undo()
        assert result.exit_code == 1, record_id
        assert "E903" in result.stderr and sentinel in result.stderr
        assert _digest(site) == before


def test_leak_guard_trips_on_executable_output(demo_root: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    assert _build(demo_root, site).exit_code == 0
    before = _digest(site)
    monkeypatch.setattr(generator.pipeline, "run_rules", lambda ctx: [])
    class NoCleaner:
        def clean(self, html: str) -> str:
            return html

    monkeypatch.setattr("generator.assemble.sanitize._CLEANER", NoCleaner())  # both defences off
    path = demo_root / "content/accidents/SG-2024-001.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n<img src=x onerror=alert(1)>\n", encoding="utf-8")
    result = _build(demo_root, site)
    assert result.exit_code == 1 and "E903" in result.stderr and "onerror" in result.stderr
    assert _digest(site) == before


def test_killed_build_leaves_previous_site(demo_root: Path, tmp_path: Path) -> None:
    import os
    import signal
    import time

    from generator.assemble.swap import recover

    site = tmp_path / "site"
    assert _build(demo_root, site).exit_code == 0
    before = _digest(site)
    path = demo_root / "content/accidents/SG-2024-001.md"
    path.write_text(path.read_text(encoding="utf-8").replace("施工单位全面排查", "施工单位立即全面排查"), encoding="utf-8")
    reference = tmp_path / "reference"
    assert _build(demo_root, reference).exit_code == 0
    after = _digest(reference)
    assert after != before
    command = [sys.executable, "-m", "generator", "build", "--as-of", AS_OF, "--site-dir", str(site),
               "--root", str(demo_root)]
    seen = set()
    for delay in (0.2, 0.5, 0.8, 1.1, 1.4, 1.7, 2.0):
        process = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        recover(site)  # what the next build does first
        digest = _digest(site)
        # Whenever the kill came, the site is either the old one or the complete new one.
        assert digest in (before, after), delay
        seen.add(digest)
        if digest == after:
            break
    assert before in seen  # at least one kill landed mid-build
    assert not [p for p in site.parent.iterdir() if p.name.startswith((".site-new", ".site-old"))]


def test_the_replaced_site_is_deleted_after_the_swap(demo_root: Path, tmp_path: Path) -> None:
    import time

    site = tmp_path / "site"
    assert _build(demo_root, site).exit_code == 0
    # What a deleter stopped midway left (say, the machine went down): the next one takes it too.
    (tmp_path / ".site-trash-stopped" / "accidents").mkdir(parents=True)
    (tmp_path / ".site-trash-stopped" / "accidents" / "index.html").write_text("old", encoding="utf-8")
    assert _build(demo_root, site).exit_code == 0  # replaces the first; a detached process deletes it
    deadline = time.monotonic() + 30
    while [p for p in tmp_path.iterdir() if p.name.startswith(".site-")] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-")]
    assert (site / "index.html").is_file()


def test_public_attachment_is_published_with_its_hash(built_site: Path) -> None:
    source = PROJECT / "content/evaluations/files/EV-2025-001/signed-report.pdf"
    published = built_site / "evaluations/files/EV-2025-001/signed-report.pdf"
    assert published.read_bytes() == source.read_bytes()
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    assert digest in _page(built_site, "evaluations/EV-2025-001").text
    # The draft's attachment stays home (its path and text are also covered by the sentinel scan).
    assert not (built_site / "evaluations/files/EV-2026-008").exists()


def test_removed_record_disappears_on_rebuild(demo_root: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert _build(demo_root, site).exit_code == 0
    assert (site / "enforcement/ZF-2026-004/index.html").is_file()
    (demo_root / "content/enforcement/ZF-2026-004.md").unlink()  # a record nothing else refers to
    assert _build(demo_root, site).exit_code == 0
    assert not (site / "enforcement/ZF-2026-004").exists()
    assert b"ZF-2026-004" not in (site / "sitemap.xml").read_bytes()


def test_long_lists_are_paged(demo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The demo is small: shrink the page sizes so that paging happens (10,000 records do this for real).
    monkeypatch.setattr("generator.render.writer.LIST_PAGE_SIZE", 4)
    monkeypatch.setattr("generator.render.writer.GROUP_PREVIEW", 2)
    site = tmp_path / "site"
    result = _build(demo_root, site)
    assert result.exit_code == 0, result.output  # strict MkDocs: every pager link resolves
    pages = [site / "accidents/index.html", site / "accidents/index-2/index.html", site / "accidents/index-3/index.html"]
    assert all(p.is_file() for p in pages) and not (site / "accidents/index-4").exists()
    rows = [len(re.findall(r'href="[^"]*SG-\d{4}-\d{3}/"', p.read_text(encoding="utf-8"))) for p in pages]
    assert sum(rows) == 11 and max(rows) <= 4
    assert "第 2 页，共 3 页" in _page(site, "accidents/index-2").text
    overview = _page(site, "indices/by-jurisdiction").text
    assert "查看全部" in overview
    group_pages = list((site / "indices/by-jurisdiction").glob("*/index.html"))
    assert group_pages
