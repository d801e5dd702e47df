#!/usr/bin/env bash
# Benchmark of issue 8: `tapetar create` against the seed's two-pass pipeline and GNU tar,
# on the corpus of shared/reference/tar-format.md §9 (20 × 64 MiB + 20,000 × 4 KiB random
# files in 20 × 10 directories), warm page cache, one warm-up then RUNS timed runs of each
# command with /usr/bin/time; medians. Also measures the single-core SHA-256 rate in the same
# run (openssl speed, and the archive crate's sha256_rate example) and checks the floors:
#   - tapetar create at least 4× faster (wall, median) than the seed two-pass pipeline;
#   - tapetar's hashing rate (data_bytes / hash_s from --stats-json: time inside SHA-256) at least 80 % of the
#     single-core SHA-256 rate (openssl's when available, else the sha2 example's).
#
# Usage: bench/tapetar.sh [-d DIR] [-n RUNS] [-o CMD,CMD...] [--no-build] [--rebuild-corpus]
#   -d DIR   where the corpus and scratch files live (default /var/tmp/tapekit-bench, ~1.5 GB)
#   -n RUNS  timed runs per command (default 5, at least 5 for the acceptance figures)
#   -o LIST  run only these commands (names as in the report: tapetar_null, tapetar_stdout,
#            seed, seed_mbuffer, gnutar, sha256)
# Environment: TAPETAR (binary, default target/release/tapetar), TAPETAR_ARGS (extra create
# options, e.g. "-m 1G -P 0"), MBUFFER_MEM (mbuffer -m of the seed variant, default 1G),
# SHA_SECONDS (openssl speed -seconds, default 3).
# Exit status: 0 when every command ran and both floors hold, 1 when a floor fails,
# 2 on a setup or command error.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=/var/tmp/tapekit-bench
RUNS=5
ONLY=""
BUILD=1
REBUILD_CORPUS=0
while [ $# -gt 0 ]; do
    case $1 in
        -d) DIR=$2; shift 2 ;;
        -n) RUNS=$2; shift 2 ;;
        -o) ONLY=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --rebuild-corpus) REBUILD_CORPUS=1; shift ;;
        -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "tapetar.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
case $RUNS in ''|*[!0-9]*) echo "tapetar.sh: -n needs a number" >&2; exit 2 ;; esac
[ "$RUNS" -ge 1 ] || { echo "tapetar.sh: -n must be at least 1" >&2; exit 2; }
[ "$RUNS" -ge 5 ] || echo "note: fewer than 5 runs; the acceptance figures need at least 5" >&2

TAPETAR=${TAPETAR:-$ROOT/target/release/tapetar}
SHA_EXAMPLE=$ROOT/target/release/examples/sha256_rate
MBUFFER_MEM=${MBUFFER_MEM:-1G}
SHA_SECONDS=${SHA_SECONDS:-3}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "tapetar.sh: $TIME (GNU time) is needed" >&2; exit 2; }
command -v tar >/dev/null || { echo "tapetar.sh: GNU tar is needed" >&2; exit 2; }

selected() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }

# ---------------------------------------------------------------- build
if [ "$BUILD" = 1 ]; then
    echo "== building (release)" >&2
    (cd "$ROOT" && cargo build --release -q -p archive --example sha256_rate) \
        || { echo "tapetar.sh: building sha256_rate failed" >&2; exit 2; }
    (cd "$ROOT" && cargo build --release -q -p tapekit-tools --bin tapetar) \
        || echo "warning: building tapetar failed; its rows are skipped" >&2
fi

# ---------------------------------------------------------------- corpus (§9)
mkdir -p "$DIR"
CORPUS=$DIR/corpus
STAMP=$DIR/corpus.done   # outside the corpus, so it is not archived
if [ "$REBUILD_CORPUS" = 1 ] || [ ! -e "$STAMP" ]; then
    echo "== building the corpus in $CORPUS" >&2
    rm -rf "$CORPUS" "$STAMP"
    for d in $(seq -w 0 19); do
        mkdir -p "$CORPUS/dir$d"
        head -c $((64 << 20)) /dev/urandom > "$CORPUS/dir$d/big.bin"
        for s in $(seq 0 9); do
            mkdir -p "$CORPUS/dir$d/sub$s"
            # 100 random 4 KiB files f000..f099 from one stream.
            head -c $((100 * 4096)) /dev/urandom \
                | split -b 4096 -a 3 -d - "$CORPUS/dir$d/sub$s/f"
        done
    done
    touch "$STAMP"
fi
cd "$DIR"
find corpus -type f -print0 | sort -z > list0
find corpus -type f | sort > list
FILES=$(wc -l < list)
BYTES=$(find corpus -type f -printf '%s\n' | awk '{s += $1} END {printf "%d", s}')
echo "== corpus: $FILES files, $BYTES bytes" >&2
# 20 × 64 MiB + 20,000 × 4 KiB of file data. (§9 prints 1,425,010,688 bytes, 913,408 more
# than its own file sizes add up to; the file counts and sizes are what matter.)
[ "$FILES" = 20020 ] && [ "$BYTES" = 1424097280 ] \
    || echo "warning: corpus differs from §9 (20,020 files, 1,424,097,280 bytes of data)" >&2
WORK=$DIR/work
mkdir -p "$WORK"

# ---------------------------------------------------------------- commands
# The tapetar step: one pass producing the archive, the manifest and the listing, as the
# seed does (label, exclude, file list, no recursion). Adjust here if the CLI changes.
tapetar_create() {  # $1 = -f target; prints the command line
    printf '%q create -f %s --label TESTVOL -b 512 --exclude .DS_Store --no-recursion -T list' \
        "$TAPETAR" "$1"
    printf ' --manifest %q --listing %q --stats-json %q %s' \
        "$WORK/tapetar.sha256sum" "$WORK/tapetar.filelist" "$WORK/stats.json" "${TAPETAR_ARGS:-}"
}
SEED_HASH="xargs -0 sha256sum < list0 > $WORK/seed.sha256sum"
SEED_TAR="tar --label=TESTVOL -b512 -cvf - --exclude=.DS_Store --no-recursion --files-from=list 2>$WORK/filelist.txt"

declare -a NAMES CMDS
add() { if selected "$1"; then NAMES+=("$1"); CMDS+=("$2"); fi; }
if [ -x "$TAPETAR" ]; then
    add tapetar_null "$(tapetar_create /dev/null)"
    add tapetar_stdout "$(tapetar_create -) | cat > /dev/null"
else
    echo "warning: $TAPETAR not found; tapetar rows skipped" >&2
fi
add seed "$SEED_HASH && $SEED_TAR | cat > /dev/null"
if command -v mbuffer >/dev/null; then
    add seed_mbuffer "$SEED_HASH && $SEED_TAR | mbuffer -q -m $MBUFFER_MEM -P 80 -s 262144 -o /dev/null 2>>$WORK/mbuffer.err"
fi
add gnutar "tar -b512 -cf - corpus | cat > /dev/null"

# ---------------------------------------------------------------- timing
median() { sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
json_num() {  # $1 = field, $2 = file
    sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\([0-9.eE+-]*\).*/\1/p" "$2" | head -n 1
}

declare -A WALL CPU RSS HASHRATE
STATUS=0
for i in "${!NAMES[@]}"; do
    name=${NAMES[$i]}
    cmd=${CMDS[$i]}
    echo "== $name: $cmd" >&2
    : > "$WORK/$name.times"
    : > "$WORK/$name.hashrates"
    for run in $(seq 0 "$RUNS"); do   # run 0 is the warm-up
        if ! "$TIME" -f '%e %U %S %M' -o "$WORK/time.out" bash -o pipefail -c "$cmd"; then
            echo "error: $name failed (run $run)" >&2
            STATUS=2
            continue 2
        fi
        [ "$run" = 0 ] && continue
        tail -n 1 "$WORK/time.out" >> "$WORK/$name.times"
        if [[ $name == tapetar_* ]] && [ -f "$WORK/stats.json" ]; then
            data=$(json_num data_bytes "$WORK/stats.json")
            hs=$(json_num hash_s "$WORK/stats.json")
            [ -n "$data" ] && [ -n "$hs" ] \
                && awk -v b="$data" -v s="$hs" 'BEGIN {if (s > 0) printf "%.4f\n", b / s / 1e9}' \
                    >> "$WORK/$name.hashrates"
        fi
    done
    WALL[$name]=$(awk '{print $1}' "$WORK/$name.times" | median)
    CPU[$name]=$(awk '{print $2 + $3}' "$WORK/$name.times" | median)
    RSS[$name]=$(awk '{print $4}' "$WORK/$name.times" | median)
    [ -s "$WORK/$name.hashrates" ] && HASHRATE[$name]=$(median < "$WORK/$name.hashrates")
    echo "   wall s: $(awk '{printf "%s ", $1}' "$WORK/$name.times")" >&2
done

# ---------------------------------------------------------------- SHA-256 single-core rate
OPENSSL_RATE=""
RUST_RATE=""
if selected sha256; then
    if command -v openssl >/dev/null; then
        echo "== sha256: openssl speed -evp sha256 -bytes 1048576 -seconds $SHA_SECONDS" >&2
        # "sha256  2084123.45k": thousands of bytes per second.
        OPENSSL_RATE=$(openssl speed -evp sha256 -bytes 1048576 -seconds "$SHA_SECONDS" 2>/dev/null \
            | awk '/^sha256/ {v = $NF} END {if (v != "") {sub(/k$/, "", v); printf "%.3f", v / 1e6}}')
    fi
    if [ -x "$SHA_EXAMPLE" ]; then
        echo "== sha256: archive example sha256_rate (1 GiB, 1 MiB updates)" >&2
        RUST_RATE=$("$SHA_EXAMPLE" 1024 3 2>/dev/null) || RUST_RATE=""
    fi
fi

# ---------------------------------------------------------------- report
echo
echo "tapetar benchmark: $FILES files, $BYTES bytes, $RUNS runs + 1 warm-up, medians ($(date -u +%FT%TZ), $(nproc) CPUs)"
printf '%-16s %9s %9s %9s %10s %14s\n' command "wall s" "GB/s" "CPU s" "maxRSS MB" "hash GB/s"
for name in "${NAMES[@]}"; do
    [ -n "${WALL[$name]:-}" ] || { printf '%-16s %9s\n' "$name" failed; continue; }
    awk -v n="$name" -v w="${WALL[$name]}" -v c="${CPU[$name]}" -v r="${RSS[$name]}" \
        -v h="${HASHRATE[$name]:--}" -v b="$BYTES" \
        'BEGIN {printf "%-16s %9.2f %9.2f %9.2f %10.0f %14s\n", n, w, (w > 0 ? b / w / 1e9 : 0), c, r / 1024, h}'
done
[ -n "$OPENSSL_RATE" ] && echo "SHA-256 single core, openssl speed (1 MiB blocks): $OPENSSL_RATE GB/s"
[ -n "$RUST_RATE" ] && echo "SHA-256 single core, sha2 crate (sha256_rate example): $RUST_RATE GB/s"

# Same bytes, same order: tapetar's manifest must equal the seed's sha256sum output.
if [ -s "$WORK/tapetar.sha256sum" ] && [ -s "$WORK/seed.sha256sum" ]; then
    if cmp -s "$WORK/tapetar.sha256sum" "$WORK/seed.sha256sum"; then
        echo "manifest: tapetar's equals sha256sum's (seed)"
    else
        echo "manifest: tapetar's DIFFERS from sha256sum's (seed)"
        STATUS=2
    fi
fi

REF_RATE=${OPENSSL_RATE:-$RUST_RATE}
check() {  # $1 label, $2 value, $3 floor
    if [ -z "$2" ]; then
        echo "$1: n/a"
        return
    fi
    if awk -v v="$2" -v f="$3" 'BEGIN {exit !(v >= f)}'; then
        echo "$1: $2 (floor $3) PASS"
    else
        echo "$1: $2 (floor $3) FAIL"
        [ "$STATUS" = 0 ] && STATUS=1
    fi
}
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b}'; }
T=${WALL[tapetar_null]:-}
check "speed-up seed / tapetar create -f /dev/null" "$(ratio "${WALL[seed]:-}" "$T" || true)" 4
[ -n "${WALL[tapetar_stdout]:-}" ] \
    && echo "speed-up seed / tapetar create -f - | cat: $(ratio "${WALL[seed]:-}" "${WALL[tapetar_stdout]}" || true)"
[ -n "${WALL[seed_mbuffer]:-}" ] && [ -n "$T" ] \
    && echo "speed-up seed+mbuffer / tapetar: $(ratio "${WALL[seed_mbuffer]}" "$T" || true)"
[ -n "${WALL[gnutar]:-}" ] && [ -n "$T" ] \
    && echo "tapetar / GNU tar alone (wall): $(ratio "$T" "${WALL[gnutar]}" || true)"
check "tapetar hash rate / single-core SHA-256" \
    "$(ratio "${HASHRATE[tapetar_null]:-}" "$REF_RATE" || true)" 0.80
[ -n "$RUST_RATE" ] && [ -n "$OPENSSL_RATE" ] \
    && echo "tapetar hash rate / sha2 crate rate: $(ratio "${HASHRATE[tapetar_null]:-}" "$RUST_RATE" || true)"
exit "$STATUS"
