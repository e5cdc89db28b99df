"""Bytes → text. UTF-8 only; a BOM is stripped and CRLF normalised the same way
MkDocs reads files, so the checker and the builder see the same text."""

from __future__ import annotations

from dataclasses import dataclass

from generator.diagnostics import Diagnostic, make


@dataclass(frozen=True)
class DecodedText:
    text: str


def _guess_encoding(raw: bytes) -> str:
    for candidate in ("gb18030", "big5", "utf-16"):
        try:
            raw.decode(candidate)
        except UnicodeDecodeError:
            continue
        return "GB18030/GBK" if candidate == "gb18030" else candidate.upper()
    return "未知/unknown"


def decode(raw: bytes, path: str, max_bytes: int) -> DecodedText | Diagnostic:
    if len(raw) > max_bytes:
        return make("E112", path, size=len(raw), limit=max_bytes)
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return make("E113", path, line=line)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return make("E101", path, line=line, column=column, byte=exc.start,
                    encoding=_guess_encoding(raw))
    return DecodedText(text.replace("\r\n", "\n").replace("\r", "\n"))
