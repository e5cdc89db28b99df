"""Collects generated pages: one page, a list paged over as many pages as it needs,
or an index grouped by a key. Every collection's pages go through here."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import jinja2

from generator.cores import forked_map, worker_count
from generator.load.discover import COLUMN_OF_FOLDER, folder_of
from generator.model import Record
from generator.settings import Settings

# A list page holds at most this many rows; a grouped index shows this many per group,
# then links the group's own paged list. Keeps every page light at 10,000 records.
LIST_PAGE_SIZE = 100
GROUP_PREVIEW = 20
# Pages worth a second process, and pages handed to a worker at a time.
PARALLEL_FROM = 2000
_CHUNK = 64


@dataclass(frozen=True)
class GeneratedPage:
    path: str  # relative to the staged docs dir, POSIX
    markdown: str
    updated: str = ""  # ISO date a record page last changed for readers (the sitemap's lastmod)


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


# The column (栏目) of a page, by its path's first part: the ColumnName meta tag and keywords.
COLUMN_ZH = {**COLUMN_OF_FOLDER, "hazards": "隐患整改期限表", "statistics": "事故统计", "indices": "分类索引",
             "schemas": "数据规范", "deadlines": "评估期限表", "search": "搜索", "index": "首页", "data": "开放数据",
             "guide": "政务公开指南"}

KIND_ZH = {"accident": "事故", "evaluation": "评估报告", "rectification": "隐患整改清单",
           "enforcement": "执法案例", "credit": "失信名单", "campaign": "专项整治", "directive": "工作通知"}


def list_item(record: Record) -> ListItem:
    folder = folder_of(record.collection)
    published = record.publish_date.isoformat() if record.publish_date else ""
    return ListItem(record.title, f"{folder}/{record.id}.md", KIND_ZH[record.collection], record.jurisdiction,
                    published, (published, record.id))


def search_filters(record: Record, sectors: str | Iterable[str] | None = None,
                   status: str | None = None) -> dict[str, list[str]]:
    """The filters of the search page: 类别, 辖区, 年度 (of publication), 行业领域, 状态. A page
    may hold several 行业领域 (a rectification list's hazards, a campaign's topics): each is a
    value of its own, so the filter lists each sector once, not every combination of them."""
    year = f"{record.publish_date.year}年" if record.publish_date else ""
    sector_values = [sectors] if isinstance(sectors, str) else sorted(set(sectors or ()))
    return {"类别": [KIND_ZH[record.collection]], "辖区": [record.jurisdiction], "年度": [year] if year else [],
            "行业领域": [sector for sector in sector_values if sector], "状态": [status] if status else []}


def page_name(stem: str, number: int) -> str:
    """`accidents/index` → accidents/index.md, accidents/index-2.md, …"""
    return f"{stem}.md" if number == 1 else f"{stem}-{number}.md"


def newest_first(items: Iterable[ListItem]) -> list[ListItem]:
    return sorted(items, key=lambda i: i.sort_key, reverse=True)


def relative(items: list[ListItem], depth: int) -> list[ListItem]:
    prefix = "../" * depth
    return [ListItem(i.title, prefix + i.url, i.kind, i.jurisdiction, i.published, i.sort_key) for i in items]


GroupKey = Callable[[ListItem], "str | list[str]"]


def grouped(items: list[ListItem], key: GroupKey, reverse: bool = False) -> list[Group]:
    """Items by the label `key` gives; a key may give several labels (a case with two outcomes)."""
    groups: dict[str, list[ListItem]] = {}
    for item in items:
        labels = key(item)
        for label in [labels] if isinstance(labels, str) else labels:
            groups.setdefault(label, []).append(item)
    return [Group(label, newest_first(groups[label])) for label in sorted(groups, reverse=reverse)]


def chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


@dataclass(frozen=True)
class _PageJob:
    path: str
    template: str
    search: dict[str, list[str]] | None
    context: dict[str, Any]


def same_inputs(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether two page contexts are equal, value by value. Unchanged records are the very same
    objects in a long-running process, so most values compare by identity at once; a value
    that cannot be compared counts as changed."""
    if old.keys() != new.keys():
        return False
    try:
        return all(value is old[name] or (type(value) is type(old[name]) and value == old[name])
                   for name, value in new.items())
    except Exception:  # noqa: BLE001 - a value with a strange __eq__: render it again
        return False


@dataclass
class RenderMemo:
    """The last render's pages, kept by a long-running process (`portal serve`): a page whose
    template, search filters and context equal last time's is not rendered again.

    A page is a function of these and of the templates, the site settings and the as-of date;
    the memo is dropped when either of the last two differ, and its owner drops it when a
    template file changes. Contexts hold frozen records, never mutated after loading."""

    key: tuple[Any, ...] = ()
    pages: dict[str, tuple[_PageJob, GeneratedPage]] = field(default_factory=dict)
    reused: int = 0  # pages the last render took from the memo


@dataclass
class PageWriter:
    """Pages are noted as they are asked for and rendered together by `rendered()`: on every
    core for a large site (each page's template renders on its own)."""

    env: jinja2.Environment
    settings: Settings
    as_of: Any
    jobs: list[_PageJob] = field(default_factory=list)
    memo: RenderMemo | None = None

    def page(self, path: str, template: str, search: dict[str, list[str]] | None = None, **context: Any) -> None:
        """`search`: the page is a record to index, with these filters (name → value)."""
        self.jobs.append(_PageJob(path, template, search, context))

    def rendered(self) -> list[GeneratedPage]:
        memo = self.memo
        known: dict[str, tuple[_PageJob, GeneratedPage]] = {}
        if memo is not None and memo.key == (self.as_of, self.settings):
            known = memo.pages
        done: dict[int, GeneratedPage] = {}
        for index, job in enumerate(self.jobs):
            previous = known.get(job.path)
            if previous is not None and previous[0].template == job.template and previous[0].search == job.search \
                    and same_inputs(previous[0].context, job.context):
                done[index] = previous[1]
        todo = [index for index in range(len(self.jobs)) if index not in done]
        # Workers are forked: they inherit the jobs and their contexts, and get only an index.
        workers = worker_count(len(todo), PARALLEL_FROM)
        done.update(zip(todo, forked_map(self._render, todo, workers, chunksize=_CHUNK)))
        pages = [done[index] for index in range(len(self.jobs))]
        if memo is not None:
            memo.key = (self.as_of, self.settings)
            memo.pages = {job.path: (job, page) for job, page in zip(self.jobs, pages)}
            memo.reused = len(self.jobs) - len(todo)
        return pages

    def _render(self, index: int) -> GeneratedPage:
        job = self.jobs[index]
        markdown = self.env.get_template(job.template).render(as_of=self.as_of, site=self.settings.site, **job.context)
        head = self._head(job)
        # MkDocs page metadata, read by the theme override; JSON is valid YAML.
        front = ["portal_head: " + json.dumps(head, ensure_ascii=False)]
        if job.search:
            front += ["search_filters:"] + [f"  {json.dumps(name, ensure_ascii=False)}: {json.dumps(values, ensure_ascii=False)}"
                                            for name, values in job.search.items() if values]
        markdown = "---\n" + "\n".join(front) + "\n---\n\n" + markdown
        return GeneratedPage(job.path, markdown, head.get("updated", ""))

    def _head(self, job: _PageJob) -> dict[str, str]:
        """What the head of a government website's page declares (政府网站发展指引): its column,
        and for a record its title, date and source, with keywords and a description."""
        first = job.path.split("/", 1)[0].removesuffix(".md")
        column = COLUMN_ZH.get(first.split("-", 1)[0] if "/" not in job.path else first, "首页")
        site = self.settings.site
        meta = job.context.get("meta")
        keywords = [column, *(v for name in ("类别", "辖区", "行业领域") for v in (job.search or {}).get(name, []))]
        head = {"column": column, "keywords": "，".join(dict.fromkeys(k for k in keywords if k))}
        if isinstance(meta, dict) and meta.get("published"):
            source = meta.get("publisher") or site.publisher
            head.update(title=str(meta.get("title") or ""), pub_date=meta["published"].isoformat(), source=source,
                        number=str(meta.get("doc_number") or ""),
                        crumb=job.path.split("/", 1)[0] + "/",  # the column's index, for the breadcrumbs
                        description=f"{meta.get('title')}（{source}，{meta['published'].isoformat()}公开）",
                        updated=(meta.get("updated") or meta["published"]).isoformat())
        else:
            title = job.context.get("title")
            head["description"] = f"{site.title}：{title if isinstance(title, str) and title else column}"
        return head

    def pager(self, base: str, number: int, count: int) -> Pager:
        return Pager(number, count, page_name(base, number - 1) if number > 1 else "",
                     page_name(base, number + 1) if number < count else "")

    def paged_list(self, stem: str, title: str, intro: str, items: list[ListItem], depth: int) -> None:
        """One list over as many pages as it needs, each linking the previous and next."""
        parts = chunks(items, LIST_PAGE_SIZE)
        base = stem.rsplit("/", 1)[-1]
        for number, chunk in enumerate(parts, start=1):
            self.page(page_name(stem, number), "listing.md.j2", title=title, intro=intro,
                      pager=self.pager(base, number, len(parts)),
                      groups=[Group("", relative(chunk, depth), len(chunk))] if chunk else [])

    def grouped_index(self, folder: str, slug: str, title: str, intro: str, items: list[ListItem],
                      key: GroupKey, reverse: bool = False) -> None:
        """`folder/slug.md`: a preview of each group, linking each long group's paged list."""
        groups = []
        for number, group in enumerate(grouped(items, key, reverse), start=1):
            more = ""
            if len(group.items) > GROUP_PREVIEW:
                more = f"{slug}/{number}.md"
                depth = folder.count("/") + 2
                self.paged_list(f"{folder}/{slug}/{number}", f"{title}：{group.label}", intro, group.items, depth)
            groups.append(Group(group.label, relative(group.items[:GROUP_PREVIEW], folder.count("/") + 1),
                                len(group.items), more))
        self.page(f"{folder}/{slug}.md", "listing.md.j2", title=title, intro=intro, groups=groups, pager=None)
