#!/usr/bin/env bash
# Benchmarks `portal check` and `portal build` on generated corpora of 1,000 and
# 10,000 records (medians of RUNS runs, wall seconds and peak RSS via GNU time).
# Usage: bash bench/run.sh [SIZES...]   e.g. bash bench/run.sh 1000 10000
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
RUNS=${RUNS:-3}
SIZES=("${@:-1000 10000}")
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {  # measure NAME CMD... → prints "NAME median_wall_s median_peak_MiB"
  local name=$1; shift
  local walls=() rss=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>&1 || true
    read -r w m < "$work/t"; walls+=("$w"); rss+=("$m")
  done
  printf "| %s | %s s | %s MiB |\n" "$name" "$(printf '%s\n' "${walls[@]}" | median)" \
    "$(( $(printf '%s\n' "${rss[@]}" | median) / 1024 ))"
}
echo "| step | median wall | median peak RSS |"
echo "| --- | --- | --- |"
for n in ${SIZES[@]}; do
  corpus="$work/corpus-$n"
  "$PY" bench/generate_corpus.py "$n" "$corpus"
  measure "check, $n records" "$PY" -m generator check --root "$corpus" --as-of 2026-11-22
  measure "build, $n records" "$PY" -m generator build --root "$corpus" --as-of 2026-11-22 --site-dir "$corpus/site"
  "$PY" -m generator build --root "$corpus" --as-of 2026-11-22 --site-dir "$corpus/site" >/dev/null 2>&1 || true
  pages=$(find "$corpus/site" -name index.html | wc -l)
  size=$(du -sm "$corpus/site" | cut -f1)
  median_page=$(find "$corpus/site" -name index.html -printf '%s\n' | median)
  max_page=$(find "$corpus/site" -name index.html -printf '%s\n' | sort -n | tail -1)
  search=$(du -sk "$corpus/site/pagefind" | cut -f1)
  # What a first query downloads: the entry file, one index shard and its filter file, plus the
  # UI script and the wasm (the largest of each kind, a conservative bound).
  first=$(( $(stat -c %s "$corpus/site/pagefind/pagefind-entry.json") \
    + $(find "$corpus/site/pagefind/index" -type f -printf '%s\n' | sort -n | tail -1) \
    + $(find "$corpus/site/pagefind/filter" -type f -printf '%s\n' | sort -n | tail -1) \
    + $(stat -c %s "$corpus/site/pagefind/pagefind-ui.js") + $(stat -c %s "$corpus/site/pagefind/pagefind.js") \
    + $(find "$corpus/site/pagefind" -maxdepth 1 -name 'wasm.*' -printf '%s\n' | sort -n | tail -1) \
    + $(find "$corpus/site/pagefind" -maxdepth 1 -name '*.pf_meta' -printf '%s\n' | sort -n | tail -1) ))
  echo "| site, $n records | $pages pages, $size MiB, median page $((median_page/1024)) KiB, max $((max_page/1024)) KiB, search index $search KiB on disk, first query ≤ $((first/1024)) KiB | |"
done
