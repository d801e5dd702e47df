#!/usr/bin/env bash
# Benchmark of `mbuf` against mbuffer and cat in the same run (issue 7 acceptance;
# method and baseline: /work/shared/reference/mbuffer.md §8).
#
#   bench/mbuf.sh                 build mbuf (release) and run every case
#
# Cases (X = mbuffer, mbuf; cat as the pipe-speed reference):
#   dev-null   head -c ${BENCH_GIB}G /dev/zero | X -q -m 1G -s 256k -o /dev/null    (cat: | cat >/dev/null)
#   mid-pipe   head -c ${BENCH_GIB}G /dev/zero | X -q -m 1G -s 256k | cat >/dev/null (cat: | cat | cat)
#   slow       head -c ${BENCH_SLOW_GIB}G /dev/zero | X -q -m 1G -s 256k | pv -q -L 400m >/dev/null
#              (skipped when pv is missing)
# Rounds interleave the tools (mbuffer, cat, mbuf, mbuffer, ...) so that drift on a shared host
# hits all of them alike; every figure is the median over the rounds.
#
# Reported per case and tool: wall s of the whole pipeline, GB/s (10^9 bytes / wall), CPU s/GiB
# of the tool alone and its max RSS, the largest over the rounds (`/usr/bin/time -f '%e %U %S %M'`
# around the middle program). The raw per-run lines follow the table.
#
# Floors (exit status 1 if one fails): mbuf throughput >= 1.3x mbuffer on dev-null and >= 1.5x
# on mid-pipe; mbuf CPU s/GiB <= 0.7x mbuffer's on both; mbuf peak RSS <= ring (1 GiB) + 16 MiB
# on every case.
#
# Environment:
#   BENCH_GIB       GiB streamed in dev-null and mid-pipe (default 8)
#   BENCH_SLOW_GIB  GiB streamed in the slow-consumer case (default 2; 0 skips it)
#   BENCH_RUNS      rounds (default 5; the acceptance asks for at least 5)
#   MBUF            mbuf binary (default: target/release/mbuf, built by this script)
#   MBUFFER         mbuffer binary (default /usr/bin/mbuffer)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
GIB="${BENCH_GIB:-8}"
SLOW_GIB="${BENCH_SLOW_GIB:-2}"
RUNS="${BENCH_RUNS:-5}"
MBUFFER="${MBUFFER:-/usr/bin/mbuffer}"
RING_MIB=1024

die() { echo "bench/mbuf.sh: $*" >&2; exit 2; }
[ -x /usr/bin/time ] || die "/usr/bin/time is needed (apt-get install time)"
[ -x "$MBUFFER" ] || die "$MBUFFER is needed (apt-get install mbuffer)"
if [ -z "${MBUF:-}" ]; then
  (cd "$ROOT" && cargo build -q --release -p tapekit-tools --bin mbuf) || die "cargo build failed"
  MBUF="${CARGO_TARGET_DIR:-$ROOT/target}/release/mbuf"
fi
[ -x "$MBUF" ] || die "$MBUF missing"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
TF="$WORK/time"

# One measurement: case tool gib → "wall user sys maxrss_kib" of the pipeline / tool alone.
measure() { # case tool gib
  local c="$1" tool="$2" gib="$3" t0 t1 bin args=(-q -m 1G -s 256k)
  case "$tool" in mbuf) bin="$MBUF" ;; mbuffer) bin="$MBUFFER" ;; cat) bin=cat; args=() ;; esac
  local timed=(/usr/bin/time -f '%e %U %S %M' -o "$TF" "$bin" "${args[@]}")
  t0=$(date +%s.%N)
  case "$c/$tool" in
    dev-null/cat) head -c "${gib}G" /dev/zero | "${timed[@]}" >/dev/null ;;
    dev-null/*) head -c "${gib}G" /dev/zero | "${timed[@]}" -o /dev/null ;;
    mid-pipe/*) head -c "${gib}G" /dev/zero | "${timed[@]}" | cat >/dev/null ;;
    slow/*) head -c "${gib}G" /dev/zero | "${timed[@]}" | pv -q -L 400m >/dev/null ;;
  esac
  t1=$(date +%s.%N)
  # /usr/bin/time writes "Command exited with non-zero status N" first on failure.
  grep -q 'non-zero status' "$TF" && { echo "$tool failed in $c: $(cat "$TF")" >&2; return 1; }
  awk -v a="$t0" -v b="$t1" '{ printf "%.3f %s %s %s\n", b - a, $2, $3, $4 }' "$TF"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

CASES=(dev-null mid-pipe)
if [ "$SLOW_GIB" != 0 ]; then
  if command -v pv >/dev/null; then CASES+=(slow); else echo "note: pv missing, slow-consumer case skipped" >&2; fi
fi

declare -A WALL GBS CPU RSS
echo "mbuf bench: ${GIB} GiB (slow: ${SLOW_GIB} GiB), $RUNS rounds, $(nproc) CPUs, $(uname -r)"
echo "  mbuf:    $MBUF"
echo "  mbuffer: $MBUFFER ($("$MBUFFER" -V 2>&1 | head -n 1))"
for c in "${CASES[@]}"; do
  gib="$GIB"; [ "$c" = slow ] && gib="$SLOW_GIB"
  : >"$WORK/$c"
  for ((r = 1; r <= RUNS; r++)); do
    for tool in mbuffer cat mbuf; do
      line="$(measure "$c" "$tool" "$gib")" || exit 1
      echo "$tool $line" >>"$WORK/$c"
    done
  done
  for tool in mbuffer cat mbuf; do
    k="$c/$tool"
    WALL[$k]="$(awk -v t="$tool" '$1 == t { print $2 }' "$WORK/$c" | median)"
    CPU[$k]="$(awk -v t="$tool" -v g="$gib" '$1 == t { printf "%.4f\n", ($3 + $4) / g }' "$WORK/$c" | median)"
    RSS[$k]="$(awk -v t="$tool" '$1 == t { printf "%.1f\n", $5 / 1024 }' "$WORK/$c" | sort -g | tail -n 1)"
    GBS[$k]="$(awk -v w="${WALL[$k]}" -v g="$gib" 'BEGIN { printf "%.2f", g * 1073741824 / w / 1e9 }')"
  done
done

echo
printf '%-9s %-8s %8s %7s %12s %12s\n' case tool "wall s" "GB/s" "CPU s/GiB" "maxRSS MiB"
for c in "${CASES[@]}"; do
  for tool in mbuffer cat mbuf; do
    k="$c/$tool"
    printf '%-9s %-8s %8s %7s %12s %12s\n' "$c" "$tool" "${WALL[$k]}" "${GBS[$k]}" "${CPU[$k]}" "${RSS[$k]}"
  done
done

echo
echo "raw runs (tool wall user sys maxrss_kib):"
for c in "${CASES[@]}"; do sed "s/^/  $c /" "$WORK/$c"; done
echo
fail=0
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "inf"; else printf "%.2f", a / b }'; }
check() { # label value op floor
  local ok
  ok="$(awk -v v="$2" -v f="$4" -v op="$3" 'BEGIN { print (op == ">=" ? (v >= f) : (v <= f)) ? "PASS" : "FAIL" }')"
  printf '%-48s %8s %s %-6s %s\n' "$1" "$2" "$3" "$4" "$ok"
  [ "$ok" = PASS ] || fail=1
}
check "dev-null throughput mbuf/mbuffer" "$(ratio "${GBS[dev-null/mbuf]}" "${GBS[dev-null/mbuffer]}")" ">=" 1.3
check "mid-pipe throughput mbuf/mbuffer" "$(ratio "${GBS[mid-pipe/mbuf]}" "${GBS[mid-pipe/mbuffer]}")" ">=" 1.5
check "dev-null CPU s/GiB mbuf/mbuffer" "$(ratio "${CPU[dev-null/mbuf]}" "${CPU[dev-null/mbuffer]}")" "<=" 0.7
check "mid-pipe CPU s/GiB mbuf/mbuffer" "$(ratio "${CPU[mid-pipe/mbuf]}" "${CPU[mid-pipe/mbuffer]}")" "<=" 0.7
for c in "${CASES[@]}"; do
  check "$c peak RSS mbuf (MiB)" "${RSS[$c/mbuf]}" "<=" "$((RING_MIB + 16))"
done
[ "$fail" = 0 ] && echo "all floors met" || echo "FLOOR FAILED"
exit "$fail"
