"""The privacy scan: what it must find, and the look-alikes it must leave alone (HAZARDS.md P01–P08)."""

from __future__ import annotations

import datetime as dt

import unicodedata

import pytest
from hypothesis import example, given, settings, strategies as st
from stdnum import luhn
from stdnum.cn import ric, uscc

from generator.rules import privacy
from generator.rules.privacy import findings


def codes(line: str) -> list[str]:
    return [code for code, *_ in findings(unicodedata.normalize("NFKC", line))]


@pytest.mark.parametrize("line, expected", [
    ("身份证号360426199101010071", ["E401"]),
    ("身份证 44011320141005001x", ["E401"]),  # lowercase check character
    ("身份证 440113 20141005 001X", ["E401"]),  # spaced
    # 曲靖市麒麟区: a county python-stdnum's region table lacks, so its own check would miss it.
    ("身份证号码 530302199003071239", ["E401"]),
    ("电话13800138000。", ["E402"]),
    ("电话 +86 138-0013-8000", ["E402"]),
    ("电话１３８００１３８０００", ["E402"]),  # full-width digits
    ("开户行账号 6222020200000000006", ["E403"]),
])
def test_finds_personal_numbers(line: str, expected: list[str]) -> None:
    assert codes(line) == expected


@pytest.mark.parametrize("line", [
    "统一社会信用代码 11330800002618015K",  # a company's code is public
    "统一社会信用代码 91110108MA01G0FB09",
    "依据安委办〔2021〕4号、浔政函〔2024〕31号、衢政办发〔2022〕6号",
    "索引号 010603120/2023-00979，11530302MB1C86753X/2025-00016",
    "罚款40000元，直接经济损失612.8万元，20250310 作出决定",
    "https://www.example.gov.cn/show/20240314102619834.html",  # digits of a URL, not a mobile number
    "身份证号 110101199003077777",  # fails the check digit: not an ID number
    "值班电话 0874-3123456，举报热线 12350",  # landlines and hotlines are public
    "编号 4111111111111111 是测试数字",  # Luhn-valid but no bank-card context word
])
def test_leaves_look_alikes_alone(line: str) -> None:
    assert codes(line) == []


def test_no_finding_on_any_valid_credit_code_from_stdnum() -> None:
    # All-digit credit codes can look like ID numbers; stdnum's own examples must all pass.
    from stdnum.cn import uscc

    samples = ["91110000600037341L", "91310000775785552L", "91440300708461136T", "11330800002618015K",
               "91110108MA01G0FB09"]
    for code in samples:
        assert uscc.is_valid(code), code
        assert codes(f"统一社会信用代码：{code}") == []


# The scan looks only around candidate digit runs and skips NFKC for texts it cannot change:
# both must find exactly what NFKC and the patterns over the whole text find.
def _reference_findings(text: str) -> list[tuple[str, int, str, str]]:
    text = unicodedata.normalize("NFKC", text.replace("\r\n", "\n"))
    found = []
    for match in privacy._ID.finditer(text):
        number = privacy.digits(match.group(0))
        try:
            born = 1900 <= int(number[6:10]) <= 2099 and dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            born = None
        if (not uscc.is_valid(number) and born and int(number[:2]) in privacy._PROVINCES
                and number[-1] == ric.calc_check_digit(number)):
            found.append(("E401", match.start() + 1, number))
    for match in privacy._ID15.finditer(text):
        region, year, month, day, _ = match.groups()
        try:
            born = dt.date(1900 + int(year), int(month), int(day))
        except ValueError:
            born = None
        if born and int(region[:2]) in privacy._PROVINCES:
            found.append(("E401", match.start() + 1, "".join(match.groups())))
    for match in privacy._MOBILE.finditer(text):
        found.append(("E402", match.start() + 1, "".join(match.groups())))
    for match in privacy._CARD.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        number = privacy.digits(match.group(1))
        context = privacy._CARD_CONTEXT.search(text, line_start, line_end if line_end >= 0 else len(text))
        if (context or number.startswith("62")) and 16 <= len(number) <= 19 and luhn.is_valid(number):
            found.append(("E403", match.start() + 1, number))
    return sorted(found)


_PIECES = ["360426199101010071", "360426910101007", "530302851231123", "44011320141005001x", "13800138000", "１３８００１３８０００", "+86 ",
           "6222020200000000006", "6222 0202 0000 0000 006", "11330800002618015K", "2025-00016", "账号",
           "电话", "，", "：", "　", "－", "－", "x", "X", "-", " ", "\n", "\r\n", "1", "8", "86", "０", "①",
           "…", "（", "）", "〔2021〕", "麒麟区", "a", "…"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=10))
@example(["电话", "+86 ", "13800138000"])  # the + stands before the digit run
@example(["+86 ", "13800138000"])
@example(["账号", "6222", "　", "0202", "　", "0000", "　", "0000", "　", "006"])  # ideographic spaces
@example(["身份证", "360426", "－", "19910101", "－", "0071"])  # full-width hyphens
@example(["１３８００１３８０００", "…", "13800138000"])
def test_scan_finds_what_a_full_nfkc_scan_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    fast = sorted((code, offset, number) for code, offset, number, _ in privacy.findings(privacy.normalise(text)))
    assert fast == _reference_findings(text)


def test_the_characters_scanned_without_nfkc_are_neutral_to_it() -> None:
    for point in range(0x10000):
        char = chr(point)
        if not privacy._NFKC_NEUTRAL.fullmatch(char):
            continue
        normal = unicodedata.normalize("NFKC", char)
        assert normal == char or (len(normal) == 1 and normal.isascii() and not normal.isalnum()
                                  and normal not in " +-"), (hex(point), normal)
