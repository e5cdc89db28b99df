"""Pages for hazard rectification lists: one page per list (paged by items, an anchor
per hazard: 一患一档), the hazard deadline table across all lists, and home-page counts."""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable

from markdown.extensions.toc import slugify

from generator.derive.hazard_table import HAZARD_STATUS_ZH, HazardRow, HazardStatus, overdue_counts
from generator.model import Enforcement, HazardItem, Progress, Record, Rectification
from generator.publish import PublicView
from generator.render.writer import LIST_PAGE_SIZE, PageWriter, chunks, list_item, newest_first, search_filters

# Hazards per list page: each block and its table-of-contents entry take about 1.3 KB,
# so 30 keep a page near 40 KB (measured on a 5,000-hazard list).
ITEMS_PER_PAGE = 30
LEVELS = ("重大", "一般")


def anchor(item: HazardItem) -> str:
    """The heading id Python-Markdown's toc gives `### <item id>`."""
    return slugify(item.id, "-")


def _page_path(list_id: str, number: int) -> str:
    return f"rectifications/{list_id}.md" if number == 1 else f"rectifications/{list_id}/page-{number}.md"


def item_url(rectification: Rectification, item: HazardItem) -> str:
    """Site-root-relative link to the hazard's own anchor."""
    return f"{_page_path(rectification.id, item.index // ITEMS_PER_PAGE + 1)}#{anchor(item)}"


def _link_from(page_path: str, target: str) -> str:
    """A relative link from one generated page to another (both site-root relative)."""
    depth = page_path.count("/")
    return "../" * depth + target


def home_hazard_counts(rows: list[HazardRow]) -> list[tuple[str, list[int], int]]:
    """(level, count per progress step, total) for the home page."""
    counts = Counter((r.item.level, r.item.progress) for r in rows)
    return [(level, [counts[(level, p)] for p in Progress], sum(counts[(level, p)] for p in Progress))
            for level in LEVELS]


def render_hazard_pages(writer: PageWriter, view: PublicView, rows: list[HazardRow],
                        record_context: Callable[[Record], dict[str, Any]]) -> None:
    row_of = {(r.rectification.id, r.item.index): r for r in rows}
    cases = _cases_by_hazard(view.enforcement)
    evaluations = {e.id: e for e in view.evaluations}
    for rectification in view.rectifications:
        parts = chunks(list(rectification.items), ITEMS_PER_PAGE)
        levels = Counter((i.level, i.progress) for i in rectification.items)
        for number, part in enumerate(parts, start=1):
            path = _page_path(rectification.id, number)
            blocks = []
            for item in part:
                row = row_of[(rectification.id, item.index)]
                blocks.append(dict(row=row, cases=[(c, _link_from(path, f"enforcement/{c.id}.md"))
                                                   for c in cases.get((rectification.id, item.id), [])]))
            pager = dict(number=number, count=len(parts),
                         prev=_link_from(path, _page_path(rectification.id, number - 1)) if number > 1 else "",
                         next=_link_from(path, _page_path(rectification.id, number + 1)) if number < len(parts) else "")
            source = evaluations.get(rectification.source.evaluation_id or "")
            writer.page(path, "rectification.md.j2", r=rectification, blocks=blocks, pager=pager,
                        search=search_filters(rectification, {item.sector for item in part},
                                              "有逾期隐患" if any(b["row"].status is HazardStatus.OVERDUE for b in blocks)
                                              else ""),
                        source_evaluation=source, source_link=_link_from(path, f"evaluations/{source.id}.md")
                        if source else "", levels=[(lv, [levels[(lv, p)] for p in Progress]) for lv in LEVELS],
                        progress=list(Progress), first_item=part[0].index + 1 if part else 0,
                        **record_context(rectification))
    writer.paged_list("rectifications/index", "隐患整改清单", "已公开的事故隐患整改清单（重大事故隐患台账），按发布日期从新到旧排列。",
                      newest_first(list_item(r) for r in view.rectifications), 1)

    open_rows = [r for r in rows if r.status is not HazardStatus.CLOSED]
    parts = chunks(open_rows, LIST_PAGE_SIZE)
    status_counts = Counter(r.status for r in rows)
    by_sector, by_town = overdue_counts(rows, "sector"), overdue_counts(rows, "town")
    for number, part in enumerate(parts, start=1):
        path = "hazards.md" if number == 1 else f"hazards-{number}.md"
        writer.page(path, "hazards.md.j2", rows=[(r, item_url(r.rectification, r.item)) for r in part],
                    pager=writer.pager("hazards", number, len(parts)), first=number == 1,
                    counts=[(HAZARD_STATUS_ZH[s], status_counts[s]) for s in HazardStatus if status_counts[s]],
                    by_sector=by_sector, by_town=by_town,
                    due_soon_days=writer.settings.hazards.due_soon_days)


def _cases_by_hazard(cases: tuple[Enforcement, ...]) -> dict[tuple[str, str], list[Enforcement]]:
    out: dict[tuple[str, str], list[Enforcement]] = {}
    for case in cases:
        if case.related and case.related.rectification_id and case.related.hazard_id:
            out.setdefault((case.related.rectification_id, case.related.hazard_id), []).append(case)
    return out
