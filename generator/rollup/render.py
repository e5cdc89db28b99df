"""The roll-up's pages and data: a table of members, and tables across members (overdue
evaluations and hazards, campaign grades, credit lists, yearly accident figures), each row
linking the member's own page. Rendered by the same page writer and templates as a site."""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from typing import Any

from markupsafe import Markup

from generator.render.data import GeneratedFile, _csv, json_file
from generator.render.environment import make_environment, md_escape
from generator.render.writer import LIST_PAGE_SIZE, GeneratedPage, PageWriter, chunks, page_name
from generator.rollup.collect import MemberOutcome
from generator.settings import Settings

# Page → (title, depth below the site root once built: `a.md` is served at `a/`).
PAGES = {"evaluations.md": "已逾期未评估的事故", "hazards.md": "逾期未整改的隐患", "grades.md": "专项整治评估等次",
         "credit.md": "失信名单", "statistics.md": "事故统计（按成员和年度）"}


def member_link(text: Any, outcome: MemberOutcome, url: str, depth: int) -> Markup:
    """A link to a member's page (`url`, relative to its site root, checked when read), or the
    text alone when the member's address is unknown."""
    if not outcome.link_base:
        return Markup(md_escape(text))
    base = outcome.link_base
    if "://" not in base:
        base = "../" * depth + base  # a folder beside the roll-up: from this page, not the root
    return Markup(f'<a href="{html.escape(base + url, quote=True)}">{md_escape(text)}</a>')


def render_rollup(outcomes: list[MemberOutcome], settings: Settings, as_of: dt.date,
                  ) -> tuple[list[GeneratedPage], list[GeneratedFile]]:
    writer = PageWriter(make_environment(), settings, as_of)
    included = [o for o in outcomes if o.summary is not None]
    tables: dict[str, tuple[list[str], list[list[Any]], list[dict[str, Any]]]] = {}

    def table(page: str, headers: list[str], rows: list[tuple[list[Any], dict[str, Any]]]) -> None:
        tables[page] = (headers, [cells for cells, _ in rows], [data for _, data in rows])

    def rows_of(attribute: str) -> list[tuple[MemberOutcome, dict[str, Any]]]:
        return [(o, row) for o in included for row in getattr(o.summary, attribute)]

    evaluations = sorted(rows_of("overdue_evaluations"), key=lambda p: (-p[1]["days_overdue"], p[0].name, p[1]["id"]))
    table("evaluations.md", ["成员", "事故", "评估期限", "逾期天数"], [
        ([o.name, member_link(r["title"], o, r["url"], 1), r["due"], r["days_overdue"]], {"member": o.name, **r})
        for o, r in evaluations])
    hazards = sorted(rows_of("overdue_hazards"), key=lambda p: (-p[1]["days_overdue"], p[0].name, p[1]["list_id"],
                                                                 p[1]["id"]))
    table("hazards.md", ["成员", "隐患", "单位", "等级", "整改期限", "逾期天数"], [
        ([o.name, member_link(r["description"], o, r["url"], 1), r["unit"], r["level"], r["deadline"],
          r["days_overdue"]], {"member": o.name, **r}) for o, r in hazards])
    grades = sorted(rows_of("grades"), key=lambda p: (p[0].name, p[1]["campaign"], p[1]["stage"], p[1]["unit"]))
    table("grades.md", ["成员", "专项整治", "评估阶段", "单位或领域", "等次", "日期"], [
        ([o.name, member_link(r["campaign"], o, r["url"], 1), r["stage"], r["unit"], r["grade"], r["date"]],
         {"member": o.name, **r}) for o, r in grades])
    credit = sorted(rows_of("credit"), key=lambda p: (p[1]["list"], p[1]["entry_date"], p[0].name), reverse=True)
    table("credit.md", ["名单", "失信主体", "统一社会信用代码", "列入日期", "决定机关", "成员"], [
        ([r["list"], member_link(r["name"], o, r["url"], 1), r["credit_code"], r["entry_date"], r["decided_by"], o.name],
         {"member": o.name, **r}) for o, r in credit])
    years = sorted({year for o in included for year in o.summary.accidents_by_year}, reverse=True)[:5]
    table("statistics.md", ["成员", *(f"{y}年 事故/死亡" for y in years)], [
        ([o.name, *("{}/{}".format(*o.summary.accidents_by_year.get(y, [0, 0, 0])[:2]) for y in years)],
         {"member": o.name, **{y: o.summary.accidents_by_year.get(y, [0, 0, 0]) for y in years}}) for o in included])

    members = [_member_row(o) for o in outcomes]
    grade_counts = Counter(r["grade"] for _, r in grades)
    totals = {"members": len(outcomes), "included": len(included),
              "records": sum(sum(o.summary.counts.get(n, 0) for n in ("accidents", "evaluations", "rectifications",
                                                                      "enforcement", "credit", "campaigns", "directives"))
                             for o in included),
              "overdue_evaluations": len(evaluations), "overdue_hazards": len(hazards),
              "grades": [(g, grade_counts.get(g, 0)) for g in ("优", "良", "中", "差")]}
    left_out = [(o.name, d) for o in outcomes for d in o.diagnostics if o.summary is None]
    warnings = [(o.name, d) for o in outcomes for d in o.diagnostics if o.summary is not None]
    named = [(row, member_link(o.name, o, "", 0)) for row, o in zip(members, outcomes)]
    writer.page("index.md", "rollup_home.md.j2", title=settings.site.title, totals=totals, members=named,
                left_out=left_out, warnings=warnings, pages=PAGES)
    for page, title in PAGES.items():
        headers, cells, _ = tables[page]
        stem = page.removesuffix(".md")
        # 100 rows a page, as a county site's tables: 300 members' overdue hazards were 1.2 MB on one page.
        parts = chunks(cells, LIST_PAGE_SIZE)
        for number, part in enumerate(parts, start=1):
            writer.page(page_name(stem, number), "rollup_table.md.j2", title=title, headers=headers, rows=part,
                        total=len(cells), pager=writer.pager(stem, number, len(parts)), data=DATA_FILES.get(page),
                        intro=_INTROS[page].format(members=len(included)))
    writer.page("search.md", "rollup_search.md.j2", members=sum(1 for o in included if o.spool))
    files = [GeneratedFile("data/members.json", json_file({"as_of": as_of.isoformat(), "members": members}))]
    files.append(GeneratedFile("data/members.csv", _csv(members)))
    for page, stem in DATA_FILES.items():
        rows = tables[page][2]
        files.append(GeneratedFile(f"data/{stem}.json", json_file({"as_of": as_of.isoformat(), "rows": rows})))
        files.append(GeneratedFile(f"data/{stem}.csv", _csv(rows)))
    writer.page("data/index.md", "rollup_data.md.j2", files=[f.path.removeprefix("data/") for f in files])
    return writer.rendered(), files


# The table pages' data files (data/<stem>.json and .csv).
DATA_FILES = {"evaluations.md": "overdue-evaluations", "hazards.md": "overdue-hazards", "grades.md": "campaign-grades",
              "credit.md": "credit"}
_INTROS = {
    "evaluations.md": "{members} 个成员公开的评估期限表中，已过评估期限仍未评估的事故，逾期最久的在前。",
    "hazards.md": "{members} 个成员公开的隐患整改清单中，已过整改期限仍未整改完成的隐患，逾期最久的在前。",
    "grades.md": "{members} 个成员公开的专项整治评估中，各镇（街道）的行业复评等次和综合评审等次（优、良、中、差）。",
    "credit.md": "{members} 个成员公开期内的失信联合惩戒对象和重点关注对象名单。",
    "statistics.md": "{members} 个成员公开的生产安全事故，按事故发生年度统计的起数和死亡人数（最近五年）。",
}


def _member_row(outcome: MemberOutcome) -> dict[str, Any]:
    summary = outcome.summary
    row: dict[str, Any] = {"name": outcome.name, "source": outcome.config.source, "url": outcome.link_base,
                           "included": summary is not None}
    if summary is None:
        first = outcome.diagnostics[0] if outcome.diagnostics else None
        return {**row, "problem": f"{first.code} {first.message}" if first else ""}
    counts = summary.counts
    return {**row, "as_of": summary.as_of, "accidents": counts.get("accidents", 0),
            "evaluations": counts.get("evaluations", 0), "overdue_evaluations": len(summary.overdue_evaluations),
            "hazards_open": summary.hazard_counts.get("open", 0), "hazards_overdue": summary.hazard_counts.get("overdue", 0),
            "hazards_major_open": summary.hazard_counts.get("major_open", 0), "enforcement": counts.get("enforcement", 0),
            "credit": counts.get("credit", 0), "campaigns": counts.get("campaigns", 0), "search_pages": summary.pages}
