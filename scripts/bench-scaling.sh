#!/usr/bin/env bash
# Scaling benchmark (issue 14): CPU time and peak memory of `check` on one report
# of 1, 2, 4 and 8 MB in several shapes (written below), in JSON and
# human output. Every per-report step should be linear: doubling the size
# should about double the time, whatever the shape.
#
#   scripts/bench-scaling.sh [SIZES…]     (default: 1 2 4 8)
#
# Needs GNU time (/usr/bin/time; `apt-get install time`). Files are written to
# ${BENCH_DIR:-/tmp/report-lint-bench}/big.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
if [[ ${#sizes[@]} -eq 0 ]]; then sizes=(1 2 4 8); fi
if [[ ! -x /usr/bin/time ]]; then
  echo "error: /usr/bin/time (GNU time) is needed: apt-get install time" >&2
  exit 2
fi
cargo build --release --quiet --bin report-lint
dir=${BENCH_DIR:-/tmp/report-lint-bench}/big
mkdir -p "$dir"
seed=fixtures/seeds/001.txt
# The shapes, each written to exactly MB megabytes (a last character may be cut:
# that exercises the reader's bad-byte path too):
#   repeated     seed 001 over and over
#   one-line     the same with every line break a space (a crawler's text)
#   replacement  seed 001, then lines full of U+FFFD (a mis-decoded file)
#   headings     part and sub-headings, over and over
#   table-rows   seed 001, then pipe-table rows of numbers
fffd=$(printf '\xef\xbf\xbd好%.0s' $(seq 40))
set +o pipefail # `yes` ends on SIGPIPE when `head` has enough
for mb in "${sizes[@]}"; do
  n=$((mb << 20))
  yes -- "$(cat "$seed")" | head -c "$n" > "$dir/repeated-${mb}mb.txt"
  yes -- "$(cat "$seed")" | head -c "$n" | tr '\n' ' ' > "$dir/one-line-${mb}mb.txt"
  { cat "$seed"; yes -- "$fffd"; } | head -c "$n" > "$dir/replacement-${mb}mb.txt"
  yes -- "$(printf '一、总体情况\n（一）主动公开\n本年度主动公开政府信息。\n二、主动公开政府信息情况\n（二）依申请公开')" |
    head -c "$n" > "$dir/headings-${mb}mb.txt"
  { cat "$seed"; yes -- '| 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 |'; } | head -c "$n" > "$dir/table-rows-${mb}mb.txt"
done
set -o pipefail
bin=target/release/report-lint
# Seconds are CPU time (user + system), which a busy machine does not inflate;
# MB is peak resident memory. exit: the JSON run's exit status (2 would mean a rule error or an unreadable file).
printf '%-12s %5s %8s %8s %8s %8s %5s\n' shape MB json_s json_MB human_s human_MB exit
for shape in repeated one-line replacement headings table-rows; do
  for mb in "${sizes[@]}"; do
    f=$dir/$shape-${mb}mb.txt
    row=()
    status=
    for format in json human; do
      stat=$(mktemp)
      code=0
      /usr/bin/time -o "$stat" -f '%U %S %M' "$bin" check --no-config -j 1 --format "$format" "$f" > /dev/null 2>&1 || code=$?
      status=${status:-$code}
      read -r user sys kib < <(tail -1 "$stat")
      rm -f "$stat"
      row+=("$(echo "$user $sys" | awk '{printf "%.2f", $1 + $2}')" "$((kib / 1024))")
    done
    printf '%-12s %5s %8s %8s %8s %8s %5s\n' "$shape" "$mb" "${row[@]}" "$status"
  done
done
