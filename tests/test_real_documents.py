"""What real published evaluation reports contain must pass, and what the rules forbid must fail:
headings as reports number and word them, text under subheadings, cut marks from submission on."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import check_json

# A body laid out as published reports are: numbered, reworded headings, a section whose text sits
# only under its subheadings, and the sections in the report's own order.
REAL_BODY = """
签章版报告见[附件](files/EV-2025-001/signed-report.pdf)。

## 一、评估组织及开展情况

2025年10月20日，区人民政府成立评估组，区安委办主任任组长，区纪委监委同步参加。评估组采取资料审查、座谈问询、走访核查等方式，查阅资料86份。

## 二、事故防范和整改措施落实情况

### （一）事故单位落实情况

施工单位全面排查临边洞口防护设施并建立验收台账。

### （二）有关部门落实情况

区住建局开展在建项目高处作业专项检查，对责任单位的行政处罚已执行到位。

## 三、存在的主要问题

街道网格巡查记录过于笼统，未能准确反映隐患部位和整改情况。

## 四、评估总体意见

3项措施中2项落实、1项基本落实，总体成效明显。

## 五、相关工作建议

建议区住建局将临边防护设施验收纳入危大工程验收程序。
"""


def _errors(report: dict, path: str) -> list[tuple[str, int, int, str]]:
    return [(d["code"], d["line"], d["column"], d["field"]) for d in report["diagnostics"]
            if d["severity"] == "error" and d["path"] == path]


def _set_body(path: Path, body: str) -> None:
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---\n", 4) + len("\n---\n")
    path.write_text(text[:end] + body, encoding="utf-8")


def test_numbered_reworded_headings_and_text_under_subheadings_pass(demo_root: Path) -> None:
    record = demo_root / "content" / "evaluations" / "EV-2025-001.md"
    _set_body(record, REAL_BODY)
    code, report = check_json(demo_root)
    assert _errors(report, "content/evaluations/EV-2025-001.md") == [] and code == 0


def test_a_section_with_text_nowhere_under_it_is_empty(demo_root: Path) -> None:
    record = demo_root / "content" / "evaluations" / "EV-2025-001.md"
    _set_body(record, REAL_BODY.replace("街道网格巡查记录过于笼统，未能准确反映隐患部位和整改情况。\n", ""))
    code, report = check_json(demo_root)
    assert [e[0] for e in _errors(report, "content/evaluations/EV-2025-001.md")] == ["E302"]


def test_cut_marks_are_errors_from_submission_on_in_body_and_front_matter(demo_root: Path) -> None:
    path = "content/evaluations/EV-2026-006.md"  # submitted, not yet approved
    record = demo_root / path
    text = record.read_text(encoding="utf-8")
    text = text.replace("finding: 商场已清理疏散通道并恢复喷淋系统", "finding: 待补充", 1)
    record.write_text(text + "\n具体整改台账此处略。详见附件。\n", encoding="utf-8")
    code, report = check_json(demo_root)
    found = _errors(report, path)
    lines = record.read_text(encoding="utf-8").splitlines()
    assert code == 1 and {e[0] for e in found} == {"E312"}
    fields = {e[3] for e in found}
    assert "measures[0].finding" in fields  # in the front matter, at the value
    field_hit = next(e for e in found if e[3] == "measures[0].finding")
    assert lines[field_hit[1] - 1][field_hit[2] - 1:].startswith("待补充")
    body_hits = [e for e in found if not e[3]]
    assert {lines[e[1] - 1][e[2] - 1:][:3] for e in body_hits} == {"此处略", "见附件"}
    # A draft may hold them: it is work in progress.
    record.write_text(record.read_text(encoding="utf-8").replace("status: submitted", "status: draft", 1),
                      encoding="utf-8")
    code, report = check_json(demo_root)
    assert not [e for e in _errors(report, path) if e[0] == "E312"]


def test_old_ids_bare_card_numbers_and_name_lists_with_ascii_commas(demo_root: Path) -> None:
    report_path = "content/evaluations/EV-2025-001.md"
    record = demo_root / report_path
    record.write_text(record.read_text(encoding="utf-8")
                      + "\n当事人原身份证号 530302851231123，补偿款已转入 6222020200000000006。\n", encoding="utf-8")
    case_path = "content/enforcement/ZF-2026-001.md"
    case = demo_root / case_path
    case.write_text(case.read_text(encoding="utf-8") + "\n作业人员王小明,李大力,张强等未佩戴安全带。\n",
                    encoding="utf-8")
    code, report = check_json(demo_root)
    codes = sorted(d["code"] for d in report["diagnostics"] if d["path"] == report_path and d["code"].startswith("E40"))
    assert codes == ["E401", "E403"]
    names = sorted(d["message"] for d in report["diagnostics"] if d["path"] == case_path and d["code"] == "W406")
    assert len(names) == 3 and all(any(n in m for n in ("王小明", "李大力", "张强")) for m in names)


def _zip(parts: dict[str, str]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_word_and_excel_attachments_are_accepted_by_their_contents(demo_root: Path) -> None:
    import hashlib

    path = "content/evaluations/EV-2025-001.md"
    record = demo_root / path
    folder = record.parent / "files" / "EV-2025-001"
    files = {"approval.docx": _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}),
             "ledger.xlsx": _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}),
             "renamed.docx": b"%PDF-1.7\n%%EOF\n",  # a PDF with a Word name
             "other.xlsx": _zip({"word/document.xml": "<w:document/>"})}  # a Word file with an Excel name
    listed = ""
    for name, data in files.items():
        (folder / name).write_bytes(data)
        listed += (f"  - file: files/EV-2025-001/{name}\n    title: 附件{name}\n"
                   f"    sha256: {hashlib.sha256(data).hexdigest()}\n")
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("attachments:\n", "attachments:\n" + listed, 1), encoding="utf-8")
    code, report = check_json(demo_root)
    mine = [d for d in report["diagnostics"] if d["path"] == path]
    wrong = sorted(d["message"].split()[0] for d in mine if d["code"] == "E332")
    assert len(wrong) == 2 and all(("renamed.docx" in m or "other.xlsx" in m) for m in
                                   [d["message"] for d in mine if d["code"] == "E332"]), wrong
    # The real Word and Excel files pass, and wait for a reviewer's look for personal data (W408).
    pending = " ".join(d["message"] for d in mine if d["code"] == "W408")
    assert "approval.docx" in pending and "ledger.xlsx" in pending
