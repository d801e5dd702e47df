# tar -b512 -cf - DIR | mbuf -m 256M -P 80 -s 262144 -o /dev/nst0 (issue 7 acceptance), then
# GNU tar -b512 -xf /dev/nst0 gives the same tree; every 256 KiB block is one tape record (tell
# after the write = records + st's filemark at close); the same tape read back through
# `mbuf -i /dev/nst0` into tar gives the same tree again.
# cost: 5
. /tapekit/lib.sh
rc=0
mkdir -p /tmp/m/src/dir/sub /tmp/m/src/empty-dir
: >/tmp/m/src/empty
printf x >/tmp/m/src/one-byte
dd if=/dev/urandom of=/tmp/m/src/dir/random bs=1k count=2500 status=none
dd if=/dev/urandom of=/tmp/m/src/dir/sub/small bs=100k count=1 status=none
yes 'compressible line of text' | head -c 1500000 >/tmp/m/src/dir/text
echo spaced >"/tmp/m/src/with space"
ln -s dir/sub/small /tmp/m/src/link
chmod 0640 /tmp/m/src/dir/text
touch -d '2001-02-03 04:05:06' /tmp/m/src/one-byte

$MTST -f "$TAPE" rewind
(cd /tmp/m && tar -b512 -cf - src) >/tmp/m/tar.stream || rc=1
records=$(( $(wc -c </tmp/m/tar.stream) / 262144 ))
(cd /tmp/m && tar -b512 -cf - src) | mbuf -m 256M -P 80 -s 262144 -o "$TAPE" 2>/tmp/m/mbuf.err ||
  { echo "mbuf failed:"; sed 's/^/  | /' /tmp/m/mbuf.err; rc=1; }
grep -q 'summary: ' /tmp/m/mbuf.err || { echo "no summary line:"; sed 's/^/  | /' /tmp/m/mbuf.err; rc=1; }
got="$($MTST -f "$TAPE" tell)"
[ "$got" = "At block $((records + 1))." ] || { echo "after $records records + FM: $got"; rc=1; }

listing() { (cd "$1" && find . -printf '%p|%y|%m|%s|%T@|%l\n' | awk -F'|' '{ sub(/\..*/, "", $5); print }' | sort); }
listing /tmp/m/src >/tmp/m/src.list

$MTST -f "$TAPE" rewind
mkdir /tmp/m/out
(cd /tmp/m/out && tar -b512 -xf "$TAPE") || { echo "tar -x failed"; rc=1; }
listing /tmp/m/out/src >/tmp/m/out.list
same "tree listing (tar -xf tape)" /tmp/m/src.list /tmp/m/out.list || rc=1
diff -r /tmp/m/src /tmp/m/out/src || { echo "contents differ (tar -xf tape)"; rc=1; }

# Read side: mbuf -i on the tape (256 KiB records) feeding tar.
$MTST -f "$TAPE" rewind
mkdir /tmp/m/back
mbuf -q -s 262144 -m 4M -i "$TAPE" 2>/tmp/m/read.err | (cd /tmp/m/back && tar -b512 -xf -) ||
  { echo "mbuf -i | tar -x failed:"; sed 's/^/  | /' /tmp/m/read.err; rc=1; }
listing /tmp/m/back/src >/tmp/m/back.list
same "tree listing (mbuf -i tape | tar)" /tmp/m/src.list /tmp/m/back.list || rc=1
diff -r /tmp/m/src /tmp/m/back/src || { echo "contents differ (mbuf -i)"; rc=1; }
say "$records records of 256 KiB"
exit $rc
