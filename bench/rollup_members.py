"""Write and build N member sites for the roll-up benchmark: each a content repository of its own
(generate_corpus.py's records, renamed to the county), built by `portal build` into <dir>/<slug>/site.

    python bench/rollup_members.py 300 /tmp/members            # 30 records each
    python bench/rollup_members.py 300 /tmp/members --records 60 --jobs 2

It also writes <dir>/rollup/portal.toml, a roll-up repository listing every member's built site.
With --listed K it writes <dir>/rollup-K/portal.toml too: K members, the built sites listed over
and over, each time under another county's name and address (a nation's 2,800 members, from 300
built sites: every file is read, checked and indexed K times, without building K sites).
Same arguments, same sites (the corpus is seeded by the member's number).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_corpus import write_corpus  # noqa: E402

FIRST = "东西南北安平宁和丰泰永兴德清长新"
SECOND = "山川河湖林阳城源溪江陵州原口台桥"
AS_OF = "2026-11-22"


THIRD = "阳安宁平和丰泰乐康远"  # a third character from the 257th member on: 2,816 distinct names


def county(n: int) -> str:
    return FIRST[n % 16] + SECOND[(n // 16) % 16] + ("" if n < 256 else THIRD[(n // 256 - 1) % 10]) + "县"


def write_member(n: int, target: Path, records: int) -> None:
    name, slug = county(n), f"county{n:03d}"
    write_corpus(records, target, seed=1000 + n)
    for path in (target / "content").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("曲靖市麒麟区", f"某市{name}").replace("麒麟区", name), encoding="utf-8")
    (target / "portal.toml").write_text(f"""format_version = 1
[site]
title = "{name}安全生产监管信息公开"
publisher = "某市{name}安全生产委员会办公室"
site_url = "https://{slug}.example.gov.cn/"
""", encoding="utf-8")


def build_member(portal: str, base: Path, records: int, n: int) -> str:
    target = base / f"county{n:03d}"
    if (target / "site" / "data" / "catalog.json").is_file():
        return f"{target.name}: built before"
    write_member(n, target, records)
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    subprocess.run(["git", "-C", str(target), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(target), "-c", "user.name=bench", "-c", "user.email=bench@example.org",
                    "commit", "-qm", "内容"], check=True)
    done = subprocess.run([portal, "build", "--as-of", AS_OF, "--root", str(target), "--site-dir",
                           str(target / "site"), "--no-cache"], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{target.name}: build failed\n{done.stdout[-2000:]}")
    return f"{target.name}: built"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("dir", type=Path)
    parser.add_argument("--records", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--listed", type=int, default=0, help="also a roll-up of this many members")
    parser.add_argument("--portal", default=str(Path(sys.executable).with_name("portal")))
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(args.jobs) as pool:
        for line in pool.map(lambda n: build_member(args.portal, args.dir, args.records, n), range(args.count)):
            print(line, flush=True)
    _write_rollup(args.dir / "rollup", [f'source = "../county{n:03d}/site"' for n in range(args.count)])
    if args.listed:
        _write_rollup(args.dir / f"rollup-{args.listed}",
                      [f'source = "../county{n % args.count:03d}/site"\nurl = "https://county{n:04d}.example.gov.cn/"'
                       for n in range(args.listed)])


def _write_rollup(folder: Path, sources: list[str]) -> None:
    folder.mkdir(exist_ok=True)
    members = "".join(f'[[rollup.members]]\nname = "{county(n)}"\n{source}\n\n' for n, source in enumerate(sources))
    (folder / "portal.toml").write_text(f"""format_version = 1
[site]
title = "某省安全生产监管信息公开（汇总）"
publisher = "某省安全生产委员会办公室"

{members}""", encoding="utf-8")


if __name__ == "__main__":
    main()
