"""What a Chinese government website must carry (政府网站发展指引, 国办发〔2017〕47号), read from
the built demo site: footer, meta tags, lang, canonical links, sitemap, feeds, 404 page,
breadcrumbs, the 政务公开 guide, Chinese CSV headers with their dictionary, one date format;
and the warnings `check` gives a site that lacks them (W806–W808)."""

from __future__ import annotations

import csv
import html.parser
import io
import re
import shutil
import tomllib
from pathlib import Path

from tests.conftest import AS_OF, PROJECT, build, check_json

SETTINGS = tomllib.loads((PROJECT / "portal.toml").read_text(encoding="utf-8"))["site"]


class _Head(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.lang = ""
        self.cells: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        elif tag == "meta" and "name" in values:
            self.meta[values["name"]] = values.get("content", "")
        elif tag == "link":
            self.links.append(values)
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _read(path: Path) -> _Head:
    head = _Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if "assets" not in p.parts)


def test_every_page_has_the_footer_lang_meta_tags_and_feeds(built_site: Path) -> None:
    pages = _pages(built_site)
    assert len(pages) > 40
    for page in pages:
        head = _read(page)
        text = page.read_text(encoding="utf-8")
        assert head.lang == "zh-CN", page
        for name in ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "Keywords", "Description", "description"):
            assert head.meta.get(name), (page, name)
        assert head.meta["SiteIDCode"] == SETTINGS["site_code"] and head.meta["SiteDomain"] == "gongkai.qilin.example"
        feeds = {link["href"].rsplit("/", 1)[-1] for link in head.links if link.get("type") == "application/atom+xml"}
        assert feeds == {"publications.xml", "corrections.xml"}, page
        canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
        assert canonical and canonical[0].startswith(SETTINGS["site_url"]), page
        for key in ("publisher", "organizer", "phone", "email", "site_code", "icp", "police_record"):
            assert SETTINGS[key] in text, (page, key)
        assert "我要纠错" in text and SETTINGS["feedback_url"] in text
        assert "Made with" not in text and "Material for MkDocs" not in text


def test_record_pages_declare_title_date_source_and_breadcrumbs(built_site: Path) -> None:
    page = built_site / "evaluations" / "EV-2025-001" / "index.html"
    head = _read(page)
    assert head.meta["ColumnName"] == "评估报告" and head.meta["PubDate"] == "2025-12-10"
    assert head.meta["ArticleTitle"].endswith("评估报告") and head.meta["ContentSource"] == SETTINGS["publisher"]
    assert "建筑施工" in head.meta["Keywords"]
    text = page.read_text(encoding="utf-8")
    crumbs = text[text.index('class="portal-breadcrumbs"'):text.index("</nav>", text.index('class="portal-breadcrumbs"'))]
    assert "首页" in crumbs and ">评估报告</a>" in crumbs and head.meta["ArticleTitle"] in crumbs
    # Lists are not records: no ArticleTitle or PubDate, but their column.
    listing = _read(built_site / "evaluations" / "index.html")
    assert "PubDate" not in listing.meta and listing.meta["ColumnName"] == "评估报告"


def test_sitemap_lists_exactly_the_pages_with_their_last_change(built_site: Path) -> None:
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    folders = [p.parent.relative_to(built_site).as_posix() for p in _pages(built_site)]
    expected = {SETTINGS["site_url"] + ("" if folder == "." else folder + "/") for folder in folders}
    assert set(locs) == expected and len(locs) == len(expected)
    # A corrected record's lastmod is its correction's date, not its publication's.
    corrected = re.search(r"<loc>[^<]*/evaluations/EV-2026-003/</loc><lastmod>([^<]+)</lastmod>", sitemap)
    assert corrected and corrected.group(1) == "2026-01-06"
    for hidden in ("EV-2026-008", "EV-2026-004", "SG-2026-013"):
        assert hidden not in sitemap


def test_an_empty_sitemap_without_a_site_url(demo_root: Path, tmp_path: Path) -> None:
    settings = demo_root / "portal.toml"
    settings.write_text(re.sub(r"(?m)^site_url = .*\n", "", settings.read_text(encoding="utf-8")), encoding="utf-8")
    code, report = check_json(demo_root)
    assert [d["field"] for d in report["diagnostics"] if d["code"] == "W806"] == ["site.site_url"]
    site = tmp_path / "site"
    assert build(demo_root, site).exit_code == 0
    assert "<url>" not in (site / "sitemap.xml").read_text(encoding="utf-8")  # no relative addresses


def test_the_404_page_is_chinese(built_site: Path) -> None:
    text = (built_site / "404.html").read_text(encoding="utf-8")
    assert "页面不存在" in text and "Not found" not in text and "Made with" not in text


def test_one_date_format_in_every_table(built_site: Path) -> None:
    chinese_date = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
    for page in _pages(built_site):
        assert not [cell for cell in _read(page).cells if chinese_date.search(cell)], page


def test_csv_headers_are_chinese_and_the_dictionary_maps_them(built_site: Path) -> None:
    dictionary = _read(built_site / "data" / "index.html").cells
    for name, first in (("evaluations-1.csv", "编号"), ("hazards.csv", "隐患整改清单编号"), ("deadlines.csv", "编号")):
        raw = (built_site / "data" / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
        header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert header[0] == first and not [h for h in header if re.fullmatch(r"[a-z_]+", h)], (name, header)
        assert all(h in dictionary for h in header), (name, [h for h in header if h not in dictionary])
    assert "accident_id" in dictionary and "所评估事故" in dictionary


def test_the_open_government_guide_lists_every_collection(built_site: Path) -> None:
    cells = _read(built_site / "guide" / "index.html").cells
    assert cells[:8] == ["事项", "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道", "公开对象", "公开方式"]
    rows = [cells[i:i + 8] for i in range(8, len(cells), 8)]
    assert len(rows) == 7 and all(row[4] == SETTINGS["publisher"] and row[7] == "主动公开" for row in rows)
    assert any("20 个工作日" in row[3] for row in rows)


def test_a_site_without_identity_is_warned_and_a_stale_or_empty_one_too(demo_root: Path, tmp_path: Path) -> None:
    code, report = check_json(demo_root)
    assert not [d for d in report["diagnostics"] if d["code"] in ("W806", "W808")]
    assert [d["code"] for d in report["diagnostics"] if d["code"] == "W807"] == ["W807"]
    code, fresh = check_json(demo_root, as_of="2026-10-25")  # five days after the newest publication
    assert not [d for d in fresh["diagnostics"] if d["code"] == "W807"]
    bare = tmp_path / "bare"
    (bare / "content").mkdir(parents=True)
    shutil.copytree(demo_root / "content" / "accidents", bare / "content" / "accidents")
    (bare / "portal.toml").write_text('format_version = 1\n[site]\ntitle = "某县"\n', encoding="utf-8")
    code, report = check_json(bare)
    missing = {d["field"] for d in report["diagnostics"] if d["code"] == "W806"}
    assert missing == {"site.publisher", "site.organizer", "site.phone", "site.email", "site.site_code", "site.icp",
                       "site.police_record", "site.site_url", "site.feedback_url"}
    empty = {d["field"] for d in report["diagnostics"] if d["code"] == "W808"}
    assert empty == {"evaluation", "rectification", "enforcement", "credit", "campaign", "directive"}
    assert AS_OF


def test_no_page_has_an_empty_or_repeated_section_heading(built_site: Path) -> None:
    for page in _pages(built_site):
        text = page.read_text(encoding="utf-8")
        article = text[text.index("<article"):text.index("</article>")]
        headings = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", article, re.S)]
        assert all(headings), page
        assert len(headings) == len(set(headings)), (page, headings)
