#!/usr/bin/env bash
# Crawl benchmark (issue 18): COUNT generated HTML reports (gen-corpus) served
# by a local web server on 127.0.0.1 (python3 -m http.server) behind a column
# of index pages, 20 reports a page linked by 下一页; then
#   1. `check --index` with the default politeness (1 s between requests to
#      the site, at most 2 at a time), cold cache;
#   2. the same again: every page and report from the cache (no download);
#   3. `--no-cache --fetch-delay 0`: the crawl with no delay, for the client's
#      own cost.
# Prints wall time and the number of files checked for each.
#
#   scripts/bench-fetch.sh [COUNT]      (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-50}
cargo build --release --quiet --bin report-lint --example gen-corpus
bin=$PWD/target/release/report-lint
root=${BENCH_DIR:-/tmp/report-lint-bench}/fetch-$count
rm -rf "$root"
mkdir -p "$root/site/reports"
target/release/examples/gen-corpus --count "$count" --seed 1 --format html --out "$root/gen" >/dev/null
mapfile -t reports < <(cd "$root/gen" && ls ./*.html | sed 's|^\./||' | sort)
per_page=20
pages=$(( (${#reports[@]} + per_page - 1) / per_page ))
for ((p = 0; p < pages; p++)); do
  name=index.html
  (( p > 0 )) && name="index_$p.html"
  {
    echo '<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body><ul>'
    for ((i = p * per_page; i < (p + 1) * per_page && i < ${#reports[@]}; i++)); do
      f=${reports[$i]}
      cp "$root/gen/$f" "$root/site/reports/$f"
      echo "<li><a href=\"reports/$f\">第 $i 号单位政府信息公开工作年度报告</a></li>"
    done
    echo '</ul>'
    (( p + 1 < pages )) && echo "<a href=\"index_$((p + 1)).html\">下一页</a>"
    echo '</body></html>'
  } > "$root/site/$name"
done

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$root/site" >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$port/index.html" >/dev/null 2>&1 && break
  sleep 0.1
done
index="http://127.0.0.1:$port/index.html"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

run() {
  local label=$1; shift
  local start end n
  start=$(date +%s.%N)
  n=$("$bin" check --no-config --format json "$@" --index "$index" 2>/dev/null \
      | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["files"]))' || true)
  end=$(date +%s.%N)
  printf '%-44s %6.2f s  %s files\n' "$label" "$(echo "$end - $start" | bc)" "$n"
}
echo "crawl of $count reports ($pages index pages) on 127.0.0.1, $(nproc) cores"
run "cold cache, default politeness (1 s, 2/site)" --cache-dir "$root/cache"
run "warm cache (same day: no download)" --cache-dir "$root/cache"
run "no cache, --fetch-delay 0" --no-cache --fetch-delay 0
