"""PublicView + derived tables → the Markdown pages of the site.

Only a PublicView comes in: render cannot reach a record the gate kept out.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable

from generator.history.log import History
from generator.load.discover import folder_of
from generator.derive.deadline_table import DEADLINE_STATUS_ZH, DeadlineRow, DeadlineStatus
from generator.derive.hazard_table import HazardRow
from generator.model import Accident, Campaign, CreditEntry, Directive, Enforcement, Evaluation, Record, Rectification
from generator.publish import PublicView
from generator.render.campaign_pages import render_campaign_pages, render_directive_pages, render_statistics_page
from generator.render.enforcement_pages import render_credit_pages, render_enforcement_pages
from generator.render.environment import link, make_environment
from generator.render.hazard_pages import home_hazard_counts, item_url, render_hazard_pages
from generator.render.data import column_titles, data_dictionary
from generator.render.writer import (LIST_PAGE_SIZE, GeneratedPage, ListItem, PageWriter, RenderMemo, chunks,
                                     list_item, newest_first, page_name, search_filters)
from generator.settings import Settings
from generator.validate.schema import SchemaSet

SCHEMA_FILES = ("accident", "evaluation", "rectification", "enforcement", "credit", "campaign", "directive", "common")


def doc_number_of(record: Record) -> str | None:
    """The 文号 a record is published under, if it has one."""
    if isinstance(record, (Evaluation, Directive)):
        return record.doc_number
    if isinstance(record, Accident):
        return record.investigation.doc_number
    if isinstance(record, Enforcement):
        return record.decision_number
    return None


def _meta(record: Record, settings: Settings) -> dict[str, Any]:
    written = None
    if isinstance(record, Evaluation):
        written = record.approval.date if record.approval else record.completion_date
    elif isinstance(record, Accident):
        written = record.investigation.date
    elif isinstance(record, Rectification):
        written = record.issued_date
    elif isinstance(record, Enforcement):
        written = record.decision_date
    elif isinstance(record, CreditEntry):
        written = record.entry_date
    elif isinstance(record, Directive):
        written = record.issued_date
    elif isinstance(record, Campaign):
        written = record.review.date if record.review else (record.re_evaluation.date if record.re_evaluation else None)
    # The page's last change a reader can see: its publication, or a later correction or withdrawal.
    changes = [record.publish_date, *(c.date for c in record.corrections),
               record.withdrawal.date if record.withdrawal else None]
    return dict(index_number=record.index_number, publisher=record.publisher or settings.site.publisher,
                written=written, published=record.publish_date, doc_number=doc_number_of(record),
                jurisdiction=record.jurisdiction, title=record.title,
                updated=max((d for d in changes if d is not None), default=None))


def _schema_fields(schemas: SchemaSet, collection: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def walk(path: tuple[str | int, ...], schema: dict[str, Any]) -> None:
        required = set(schema.get("required", []))
        for name in schema.get("properties", {}):
            child_path = path + (name,)
            child = schemas.subschema(collection, child_path) or {}
            dotted = ".".join(str(p) if not isinstance(p, int) else "[]" for p in child_path).replace(".[]", "[]")
            out.append(dict(path=dotted, title=child.get("title", name), description=child.get("description", ""),
                            required=name in required))
            if child.get("type") == "object":
                walk(child_path, child)
            elif child.get("type") == "array":
                items = schemas.subschema(collection, child_path + (0,)) or {}
                if items.get("type") == "object":
                    walk(child_path + (0,), items)

    walk((), schemas.subschema(collection, ()) or {})
    return out


def render_pages(view: PublicView, rows: list[DeadlineRow], hazard_rows: list[HazardRow], settings: Settings,
                 schemas: SchemaSet, history: History | None = None, memo: RenderMemo | None = None,
                 ) -> list[GeneratedPage]:
    """`memo`: the pages of the last render in this process (`portal serve`), reused where a
    page's inputs are unchanged."""
    writer = PageWriter(make_environment(), settings, view.as_of, memo=memo)
    page = writer.page

    def record_context(record: Record) -> dict[str, Any]:
        return dict(meta=_meta(record, settings), history=history, body=record.body,
                    file_history=history.files.get(record.path) if history else None)

    row_by_id = {r.accident.id: r for r in rows}
    for accident in view.accidents:
        page(f"accidents/{accident.id}.md", "accident.md.j2", a=accident, row=row_by_id[accident.id],
             search=search_filters(accident, accident.sector, row_by_id[accident.id].status_zh),
             evaluations=sorted(view.evaluations_of(accident.id), key=lambda e: e.id), **record_context(accident))
    hazards_of = _hazards_by_problem(hazard_rows)
    for report in view.evaluations:
        accident = view.accident(report.accident_id)
        verdict_rows = []
        if accident is not None:
            by_measure = {v.measure_id: v for v in report.measures}
            verdict_rows = [dict(measure=m, verdict=by_measure[m.id]) for m in accident.measures if m.id in by_measure]
        counts = Counter(v.verdict for v in report.measures)
        page(f"evaluations/{report.id}.md", "evaluation.md.j2", e=report, accident=accident,
             search=search_filters(report, accident.sector if accident else None, "已公开"),
             verdict_rows=verdict_rows, task_rows=hazards_of.get(report.id, []),
             task_url=_task_url,
             verdict_counts=[(v, counts.get(v, 0)) for v in settings.evaluation.verdicts], **record_context(report))
    for record in view.withdrawn:
        folder = folder_of(record.collection)
        page(f"{folder}/{record.id}.md", "withdrawn.md.j2", r=record, meta=_meta(record, settings))

    status_counts = Counter(r.status for r in rows)
    # One page per LIST_PAGE_SIZE rows: at 10,000 records one table page weighed 1.6 MB.
    parts = chunks(rows, LIST_PAGE_SIZE)
    for number, part in enumerate(parts, start=1):
        page(page_name("deadlines", number), "deadlines.md.j2", rows=part, settings=settings.evaluation,
             pager=writer.pager("deadlines", number, len(parts)),
             counts=[(DEADLINE_STATUS_ZH[s], status_counts[s]) for s in DeadlineStatus if status_counts[s]])

    accidents = [list_item(a) for a in view.accidents]
    evaluations = [list_item(e) for e in view.evaluations]
    everything = newest_first(accidents + evaluations)
    writer.paged_list("accidents/index", "事故", "已公开的生产安全事故，按发布日期从新到旧排列。", newest_first(accidents), 1)
    writer.paged_list("evaluations/index", "事故防范和整改措施落实情况评估报告", "已公开的评估报告，按发布日期从新到旧排列。",
                      newest_first(evaluations), 1)

    accident_of: dict[str, Accident | None] = {f"accidents/{a.id}.md": a for a in view.accidents}
    accident_of.update({f"evaluations/{e.id}.md": view.accident(e.accident_id) for e in view.evaluations})

    def by_accident(attribute: str) -> Callable[[ListItem], str]:
        def key(item: ListItem) -> str:
            accident = accident_of.get(item.url)
            return getattr(accident, attribute) if accident else "未注明"
        return key

    indices = {
        "by-year": ("按年度", lambda i: f"{i.published[:4]}年", True),
        "by-jurisdiction": ("按辖区", lambda i: i.jurisdiction, False),
        "by-sector": ("按行业领域", by_accident("sector"), False),
        "by-level": ("按事故等级", lambda i: f"{by_accident('level')(i)}事故", False),
    }
    intro = "已公开的事故和评估报告；评估报告按所评估事故的行业领域和等级归类。"
    for slug, (label, key, reverse) in indices.items():
        writer.grouped_index("indices", slug, f"分类索引：{label}", intro, everything, key, reverse)

    render_hazard_pages(writer, view, hazard_rows, record_context)
    render_enforcement_pages(writer, view, record_context)
    render_credit_pages(writer, view, record_context)
    render_campaign_pages(writer, view, record_context)
    render_directive_pages(writer, view, record_context)
    render_statistics_page(writer, view)

    latest = newest_first(list_item(r) for r in view.records)
    page("index.md", "home.md.j2", latest=latest[:10], hazards=home_hazard_counts(hazard_rows), counts=dict(
        evaluations=len(evaluations), accidents=len(accidents), enforcement=len(view.enforcement),
        credit=len(view.credit), overdue=status_counts[DeadlineStatus.OVERDUE],
        in_window=status_counts[DeadlineStatus.IN_WINDOW]))
    page("search.md", "search.md.j2")
    counts = {"accidents": len(view.accidents), "evaluations": len(view.evaluations),
              "rectifications": len(view.rectifications), "enforcement": len(view.enforcement),
              "credit": len(view.credit), "campaigns": len(view.campaigns), "directives": len(view.directives)}
    page("data/index.md", "data.md.j2", datasets=data_dictionary(column_titles(schemas), counts))
    page("guide.md", "guide.md.j2", items=guide_items(settings), publisher=settings.site.publisher,
         channel=f"本网站（{settings.site.site_url}）" if settings.site.site_url else "本网站")
    page("schemas/index.md", "schemas.md.j2", schemas=[
        dict(title=schemas.raw[f"{c}.schema.json"]["title"], description=schemas.raw[f"{c}.schema.json"]["description"],
             file=f"{c}.schema.json", fields=_schema_fields(schemas, c) if c != "common" else [])
        for c in SCHEMA_FILES])
    return writer.rendered()


def guide_items(settings: Settings) -> list[dict[str, str]]:
    """The rows of the 政务公开指南 page, laid out like the 基层政务公开标准目录 (安全生产), from the
    collections and the settings (the time limits are those the checks apply)."""
    days = settings.evaluation.publication_working_days
    within = f"信息形成或变更之日起 {days} 个工作日内"
    return [
        dict(link=link("事故调查和结案情况", "accidents/index.md"),
             content="事故基本情况、调查报告文号和日期、结案日期、调查报告提出的防范和整改措施",
             basis="《生产安全事故报告和调查处理条例》；安委办〔2021〕4号", deadline=within),
        dict(link=link("事故防范和整改措施落实情况评估报告", "evaluations/index.md"),
             content="评估报告全文，问题清单、工作建议清单、经验做法清单",
             basis="安委办〔2021〕4号；评估工作实施方案第五、六条",
             deadline=f"报告审定后 {days} 个工作日内；结案后 {settings.evaluation.window_opens_months} 至 "
                      f"{settings.evaluation.due_months} 个月内完成评估"),
        dict(link=link("隐患整改清单", "rectifications/index.md"),
             content="隐患情况、责任单位、整改措施、资金、时限、预案和验收销号情况",
             basis="重大事故隐患专项排查整治行动方案", deadline=within),
        dict(link=link("执法案例", "enforcement/index.md"), content="行政处罚决定、违法事实、处理结果，典型案例分批公开",
             basis="《中华人民共和国安全生产法》；重大事故隐患专项排查整治行动方案", deadline=within),
        dict(link=link("失信名单", "credit/index.md"), content="列入对象、列入事由和依据、列入和移出日期",
             basis="《应急管理严重失信主体名单管理办法》（应急管理部令第11号）",
             deadline=f"{within}；自列入之日起公开 {settings.credit.listing_years} 年"),
        dict(link=link("专项整治评估", "campaigns/index.md"), content="总体评估报告、评定等次（优、良、中、差）",
             basis="安全生产专项整治评估规范",
             deadline=f"综合评估完成后 {days} 个工作日内"),
        dict(link=link("工作通知和报送要求", "directives/index.md"), content="通知文号、报送事项、期限和报送情况",
             basis="上级和本级安全生产委员会的通知", deadline=within),
    ]


def _task_url(row: HazardRow) -> str:
    # A module function, not a lambda: the same object every build, so a render memo sees it unchanged.
    return "../" + item_url(row.rectification, row.item)


def _hazards_by_problem(hazard_rows: list[HazardRow]) -> dict[str, list[HazardRow]]:
    """Evaluation id → the public hazard items created from its problem list."""
    out: dict[str, list[HazardRow]] = {}
    for row in hazard_rows:
        evaluation_id = row.rectification.source.evaluation_id
        if evaluation_id:
            out.setdefault(evaluation_id, []).append(row)
    for found in out.values():
        found.sort(key=lambda r: (r.item.problem_id or "", r.rectification.id, r.item.index))
    return out
