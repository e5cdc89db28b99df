"""Pages for enforcement cases (case pages, indices by outcome, agency, year and
typical-case batch) and for the credit lists (current entries with their end dates)."""

from __future__ import annotations

from typing import Any, Callable

from generator.model import CreditEntry, Record
from generator.publish import PublicView
from generator.render.hazard_pages import item_url
from generator.render.writer import ListItem, PageWriter, list_item, newest_first, search_filters

CREDIT_LISTS = ("失信联合惩戒对象", "重点关注对象")


def render_enforcement_pages(writer: PageWriter, view: PublicView,
                             record_context: Callable[[Record], dict[str, Any]]) -> None:
    accidents = {a.id for a in view.accidents}
    lists = {r.id: r for r in view.rectifications}
    credit_of: dict[str, list[CreditEntry]] = {}
    for entry in view.credit:
        if entry.enforcement_id:
            credit_of.setdefault(entry.enforcement_id, []).append(entry)
    for case in view.enforcement:
        related: list[tuple[str, str]] = []
        if case.related and case.related.accident_id in accidents:
            accident = view.accident(case.related.accident_id)
            assert accident is not None
            related.append((f"事故：{accident.title}", f"../accidents/{accident.id}.md"))
        rectification = lists.get(case.related.rectification_id or "") if case.related else None
        if rectification is not None:
            hazard = next((i for i in rectification.items if i.id == case.related.hazard_id), None)  # type: ignore[union-attr]
            url = item_url(rectification, hazard) if hazard else f"rectifications/{rectification.id}.md"
            label = f"隐患：{rectification.title} {hazard.id}" if hazard else f"隐患整改清单：{rectification.title}"
            related.append((label, f"../{url}"))
        for entry in credit_of.get(case.id, []):
            related.append((f"失信名单：{entry.title}", f"../credit/{entry.id}.md"))
        writer.page(f"enforcement/{case.id}.md", "enforcement.md.j2", c=case, related=related,
                    search=search_filters(case, status="典型案例" if case.typical else "执法案例"),
                    **record_context(case))

    items = newest_first(list_item(c) for c in view.enforcement)
    case_of = {f"enforcement/{c.id}.md": c for c in view.enforcement}
    intro = "已公开的安全生产执法案例。"
    writer.paged_list("enforcement/index", "执法案例", intro + "按发布日期从新到旧排列。", items, 1)

    def outcomes(item: ListItem) -> list[str]:
        case = case_of[item.url]
        labels = list(dict.fromkeys(o.type for o in case.outcomes))
        return labels + (["一案双罚"] if case.double_penalty else [])

    writer.grouped_index("enforcement", "by-outcome", "执法案例：按处理结果", intro, items, outcomes)
    writer.grouped_index("enforcement", "by-agency", "执法案例：按执法机关", intro, items,
                         lambda i: case_of[i.url].agency)
    writer.grouped_index("enforcement", "by-year", "执法案例：按决定年度", intro, items,
                         lambda i: f"{case_of[i.url].decision_date.year}年", reverse=True)
    typical = [i for i in items if case_of[i.url].typical and case_of[i.url].batch]

    def batch(item: ListItem) -> str:
        found = case_of[item.url].batch
        assert found is not None
        return f"{found.date.isoformat()} {found.name}"

    writer.grouped_index("enforcement", "typical", "典型执法案例",
                         "分期分批公开的安全生产典型执法案例（含危险作业罪），按公开批次从新到旧排列。",
                         typical, batch, reverse=True)


def render_credit_pages(writer: PageWriter, view: PublicView,
                        record_context: Callable[[Record], dict[str, Any]]) -> None:
    cases = {c.id for c in view.enforcement}
    for entry in view.credit:
        case_link = f"../enforcement/{entry.enforcement_id}.md" if entry.enforcement_id in cases else ""
        writer.page(f"credit/{entry.id}.md", "credit.md.j2", x=entry, case_link=case_link,
                    search=search_filters(entry, status=entry.list),
                    years=writer.settings.credit.listing_years, **record_context(entry))
    groups = [(name, sorted((e for e in view.credit if e.list == name), key=lambda e: (e.listing_end, e.id)))
              for name in CREDIT_LISTS]
    writer.page("credit/index.md", "credit_index.md.j2", groups=groups, years=writer.settings.credit.listing_years,
                months=writer.settings.credit.early_removal_months)
