"""THE publication gate. Nothing else decides what the public sees.

A record is public only when `status` is exactly `published` and its
`publish_date` is on or before the as-of date (a later date is an embargo).
A withdrawn record that had been public leaves a notice, not its content.
A credit-list entry stops being public, without a notice, at its listing end
(the listing period is over or the subject was removed): the rules require
publication to stop, while Git keeps the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from generator.model import (Accident, Campaign, CreditEntry, Directive, Enforcement, Evaluation, Rectification, Record,
                             Status)
from generator.repository import Repository

R = TypeVar("R", bound=Record)


def is_public(record: Record, as_of: dt.date) -> bool:
    if record.publish_date is None or record.publish_date > as_of:
        return False
    if isinstance(record, CreditEntry) and record.listing_end <= as_of:
        return False
    if record.status is Status.PUBLISHED:
        return True
    # A withdrawal dated in the future has not happened yet: the record stays up until then.
    return (record.status is Status.WITHDRAWN and record.withdrawal is not None
            and record.withdrawal.date > as_of)


def is_withdrawal_notice(record: Record, as_of: dt.date) -> bool:
    return (record.status is Status.WITHDRAWN
            and record.publish_date is not None and record.publish_date <= as_of
            and record.withdrawal is not None and record.withdrawal.date <= as_of)


def public_front_matter(record: Record, data: dict[str, Any], public_accidents: set[str]) -> dict[str, Any]:
    """What of a public record's front matter may be published as data (downloads, the mirror).

    An accident is reported within a day, long before its record is public: a directive's
    submissions about an accident that is not public yet stay out, as they stay off its page.
    """
    if isinstance(record, Directive) and data.get("submissions"):
        kept = [s for s in data["submissions"] if s.get("accident_id") is None or s["accident_id"] in public_accidents]
        if len(kept) != len(data["submissions"]):
            return {**data, "submissions": kept}
    return data


@dataclass(frozen=True)
class PublicView:
    """Everything render may show. A distinct type: render never sees the Repository."""

    as_of: dt.date
    accidents: tuple[Accident, ...]
    evaluations: tuple[Evaluation, ...]
    rectifications: tuple[Rectification, ...]
    enforcement: tuple[Enforcement, ...]
    credit: tuple[CreditEntry, ...]
    campaigns: tuple[Campaign, ...]
    directives: tuple[Directive, ...]
    withdrawn: tuple[Record, ...]

    @property
    def records(self) -> tuple[Record, ...]:
        """Every public record, all collections (withdrawal notices not included)."""
        return (*self.accidents, *self.evaluations, *self.rectifications, *self.enforcement, *self.credit,
                *self.campaigns, *self.directives)

    def evaluations_of(self, accident_id: str) -> list[Evaluation]:
        return list(self._evaluations_by_accident.get(accident_id, ()))

    def accident(self, accident_id: str) -> Accident | None:
        return self._accident_by_id.get(accident_id)

    def rectification(self, list_id: str) -> Rectification | None:
        return self._rectification_by_id.get(list_id)

    # Indices built on first use: each page asks, and a scan per page is quadratic.
    @cached_property
    def _evaluations_by_accident(self) -> dict[str, list[Evaluation]]:
        index: dict[str, list[Evaluation]] = {}
        for evaluation in self.evaluations:
            index.setdefault(evaluation.accident_id, []).append(evaluation)
        return index

    @cached_property
    def _accident_by_id(self) -> dict[str, Accident]:
        return _first_by_id(self.accidents)

    @cached_property
    def _rectification_by_id(self) -> dict[str, Rectification]:
        return _first_by_id(self.rectifications)


def _first_by_id(records: tuple[R, ...]) -> dict[str, R]:
    """The first record with each id, as a linear scan would find it."""
    index: dict[str, R] = {}
    for record in records:
        index.setdefault(record.id, record)
    return index


def public_view(repo: Repository, as_of: dt.date) -> PublicView:
    records = [r for r in repo.records if r.path not in repo.rejected_paths]
    public = [r for r in records if is_public(r, as_of)]
    return PublicView(
        as_of=as_of,
        accidents=tuple(r for r in public if isinstance(r, Accident)),
        evaluations=tuple(r for r in public if isinstance(r, Evaluation)),
        rectifications=tuple(r for r in public if isinstance(r, Rectification)),
        enforcement=tuple(r for r in public if isinstance(r, Enforcement)),
        credit=tuple(r for r in public if isinstance(r, CreditEntry)),
        campaigns=tuple(r for r in public if isinstance(r, Campaign)),
        directives=tuple(r for r in public if isinstance(r, Directive)),
        withdrawn=tuple(r for r in records if is_withdrawal_notice(r, as_of)),
    )
