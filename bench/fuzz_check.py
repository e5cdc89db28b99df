"""Fuzz `portal check`: N mutated records, each checked in a repository of its own; any internal
error (E904) or exception is a failure, saved with its input under the output folder.

    .venv/bin/python bench/fuzz_check.py 100000 --out /tmp/portal-fuzz [--seed 1] [--workers 2]

Each input is a demo record (any collection) with one to three mutations: a front-matter value
replaced by a hostile one (YAML specials, far dates, huge or non-finite numbers, control and
bidi characters, very long text, deep nesting), a body line replaced by a Markdown payload
(reference definitions, raw HTML, links to very long or escaping names, admonitions, deep
lists), or raw bytes flipped, lines dropped or duplicated. Prints the count checked, the codes
seen and the failures. Exit 1 on any failure.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import multiprocessing
import random
import shutil
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from generator.pipeline import check  # noqa: E402

AS_OF = dt.date(2026, 11, 22)
VALUES = [".nan", ".inf", "-.Inf", "9999-12-31", "0001-01-01", "2024-02-30", "1e999", "99999999999999999999999",
          "-1", "~", "null", "yes", "NO", "on", "[]", "{}", "[[[[[[[[[[]]]]]]]]]]", "'", '"', "|", ">", "&a *a",
          "!!python/object:os.system", "!!binary aGk=", "<script>alert(1)</script>", "\u202e反转\u202c", "\u0000",
          "\x1b[31m", "x" * 5000, "中" * 3000, "2026年13月40日", "０１２", "１９９９-０１-０１", "SG-2024-002",
          "EV-2026-008", "../../../etc/passwd", "a: b: c", "- - - -", "#注释", "\t制表", "{a: [b, {c: d}]}"]
BODIES = ["[x]: javascript:alert(1)", "![a][p]\n\n[p]: https://tracker.example/p.gif",
          "1. a\n\n    <img src=x onerror=alert(1)>", "[长](%s.md)" % ("很" * 200), "[l](%s)" % ("a" * 400),
          '!!! md-header "x"\n\n    正文', "!!! warning", "```\n<script>x</script>\n```", "`<iframe>`",
          "<!-- 注释 -->", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x",
          "\n".join("  " * i + "- 项" for i in range(60)), "| a | b |\n| - | - |\n| =HYPERLINK(\"x\") | @SUM |",
          "[草稿](../evaluations/EV-2026-008.md)", "[文件](files/%s.pdf)" % ("长" * 120), "&#0; &#xD800; &nosuch;",
          "# 一\n## 二\n### 三\n#### 四", "安（ān）全（quán）", "身份证 110101199003071234，手机 13800138000"]


def mutate(text: str, rng: random.Random) -> bytes:
    lines = text.split("\n")
    end = lines.index("---", 1) if "---" in lines[1:] else 1
    for _ in range(rng.randint(1, 3)):
        choice = rng.random()
        if choice < 0.45 and end > 1:  # a front-matter value
            i = rng.randrange(1, end)
            if ":" in lines[i]:
                key = lines[i].split(":", 1)[0]
                lines[i] = f"{key}: {rng.choice(VALUES)}"
        elif choice < 0.8:  # a body line
            i = rng.randrange(min(end + 1, len(lines) - 1), len(lines))
            lines[i] = rng.choice(BODIES)
        elif choice < 0.9 and len(lines) > 3:
            del lines[rng.randrange(len(lines))]
        else:
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
    data = bytearray("\n".join(lines).encode("utf-8"))
    if rng.random() < 0.1 and data:  # raw bytes, as a broken upload or a wrong encoding
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def run(job: tuple[int, int, int, str]) -> tuple[int, collections.Counter, list[str]]:
    first, count, seed, out = job
    sources = sorted((PROJECT / "content").glob("*/*.md"))
    texts = [(p.parent.name, p.read_text(encoding="utf-8")) for p in sources]
    codes: collections.Counter = collections.Counter()
    failures = []
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        (root / "portal.toml").write_bytes((PROJECT / "portal.toml").read_bytes())
        for n in range(first, first + count):
            rng = random.Random(f"{seed}-{n}")
            folder, text = rng.choice(texts)
            shutil.rmtree(root / "content", ignore_errors=True)
            target = root / "content" / folder / "FUZZ.md"
            target.parent.mkdir(parents=True)
            data = mutate(text, rng)
            target.write_bytes(data)
            try:
                report = check(root, AS_OF, use_cache=False).report
                found = [d.code for d in report.diagnostics]
            except Exception as exc:  # noqa: BLE001 - a fuzz failure, recorded
                found = [f"exception {type(exc).__name__}: {exc}"]
            codes.update(found)
            if any(code == "E904" or code.startswith("exception") for code in found):
                keep = Path(out) / f"failure-{n}-{folder}.md"
                keep.parent.mkdir(parents=True, exist_ok=True)
                keep.write_bytes(data)
                failures.append(f"{keep}: {[c for c in found if c == 'E904' or c.startswith('exception')]}")
    return count, codes, failures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "portal-fuzz"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=multiprocessing.cpu_count())
    args = parser.parse_args()
    share = -(-args.count // args.workers)
    jobs = [(w * share, min(share, args.count - w * share), args.seed, args.out) for w in range(args.workers)]
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        results = pool.map(run, [job for job in jobs if job[1] > 0])
    total = sum(r[0] for r in results)
    codes: collections.Counter = sum((r[1] for r in results), collections.Counter())
    failures = [f for r in results for f in r[2]]
    print(f"checked {total} inputs; failures (E904 or an exception): {len(failures)}")
    print("codes seen:", ", ".join(f"{code} {n}" for code, n in sorted(codes.items())))
    for failure in failures[:20]:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
