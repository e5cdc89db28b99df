"""Pages for campaigns (stage timeline, grades, statistics), directives (submission
deadline tables) and the public accident statistics with their SVG charts."""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable

from generator.derive import statistics
from generator.derive.campaign_schedule import full_procedure, schedule
from generator.derive.submissions import SUBMISSION_STATUS_ZH, SubmissionStatus, submission_rows
from generator.model import Campaign, Record
from generator.publish import PublicView
from generator.render.charts import bar_chart
from generator.render.data import GeneratedFile
from generator.render.writer import PageWriter, list_item, newest_first, search_filters

GRADE_CLASS = {"优": "grade-a", "良": "grade-b", "中": "grade-c", "差": "grade-d"}
CHARTS = ("by-year", "by-quarter", "by-sector")


def render_campaign_pages(writer: PageWriter, view: PublicView,
                          record_context: Callable[[Record], dict[str, Any]]) -> None:
    settings = writer.settings
    accidents = list(view.accidents)
    for campaign in view.campaigns:
        writer.page(f"campaigns/{campaign.id}.md", "campaign.md.j2", c=campaign,
                    search=search_filters(campaign, campaign.topics),
                    stages=schedule(campaign, settings.campaign, view.as_of),
                    full=full_procedure(campaign, settings.campaign), grade_class=GRADE_CLASS,
                    accidents=statistics.period(accidents, campaign.start_date, campaign.end_date),
                    **record_context(campaign))
    items = newest_first(list_item(c) for c in view.campaigns)
    by_id: dict[str, Campaign] = {f"campaigns/{c.id}.md": c for c in view.campaigns}
    intro = "安全生产专项整治及其评估，显示各评估阶段的期限和完成情况、等级认定。"
    writer.paged_list("campaigns/index", "专项整治", intro, items, 1)
    writer.grouped_index("campaigns", "by-year", "专项整治：按结束年度", intro, items,
                         lambda i: f"{by_id[i.url].end_date.year}年", reverse=True)
    writer.grouped_index("campaigns", "by-topic", "专项整治：按专题", intro, items,
                         lambda i: list(by_id[i.url].topics))


def render_directive_pages(writer: PageWriter, view: PublicView,
                           record_context: Callable[[Record], dict[str, Any]]) -> None:
    public_accidents = list(view.accidents)  # event-relative rows for public accidents only
    for directive in view.directives:
        rows = submission_rows(directive, public_accidents, writer.settings.units, view.as_of)
        counts = Counter(r.status for r in rows)
        writer.page(f"directives/{directive.id}.md", "directive.md.j2", d=directive, rows=rows,
                    search=search_filters(directive),
                    counts=[(SUBMISSION_STATUS_ZH[s], counts[s]) for s in SubmissionStatus if counts[s]],
                    **record_context(directive))
    writer.paged_list("directives/index", "工作通知和报送要求", "通知（方案）要求的报送事项和各单位的报送情况。",
                      newest_first(list_item(d) for d in view.directives), 1)


def render_statistics_page(writer: PageWriter, view: PublicView) -> None:
    accidents = list(view.accidents)
    writer.page("statistics.md", "statistics.md.j2", total=statistics.total(accidents),
                years=statistics.by_year(accidents), quarters=statistics.by_quarter(accidents),
                months=statistics.by_month(accidents, view.as_of),
                sectors=statistics.by(accidents, lambda a: a.sector),
                levels=statistics.by(accidents, lambda a: f"{a.level}事故"),
                places=statistics.by(accidents, lambda a: a.jurisdiction))


def render_charts(view: PublicView) -> list[GeneratedFile]:
    accidents = list(view.accidents)

    def chart(name: str, title: str, rows: list[statistics.Row]) -> GeneratedFile:
        svg = bar_chart(title, [r.label for r in rows], [("事故起数", [r.totals.count for r in rows]),
                                                         ("死亡人数", [r.totals.deaths for r in rows])])
        return GeneratedFile(f"charts/{name}.svg", svg.encode("utf-8"))

    return [chart("by-year", "按年度：事故起数和死亡人数", statistics.by_year(accidents)),
            chart("by-quarter", "按季度：事故起数和死亡人数", statistics.by_quarter(accidents)),
            chart("by-sector", "按行业领域：事故起数和死亡人数", statistics.by(accidents, lambda a: a.sector))]


