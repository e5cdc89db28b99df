"""Personal data must not reach the public site (DOMAIN.md §5; HAZARDS.md P01–P08).

Scans the raw text of every record that is approved or public, front matter
included (an unquoted number in YAML is an int, which a walk over string values
would miss), after NFKC normalisation so full-width digits are seen. Known false
positives are excluded on purpose: valid 统一社会信用代码 are skipped before the
ID test, numbers are bounded by non-digits, and bank cards need a context word.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from stdnum import luhn
from stdnum.cn import ric, uscc

from generator.diagnostics import Diagnostic, make
from generator.model import Record, Status
from generator.rules.context import RuleContext

_SCANNED = {Status.APPROVED, Status.PUBLISHED, Status.WITHDRAWN}
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})[ -]?(\d{8})[ -]?(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![0-9A-Za-z])")
_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{4}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?)(?![0-9A-Za-z])")
_CARD_CONTEXT = re.compile(r"银行卡|卡号|账号|帐号|开户行|银行账户|银行帐户")


def _digits(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", text).upper()


def _findings(line: str) -> Iterator[tuple[str, int, str, str]]:
    """(code, column, digits, masked) for each personal number on one normalised line."""
    for match in _ID.finditer(line):
        number = _digits(match.group(0))
        if uscc.is_valid(number):
            continue  # a company's credit code is public by design
        if ric.is_valid(number):
            yield "E401", match.start() + 1, number, number[:6] + "********" + number[-4:]
    for match in _MOBILE.finditer(line):
        number = "".join(match.groups())
        yield "E402", match.start() + 1, number, number[:3] + "****" + number[-4:]
    if _CARD_CONTEXT.search(line):
        for match in _CARD.finditer(line):
            number = _digits(match.group(1))
            if 16 <= len(number) <= 19 and luhn.is_valid(number):
                yield "E403", match.start() + 1, number, number[:4] + " **** **** " + number[-4:]


def _scan(ctx: RuleContext, record: Record) -> Iterator[Diagnostic]:
    text = ctx.repo.documents[record.path].source_bytes.decode("utf-8-sig", errors="replace")
    lines = [unicodedata.normalize("NFKC", line) for line in text.replace("\r\n", "\n").split("\n")]
    body_start = record.body_first_line - 1
    declared = {_digits(c.number) for c in record.public_contacts}
    for offset, line in enumerate(lines):
        for code, column, number, masked in _findings(line):
            if number not in declared:
                yield make(code, record.path, offset + 1, column, masked=masked)
    # A declaration must be used in the body, and each one is shown to the reviewer.
    body_digits = [_digits(line) for line in lines[body_start:]]
    for i, contact in enumerate(record.public_contacts):
        where = ("public_contacts", i, "number")
        if any(_digits(contact.number) in digits for digits in body_digits):
            yield ctx.repo.at(record, "W405", where, number=contact.number, holder=contact.holder,
                              reason=contact.reason)
        else:
            yield ctx.repo.at(record, "E404", where, number=contact.number)


def check_personal_data(ctx: RuleContext) -> Iterator[Diagnostic]:
    for record in ctx.records:
        if record.status in _SCANNED:
            yield from _scan(ctx, record)
