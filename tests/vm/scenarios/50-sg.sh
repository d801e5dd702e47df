# sg_inq and sg_raw through /dev/sg0 and /dev/nst0 agree with the emulator: INQUIRY (TAPEKIT,
# VTAPE LTO-5, 0001, tape, removable), READ BLOCK LIMITS (1 .. 0xFFFFFF, the emulator's
# MIN/MAX_BLOCK_LEN), READ POSITION (short form, SSC-3: BOP flag, first = last block = what st's
# tell and the emulator's persisted position say).
# cost: 3
. /tapekit/lib.sh
rc=0
hex() { od -An -tx1 -v "$1" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'; }
raw() { # device out length cdb...
  _d=$1; _o=$2; _n=$3; shift 3
  sg_raw -r "$_n" -o "$_o" "$_d" "$@" 2>/tmp/sg.err || { echo "sg_raw $* on $_d failed:"; cat /tmp/sg.err; rc=1; }
}
# 5 x 1 KiB, FM (block 5), 3 x 2 KiB, FM (block 9), EOD at 10.
$MTST -f "$TAPE" rewind
dd if=/dev/zero of="$TAPE" bs=1k count=5 status=none
dd if=/dev/zero of="$TAPE" bs=2k count=3 status=none

sg_inq "$SG" >/tmp/inq.sg || rc=1
sg_inq "$TAPE" >/tmp/inq.st || rc=1
same "sg_inq on $SG vs $TAPE" /tmp/inq.sg /tmp/inq.st || rc=1
for want in 'PDT=1' 'RMB=1' 'Vendor identification: TAPEKIT' 'Product identification: VTAPE LTO-5' \
  'Product revision level: 0001'; do
  grep -q "$want" /tmp/inq.sg || { echo "sg_inq: missing '$want'"; rc=1; }
done
sg_inq -p 0x80 "$SG" | grep -i 'serial number' | sed 's/^/  /'

raw "$SG" /tmp/rbl.sg 6 05 00 00 00 00 00
raw "$TAPE" /tmp/rbl.st 6 05 00 00 00 00 00
[ "$(hex /tmp/rbl.sg)" = "00 ff ff ff 00 01" ] || { echo "READ BLOCK LIMITS: $(hex /tmp/rbl.sg)"; rc=1; }
same "READ BLOCK LIMITS on $SG vs $TAPE" /tmp/rbl.sg /tmp/rbl.st || rc=1

# position command, expected block
for step in "rewind:0" "fsf 1:6" "seek 8:8" "fsr 1:9" "eod:10" "bsf 2:5" "seek 3:3"; do
  cmd="${step%%:*}"; want="${step##*:}"
  # shellcheck disable=SC2086
  $MTST -f "$TAPE" $cmd || { echo "mt-st $cmd failed"; rc=1; }
  raw "$SG" /tmp/rp.sg 20 34 00 00 00 00 00 00 00 00 00
  raw "$TAPE" /tmp/rp.st 20 34 00 00 00 00 00 00 00 00 00
  same "READ POSITION after $cmd on $SG vs $TAPE" /tmp/rp.sg /tmp/rp.st || rc=1
  set -- $(od -An -tu1 -v /tmp/rp.sg)
  flags=$1; part=$2; first=$(( ($5 << 24) | ($6 << 16) | ($7 << 8) | $8 ))
  last=$(( ($9 << 24) | (${10} << 16) | (${11} << 8) | ${12} ))
  bop=$(( (flags & 128) != 0 )); expect_bop=$(( want == 0 ))
  tell="$($MTST -f "$TAPE" tell)"; ours="$($MT -f "$TAPE" tell)"
  say "$cmd: READ POSITION $(hex /tmp/rp.sg | cut -c1-36)... first=$first last=$last; mt-st: $tell; mt: $ours"
  [ "$first" = "$want" ] && [ "$last" = "$want" ] && [ "$part" = 0 ] && [ "$bop" = "$expect_bop" ] ||
    { echo "READ POSITION after $cmd: want block $want (BOP $expect_bop)"; rc=1; }
  [ "$tell" = "At block $want." ] && [ "$ours" = "$tell" ] || { echo "tell disagrees"; rc=1; }
done
# The emulator's persisted position after serve ends is the same.
serve_stop || { echo "serve stop failed"; rc=1; }
got="$($MT -f "$VT" tell)"
[ "$got" = "At block 3." ] || { echo "emulator (mt on $VT) after serve: $got"; rc=1; }
exit $rc
