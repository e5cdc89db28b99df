"""Who a record names: companies by a valid credit code, people never by full name (DOMAIN.md §5)."""

from __future__ import annotations

import functools
import re
from typing import Iterator

from stdnum.cn import uscc

from generator.diagnostics import Diagnostic, make
from generator.load.strict_yaml import FieldPath
from generator.model import Company, CreditEntry, Enforcement, Rectification, Record
from generator.rules.context import RuleContext

MASKED = re.compile(r"^[\u4e00-\u9fff]{1,2}某{1,2}$")
# A bare two- or three-character Han string is probably a name unless it is a post.
_BARE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
_ROLE = re.compile(r"(长|主任|经理|书记|负责人|主管|员|师|队|组|部|科|室|处|局|办|站|所|中心|公司|委|人)$")


# HAZARDS.md P09: regexes cannot find names, but a role word followed by a common surname and
# one or two more characters, then a boundary, is worth a reviewer's look in a case body.
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_AFTER_NAME = r"(?=[，、。；;,（(）)\s]|等|因|在|于|未|被|驾驶|违规|擅自|无证)"  # ASCII commas too
_ROLE_THEN_NAME = re.compile(
    r"(?:员工|工人|驾驶员|司机|负责人|法定代表人|实际控制人|经理|厂长|班组长|安全员|电焊工|作业人员)"
    rf"([{_SURNAMES}][\u4e00-\u9fff]{{1,2}}?){_AFTER_NAME}")
# The names after the first in a list: 作业人员王小明、李大力,张强等.
_NEXT_NAME = re.compile(rf"[、，,]\s*([{_SURNAMES}][\u4e00-\u9fff]{{1,2}}?){_AFTER_NAME}")


def masked(name: str) -> str:
    return name[0] + "某某"


@functools.lru_cache(maxsize=65536)
def _valid_credit_code(code: str) -> bool:
    """Memoised: the same companies recur across thousands of hazards and cases."""
    return uscc.is_valid(code)


def _companies(record: Record) -> Iterator[tuple[FieldPath, Company]]:
    if isinstance(record, Rectification):
        for item in record.items:
            yield ("items", item.index, "unit", "credit_code"), item.unit
    elif isinstance(record, CreditEntry):
        yield ("subject", "credit_code"), record.subject
    elif isinstance(record, Enforcement) and record.party.credit_code:
        yield ("party", "credit_code"), Company(record.party.name, record.party.credit_code)


def check_credit_codes(ctx: RuleContext) -> Iterator[Diagnostic]:
    """The schema checks the shape; the check character (GB 32100) catches a mistyped code."""
    for record in ctx.records:
        for path, company in _companies(record):
            if not _valid_credit_code(company.credit_code):
                expected = uscc.calc_check_digit(company.credit_code[:17])
                yield ctx.repo.at(record, "E340", path, value=company.credit_code, expected=expected,
                                  title=ctx.title(record.collection, *path))


def check_personal_names(ctx: RuleContext) -> Iterator[Diagnostic]:
    for record in ctx.records:
        if isinstance(record, Enforcement):
            people: list[tuple[FieldPath, str]] = []
            if record.party.kind == "个人":
                people.append((("party", "name"), record.party.name))
            if record.principal is not None:
                people.append((("principal", "name"), record.principal.name))
            for path, name in people:
                if not MASKED.match(name):
                    yield ctx.repo.at(record, "E341", path, value=name, masked=masked(name),
                                      title=ctx.title(record.collection, *path))
            yield from _names_in_body(ctx, record)
        elif isinstance(record, Rectification):
            for item in record.items:
                name = item.responsible
                if name and _BARE_NAME.match(name) and not MASKED.match(name) and not _ROLE.search(name):
                    yield ctx.repo.at(record, "W406", ("items", item.index, "responsible"), value=name,
                                      masked=masked(name), title="整改责任人")


def _names_in_body(ctx: RuleContext, record: Enforcement) -> Iterator[Diagnostic]:
    for offset, line in enumerate(record.body.split("\n")):
        for match in _ROLE_THEN_NAME.finditer(line):
            found = [match]
            while (following := _NEXT_NAME.match(line, found[-1].end(1))) is not None:
                found.append(following)
            for each in found:
                name = each.group(1)
                if "某" not in name:
                    yield make("W406", record.path, record.body_first_line + offset, each.start(1) + 1,
                               field="body", title="正文中", value=name, masked=masked(name))
