# dd round trips through st: variable mode (1 KiB, 256 KiB and a 100-byte record), a read
# with a too-small buffer (ENOMEM, the record is consumed), fixed mode (setblk 512, 4 KiB
# writes = 8 blocks each), and `tell` after each file.
# cost: 4
. /tapekit/lib.sh
rc=0
check_tell() { # expected label
  got="$($MTST -f "$TAPE" tell)"
  [ "$got" = "At block $1." ] || { echo "tell after $2: expected 'At block $1.', got '$got'"; rc=1; }
}
dd if=/dev/urandom of=/tmp/a bs=1M count=1 status=none
dd if=/dev/urandom of=/tmp/b bs=64k count=1 status=none
dd if=/dev/urandom of=/tmp/c bs=100 count=1 status=none
dd if=/dev/urandom of=/tmp/big bs=256k count=8 status=none

# Variable mode: one write() = one record; st writes a filemark on close.
$MTST -f "$TAPE" rewind
dd if=/tmp/a of="$TAPE" bs=1k status=none || rc=1        # file 0: 1024 records, FM 1024
check_tell 1025 "1024 x 1 KiB"
dd if=/tmp/big of="$TAPE" bs=256k status=none || rc=1    # file 1: 8 records 1025-1032, FM 1033
check_tell 1034 "8 x 256 KiB"
dd if=/tmp/c of="$TAPE" bs=100 status=none || rc=1       # file 2: 1 record 1034, FM 1035
check_tell 1036 "1 x 100 B"

$MTST -f "$TAPE" rewind
dd if="$TAPE" of=/tmp/a2 bs=1k status=none || rc=1       # stops at the filemark (read returns 0)
same "1 KiB records" /tmp/a /tmp/a2 || rc=1
dd if="$TAPE" of=/tmp/big2 bs=256k status=none || rc=1
same "256 KiB records" /tmp/big /tmp/big2 || rc=1
dd if="$TAPE" of=/tmp/c2 bs=256k status=none || rc=1     # short record into a large buffer (ILI)
same "100-byte record" /tmp/c /tmp/c2 || rc=1
check_tell 1036 "reading three files"
n="$(dd if="$TAPE" bs=256k 2>&1 | grep -c '^0+0 records in')"
[ "$n" = 1 ] || { echo "read at end of data: expected 0 records"; rc=1; }

# A 256 KiB record read with a 64 KiB buffer: ENOMEM, and the record is gone (st.rst).
$MTST -f "$TAPE" rewind
$MTST -f "$TAPE" fsf 1
if dd if="$TAPE" of=/dev/null bs=64k count=1 2>/tmp/err; then
  echo "a 64 KiB read of a 256 KiB record succeeded"; rc=1
fi
grep -q 'Cannot allocate memory' /tmp/err || { echo "expected ENOMEM:"; cat /tmp/err; rc=1; }
check_tell 1026 "the ENOMEM read"

# Fixed mode: 512-byte blocks, 4 KiB per write.
$MTST -f "$TAPE" setblk 512 || rc=1
$MTST -f "$TAPE" status | grep -q 'Tape block size 512 bytes' || { echo "setblk 512 not shown"; rc=1; }
$MTST -f "$TAPE" eod
check_tell 1036 "eod"
dd if=/tmp/b of="$TAPE" bs=4k status=none || rc=1        # file 3: 128 blocks 1036-1163, FM 1164
check_tell 1165 "128 x 512 B fixed"
if dd if=/tmp/c of="$TAPE" bs=100 count=1 2>/tmp/err; then
  echo "a 100-byte write in 512-byte fixed mode succeeded"; rc=1
fi
grep -q 'Invalid argument' /tmp/err || { echo "expected EINVAL:"; cat /tmp/err; rc=1; }
$MTST -f "$TAPE" rewind
$MTST -f "$TAPE" fsf 3
dd if="$TAPE" of=/tmp/b2 bs=4k status=none || rc=1
same "fixed 512-byte blocks" /tmp/b /tmp/b2 || rc=1
$MTST -f "$TAPE" setblk 0 || rc=1
exit $rc
