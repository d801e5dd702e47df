# vtape-create: --capacity 4M
# Writing past a small capacity: st's early-warning pattern (st-driver.md §5): writes succeed
# until the early warning, the next one gives ENOSPC, then writes alternate (one succeeds, one
# ENOSPC) until the physical end gives two failures in a row; everything written reads back.
# cost: 4
. /tapekit/lib.sh
rc=0
mkdir -p /tmp/ew
dd if=/dev/urandom of=/tmp/ew/src bs=64k count=200 status=none
$MTST -f "$TAPE" rewind
exec 3>"$TAPE"
i=0; pattern=""; prev=S; ok_list=""
while [ "$i" -lt 200 ]; do
  if dd if=/tmp/ew/src bs=64k skip="$i" count=1 status=none >&3 2>/tmp/ew/err; then
    r=S; ok_list="$ok_list $i"
  elif grep -q 'No space left on device' /tmp/ew/err; then r=N
  else r=E; say "write $i: $(cat /tmp/ew/err)"; fi
  pattern="$pattern$r"
  i=$((i + 1))
  [ "$r" != S ] && [ "$prev" != S ] && break
  prev=$r
done
exec 3>&-
say "write results (S ok, N ENOSPC, E other error): $pattern"
# S..S (at least one), N, then (S N)* alternation, ending in two failures.
echo "$pattern" | grep -Eq '^S+N(SN)*[NE]$' || { echo "unexpected early-warning pattern"; rc=1; }
first_n=$(echo "$pattern" | sed 's/N.*//' | wc -c)
say "first ENOSPC at write $first_n of a 4 MiB cartridge (64 KiB records)"
$MTST -f "$TAPE" status | sed 's/^/  status: /'

# Everything written reads back intact, in order, then a filemark (or end of data).
: >/tmp/ew/expected
for j in $ok_list; do dd if=/tmp/ew/src bs=64k skip="$j" count=1 status=none >>/tmp/ew/expected; done
$MTST -f "$TAPE" rewind
n=$(echo $ok_list | wc -w)
dd if="$TAPE" of=/tmp/ew/back bs=64k count="$n" status=none || { echo "read back failed"; rc=1; }
same "records written before and in the early-warning zone" /tmp/ew/expected /tmp/ew/back || rc=1
exit $rc
