"""Traditional characters in Simplified-Chinese records (HAZARDS.md E05).

Government sites publish in 规范汉字 (Simplified). A title or text pasted from a Traditional
source (seed 003 is one) looks fine to its author and shows up as a different spelling of
the same words: search for 评估报告 misses 評估報告. Which characters are Traditional-only
comes from OpenCC's Traditional-to-Simplified table, not from a hand-made list: a character
is flagged when OpenCC changes it on its own.
"""

from __future__ import annotations

import functools
import re
from typing import Iterator

import opencc

from generator.diagnostics import Diagnostic, make
from generator.rules.body_safety import body_lines
from generator.rules.context import RuleContext

# Still written in Simplified text (乾坤, 乾隆; 於 and 餘 as surnames): never flagged.
_ALSO_SIMPLIFIED = frozenset("乾於餘")
# A body may quote one name in its original form; two different characters are a pasted text.
BODY_THRESHOLD = 2
_SHOWN = 5


@functools.cache
def traditional_only() -> frozenset[str]:
    han = "".join(chr(point) for point in list(range(0x3400, 0x4dc0)) + list(range(0x4e00, 0xa000)))
    # t2s maps character to character over this range, so the two strings line up.
    simplified = opencc.OpenCC("t2s").convert(han)
    assert len(simplified) == len(han)
    return frozenset(a for a, b in zip(han, simplified) if a != b) - _ALSO_SIMPLIFIED


@functools.cache
def _pattern() -> re.Pattern[str]:
    # One character class: a regex scan of a record is ten times faster than a set intersection.
    return re.compile("[" + "".join(sorted(traditional_only())) + "]")


def _found(text: str) -> list[str]:
    """The Traditional-only characters of `text`, each once, in order."""
    return list(dict.fromkeys(_pattern().findall(text)))


def check_traditional_characters(ctx: RuleContext) -> Iterator[Diagnostic]:
    pattern = _pattern()
    for record in ctx.records:
        if pattern.search(record.title):
            yield ctx.repo.at(record, "W121", ("title",), where="标题", where_en="title",
                              chars="、".join(_found(record.title)[:_SHOWN]))
        if not pattern.search(record.body):
            continue
        chars = _found(record.body)
        if len(chars) < BODY_THRESHOLD:
            continue
        for line_number, line in body_lines(record):
            match = pattern.search(line)
            if match:
                yield make("W121", record.path, line_number, match.start() + 1, where="正文", where_en="text",
                           chars="、".join(chars[:_SHOWN]))
                break
