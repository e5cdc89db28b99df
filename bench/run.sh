#!/usr/bin/env bash
# Benchmarks `portal check` and `portal build` on generated corpora (default 1,000 and 10,000
# records): medians of RUNS runs (BUILD_RUNS for builds), wall seconds and peak RSS via GNU time
# (the largest of the process and its children). Also: where a build's time goes, page weights,
# the search index, `portal serve`'s update after an edit (bench/preview_rebuild.py), and (with
# chromium and Playwright) a first search measured in the browser.
# Usage: bash bench/run.sh [SIZES...]   e.g. RUNS=3 BUILD_RUNS=1 bash bench/run.sh 1000 10000
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
RUNS=${RUNS:-3}
BUILD_RUNS=${BUILD_RUNS:-$RUNS}
SIZES=("${@:-1000 10000}")
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Append a new sentence to a record (so its page changes too), then run the command.
cat > "$work/edit-then" <<'EDIT'
printf '\n补充说明 %s。\n' "$(date +%s%N)" >> "$1"; shift; exec "$@"
EDIT
# A 文号 the corpus holds (an accident investigation report's), to search for.
number_in() { grep -h -m1 -o 'doc_number: .*' "$1/content/accidents/SG-B000000.md" | cut -d' ' -f2; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {  # measure RUNS NAME CMD... → prints "| NAME | median wall | median peak |"; a failed run fails the benchmark
  local runs=$1 name=$2; shift 2
  local walls=() rss=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
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
  git -C "$corpus" init -q && git -C "$corpus" add -A && git -C "$corpus" -c user.name=b -c user.email=b@b commit -qm corpus
  portal=("$PY" -m generator)
  at=(--root "$corpus" --as-of 2026-11-22)
  measure "$RUNS" "check, no cache, $n records" "${portal[@]}" check --no-cache "${at[@]}"
  "${portal[@]}" check "${at[@]}" >/dev/null 2>&1 || true  # fill the cache
  measure "$RUNS" "check, nothing changed, $n records" "${portal[@]}" check "${at[@]}"
  record="$corpus/content/accidents/SG-B000001.md"
  measure "$RUNS" "check, one record changed, $n records" bash "$work/edit-then" "$record" "${portal[@]}" check "${at[@]}"
  # From scratch: every file checked, every page rendered, every search bundle indexed.
  measure "$BUILD_RUNS" "build from scratch (--no-cache), $n records" "${portal[@]}" build "${at[@]}" --no-cache --site-dir "$corpus/site"
  measure "$BUILD_RUNS" "rebuild after one record changed, $n records" bash "$work/edit-then" "$record" "${portal[@]}" build "${at[@]}" --site-dir "$corpus/site"
  measure "$BUILD_RUNS" "rebuild, nothing changed, $n records" "${portal[@]}" build "${at[@]}" --site-dir "$corpus/site"
  # `portal serve` after an edit: the changed pages, then the whole build in the background.
  "$PY" bench/preview_rebuild.py "$corpus" "$BUILD_RUNS"
  # Where a build's time goes: one more build without the cache, stage by stage.
  "${portal[@]}" build "${at[@]}" --site-dir "$corpus/site" --no-cache --timings 2>&1 >/dev/null \
    | grep timings | sed "s/^/| stages of a build without cache, $n records: /; s/$/ | |/"
  pages=$(find "$corpus/site" -name index.html | wc -l)
  size=$(du -sm "$corpus/site" | cut -f1)
  median_page=$(find "$corpus/site" -path '*/accidents/SG-*' -name index.html -printf '%s\n' | median)
  max_page=$(find "$corpus/site" -name index.html -printf '%s\n' | sort -n | tail -1)
  search=$(du -sk "$corpus/site/search-index" | cut -f1)
  shards=$(find "$corpus/site/search-index/g" -type f | wc -l)
  largest=$(find "$corpus/site/search-index/g" -type f -printf '%s\n' | sort -n | tail -1)
  echo "| site, $n records | $pages pages, $size MiB, median record page $((median_page/1024)) KiB, max page $((max_page/1024)) KiB; search index $search KiB on disk, $shards shards, largest $((largest/1024)) KiB | |"
  if command -v chromium >/dev/null && "$PY" -c "import playwright" 2>/dev/null; then
    # One to six characters, a common phrase, a place and a 文号; and a query no page holds.
    echo "$("$PY" bench/first_search.py "$corpus/site" 坍塌 整改措施落实情况 麒麟区 一案双罚 "$(number_in "$corpus")" 挂牌督办 \
      | sed "s/^/| /; s/$/, $n records | |/")"
  fi
done
