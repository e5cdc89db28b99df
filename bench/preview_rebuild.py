"""Benchmark `portal serve` after an edit: the preview process as the command runs it, without
its HTTP server. Prints one Markdown table row per figure (medians of RUNS edits).

    [PAUSE=SECONDS] python bench/preview_rebuild.py CORPUS [RUNS]

Each run appends a sentence to one public accident record (its page, the lists showing it,
the deadline table), lets the preview notice it, and times:
- the page update: from the rebuild's start until the changed pages are in place;
- the catch-up: the whole `portal build` in the background that then brings the search index
  and the downloads up to date.
The first build (whole, nothing in memory) is timed once. Peak RSS: the preview process and
the largest background build process.

Each edit follows the last catch-up at once, while the site it replaced is still being deleted
in the background (a second or two of file-system work that slows the next update on this
2-core machine); PAUSE waits that many seconds first, as a reader looking at the page would.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.commands.preview import Preview  # noqa: E402

AS_OF = dt.date(2026, 11, 22)


def main() -> int:
    corpus = Path(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    pause = float(os.environ.get("PAUSE", "0"))
    record = corpus / "content/accidents/SG-B000001.md"
    records = len(list((corpus / "content").rglob("*.md")))
    preview = Preview(corpus, lambda: AS_OF)
    started = time.perf_counter()
    first = preview.rebuild()
    assert first.result.report.ok, "the corpus must build"
    first_seconds = time.perf_counter() - started
    preview.tidy()
    updates, catch_ups = [], []
    for run in range(runs):
        with record.open("a", encoding="utf-8") as out:
            out.write(f"\n预览基准第 {run} 次补充说明。\n")
        assert preview.changed()
        rebuild = preview.rebuild()
        assert rebuild.result.report.ok and rebuild.pages_only, "an edit to a public record updates its pages"
        updates.append(rebuild.seconds)
        print(f"run {run + 1}: " + ", ".join(f"{stage} {seconds} s" for stage, seconds in rebuild.result.timings.items()),
              file=sys.stderr)
        preview.tidy()
        while (done := preview.caught_up()) is None:
            time.sleep(0.05)
        assert done.ok, done.output[-2000:]
        catch_ups.append(done.seconds)
        time.sleep(pause)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(f"| portal serve: first build (whole), {records} records | {first_seconds:.2f} s | |")
    print(f"| portal serve: pages updated after one record changed, {records} records "
          f"| {statistics.median(updates):.2f} s (runs: {', '.join(f'{s:.2f}' for s in updates)}) | {own} MiB |")
    print(f"| portal serve: search index and downloads caught up (whole build in the background), {records} records "
          f"| {statistics.median(catch_ups):.2f} s | {children} MiB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
