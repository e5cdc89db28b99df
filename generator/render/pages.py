"""PublicView + derived tables → the Markdown pages of the site.

Only a PublicView comes in: render cannot reach a record the gate kept out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from generator.history.log import History
from generator.load.discover import folder_of
from generator.derive.deadline_table import DEADLINE_STATUS_ZH, DeadlineRow, DeadlineStatus
from generator.model import Accident, Evaluation, Record
from generator.publish import PublicView
from generator.render.environment import make_environment
from generator.settings import Settings
from generator.validate.schema import SchemaSet

SCHEMA_FILES = ("accident", "evaluation", "common")
# A list page holds at most this many rows; a grouped index shows this many per group,
# then links the group's own paged list. Keeps every page light at 10,000 records.
LIST_PAGE_SIZE = 100
GROUP_PREVIEW = 20


@dataclass(frozen=True)
class GeneratedPage:
    path: str  # relative to the staged docs dir, POSIX
    markdown: str


@dataclass(frozen=True)
class ListItem:
    title: str
    url: str  # relative to the site root
    kind: str
    jurisdiction: str
    published: str
    sort_key: tuple[str, str]


@dataclass(frozen=True)
class Group:
    label: str
    items: list[ListItem]
    total: int = 0  # items in the whole group when `items` is a preview
    more: str = ""  # link to the group's full list, when there is more


@dataclass(frozen=True)
class Pager:
    number: int
    count: int
    prev: str
    next: str


def _page_name(stem: str, number: int) -> str:
    """`accidents/index` → accidents/index.md, accidents/index-2.md, …"""
    return f"{stem}.md" if number == 1 else f"{stem}-{number}.md"


def _meta(record: Record, settings: Settings) -> dict[str, Any]:
    written = None
    doc_number = None
    if isinstance(record, Evaluation):
        written = record.approval.date if record.approval else record.completion_date
        doc_number = record.doc_number
    elif isinstance(record, Accident):
        written, doc_number = record.investigation.date, record.investigation.doc_number
    return dict(index_number=record.index_number, publisher=record.publisher or settings.site.publisher,
                written=written, published=record.publish_date, doc_number=doc_number,
                jurisdiction=record.jurisdiction)


def _item(record: Record) -> ListItem:
    kind = "评估报告" if isinstance(record, Evaluation) else "事故"
    folder = folder_of(record.collection)
    published = record.publish_date.isoformat() if record.publish_date else ""
    return ListItem(record.title, f"{folder}/{record.id}.md", kind, record.jurisdiction, published,
                    (published, record.id))


def _newest_first(items: Iterable[ListItem]) -> list[ListItem]:
    return sorted(items, key=lambda i: i.sort_key, reverse=True)


def _relative(items: list[ListItem], depth: int) -> list[ListItem]:
    prefix = "../" * depth
    return [ListItem(i.title, prefix + i.url, i.kind, i.jurisdiction, i.published, i.sort_key) for i in items]


def _grouped(items: list[ListItem], key: Callable[[ListItem], str], reverse: bool = False) -> list[Group]:
    groups: dict[str, list[ListItem]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return [Group(label, _newest_first(groups[label])) for label in sorted(groups, reverse=reverse)]


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


def render_pages(view: PublicView, rows: list[DeadlineRow], settings: Settings,
                 schemas: SchemaSet, history: History | None = None) -> list[GeneratedPage]:
    env = make_environment()
    as_of = view.as_of
    pages: list[GeneratedPage] = []

    def page(path: str, template: str, **context: Any) -> None:
        markdown = env.get_template(template).render(as_of=as_of, site=settings.site, **context)
        pages.append(GeneratedPage(path, markdown))

    row_by_id = {r.accident.id: r for r in rows}
    for accident in view.accidents:
        page(f"accidents/{accident.id}.md", "accident.md.j2", a=accident, meta=_meta(accident, settings),
             history=history, file_history=history.files.get(accident.path) if history else None,
             row=row_by_id[accident.id], evaluations=sorted(view.evaluations_of(accident.id), key=lambda e: e.id),
             body=accident.body)
    for report in view.evaluations:
        accident = view.accident(report.accident_id)
        verdict_rows = []
        if accident is not None:
            by_measure = {v.measure_id: v for v in report.measures}
            verdict_rows = [dict(measure=m, verdict=by_measure[m.id]) for m in accident.measures if m.id in by_measure]
        counts = Counter(v.verdict for v in report.measures)
        page(f"evaluations/{report.id}.md", "evaluation.md.j2", e=report, accident=accident,
             history=history, file_history=history.files.get(report.path) if history else None,
             meta=_meta(report, settings), body=report.body, verdict_rows=verdict_rows,
             verdict_counts=[(v, counts.get(v, 0)) for v in settings.evaluation.verdicts])
    for record in view.withdrawn:
        folder = folder_of(record.collection)
        page(f"{folder}/{record.id}.md", "withdrawn.md.j2", r=record, meta=_meta(record, settings))

    status_counts = Counter(r.status for r in rows)
    page("deadlines.md", "deadlines.md.j2", rows=rows, settings=settings.evaluation,
         counts=[(DEADLINE_STATUS_ZH[s], status_counts[s]) for s in DeadlineStatus if status_counts[s]])

    def paged_list(stem: str, title: str, intro: str, items: list[ListItem], depth: int) -> None:
        """One list over as many pages as it needs, each linking the previous and next."""
        chunks = [items[i:i + LIST_PAGE_SIZE] for i in range(0, len(items), LIST_PAGE_SIZE)] or [[]]
        base = stem.rsplit("/", 1)[-1]
        for number, chunk in enumerate(chunks, start=1):
            pager = Pager(number, len(chunks),
                          _page_name(base, number - 1) if number > 1 else "",
                          _page_name(base, number + 1) if number < len(chunks) else "")
            page(_page_name(stem, number), "listing.md.j2", title=title, intro=intro, pager=pager,
                 groups=[Group("", _relative(chunk, depth), len(chunk))] if chunk else [])

    accidents = [_item(a) for a in view.accidents]
    evaluations = [_item(e) for e in view.evaluations]
    everything = _newest_first(accidents + evaluations)
    paged_list("accidents/index", "事故", "已公开的生产安全事故，按发布日期从新到旧排列。", _newest_first(accidents), 1)
    paged_list("evaluations/index", "事故防范和整改措施落实情况评估报告", "已公开的评估报告，按发布日期从新到旧排列。",
               _newest_first(evaluations), 1)

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
        groups = []
        for number, group in enumerate(_grouped(everything, key, reverse), start=1):
            more = ""
            if len(group.items) > GROUP_PREVIEW:
                more = f"{slug}/{number}.md"
                paged_list(f"indices/{slug}/{number}", f"分类索引：{label}：{group.label}", intro, group.items, 2)
            groups.append(Group(group.label, _relative(group.items[:GROUP_PREVIEW], 1), len(group.items), more))
        page(f"indices/{slug}.md", "listing.md.j2", title=f"分类索引：{label}", intro=intro, groups=groups,
             pager=None)

    page("index.md", "home.md.j2", latest=everything[:10], counts=dict(
        evaluations=len(evaluations), accidents=len(accidents),
        overdue=status_counts[DeadlineStatus.OVERDUE], in_window=status_counts[DeadlineStatus.IN_WINDOW]))
    page("schemas/index.md", "schemas.md.j2", schemas=[
        dict(title=schemas.raw[f"{c}.schema.json"]["title"], description=schemas.raw[f"{c}.schema.json"]["description"],
             file=f"{c}.schema.json", fields=_schema_fields(schemas, c) if c != "common" else [])
        for c in SCHEMA_FILES])
    return pages

