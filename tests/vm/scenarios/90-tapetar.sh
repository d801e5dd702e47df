# tapetar on the kernel's st driver (issue 8 acceptance):
# - `tapetar create` on /dev/nst0 (label, manifest, index, barcode) writes one tape file of
#   whole 256 KiB records and a filemark (mt-st's status: file 1, block 0 afterwards);
# - GNU tar `-b512 -tvf /dev/nst0` lists it, exactly as `tapetar list` does; `tar
#   --test-label` prints the label; the manifest passes `sha256sum -c`; `tapetar verify`
#   passes;
# - a second archive is appended (--append), and `extract --index` of one member of the first
#   moves the tape with LOCATE (MTSEEK) and reads one record where a dozen precede it;
# - cartridge memory (through SG_IO on the st node) holds the barcode and application name.
# cost: 4
. /tapekit/lib.sh
TT=/usr/local/bin/tapetar
W=/tmp/tapetar
rc=0

mkdir -p $W/tree/dir/sub $W/out
printf 'hello\n' >$W/tree/hello.txt
: >$W/tree/empty
dd if=/dev/urandom of=$W/tree/dir/big.bin bs=1k count=3000 status=none
dd if=/dev/urandom of=$W/tree/dir/sub/small bs=100k count=1 status=none
echo 'the last member' >$W/tree/zz-last.txt
ln -s dir/sub/small $W/tree/link
ln $W/tree/hello.txt $W/tree/hard
echo junk >$W/tree/.DS_Store
chmod 0640 $W/tree/dir/big.bin

$MTST -f "$TAPE" rewind || fail "rewind"
$TT create -f "$TAPE" -m 16M --no-progress --label VMTAPE01 --exclude .DS_Store -C $W tree \
  --manifest $W/m.sha256sum --index $W/i.idx --barcode VMTT01L5 --stats-json $W/s.json \
  || { echo "tapetar create failed"; rc=1; }
records=$(sed -n 's/.*"records": \([0-9]*\).*/\1/p' $W/s.json)
say "tapetar create: $records records; $(sed -n 's/.*"tape_file": \(.*\),/tape file \1/p' $W/s.json)"
$MTST -f "$TAPE" status | grep -q 'File number=1, block number=0' ||
  { echo "after create:"; $MTST -f "$TAPE" status; rc=1; }
[ "$($MTST -f "$TAPE" tell)" = "At block $((records + 1))." ] ||
  { echo "tell after $records records + filemark: $($MTST -f "$TAPE" tell)"; rc=1; }

# GNU tar reads it from the tape; tapetar lists the same.
$MTST -f "$TAPE" rewind
tar -b512 -tvf "$TAPE" >$W/gnu.txt 2>$W/gnu.err || { echo "tar -tvf failed:"; cat $W/gnu.err; rc=1; }
$MTST -f "$TAPE" rewind
$TT list -f "$TAPE" >$W/ours.txt || { echo "tapetar list failed"; rc=1; }
same "tar -b512 -tvf vs tapetar list" $W/gnu.txt $W/ours.txt || rc=1
sed 's/^/    | /' $W/gnu.txt
grep -q '^V--------- 0/0 .* VMTAPE01--Volume Header--$' $W/gnu.txt || { echo "no label line"; rc=1; }
grep -q 'DS_Store' $W/gnu.txt && { echo ".DS_Store was not excluded"; rc=1; }
$MTST -f "$TAPE" rewind
[ "$(tar -b512 --test-label -f "$TAPE")" = VMTAPE01 ] || { echo "tar --test-label"; rc=1; }
(cd $W && sha256sum -c m.sha256sum >$W/sum.txt) || { echo "sha256sum -c failed:"; cat $W/sum.txt; rc=1; }
say "sha256sum -c: $(grep -c ': OK$' $W/sum.txt) OK"
$TT verify -f "$TAPE" --file 0 --manifest $W/m.sha256sum >$W/verify.txt || { cat $W/verify.txt; rc=1; }
say "tapetar verify: $(cat $W/verify.txt)"

# A second archive after the first; the tape is then at its end.
echo changed >$W/tree/hello.txt
$TT create -f "$TAPE" -m 16M --no-progress --append --no-mam -C $W tree/hello.txt || { echo "create --append failed"; rc=1; }
$MTST -f "$TAPE" status | grep -q 'File number=2, block number=0' ||
  { echo "after the second create:"; $MTST -f "$TAPE" status; rc=1; }

# extract --index: LOCATE to the member's record in tape file 0.
line=$(grep ' tree/zz-last.txt$' $W/i.idx)
record=$(echo "$line" | cut -d' ' -f3)
$TT extract -f "$TAPE" --index $W/i.idx -C $W/out --stats-json $W/e.json tree/zz-last.txt ||
  { echo "extract --index failed"; rc=1; }
cmp -s $W/out/tree/zz-last.txt $W/tree/zz-last.txt || { echo "extracted member differs"; rc=1; }
grep -q '"method": "locate"' $W/e.json || { echo "not positioned with LOCATE:"; cat $W/e.json; rc=1; }
read_n=$(sed -n 's/.*"records_read": \([0-9]*\).*/\1/p' $W/e.json)
[ "$read_n" -lt "$record" ] || { echo "read $read_n records, $record precede the member"; rc=1; }
say "extract --index: member in record $record, $read_n record(s) read"

# Cartridge memory.
[ "$(mamattr -f "$TAPE" get barcode)" = VMTT01L5 ] || { echo "barcode: $(mamattr -f "$TAPE" get barcode)"; rc=1; }
[ "$(mamattr -f "$SG" get application-name)" = tapetar ] || { echo "application name"; rc=1; }
say "MAM: barcode $(mamattr -f "$SG" get barcode), last written $(mamattr -f "$SG" get last-written)"
exit $rc
