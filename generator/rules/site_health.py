"""What the yearly inspections of government websites look at: a home page that changes at least
every two weeks (W807) and no empty columns (W808). About the public site as a whole."""

from __future__ import annotations

from typing import Iterator

from generator.diagnostics import Diagnostic, make
from generator.load.discover import COLLECTIONS, COLUMN_OF_FOLDER, folder_of
from generator.publish import is_public
from generator.rules.context import RuleContext
from generator.settings import SETTINGS_FILE

def check_site_health(ctx: RuleContext) -> Iterator[Diagnostic]:
    site = ctx.settings.site
    if site.mirror:
        return
    public = [r for r in ctx.repo.records if r.path not in ctx.repo.rejected_paths and is_public(r, ctx.as_of)]
    dates = [d for r in public for d in (r.publish_date, *(c.date for c in r.corrections)) if d and d <= ctx.as_of]
    if dates:
        newest = max(dates)
        days = (ctx.as_of - newest).days
        if days > site.freshness_days:
            yield make("W807", SETTINGS_FILE, field="site.freshness_days", date=newest.isoformat(), days=days,
                       limit=site.freshness_days)
    shown = {r.collection for r in public}
    for collection in COLLECTIONS.values():
        if collection not in shown:
            yield make("W808", SETTINGS_FILE, field=collection, name=COLUMN_OF_FOLDER[folder_of(collection)])
