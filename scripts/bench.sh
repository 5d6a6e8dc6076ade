#!/usr/bin/env bash
# Batch-speed benchmark (issue 6): builds the release binary and the corpus
# generator, writes COUNT generated reports in FORMAT, checks them with every
# built-in rule on and prints reports/s, MB/s, the read/parse/rules/render split
# (from --timings), peak memory, and the time of one report including start-up.
#
#   scripts/bench.sh [FORMAT] [COUNT] [JOBS]
#     FORMAT  text (default), html or docx
#     COUNT   number of reports (default 10000)
#     JOBS    worker threads (default: every core)
#
# The corpus is kept in ${BENCH_DIR:-/tmp/report-lint-bench}/FORMAT-COUNT and reused.
# Peak memory needs GNU time (/usr/bin/time; `apt-get install time`).
set -euo pipefail
cd "$(dirname "$0")/.."

format=${1:-text}
count=${2:-10000}
jobs=${3:-}
case "$format" in
  text) ext=txt ;;
  html) ext=html ;;
  docx) ext=docx ;;
  *) echo "usage: $0 [text|html|docx] [COUNT] [JOBS]" >&2; exit 2 ;;
esac
if [[ ! -x /usr/bin/time ]]; then
  echo "error: /usr/bin/time (GNU time) is needed for peak memory: apt-get install time" >&2
  exit 2
fi

cargo build --release --quiet --bin report-lint --example gen-corpus
bin=target/release/report-lint
root=${BENCH_DIR:-/tmp/report-lint-bench}
dir=$root/$format-$count
if [[ ! -f $dir/injected.tsv ]]; then
  rm -rf "$dir"
  target/release/examples/gen-corpus --count "$count" --seed 1 --format "$format" --out "$dir"
fi
# Select the format's files explicitly, whatever the default include list is.
cfg=$root/bench-$ext.toml
printf 'include = ["*.%s"]\n' "$ext" > "$cfg"
bytes=$(find "$dir" -name "*.$ext" -printf '%s\n' | awk '{s += $1} END {print s}')
# Warm the page cache so the figure is the linter's, not the disk's.
cat "$dir"/*."$ext" > /dev/null

args=(check --config "$cfg" --format json --timings)
if [[ -n $jobs ]]; then args+=(-j "$jobs"); fi
load=$(cut -d' ' -f1-3 /proc/loadavg)
log=$(mktemp)
out=$(mktemp)
set +e
/usr/bin/time -v "$bin" "${args[@]}" "$dir" > "$out" 2> "$log"
status=$?
set -e
if [[ $status -gt 1 ]]; then
  echo "note: exit status $status (files unreadable or a rule failed); first lines of stderr:" >&2
  grep -v '^\s' "$log" | head -5 >&2
fi
unreadable=$(grep -c '"error": "' "$out" || true)
wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
secs=$(awk -v t="$wall" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }')
rss_kb=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
cpu=$(grep 'Percent of CPU' "$log" | awk '{print $NF}')
user=$(grep 'User time (seconds)' "$log" | awk '{print $NF}')
sys=$(grep 'System time (seconds)' "$log" | awk '{print $NF}')

echo
echo "== report-lint batch benchmark: $count $format reports, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "command: $bin ${args[*]} $dir"
echo "load average before the run: $load (other work on the machine slows the wall-clock figures)"
awk -v n="$count" -v b="$bytes" -v s="$secs" -v m="$rss_kb" -v c="$cpu" -v u="$user" -v y="$sys" 'BEGIN {
  printf "wall time     %.2f s (CPU %s)\n", s, c
  printf "reports/s     %.0f\n", n / s
  printf "CPU/report    %.2f ms (user+sys %.1f s; %.0f reports per CPU-second)\n", (u + y) * 1000 / n, u + y, n / (u + y)
  printf "MB/s          %.2f  (%.1f MB in)\n", b / 1e6 / s, b / 1e6
  printf "peak memory   %.1f MB (max RSS)\n", m / 1024
}'
if [[ $unreadable -gt 0 ]]; then
  echo "unreadable    $unreadable files (is the $format reader in this build?)"
fi
# The phase split, from --timings (milliseconds summed over threads).
awk -F'|' '/^(read|parse|rules|render) / { gsub(/ /, "", $1); gsub(/ /, "", $2); gsub(/ /, "", $3); printf "%-13s %10.1f ms  %s\n", $1, $2, $3 }' "$log"
awk -F'|' '/^(parse|rules) / { gsub(/ /, "", $1); v[$1] = $2 } END { if (v["parse"] > 0) printf "rules/parse   %.2f\n", v["rules"] / v["parse"] }' "$log"
echo "slowest rules:"
awk '/^Rule /{on=1; getline; next} on && NF {print "  " $0}' "$log" | head -5

# One report, start-up included (the pre-publication case): best of 10 runs.
one=$(find "$dir" -name "*.$ext" | sort | head -1)
best=999999
for _ in $(seq 10); do
  t0=$(date +%s%N)
  "$bin" check --config "$cfg" "$one" > /dev/null || true
  t1=$(date +%s%N)
  ms=$(( (t1 - t0) / 1000000 ))
  if (( ms < best )); then best=$ms; fi
done
echo "one report    ${best} ms including start-up (best of 10)"
rm -f "$log" "$out"
