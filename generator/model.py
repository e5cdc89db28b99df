"""Typed records. Built only from schema-valid documents; from here on, no dicts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar, Union


class Status(str, Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


STATUS_ZH = {
    Status.DRAFT: "起草中",
    Status.SUBMITTED: "已报送",
    Status.APPROVED: "已审定",
    Status.PUBLISHED: "已公开",
    Status.WITHDRAWN: "已撤回",
}


@dataclass(frozen=True)
class Withdrawal:
    date: dt.date
    reason: str


@dataclass(frozen=True)
class Attachment:
    file: str  # relative to the record's folder: files/<id>/<name>
    title: str
    sha256: str


@dataclass(frozen=True)
class PublicContact:
    number: str
    holder: str
    reason: str


@dataclass(frozen=True)
class Correction:
    date: dt.date
    what: str
    why: str


@dataclass(frozen=True)
class RecordBase:
    """Fields every collection shares, plus where the record came from."""

    id: str
    title: str
    jurisdiction: str
    status: Status
    publish_date: dt.date | None
    publisher: str | None
    index_number: str | None
    withdrawal: Withdrawal | None
    attachments: tuple[Attachment, ...]
    public_contacts: tuple[PublicContact, ...]
    corrections: tuple[Correction, ...]
    path: str
    body: str
    body_first_line: int


@dataclass(frozen=True)
class Investigation:
    doc_number: str
    date: dt.date
    organiser: str
    url: str | None


@dataclass(frozen=True)
class Measure:
    id: str
    text: str
    units: tuple[str, ...]


@dataclass(frozen=True)
class Accident(RecordBase):
    collection: ClassVar[str] = "accident"
    occurred_date: dt.date
    place: str
    sector: str
    level: str
    deaths: int
    injuries: int
    direct_loss: float
    investigation: Investigation
    closure_date: dt.date
    measures: tuple[Measure, ...]


@dataclass(frozen=True)
class Group:
    formed_date: dt.date
    leader: str
    members: tuple[str, ...]
    discipline_inspection: bool
    experts: tuple[str, ...]


@dataclass(frozen=True)
class Approval:
    by: str
    date: dt.date


@dataclass(frozen=True)
class Filing:
    with_: str
    date: dt.date


@dataclass(frozen=True)
class MeasureVerdict:
    measure_id: str
    verdict: str
    finding: str
    evidence: str | None


@dataclass(frozen=True)
class Problem:
    id: str
    description: str
    responsible_unit: str
    measure: str
    deadline: dt.date
    status: str


@dataclass(frozen=True)
class Recommendation:
    id: str
    text: str
    addressee: str


@dataclass(frozen=True)
class GoodPractice:
    id: str
    text: str
    unit: str


@dataclass(frozen=True)
class FollowUpTask:
    unit: str
    task: str
    deadline: dt.date


@dataclass(frozen=True)
class Referral:
    to: str
    matter: str
    date: dt.date


@dataclass(frozen=True)
class Evaluation(RecordBase):
    collection: ClassVar[str] = "evaluation"
    doc_number: str | None
    accident_id: str
    organiser: str
    lead_department: str
    group: Group
    methods: tuple[str, ...]
    completion_date: dt.date | None
    approval: Approval | None
    filing: Filing | None
    measures: tuple[MeasureVerdict, ...]
    # None: the list is absent from the front matter (a completeness error once submitted).
    problems: tuple[Problem, ...] | None
    recommendations: tuple[Recommendation, ...] | None
    good_practices: tuple[GoodPractice, ...] | None
    tasks: tuple[FollowUpTask, ...]
    referrals: tuple[Referral, ...]


Record = Union[Accident, Evaluation]


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value is not None else None


def _base(data: dict[str, Any], path: str, body: str, body_first_line: int) -> dict[str, Any]:
    withdrawal = data.get("withdrawal")
    return dict(
        id=data["id"],
        title=data["title"],
        jurisdiction=data["jurisdiction"],
        status=Status(data["status"]),
        publish_date=_date(data.get("publish_date")),
        publisher=data.get("publisher"),
        index_number=data.get("index_number"),
        withdrawal=Withdrawal(_date(withdrawal["date"]), withdrawal["reason"]) if withdrawal else None,  # type: ignore[arg-type]
        attachments=tuple(Attachment(a["file"], a["title"], a["sha256"]) for a in data.get("attachments", [])),
        public_contacts=tuple(PublicContact(c["number"], c["holder"], c["reason"])
                              for c in data.get("public_contacts", [])),
        corrections=tuple(Correction(dt.date.fromisoformat(c["date"]), c["what"], c["why"])
                          for c in data.get("corrections", [])),
        path=path,
        body=body,
        body_first_line=body_first_line,
    )


def accident_from(data: dict[str, Any], path: str, body: str, body_first_line: int) -> Accident:
    inv = data["investigation"]
    return Accident(
        **_base(data, path, body, body_first_line),
        occurred_date=dt.date.fromisoformat(data["occurred_date"]),
        place=data["place"],
        sector=data["sector"],
        level=data["level"],
        deaths=data["deaths"],
        injuries=data["injuries"],
        direct_loss=float(data["direct_loss"]),
        investigation=Investigation(inv["doc_number"], dt.date.fromisoformat(inv["date"]),
                                    inv["organiser"], inv.get("url")),
        closure_date=dt.date.fromisoformat(data["closure_date"]),
        measures=tuple(Measure(m["id"], m["text"], tuple(m["units"])) for m in data["measures"]),
    )


def _optional_list(data: dict[str, Any], key: str, make: Any) -> tuple[Any, ...] | None:
    return tuple(make(item) for item in data[key]) if key in data and data[key] is not None else None


def evaluation_from(data: dict[str, Any], path: str, body: str, body_first_line: int) -> Evaluation:
    group = data["group"]
    approval = data.get("approval")
    filing = data.get("filing")
    follow = data.get("follow_ups") or {}
    return Evaluation(
        **_base(data, path, body, body_first_line),
        doc_number=data.get("doc_number"),
        accident_id=data["accident_id"],
        organiser=data["organiser"],
        lead_department=data["lead_department"],
        group=Group(dt.date.fromisoformat(group["formed_date"]), group["leader"], tuple(group["members"]),
                    group["discipline_inspection"], tuple(group.get("experts", ()))),
        methods=tuple(data["methods"]),
        completion_date=_date(data.get("completion_date")),
        approval=Approval(approval["by"], dt.date.fromisoformat(approval["date"])) if approval else None,
        filing=Filing(filing["with"], dt.date.fromisoformat(filing["date"])) if filing else None,
        measures=tuple(MeasureVerdict(m["measure_id"], m["verdict"], m["finding"], m.get("evidence"))
                       for m in data["measures"]),
        problems=_optional_list(data, "problems", lambda p: Problem(
            p["id"], p["description"], p["responsible_unit"], p["measure"],
            dt.date.fromisoformat(p["deadline"]), p["status"])),
        recommendations=_optional_list(data, "recommendations",
                                       lambda r: Recommendation(r["id"], r["text"], r["addressee"])),
        good_practices=_optional_list(data, "good_practices", lambda g: GoodPractice(g["id"], g["text"], g["unit"])),
        tasks=tuple(FollowUpTask(t["unit"], t["task"], dt.date.fromisoformat(t["deadline"]))
                    for t in follow.get("tasks", [])),
        referrals=tuple(Referral(r["to"], r["matter"], dt.date.fromisoformat(r["date"]))
                        for r in follow.get("referrals", [])),
    )


BUILDERS = {"accident": accident_from, "evaluation": evaluation_from}
