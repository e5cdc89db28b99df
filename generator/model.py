"""Typed records. Built only from schema-valid documents; from here on, no dicts.

A builder gets the settings too: a credit entry's listing end depends on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar, Union

from generator.settings import Settings


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
    # Who checked by eye that it holds no personal data, and when: for what cannot be read
    # automatically (images, scans, OFD). (by, date); None when nobody has.
    personal_data_review: tuple[str, dt.date] | None = None


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
class Request:
    """The 请示 asking the government to approve the report."""
    doc_number: str
    date: dt.date
    to: str | None


@dataclass(frozen=True)
class Approval:
    by: str
    date: dt.date
    doc_number: str | None  # the 批复's own 文号


@dataclass(frozen=True)
class Filing:
    with_: str
    date: dt.date
    doc_number: str | None


@dataclass(frozen=True)
class Feedback:
    """Comments from a higher office or another unit after filing, and what was done about them."""
    date: dt.date
    from_: str
    doc_number: str | None
    content: str
    response: str | None


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
    request: Request | None
    approval: Approval | None
    filing: Filing | None
    feedback: tuple[Feedback, ...]
    measures: tuple[MeasureVerdict, ...]
    # None: the list is absent from the front matter (a completeness error once submitted).
    problems: tuple[Problem, ...] | None
    recommendations: tuple[Recommendation, ...] | None
    good_practices: tuple[GoodPractice, ...] | None
    tasks: tuple[FollowUpTask, ...]
    referrals: tuple[Referral, ...]


@dataclass(frozen=True)
class Company:
    name: str
    credit_code: str


@dataclass(frozen=True)
class ReportedTo:
    department: str
    date: dt.date


@dataclass(frozen=True)
class Acceptance:
    date: dt.date
    verifier: str
    evidence: str  # a document number, or files/<id>/<name> listed in attachments


class Progress(str, Enum):
    """The closed loop of one hazard (003 §三(二)1(2))."""

    OPEN = "未整改"
    IN_PROGRESS = "整改中"
    AWAITING_ACCEPTANCE = "已整改待验收"
    CLOSED = "已验收销号"


@dataclass(frozen=True)
class HazardItem:
    id: str
    index: int  # position in the list: field paths and stable paging use it
    description: str
    unit: Company
    town: str | None
    sector: str
    level: str
    problem_id: str | None
    order_number: str | None  # 责令限期整改指令书 文号
    found_date: dt.date
    fixed_on_spot: bool
    responsible: str | None
    measures: str | None
    funds: float | None
    deadline: dt.date | None
    emergency_plan: str | None
    reported_to: ReportedTo | None
    progress: Progress
    started_date: dt.date | None
    rectified_date: dt.date | None
    acceptance: Acceptance | None


@dataclass(frozen=True)
class RectificationSource:
    kind: str
    evaluation_id: str | None
    description: str | None


@dataclass(frozen=True)
class Rectification(RecordBase):
    collection: ClassVar[str] = "rectification"
    source: RectificationSource
    issuer: str
    issued_date: dt.date
    items: tuple[HazardItem, ...]


@dataclass(frozen=True)
class Party:
    kind: str  # 单位 or 个人
    name: str
    credit_code: str | None
    masked_reason: str | None  # a unit published without its name and code, and why


@dataclass(frozen=True)
class Principal:
    role: str
    name: str


@dataclass(frozen=True)
class Outcome:
    type: str
    target: str  # 当事人 (the party) or 主要负责人 (its principal)
    amount: float | None
    to: str | None
    charge: str | None
    note: str | None


@dataclass(frozen=True)
class Related:
    accident_id: str | None
    rectification_id: str | None
    hazard_id: str | None


@dataclass(frozen=True)
class Batch:
    name: str
    date: dt.date


@dataclass(frozen=True)
class Enforcement(RecordBase):
    collection: ClassVar[str] = "enforcement"
    case_number: str
    decision_number: str
    decision_date: dt.date
    order_number: str | None  # the 责令限期整改指令书 a case escalated from
    agency: str
    party: Party
    principal: Principal | None
    violations: tuple[str, ...]
    legal_basis: tuple[str, ...]
    outcomes: tuple[Outcome, ...]
    related: Related | None
    typical: bool
    batch: Batch | None

    @property
    def double_penalty(self) -> bool:
        """一案双罚: the company and its principal both penalised (003 §三(三)2(1))."""
        penalised = {o.target for o in self.outcomes if o.type != "不予行政处罚"}
        return self.party.kind == "单位" and {"当事人", "主要负责人"} <= penalised


@dataclass(frozen=True)
class Removal:
    date: dt.date
    kind: str
    reason: str


@dataclass(frozen=True)
class CreditEntry(RecordBase):
    collection: ClassVar[str] = "credit"
    list: str
    subject: Company
    entry_date: dt.date
    basis: str
    enforcement_id: str | None
    decided_by: str
    removal: Removal | None
    # First day the entry is no longer published: the end of the listing period
    # (a setting, 应急管理部令第11号: 3 years) or the removal date, whichever is first.
    listing_end: dt.date


@dataclass(frozen=True)
class SelfAssessment:
    town: str
    date: dt.date
    signed_by: str
    lists: tuple[str, ...]


@dataclass(frozen=True)
class Grade:
    unit: str  # a town (re-evaluation) or a sector (review)
    grade: str


@dataclass(frozen=True)
class ReEvaluation:
    date: dt.date
    signed_by: str
    grades: tuple[Grade, ...]
    sub_reports: tuple[str, ...]


@dataclass(frozen=True)
class Review:
    date: dt.date
    by: str
    grades: tuple[Grade, ...]


@dataclass(frozen=True)
class RectificationPlan:
    unit: str
    date: dt.date
    measures: str


@dataclass(frozen=True)
class Extension:
    index: int
    stage: str
    requested: dt.date
    new_due: dt.date
    reason: str


@dataclass(frozen=True)
class UnitStatistics:
    index: int
    unit: str
    role: str
    topic: str
    experience: int
    documents: int


@dataclass(frozen=True)
class Campaign(RecordBase):
    collection: ClassVar[str] = "campaign"
    topics: tuple[str, ...]
    lead_department: str
    towns: tuple[str, ...]
    departments: tuple[str, ...]
    start_date: dt.date
    end_date: dt.date
    preparation_date: dt.date | None
    self_assessments: tuple[SelfAssessment, ...]
    re_evaluation: ReEvaluation | None
    review: Review | None
    rectification_plans: tuple[RectificationPlan, ...]
    extensions: tuple[Extension, ...]
    statistics: tuple[UnitStatistics, ...]


@dataclass(frozen=True)
class Requirement:
    id: str
    index: int
    item: str
    units: tuple[str, ...]
    group: str | None
    due: dt.date | None
    after_accident_days: int | None
    to: str | None


@dataclass(frozen=True)
class Submission:
    index: int
    requirement: str
    unit: str
    date: dt.date
    what: str | None
    accident_id: str | None


@dataclass(frozen=True)
class Directive(RecordBase):
    collection: ClassVar[str] = "directive"
    doc_number: str | None
    issuer: str
    issued_date: dt.date
    requirements: tuple[Requirement, ...]
    submissions: tuple[Submission, ...]


Record = Union[Accident, Evaluation, Rectification, Enforcement, CreditEntry, Campaign, Directive]


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value is not None else None


def _attachment(data: dict[str, Any]) -> Attachment:
    review = data.get("personal_data_review")
    return Attachment(data["file"], data["title"], data["sha256"],
                      (review["by"], dt.date.fromisoformat(review["date"])) if review else None)


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
        attachments=tuple(_attachment(a) for a in data.get("attachments", [])),
        public_contacts=tuple(PublicContact(c["number"], c["holder"], c["reason"])
                              for c in data.get("public_contacts", [])),
        corrections=tuple(Correction(dt.date.fromisoformat(c["date"]), c["what"], c["why"])
                          for c in data.get("corrections", [])),
        path=path,
        body=body,
        body_first_line=body_first_line,
    )


def accident_from(data: dict[str, Any], path: str, body: str, body_first_line: int,
                  settings: Settings) -> Accident:
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


def evaluation_from(data: dict[str, Any], path: str, body: str, body_first_line: int,
                    settings: Settings) -> Evaluation:
    group = data["group"]
    request, approval, filing = data.get("request"), data.get("approval"), data.get("filing")
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
        request=Request(request["doc_number"], dt.date.fromisoformat(request["date"]), request.get("to"))
        if request else None,
        approval=Approval(approval["by"], dt.date.fromisoformat(approval["date"]), approval.get("doc_number"))
        if approval else None,
        filing=Filing(filing["with"], dt.date.fromisoformat(filing["date"]), filing.get("doc_number")) if filing else None,
        feedback=tuple(Feedback(dt.date.fromisoformat(f["date"]), f["from"], f.get("doc_number"), f["content"],
                                f.get("response")) for f in data.get("feedback", [])),
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


def _company(data: dict[str, Any]) -> Company:
    return Company(data["name"], data["credit_code"])


def _hazard(index: int, h: dict[str, Any]) -> HazardItem:
    reported, accepted = h.get("reported_to"), h.get("acceptance")
    return HazardItem(
        id=h["id"], index=index, description=h["description"], unit=_company(h["unit"]), town=h.get("town"),
        sector=h["sector"], level=h["level"], problem_id=h.get("problem_id"), order_number=h.get("order_number"),
        found_date=dt.date.fromisoformat(h["found_date"]), fixed_on_spot=h["fixed_on_spot"],
        responsible=h.get("responsible"), measures=h.get("measures"),
        funds=float(h["funds"]) if h.get("funds") is not None else None,
        deadline=_date(h.get("deadline")), emergency_plan=h.get("emergency_plan"),
        reported_to=ReportedTo(reported["department"], dt.date.fromisoformat(reported["date"])) if reported else None,
        progress=Progress(h["progress"]), started_date=_date(h.get("started_date")),
        rectified_date=_date(h.get("rectified_date")),
        acceptance=Acceptance(dt.date.fromisoformat(accepted["date"]), accepted["verifier"], accepted["evidence"])
        if accepted else None,
    )


def rectification_from(data: dict[str, Any], path: str, body: str, body_first_line: int,
                       settings: Settings) -> Rectification:
    source = data["source"]
    return Rectification(
        **_base(data, path, body, body_first_line),
        source=RectificationSource(source["kind"], source.get("evaluation_id"), source.get("description")),
        issuer=data["issuer"],
        issued_date=dt.date.fromisoformat(data["issued_date"]),
        items=tuple(_hazard(i, h) for i, h in enumerate(data["items"])),
    )


def enforcement_from(data: dict[str, Any], path: str, body: str, body_first_line: int,
                     settings: Settings) -> Enforcement:
    party, principal, related, batch = data["party"], data.get("principal"), data.get("related"), data.get("batch")
    return Enforcement(
        **_base(data, path, body, body_first_line),
        case_number=data["case_number"], decision_number=data["decision_number"],
        decision_date=dt.date.fromisoformat(data["decision_date"]), order_number=data.get("order_number"),
        agency=data["agency"], party=Party(party["kind"], party["name"], party.get("credit_code"), party.get("masked_reason")),
        principal=Principal(principal["role"], principal["name"]) if principal else None,
        violations=tuple(data["violations"]), legal_basis=tuple(data["legal_basis"]),
        outcomes=tuple(Outcome(o["type"], o["target"], float(o["amount"]) if o.get("amount") is not None else None,
                               o.get("to"), o.get("charge"), o.get("note")) for o in data["outcomes"]),
        related=Related(related.get("accident_id"), related.get("rectification_id"), related.get("hazard_id"))
        if related else None,
        typical=data["typical"],
        batch=Batch(batch["name"], dt.date.fromisoformat(batch["date"])) if batch else None,
    )


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def credit_from(data: dict[str, Any], path: str, body: str, body_first_line: int,
                settings: Settings) -> CreditEntry:
    removal = data.get("removal")
    entry_date = dt.date.fromisoformat(data["entry_date"])
    removed = Removal(dt.date.fromisoformat(removal["date"]), removal["kind"], removal["reason"]) if removal else None
    # 应急管理部令第11号: the listing period, a setting (default 3 years).
    period_end = add_years(entry_date, settings.credit.listing_years)
    return CreditEntry(
        **_base(data, path, body, body_first_line),
        list=data["list"], subject=_company(data["subject"]), entry_date=entry_date, basis=data["basis"],
        enforcement_id=data.get("enforcement_id"), decided_by=data["decided_by"], removal=removed,
        listing_end=min(period_end, removed.date) if removed else period_end,
    )


def _grades(items: list[dict[str, Any]], key: str) -> tuple[Grade, ...]:
    return tuple(Grade(g[key], g["grade"]) for g in items)


def campaign_from(data: dict[str, Any], path: str, body: str, body_first_line: int,
                  settings: Settings) -> Campaign:
    ev = data["evaluation"]
    re_ev, review = ev.get("re_evaluation"), ev.get("review")
    return Campaign(
        **_base(data, path, body, body_first_line),
        topics=tuple(data["topics"]), lead_department=data["lead_department"], towns=tuple(data["towns"]),
        departments=tuple(data.get("departments", ())),
        start_date=dt.date.fromisoformat(data["start_date"]), end_date=dt.date.fromisoformat(data["end_date"]),
        preparation_date=_date(ev["preparation"]["date"]) if ev.get("preparation") else None,
        self_assessments=tuple(SelfAssessment(s["town"], dt.date.fromisoformat(s["date"]), s["signed_by"],
                                              tuple(s["lists"])) for s in ev.get("self_assessments", [])),
        re_evaluation=ReEvaluation(dt.date.fromisoformat(re_ev["date"]), re_ev["signed_by"],
                                   _grades(re_ev["grades"], "town"), tuple(re_ev["sub_reports"])) if re_ev else None,
        review=Review(dt.date.fromisoformat(review["date"]), review["by"], _grades(review["grades"], "sector"))
        if review else None,
        rectification_plans=tuple(RectificationPlan(p["unit"], dt.date.fromisoformat(p["date"]), p["measures"])
                                  for p in ev.get("rectification_plans", [])),
        extensions=tuple(Extension(i, x["stage"], dt.date.fromisoformat(x["requested"]),
                                   dt.date.fromisoformat(x["new_due"]), x["reason"])
                         for i, x in enumerate(ev.get("extensions", []))),
        statistics=tuple(UnitStatistics(i, s["unit"], s["role"], s["topic"], s["experience"], s["documents"])
                         for i, s in enumerate(data.get("statistics", []))),
    )


def directive_from(data: dict[str, Any], path: str, body: str, body_first_line: int,
                   settings: Settings) -> Directive:
    return Directive(
        **_base(data, path, body, body_first_line),
        doc_number=data.get("doc_number"), issuer=data["issuer"], issued_date=dt.date.fromisoformat(data["issued_date"]),
        requirements=tuple(Requirement(r["id"], i, r["item"], tuple(r.get("units", ())), r.get("group"),
                                       _date(r.get("due")), r.get("after_accident_days"), r.get("to"))
                           for i, r in enumerate(data["requirements"])),
        submissions=tuple(Submission(i, s["requirement"], s["unit"], dt.date.fromisoformat(s["date"]), s.get("what"),
                                     s.get("accident_id")) for i, s in enumerate(data.get("submissions", []))),
    )


BUILDERS = {"accident": accident_from, "evaluation": evaluation_from, "rectification": rectification_from,
            "enforcement": enforcement_from, "credit": credit_from, "campaign": campaign_from,
            "directive": directive_from}
