# Cartridge memory (MAM) on the served drive: ours (/usr/local/bin/mamattr) against sg3-utils'
# sg_read_attr (READ ATTRIBUTE) and sg_raw (WRITE ATTRIBUTE; this sg3-utils has no
# sg_write_attr), on /dev/sg0:
# - the attribute IDs `mamattr list` shows are the ones sg_read_attr's ATTRIBUTE LIST (SA 01,
#   -v prints the IDs) shows, in the same order;
# - every value agrees. Raw: for each ID, `mamattr read ID -o FILE` (5-byte header + value) is
#   compared with what `sg_read_attr -qq --filter=ID` prints, normalised only for how
#   sg_read_attr prints each kind: ASCII/TEXT as the bytes up to the first NUL; binary of
#   1-8 bytes as one number (decimal, or 0x-hex for the ones it shows in hex, "<unknown> [ff]"
#   for all-FF positions, bare hex for 0224h/0225h); the usage histories as 15 numbers;
#   anything else as a hex dump. Decoded: `mamattr get` equals sg_read_attr's value for plain
#   ASCII (trailing spaces trimmed; dates with their separators removed) and plain numbers.
# - `sg_read_attr --raw` saves the whole response; `mamattr --inhex FILE --raw list` decodes it
#   to exactly what `mamattr -f /dev/sg0 list` shows;
# - an attribute written by either tool is read back by the other (mamattr set / write of an
#   ITDT raw file → sg_read_attr; sg_raw WRITE ATTRIBUTE → mamattr get);
# - `read 0x0806 -o FILE` writes exactly `08 06 01 00 20` + "FJK670L6" + 24 spaces;
# - a read-only attribute is refused by mamattr before sending, and by the drive (sg_raw, sense
#   26/00) when sent raw; its value does not change.
# The comparison runs on both partitions of a two-partition cartridge (--partition / -p): the
# medium the harness made is replaced by one with two partitions (serve restarted).
# cost: 3
. /tapekit/lib.sh
OURS=/usr/local/bin/mamattr
W=/tmp/work
rc=0

# Hex of a file's bytes, lower case, no separators.
hexof() { od -An -v -tx1 "$1" | tr -d ' \n'; }
# The value bytes of an ITDT raw file (after the 5-byte header).
value_of() { tail -c +6 "$1"; }

serve_stop || fail "stopping vtape serve"
vtape create "$VT" --force --generation lto5 --capacity 256M --partitions 2 --partition-size 64M >/dev/null || fail "vtape create"
serve_start || fail "vtape serve (two partitions)"
sg_read_attr --sa=3 "$SG" | grep -q 'Number of partitions available: 2' ||
  { sg_read_attr --sa=3 "$SG"; fail "the cartridge does not report two partitions"; }

$OURS -f "$SG" set barcode FJK670L6 || fail "mamattr set barcode"
$OURS -f "$SG" set application-vendor TAPEKIT || fail "mamattr set application-vendor"
# A TEXT attribute (NUL padded) and a host vendor one (unknown to sg_read_attr: a hex dump).
$OURS -f "$SG" set user-label "vm label" || fail "mamattr set user-label"
$OURS -f "$SG" set 0x1400 0102abcd || fail "mamattr set 0x1400"

# sg_read_attr prints the value hex dump as " 00     xx xx ...  ascii" lines: the first $2 bytes.
dump_hex() { # file count
  awk -v n="$2" '/^ *[0-9a-f]+ /{ for (i = 2; i <= NF && i <= 17 && n > 0; i++) { printf "%s", $i; n-- } }' "$1"
}

# IDs and values of partition $1: ours vs sg_read_attr. Ours' list goes to $W/list.$1.txt.
compare_partition() { # partition
  _p=$1
  $OURS -f "$SG" -p "$_p" list >$W/list.$_p.txt 2>$W/list.err || { cat $W/list.err; fail "mamattr -p $_p list"; }
  say "mamattr -f $SG -p $_p list:"
  sed 's/^/    | /' $W/list.$_p.txt
  # ---- IDs: ours vs sg_read_attr's ATTRIBUTE LIST.
  awk 'NR > 1 { print $1 }' $W/list.$_p.txt >$W/ids.ours
  sg_read_attr -v --sa=1 -p "$_p" "$SG" 2>/dev/null | sed -n 's/^  0x\([0-9a-fA-F]\{4\}\):.*/\1/p' |
    tr 'a-f' 'A-F' | sed 's/^/0x/' >$W/ids.sg
  [ -s $W/ids.sg ] || fail "sg_read_attr --sa=1 -p $_p listed nothing"
  same "partition $_p attribute IDs (sg_read_attr --sa=1 vs mamattr list)" $W/ids.sg $W/ids.ours || rc=1
  say "partition $_p: $(wc -l <$W/ids.ours) attributes, the same IDs in both"
  # ---- Values, one by one.
  checked=0
  for id in $(cat $W/ids.ours); do
    sg_read_attr -qq -p "$_p" --filter="$id" "$SG" >$W/sg.val 2>$W/sg.err ||
      { echo "sg_read_attr --filter=$id failed: $(cat $W/sg.err)"; rc=1; continue; }
    $OURS -f "$SG" -p "$_p" read "$id" -o $W/raw.bin || { echo "mamattr read $id failed"; rc=1; continue; }
    value_of $W/raw.bin >$W/val.bin
    len=$(wc -c <$W/val.bin)
    vhex=$(hexof $W/val.bin)
    fmt=$(awk -v id="$id" '$1 == id { print $3 }' $W/list.$_p.txt)
    ours=$($OURS -f "$SG" -p "$_p" get "$id")
    theirs=$(cat $W/sg.val)
    first=$(head -n 1 $W/sg.val)
    ok=yes
    if [ "$fmt" = ascii ] || [ "$fmt" = text ]; then
      # printf("%.*s\n"): the bytes up to the first NUL, then a newline.
      { tr '\000' '\n' <$W/val.bin | head -n 1 | tr -d '\n'; echo; } >$W/want.val
      cmp -s $W/want.val $W/sg.val || ok=no
      # Decoded: trailing spaces trimmed; dates shown as YYYY-MM-DD[ HH:MM] by ours.
      trimmed=$(printf '%s' "$theirs" | sed 's/ *$//')
      case "$id" in
        0x0406 | 0x0804) ours_cmp=$(printf '%s' "$ours" | tr -d ' :-') ;;
        *) ours_cmp=$ours ;;
      esac
      [ "$ours_cmp" = "$trimmed" ] || { echo "$id decoded: ours '$ours', sg_read_attr '$theirs'"; ok=no; }
    elif [ -z "$first" ]; then
      # Unknown to sg_read_attr or longer than 8 bytes: a newline, then a hex dump (or, for
      # the usage histories, 15 "label: number" lines).
      case "$id" in
        0x0340 | 0x0341)
          w=12; [ "$id" = 0x0341 ] && w=8
          want=$(printf '%s\n' "$vhex" | fold -w $w | while read -r f; do printf '%u\n' "0x$f"; done)
          got=$(sed -n 's/^ *[A-Za-z][^:]*: \([0-9]*\)$/\1/p' $W/sg.val)
          [ "$want" = "$got" ] || ok=no ;;
        *)
          [ "$(dump_hex $W/sg.val "$len")" = "$vhex" ] || ok=no ;;
      esac
    elif [ "$len" -le 8 ]; then
      case "$first" in
        "<unknown> [ff]") [ "$vhex" = "$(printf '%s' "$vhex" | tr -c 'f' 'x')" ] || ok=no ;;
        0x*) [ "$first" = "$(printf '0x%x' "0x$vhex")" ] || ok=no ;;
        *)
          case "$id" in
            0x0224 | 0x0225) [ "$first" = "$(printf '%x' "0x$vhex")" ] || ok=no ;;
            *)
              [ "$first" = "$(printf '%u' "0x$vhex")" ] || ok=no
              # Decoded: ours prints the same number where the value is a plain number.
              case "$ours" in *[!0-9]*) ;; *) [ "$ours" = "$first" ] || ok=no ;; esac ;;
          esac ;;
      esac
    else
      ok=no
    fi
    if [ "$ok" = yes ]; then
      checked=$((checked + 1))
    else
      echo "VALUE p$_p $id ($fmt, $len bytes): raw $vhex, mamattr get '$ours', sg_read_attr:"
      sed 's/^/  | /' $W/sg.val
      rc=1
    fi
  done
  say "partition $_p: $checked values agree with sg_read_attr"
}
compare_partition 0
compare_partition 1
# Per-partition capacities (partition 1 has 64 MiB, partition 0 the rest): each partition's own.
cap0=$($OURS -f "$SG" -p 0 get maximum-capacity)
cap1=$($OURS -f "$SG" -p 1 get maximum-capacity)
[ "$cap1" = 64 ] && [ "$cap0" -gt 64 ] || { echo "maximum capacity: partition 0 '$cap0', partition 1 '$cap1' MiB"; rc=1; }
say "maximum capacity in MiB: partition 0 $cap0, partition 1 $cap1"
cp $W/list.0.txt $W/list.txt

# ---- The whole response saved by sg_read_attr --raw, decoded by mamattr --inhex.
sg_read_attr --raw "$SG" >$W/resp.bin 2>$W/sg.err || { cat $W/sg.err; rc=1; }
$OURS --inhex $W/resp.bin --raw list >$W/inhex.txt 2>&1 || rc=1
same "mamattr --inhex (sg_read_attr --raw) vs mamattr list" $W/list.txt $W/inhex.txt || rc=1

# ---- ITDT raw file: exactly 08 06 01 00 20 + FJK670L6 + 24 spaces.
$OURS -f "$SG" read 0x0806 -o $W/0806.bin || rc=1
{ printf '\010\006\001\000\040FJK670L6'; printf '%24s' ''; } >$W/0806.want
same "0806.bin (37 bytes)" $W/0806.want $W/0806.bin || rc=1
$OURS -f "$SG" write $W/0806.bin || { echo "mamattr write 0806.bin refused"; rc=1; }

# ---- Written by ours, read by sg_read_attr: set, and write of a hand-made ITDT file.
readback() { sg_read_attr -qq --filter="$1" "$SG" | sed 's/ *$//'; }
$OURS -f "$SG" set barcode VMOURS01 || rc=1
[ "$(readback 0x0806)" = VMOURS01 ] || { echo "sg_read_attr after mamattr set: '$(readback 0x0806)'"; rc=1; }
{ printf '\010\006\001\000\040ITDT0001'; printf '%24s' ''; } >$W/itdt.bin
$OURS -f "$SG" write $W/itdt.bin || rc=1
[ "$(readback 0x0806)" = ITDT0001 ] || { echo "sg_read_attr after mamattr write: '$(readback 0x0806)'"; rc=1; }
say "mamattr set / write → sg_read_attr: $(readback 0x0806)"

# ---- Written by sg_raw (WRITE ATTRIBUTE 8Dh, WTC, parameter list length 54), read by ours:
# PARAMETER DATA LENGTH 50, then 0800h (ASCII, 8) "SG3UTILS" and 0806h (ASCII, 32) "SGRAW001".
{
  printf '\000\000\000\062'
  printf '\010\000\001\000\010SG3UTILS'
  printf '\010\006\001\000\040SGRAW001'; printf '%24s' ''
} >$W/wa.bin
[ "$(wc -c <$W/wa.bin)" = 54 ] || fail "parameter list is $(wc -c <$W/wa.bin) bytes"
sg_raw -s 54 -i $W/wa.bin "$SG" 8d 01 00 00 00 00 00 00 00 00 00 00 00 36 00 00 >$W/raw.out 2>&1 ||
  { echo "sg_raw WRITE ATTRIBUTE failed:"; sed 's/^/  | /' $W/raw.out; rc=1; }
[ "$($OURS -f "$SG" get barcode)" = SGRAW001 ] || { echo "mamattr get barcode after sg_raw: '$($OURS -f "$SG" get barcode)'"; rc=1; }
[ "$($OURS -f "$SG" get application-vendor)" = SG3UTILS ] || { echo "mamattr get 0x0800 after sg_raw"; rc=1; }
# The same through the st node (SG_IO on /dev/nst0).
[ "$($OURS -f "$TAPE" get 0x0806)" = SGRAW001 ] || { echo "mamattr -f $TAPE get 0x0806"; rc=1; }
say "sg_raw WRITE ATTRIBUTE → mamattr get: $($OURS -f "$SG" get barcode), $($OURS -f "$SG" get 0x0800)"

# ---- Read-only: refused by mamattr before sending, by the drive when sent raw; unchanged.
before=$(sg_read_attr -qq --filter=0x0400 "$SG")
$OURS -f "$SG" set medium-manufacturer ACME >$W/ro.out 2>&1 && { echo "mamattr set of 0400h succeeded"; rc=1; }
grep -q "^mamattr: $SG: .*read-only" $W/ro.out || { echo "mamattr read-only message:"; cat $W/ro.out; rc=1; }
say "$(cat $W/ro.out)"
{ printf '\000\000\000\015'; printf '\004\000\001\000\010ACME    '; } >$W/ro.bin
if sg_raw -s 17 -i $W/ro.bin "$SG" 8d 01 00 00 00 00 00 00 00 00 00 00 00 11 00 00 >$W/raw.out 2>&1; then
  echo "sg_raw WRITE ATTRIBUTE of 0400h succeeded"; rc=1
fi
grep -qi "invalid field in parameter list" $W/raw.out ||
  { echo "sg_raw of 0400h: no 26/00 sense:"; sed 's/^/  | /' $W/raw.out; rc=1; }
say "sg_raw of 0400h: $(grep -i 'invalid field' $W/raw.out | head -n 1)"
after=$(sg_read_attr -qq --filter=0x0400 "$SG")
[ "$before" = "$after" ] || { echo "0400h changed: '$before' -> '$after'"; rc=1; }
$OURS -f "$SG" list >$W/list2.txt || rc=1
grep -v '^0x0806\|^0x0800' $W/list.txt >$W/l1
grep -v '^0x0806\|^0x0800' $W/list2.txt >$W/l2
same "attributes other than 0800h/0806h after the writes" $W/l1 $W/l2 || rc=1

exit $rc
