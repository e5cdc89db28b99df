#!/usr/bin/env bash
# Benchmarks `portal rollup` over N generated member sites (default 300, 40 records each), each a
# real `portal build` (bench/rollup_members.py): a first roll-up (every member read), a second
# (nothing changed: every member revalidated, none read), one after a member published again, and
# the same over HTTP (a local static server: each member fetched, then revalidated). Wall seconds
# and peak RSS via GNU time, medians of RUNS runs.
# Usage: bash bench/rollup.sh [MEMBERS] [RECORDS]   e.g. RUNS=3 bash bench/rollup.sh 300 40
# LISTED=2800 also rolls up 2,800 members: the MEMBERS built sites listed over and over under other
# names and addresses (bench/rollup_members.py --listed).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
RUNS=${RUNS:-3}
MEMBERS=${1:-300}
RECORDS=${2:-40}
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)"; exit 2; }
work=${WORK:-$(mktemp -d)}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {  # measure NAME CMD... → "| NAME | median wall | median peak |"
  local name=$1; shift
  local walls=() rss=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    read -r w m < "$work/t"; walls+=("$w"); rss+=("$m")
  done
  printf "| %s | %s s | %s MiB |\n" "$name" "$(printf '%s\n' "${walls[@]}" | median)" \
    "$(( $(printf '%s\n' "${rss[@]}" | median) / 1024 ))"
}
start=$(date +%s)
"$PY" bench/rollup_members.py "$MEMBERS" "$work/members" --records "$RECORDS" >/dev/null
echo "members: $MEMBERS sites of $RECORDS records each, built in $(( $(date +%s) - start )) s (2 at a time)"
repo="$work/members/rollup"
rollup=("$PY" -m generator rollup --root "$repo" --as-of 2026-11-22 --site-dir "$repo/site" --timings)
echo "| step | median wall | median peak RSS |"
echo "| --- | --- | --- |"
measure "first roll-up (--no-cache), $MEMBERS members" "${rollup[@]}" --no-cache
grep timings "$work/err" | sed "s/^/| stages, first roll-up: /; s/$/ | |/"
measure "roll-up, nothing changed" "${rollup[@]}"
grep timings "$work/err" | sed "s/^/| stages, nothing changed: /; s/$/ | |/"
# A member publishes again: its catalog changes (a new as-of date), so it alone is read again.
touch_member() {
  local catalog="$work/members/county000/site/data/catalog.json" day=21
  grep -q '"as_of": "2026-11-21"' "$catalog" && day=23
  sed -i "0,/\"as_of\": \"2026-11-2[0-9]\"/s//\"as_of\": \"2026-11-$day\"/" "$catalog"
  exec "$@"
}
export -f touch_member; export work
measure "roll-up, one member changed" bash -c 'touch_member "$@"' _ "${rollup[@]}"
if [ -n "${LISTED:-}" ]; then
  "$PY" bench/rollup_members.py "$MEMBERS" "$work/members" --records "$RECORDS" --listed "$LISTED" >/dev/null
  big="$work/members/rollup-$LISTED"
  measure "first roll-up (--no-cache), $LISTED members listed over $MEMBERS sites" \
    "$PY" -m generator rollup --root "$big" --as-of 2026-11-22 --site-dir "$big/site" --timings --no-cache
  grep timings "$work/err" | sed "s/^/| stages, $LISTED members: /; s/$/ | |/"
fi
# Over HTTP: every member's site served by a local static server (Last-Modified revalidation).
"$PY" -m http.server -d "$work/members" 8765 --bind 127.0.0.1 >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; [ -z "${WORK:-}" ] && rm -rf "$work"' EXIT
sleep 1
urls=$(for n in $(seq 0 $(( MEMBERS - 1 ))); do printf 'http://127.0.0.1:8765/county%03d/site/ ' "$n"; done)
http_rollup=("$PY" -m generator rollup --root "$work" --as-of 2026-11-22 --site-dir "$work/http-site" --jobs 16)
measure "first roll-up over HTTP (--no-cache), $MEMBERS members" "${http_rollup[@]}" --no-cache $urls
measure "roll-up over HTTP, nothing changed (revalidated)" "${http_rollup[@]}" $urls
echo "roll-up site: $(du -sm "$repo/site" | cut -f1) MB, search index $(du -sm "$repo/site/search-index" | cut -f1) MB,"\
  "$(tail -1 "$work/out" | grep -o '[0-9]* 个可搜索页面' || true)"
