"""Write a deterministic synthetic content repository of N records for benchmarks.

Of N records: 80% accident cases and their evaluation reports (one per accident),
10% enforcement cases, 5% credit-list entries and 5% hazard rectification lists of
20 hazards each, with realistic Chinese text and a spread of sectors, levels,
statuses and dates. Same N and seed, same bytes.

    python bench/generate_corpus.py 1000 /tmp/corpus-1000
    python bench/generate_corpus.py --ledger 5000 /tmp/ledger   # one list of 5,000 hazards
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

SECTORS = ["建筑施工", "道路运输", "危险化学品", "工贸", "矿山", "消防", "城镇燃气", "特种设备", "水上交通", "农业机械"]
PLACES = ["南宁街道", "沿江街道", "建宁街道", "益宁街道", "三宝街道", "越州镇", "东山镇", "珠街街道", "潇湘街道", "茨营镇"]
KINDS = ["高处坠落", "物体打击", "机械伤害", "起重伤害", "车辆伤害", "火灾", "中毒窒息", "坍塌", "触电", "爆炸"]
UNITS = ["区应急管理局", "区住房和城乡建设局", "区交通运输局", "区市场监督管理局", "区消防救援大队", "区工业信息化和科技局"]
SENTENCES = [
    "评估组对照事故调查报告和结案通知要求，逐项核查了有关部门提交的整改落实情况报告。",
    "企业已完善安全生产责任制，主要负责人和安全管理人员全部参加了安全培训并考核合格。",
    "属地镇（街道）将同类企业纳入网格化巡查，建立了隐患排查治理台账并实行闭环管理。",
    "行业主管部门开展了专项执法检查，对发现的违法违规行为依法立案查处并督促整改。",
    "评估组实地走访了事故企业和同类企业，召开座谈会听取意见，查阅了会议纪要和财务凭证。",
    "部分整改措施存在“重制度、轻执行”现象，个别单位台账记录过于笼统，需要持续跟踪督促。",
]
STATUSES = ["published"] * 7 + ["draft", "submitted", "approved"]
HAZARDS = ["可燃气体报警装置失效", "粉尘涉爆除尘系统不符合要求", "危险化学品超量储存", "安全出口被堵塞",
           "特种设备超期未检验", "有限空间作业未审批", "临边防护设施缺失", "电气线路私拉乱接"]
PROGRESS = ["未整改", "整改中", "已整改待验收", "已验收销号", "已验收销号"]
# Valid 统一社会信用代码 (check character computed): the check rejects a wrong one.
CREDIT_CODES = ["91530302AY4CL12TH2", "915303023BJ1XG6126", "91530302DD272HD1TG", "91530302J3Y7LLJY10",
                "91530302JJC171HU4J", "915303029D4H3J9HT2", "91530302M53JJL6B3A", "91530302HN2J1K6FMT"]


def _body(rng: random.Random, sections: list[str]) -> str:
    return "\n".join(f"\n## {s}\n\n" + "".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 8)))
                     for s in sections) + "\n"


def _hazard(rng: random.Random, n: int, issued: dt.date) -> str:
    found = issued - dt.timedelta(days=rng.randint(0, 30))
    progress = rng.choice(PROGRESS)
    level = rng.choice(["一般"] * 3 + ["重大"])
    steps = ""
    if progress != "未整改":
        steps += f"    started_date: {found + dt.timedelta(days=3)}\n"
    if progress in ("已整改待验收", "已验收销号"):
        steps += f"    rectified_date: {found + dt.timedelta(days=40)}\n"
    if progress == "已验收销号":
        steps += (f"    acceptance:\n      date: {found + dt.timedelta(days=50)}\n      verifier: {rng.choice(UNITS)}\n"
                  f"      evidence: 麒应急验〔{found.year}〕{n % 400 + 1}号\n")
    reported = f"    reported_to:\n      department: 区应急管理局\n      date: {found + dt.timedelta(days=1)}\n" \
        if level == "重大" else ""
    return f"""  - id: H{n:05d}
    description: {rng.choice(PLACES)}某企业{rng.choice(HAZARDS)}
    unit:
      name: 曲靖市麒麟区某{rng.choice(SECTORS)}企业{n % 500}号
      credit_code: {rng.choice(CREDIT_CODES)}
    town: {rng.choice(PLACES)}
    sector: {rng.choice(SECTORS)}
    level: {level}
    found_date: {found}
    fixed_on_spot: false
    responsible: 企业主要负责人
    measures: {rng.choice(SENTENCES)}
    funds: {rng.randint(1, 300) / 10}
    deadline: {found + dt.timedelta(days=rng.randint(30, 240))}
    emergency_plan: 整改期间落实临时防范措施并设专人值守
{reported}    progress: {progress}
{steps}"""


def write_list(target: Path, list_id: str, items: int, rng: random.Random, issued: dt.date, status: str) -> None:
    hazards = "".join(_hazard(rng, n, issued) for n in range(1, items + 1))
    publish = f"publish_date: {issued + dt.timedelta(days=10)}\n" if status == "published" else ""
    (target / f"content/rectifications/{list_id}.md").write_text(f"""---
id: {list_id}
title: 麒麟区{issued.year}年重大事故隐患排查整治隐患整改清单（{list_id}）
jurisdiction: 曲靖市麒麟区
status: {status}
{publish}source:
  kind: 专项整治
issuer: 麒麟区安全生产委员会办公室
issued_date: {issued}
items:
{hazards}---
{_body(rng, ["说明"])}""", encoding="utf-8")


def _enforcement(rng: random.Random, n: int, target: Path) -> None:
    decided = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 2000))
    status = rng.choice(STATUSES)
    publish = f"publish_date: {decided + dt.timedelta(days=20)}\n" if status == "published" else ""
    typical = rng.random() < 0.3
    batch = f"batch:\n  name: {decided.year}年第{decided.month}批安全生产典型执法案例\n  date: {decided + dt.timedelta(days=20)}\n" \
        if typical else ""
    (target / f"content/enforcement/ZF-B{n:06d}.md").write_text(f"""---
id: ZF-B{n:06d}
title: 某企业{rng.choice(HAZARDS)}案（{n}）
jurisdiction: 曲靖市麒麟区
status: {status}
{publish}case_number: 麒应急立〔{decided.year}〕{n % 900 + 1}号
decision_number: 麒应急罚〔{decided.year}〕{n % 900 + 1}号
decision_date: {decided}
agency: {rng.choice(["曲靖市麒麟区应急管理局", "曲靖市麒麟区住房和城乡建设局", "曲靖市麒麟区市场监督管理局"])}
party:
  kind: 单位
  name: 曲靖市麒麟区某{rng.choice(SECTORS)}企业{n % 500}号
  credit_code: {rng.choice(CREDIT_CODES)}
principal:
  role: 主要负责人
  name: {rng.choice("赵钱孙李周吴郑王")}某某
violations:
  - {rng.choice(SENTENCES)}
legal_basis:
  - 《中华人民共和国安全生产法》第一百零二条
outcomes:
  - type: 罚款
    target: 当事人
    amount: {rng.randint(10, 500) / 10}
  - type: {rng.choice(["罚款", "警告"])}
    target: 主要负责人
    amount: {rng.randint(5, 50) / 10}
typical: {"true" if typical else "false"}
{batch}---
{_body(rng, ["案情简介", "处理结果"])}""", encoding="utf-8")


def _credit(rng: random.Random, n: int, target: Path) -> None:
    entered = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 1700))
    status = rng.choice(STATUSES)
    publish = f"publish_date: {entered + dt.timedelta(days=7)}\n" if status == "published" else ""
    (target / f"content/credit/XY-B{n:06d}.md").write_text(f"""---
id: XY-B{n:06d}
title: 某企业列入安全生产失信名单（{n}）
jurisdiction: 曲靖市麒麟区
status: {status}
{publish}list: {rng.choice(["失信联合惩戒对象", "重点关注对象"])}
subject:
  name: 曲靖市麒麟区某{rng.choice(SECTORS)}企业{n % 500}号
  credit_code: {rng.choice(CREDIT_CODES)}
entry_date: {entered}
basis: {rng.choice(SENTENCES)}
decided_by: 曲靖市麒麟区应急管理局
---
{_body(rng, ["列入事由"])}""", encoding="utf-8")


def write_corpus(count: int, target: Path, seed: int = 20261122) -> None:
    rng = random.Random(seed)
    for folder in ("accidents", "evaluations", "rectifications", "enforcement", "credit"):
        (target / f"content/{folder}").mkdir(parents=True, exist_ok=True)
    for n in range(count // 10):
        _enforcement(rng, n, target)
    for n in range(count // 20):
        _credit(rng, n, target)
    for n in range(count // 20):
        issued = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 1300))
        write_list(target, f"ZG-B{n:06d}", 20, rng, issued, rng.choice(STATUSES))
    for n in range(count * 4 // 10):
        closure = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 2400))
        occurred = closure - dt.timedelta(days=rng.randint(60, 200))
        sector, place, kind = rng.choice(SECTORS), rng.choice(PLACES), rng.choice(KINDS)
        acc_id, ev_id = f"SG-B{n:06d}", f"EV-B{n:06d}"
        measures = "".join(f"  - id: M{i}\n    text: {rng.choice(SENTENCES)}\n    units: [{rng.choice(UNITS)}]\n"
                           for i in range(1, rng.randint(2, 6)))
        acc_pub = closure + dt.timedelta(days=rng.randint(5, 40))
        (target / f"content/accidents/{acc_id}.md").write_text(f"""---
id: {acc_id}
title: 麒麟区{place}某企业“{occurred.month}·{occurred.day}”{kind}事故
jurisdiction: 曲靖市麒麟区
status: published
publish_date: {acc_pub}
occurred_date: {occurred}
place: 麒麟区{place}某企业
sector: {sector}
level: {rng.choice(["一般"] * 9 + ["较大"])}
deaths: {rng.randint(0, 3)}
injuries: {rng.randint(0, 5)}
direct_loss: {rng.randint(50, 900)}.{rng.randint(0, 9)}
investigation:
  doc_number: 麒政复〔{closure.year}〕{n % 97 + 1}号
  date: {closure - dt.timedelta(days=10)}
  organiser: {rng.choice(UNITS)}
closure_date: {closure}
measures:
{measures}---
{_body(rng, ["事故简要经过"])}""", encoding="utf-8")
        formed = closure + dt.timedelta(days=305 + rng.randint(0, 30))
        completed = formed + dt.timedelta(days=rng.randint(10, 29))
        approved = completed + dt.timedelta(days=rng.randint(3, 15))
        status = rng.choice(STATUSES)
        published = approved + dt.timedelta(days=rng.randint(3, 20))
        verdicts = "".join(f"  - measure_id: M{i}\n    verdict: {rng.choice(['落实', '基本落实', '未落实'])}\n"
                           f"    finding: {rng.choice(SENTENCES)}\n" for i in range(1, measures.count("- id:") + 1))
        lifecycle = ""
        if status in ("approved", "published"):
            lifecycle += f"approval:\n  by: 麒麟区人民政府\n  date: {approved}\n"
        if status == "published":
            lifecycle += f"publish_date: {max(published, acc_pub)}\n"
        (target / f"content/evaluations/{ev_id}.md").write_text(f"""---
id: {ev_id}
title: 麒麟区{place}某企业{kind}事故防范和整改措施落实情况评估报告
jurisdiction: 曲靖市麒麟区
status: {status}
{lifecycle}accident_id: {acc_id}
organiser: 麒麟区人民政府
lead_department: 麒麟区安全生产委员会办公室
group:
  formed_date: {formed}
  leader: 区安委办主任
  members: [{", ".join(rng.sample(UNITS, 3))}]
  discipline_inspection: {rng.choice(["true", "false"])}
methods: [资料审查, 座谈问询, 走访核查]
completion_date: {completed}
measures:
{verdicts}problems:
  - id: P1
    description: {rng.choice(SENTENCES)}
    responsible_unit: {rng.choice(UNITS)}
    measure: 制定整改方案并限期整改
    deadline: {completed + dt.timedelta(days=90)}
    status: 整改中
recommendations: []
good_practices: []
---
{_body(rng, ["评估工作过程", "总体评估意见", "事故防范和整改措施落实情况", "评估发现的主要问题", "相关工作建议"])}""",
                                                                   encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1] == "--ledger":
        ledger = Path(sys.argv[3])
        (ledger / "content/rectifications").mkdir(parents=True, exist_ok=True)
        write_list(ledger, "ZG-LEDGER", int(sys.argv[2]), random.Random(20261122), dt.date(2026, 6, 1), "published")
    else:
        write_corpus(int(sys.argv[1]), Path(sys.argv[2]))
