"""What real published evaluation reports contain must pass, and what the rules forbid must fail:
headings as reports number and word them, text under subheadings, cut marks from submission on."""

from __future__ import annotations

import io
import zipfile
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
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def word_file(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    """A .docx as an office suite saves it (python-docx writes the same package parts)."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def excel_file(rows: list[list[object]], sheet: str = "隐患台账") -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _attach(demo_root: Path, files: dict[str, bytes]) -> list[dict]:
    """Attach these files to the demo's published evaluation report; its diagnostics after `check`."""
    import hashlib

    path = "content/evaluations/EV-2025-001.md"
    record = demo_root / path
    folder = record.parent / "files" / "EV-2025-001"
    listed = ""
    for name, data in files.items():
        (folder / name).write_bytes(data)
        listed += (f"  - file: files/EV-2025-001/{name}\n    title: 附件{name}\n"
                   f"    sha256: {hashlib.sha256(data).hexdigest()}\n")
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("attachments:\n", "attachments:\n" + listed, 1), encoding="utf-8")
    _, report = check_json(demo_root)
    return [d for d in report["diagnostics"] if d["path"] == path]


APPROVAL = ["曲靖市麒麟区人民政府", "关于SG-2024-001号事故整改和防范措施落实情况评估报告的批复",
            "麒政复〔2025〕31号", "区安委办：", "你办《关于审定……评估报告的请示》（麒安办〔2025〕20号）收悉。经研究，原则同意该报告。",
            "联系电话：0874-3123456"]
LEDGER = [["序号", "隐患单位", "统一社会信用代码", "隐患描述", "责令整改文号", "整改期限"],
          [1, "曲靖市麒麟区某建筑工程有限公司", "91530302MA6K3XYZ0A", "临边防护缺失", "（麒）应急责改〔2025〕12号", "2025-12-31"]]


def test_word_and_excel_attachments_are_accepted_by_their_contents(demo_root: Path) -> None:
    mine = _attach(demo_root, {"approval.docx": word_file(APPROVAL), "ledger.xlsx": excel_file(LEDGER),
                               "renamed.docx": b"%PDF-1.7\n%%EOF\n",  # a PDF with a Word name
                               "other.xlsx": word_file(["一份 Word 文件"])})  # a Word file with an Excel name
    wrong = [d["message"] for d in mine if d["code"] == "E332"]
    assert len(wrong) == 2 and all(("renamed.docx" in m or "other.xlsx" in m) for m in wrong), wrong
    # The real Word and Excel files are read: no personal number, so nothing for a reviewer to do,
    # and a credit code, a 文号 and an office's landline are no personal numbers.
    read = [d for d in mine if d["code"] in ("W408", "E407") and ("approval.docx" in d["message"] or "ledger.xlsx" in d["message"])]
    assert not read, read


def test_personal_numbers_in_word_and_excel_attachments_are_found_where_they_are(demo_root: Path) -> None:
    witness = word_file(APPROVAL[:4], table=[["证人", "身份证号码", "联系方式"],
                                             ["王某某", "360426199003071233", "13987412345"]])
    # Typed as numbers, as a ledger's columns often are: a 15-digit first-generation ID number is
    # exact in a spreadsheet's number; an account number beside 开户行 is a bank card.
    ledger = excel_file(LEDGER + [[2, "个体户", "", "", "", ""], ["负责人身份证", 530302900307123, "开户行", "6222020200112233446"]])
    mine = _attach(demo_root, {"witness.docx": witness, "ledger.xlsx": ledger})
    found = sorted(d["message"] for d in mine if d["code"] == "E407")
    assert len(found) == 4, found
    assert any("witness.docx 第 1 个表格第 2 行有居民身份证号码 360426********1233" in m for m in found), found
    assert any("witness.docx 第 1 个表格第 2 行有手机号码" in m for m in found), found
    assert any("ledger.xlsx 工作表“隐患台账” B4 单元格有居民身份证号码" in m for m in found), found
    assert any("ledger.xlsx 工作表“隐患台账” D4 单元格有银行卡号" in m for m in found), found
    assert not [d for d in mine if d["code"] == "W408"]


def test_a_damaged_or_oversized_word_file_waits_for_a_reviewer() -> None:
    from generator.rules.attachment_privacy import MAX_UNPACKED_BYTES, scan_attachment

    broken = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document"})
    assert scan_attachment(broken, ".docx").unreadable == ("不能作为 Word 文件读取", "cannot be read as a Word file")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>" + b" " * (MAX_UNPACKED_BYTES + 1))
    assert scan_attachment(bomb.getvalue(), ".xlsx").unreadable[1] == "unpacks to over 200 MB and is not read"


def test_the_approval_chain_runs_request_approval_filing(demo_root: Path) -> None:
    """EV-2025-001 records 请示 → 批复 → 备案 → 反馈; a 请示 dated after its 批复, or a filing
    before the approval, is an error at that date."""
    path = demo_root / "content/evaluations/EV-2025-001.md"
    text = path.read_text(encoding="utf-8")
    assert "request:" in text and "feedback:" in text and "approval-reply.docx" in text
    _, report = check_json(demo_root)
    assert not _errors(report, "content/evaluations/EV-2025-001.md")  # its Word attachment is read, and clean
    path.write_text(text.replace("  date: 2025-11-18\n", "  date: 2025-11-29\n", 1)
                    .replace("  date: 2025-12-02\n", "  date: 2025-11-27\n", 1), encoding="utf-8")
    _, report = check_json(demo_root)
    found = [(code, field) for code, _, _, field in _errors(report, "content/evaluations/EV-2025-001.md")]
    assert ("E305", "approval.date") in found and ("E305", "filing.date") in found, found
