"""The built site for rectification lists, enforcement cases and credit lists (issue: DOMAIN.md §4–5)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import build


def _html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_each_hazard_has_its_own_anchor_on_its_list_page(built_site: Path) -> None:
    html = _html(built_site, "rectifications/ZG-2026-002")
    anchors = re.findall(r'<h3 id="(h\d+)"', html)
    assert anchors == [f"h00{n}" for n in range(1, 8)]
    text = _text(html)
    assert "逾期 53 天" in text and "逾期 22 天" in text
    # The five elements, the report to the supervising department and the link to the case that concerns it.
    assert "资金 36 万元" in text and "报告麒麟区应急管理局" in text
    assert 'href="../../enforcement/ZF-2026-001/"' in html


def test_hazard_table_puts_overdue_first_and_links_each_anchor(built_site: Path) -> None:
    html = _html(built_site, "hazards")
    rows = re.findall(r'<tr>\s*<td[^>]*><a href="([^"]+)">([^<]+)</a></td>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(\d*)</td>', html)
    assert [r[1].split("：")[0] for r in rows] == ["ZG-2026-002 H003", "ZG-2026-002 H002", "ZG-2026-002 H005",
                                                  "ZG-2026-002 H006", "ZG-2026-002 H007"]
    assert rows[0][0] == "../rectifications/ZG-2026-002/#h003" and rows[0][3] == "53"
    assert "逾期未整改" in rows[0][2] and rows[2][3] == ""
    # Closed items are counted, not listed.
    assert "ZG-2026-001 H001" not in html and "已验收销号 3 项" in _text(html)
    data = json.loads((built_site / "data/hazards.json").read_text(encoding="utf-8"))
    assert [r["status"] for r in data["rows"]][:2] == ["overdue", "overdue"] and len(data["rows"]) == 8


def test_evaluation_page_shows_the_state_of_its_tasks(built_site: Path) -> None:
    text = _text(_html(built_site, "evaluations/EV-2025-001"))
    assert "整改任务落实情况" in text
    assert re.search(r"P1 ZG-2026-001 H001：街道网格巡查记录过于笼统.*?已验收销号", text)


def test_home_page_counts_hazards_by_level_and_progress(built_site: Path) -> None:
    text = _text(_html(built_site, ""))
    assert "重大隐患 1 2 0 1 4" in text  # 未整改 整改中 已整改待验收 已验收销号 合计
    assert "一般隐患 0 1 1 2 4" in text


def test_enforcement_indices_by_outcome_and_typical_batches(built_site: Path) -> None:
    text = _text(_html(built_site, "enforcement/by-outcome"))
    double = text[text.index("一案双罚（"):]
    # ZF-2026-002 fines company and principal; ZF-2026-003 fines the company and refers its principal.
    assert double.startswith("一案双罚（2）")
    assert "移送司法机关（1）" in text and "不予行政处罚（1）" in text
    typical = _text(_html(built_site, "enforcement/typical"))
    assert typical.index("2026-10-20 2026年第二批") < typical.index("2026-08-15 2026年第一批")
    assert "个人无证从事电焊作业案" not in typical  # not a typical case
    case = _text(_html(built_site, "enforcement/ZF-2026-002"))
    assert "一案双罚 是" in case and "钱某某" in case and "91530302J3Y7LLJY10" in case


def test_credit_list_shows_current_entries_with_end_dates(built_site: Path) -> None:
    text = _text(_html(built_site, "credit"))
    assert "91530302HDQAEJXEBU 2024-03-01 2027-03-01" in text
    assert "2026-08-18 2029-08-18" in text
    # Ended (3 years from 2023-10-20) and removed (credit repair) entries are gone from every output.
    for gone in ("XY-2023-001", "XY-2025-002", "某机械加工厂", "某物流有限公司"):
        assert not any(gone in p.read_text(encoding="utf-8", errors="replace")
                       for p in built_site.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml", ".csv"))


def test_credit_entry_leaves_the_site_on_its_end_date(demo_root: Path, tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    assert build(demo_root, before, "2027-02-28").exit_code == 0
    assert build(demo_root, after, "2027-03-01").exit_code == 0
    assert (before / "credit/XY-2024-001/index.html").is_file()
    assert not (after / "credit/XY-2024-001").exists()
    assert "XY-2024-001" not in (after / "sitemap.xml").read_text(encoding="utf-8")
