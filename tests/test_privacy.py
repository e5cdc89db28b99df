"""The privacy scan: what it must find, and the look-alikes it must leave alone (HAZARDS.md P01–P08)."""

from __future__ import annotations

import unicodedata

import pytest

from generator.rules.privacy import _findings


def codes(line: str) -> list[str]:
    return [code for code, *_ in _findings(unicodedata.normalize("NFKC", line))]


@pytest.mark.parametrize("line, expected", [
    ("身份证号360426199101010071", ["E401"]),
    ("身份证 44011320141005001x", ["E401"]),  # lowercase check character
    ("身份证 440113 20141005 001X", ["E401"]),  # spaced
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
