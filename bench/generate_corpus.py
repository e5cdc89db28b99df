"""Write a deterministic synthetic content repository of N records for benchmarks.

Half accident cases, half evaluation reports (one per accident), with realistic
Chinese text and a spread of sectors, levels, statuses and dates. Same N and seed,
same bytes.

    python bench/generate_corpus.py 1000 /tmp/corpus-1000
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


def _body(rng: random.Random, sections: list[str]) -> str:
    return "\n".join(f"\n## {s}\n\n" + "".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 8)))
                     for s in sections) + "\n"


def write_corpus(count: int, target: Path, seed: int = 20261122) -> None:
    rng = random.Random(seed)
    (target / "content/accidents").mkdir(parents=True, exist_ok=True)
    (target / "content/evaluations").mkdir(parents=True, exist_ok=True)
    for n in range(count // 2):
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
    write_corpus(int(sys.argv[1]), Path(sys.argv[2]))
