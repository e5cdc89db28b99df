"""Personal data must not reach the public site (DOMAIN.md §5; HAZARDS.md P01–P08).

Scans the raw text of every record that is approved or public, front matter
included (an unquoted number in YAML is an int, which a walk over string values
would miss), after NFKC normalisation so full-width digits are seen. Known false
positives are excluded on purpose: valid 统一社会信用代码 are skipped before the
ID test, numbers are bounded by non-digits, and bank cards need a context word.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from typing import Iterator

from stdnum import luhn
from stdnum.cn import ric, uscc

from generator.diagnostics import Diagnostic, make
from generator.model import Record, Status
from generator.rules.context import RuleContext

SCANNED = {Status.APPROVED, Status.PUBLISHED, Status.WITHDRAWN}
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})[ -]?(\d{8})[ -]?(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![0-9A-Za-z])")
_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{4}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?)(?![0-9A-Za-z])")
_NEWLINE = re.compile(r"\n")
_CARD_CONTEXT = re.compile(r"银行卡|卡号|账号|帐号|开户行|银行账户|银行帐户")
# A first-generation resident ID (15 digits: region, YYMMDD of a 19xx birth, sequence), still
# printed on old records. Checked for a province code and a real date, as it has no check digit.
_ID15 = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{2})(\d{2})(\d{2})(\d{3})(?![0-9A-Za-z])")
_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54,
              61, 62, 63, 64, 65, 71, 81, 82}
# Without a context word a card number counts only with the prefix of most cards issued here,
# UnionPay's 62: other long numbers pass Luhn one time in ten.
_CARD_PREFIXES = ("62",)


def digits(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", text).upper()


# Every personal number above lies inside a run like this (a digit, then nine or more digits,
# X, spaces, hyphens or pluses), and in a whole record there are only a few: the precise
# patterns run around each run instead of at every character of the text.
_CANDIDATE = re.compile(r"\d[\d \-+Xx]{9,}")


def findings(text: str) -> Iterator[tuple[str, int, str, str]]:
    """(code, 1-based offset, digits, masked) for each personal number in normalised text.

    No pattern crosses a line end, so the whole text is scanned at once.
    """
    card_context = _CARD_CONTEXT.search(text) is not None
    for run in _CANDIDATE.finditer(text):
        # One character before the run for a leading +; the patterns' look-behinds still see
        # the text before `start`, and their look-aheads the character after `end - 1`.
        start, end = max(0, run.start() - 1), min(len(text), run.end() + 1)
        yield from _findings_in(text, start, end, card_context)


def _is_resident_id(number: str) -> bool:
    """GB 11643: a province code, a real birth date and the check digit. Not the full region
    table: python-stdnum's lacks counties that exist (530302, 曲靖市麒麟区), and a number the
    scan misses is published."""
    if not number[:17].isdigit() or int(number[:2]) not in _PROVINCES or not 1900 <= int(number[6:10]) <= 2099:
        return False
    return _is_date(int(number[6:10]), int(number[10:12]), int(number[12:14])) and number[-1] == ric.calc_check_digit(number)


def _findings_in(text: str, start: int, end: int, card_context: bool) -> Iterator[tuple[str, int, str, str]]:
    for match in _ID.finditer(text, start, end):
        number = digits(match.group(0))
        if uscc.is_valid(number):
            continue  # a company's credit code is public by design
        if _is_resident_id(number):
            yield "E401", match.start() + 1, number, number[:6] + "********" + number[-4:]
    for match in _ID15.finditer(text, start, end):
        region, year, month, day, _ = match.groups()
        if int(region[:2]) in _PROVINCES and _is_date(1900 + int(year), int(month), int(day)):
            number = "".join(match.groups())
            yield "E401", match.start() + 1, number, number[:6] + "*****" + number[-4:]
    for match in _MOBILE.finditer(text, start, end):
        number = "".join(match.groups())
        yield "E402", match.start() + 1, number, number[:3] + "****" + number[-4:]
    for match in _CARD.finditer(text, start, end):
        number = digits(match.group(1))
        if not (16 <= len(number) <= 19 and luhn.is_valid(number)):
            continue
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        # A context word on the same line, or the prefix of a card issued here.
        context = card_context and _CARD_CONTEXT.search(text, line_start, line_end if line_end >= 0 else len(text))
        if context or number.startswith(_CARD_PREFIXES):
            yield "E403", match.start() + 1, number, number[:4] + " **** **** " + number[-4:]


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


# Characters NFKC leaves alone, or maps one to one onto ASCII punctuation that no pattern
# above uses: a text of only these scans the same with or without normalisation, at the same
# offsets. Most Chinese records are such texts, and NFKC over all of them was half the scan.
_NFKC_NEUTRAL = re.compile("[\x00-\x7f\u00b7\u2014\u2018\u2019\u201c\u201d\u3001\u3002\u3008-\u3011"
                           "\u3014-\u301b\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff0a\uff0c\uff0e\uff0f"
                           "\uff1a-\uff20\uff3b-\uff40\uff5b-\uff5e]*")


def normalise(text: str) -> str:
    """NFKC (full-width digits become digits) where it can change what the scan finds."""
    text = text.replace("\r\n", "\n")
    if _NFKC_NEUTRAL.fullmatch(text):
        return text
    # NFKC never adds or removes a line end, so normalising the whole text keeps line numbers.
    return unicodedata.normalize("NFKC", text)


def _scan(ctx: RuleContext, record: Record) -> Iterator[Diagnostic]:
    text = ctx.repo.documents[record.path].source_bytes.decode("utf-8-sig", errors="replace")
    text = normalise(text)
    declared = {digits(c.number) for c in record.public_contacts}
    found = sorted(findings(text), key=lambda finding: finding[1])
    line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)] if found else []
    for code, offset, number, masked in found:
        if number not in declared:
            line = bisect.bisect_right(line_starts, offset - 1)
            yield make(code, record.path, line, offset - line_starts[line - 1], masked=masked)
    if not record.public_contacts:
        return
    # A declaration must be used in the body, and each one is shown to the reviewer.
    body_digits = [digits(line) for line in text.split("\n")[record.body_first_line - 1:]]
    for i, contact in enumerate(record.public_contacts):
        where = ("public_contacts", i, "number")
        if any(digits(contact.number) in line_digits for line_digits in body_digits):
            yield ctx.repo.at(record, "W405", where, number=contact.number, holder=contact.holder,
                              reason=contact.reason)
        else:
            yield ctx.repo.at(record, "E404", where, number=contact.number)


def check_personal_data(ctx: RuleContext) -> Iterator[Diagnostic]:
    for record in ctx.records:
        if record.status in SCANNED:
            yield from _scan(ctx, record)
