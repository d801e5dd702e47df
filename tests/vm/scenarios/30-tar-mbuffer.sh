# tar -b512 -cf - DIR | mbuffer -s 262144 -o /dev/nst0, then tar -b512 -xf /dev/nst0 gives
# the same tree (contents, modes, mtimes, symlinks, long names).
# cost: 5
. /tapekit/lib.sh
rc=0
mkdir -p /tmp/src/dir/sub /tmp/src/empty-dir
: >/tmp/src/empty
printf x >/tmp/src/one-byte
dd if=/dev/urandom of=/tmp/src/dir/random bs=1k count=3000 status=none
dd if=/dev/urandom of=/tmp/src/dir/sub/small bs=100k count=1 status=none
yes 'compressible line of text' | head -c 2000000 >/tmp/src/dir/text
long=/tmp/src/dir/sub/a-file-name-that-is-longer-than-one-hundred-characters-so-that-tar-needs-a-long-name-record-xxxxxxxxxx
echo long >"$long"
echo spaced >"/tmp/src/with space"
ln -s dir/sub/small /tmp/src/link
chmod 0640 /tmp/src/dir/text
chmod 0751 /tmp/src/dir/sub
touch -d '2001-02-03 04:05:06' /tmp/src/one-byte

$MTST -f "$TAPE" rewind
(cd /tmp && tar -b512 -cf - src) >/tmp/tar.stream || rc=1
records=$(( $(wc -c </tmp/tar.stream) / 262144 ))
cat /tmp/tar.stream | mbuffer -q -s 262144 -m 4M -o "$TAPE" || { echo "mbuffer failed"; rc=1; }
got="$($MTST -f "$TAPE" tell)"
[ "$got" = "At block $((records + 1))." ] || { echo "after $records records + FM: $got"; rc=1; }

$MTST -f "$TAPE" rewind
mkdir /tmp/out
(cd /tmp/out && tar -b512 -xf "$TAPE") || { echo "tar -x failed"; rc=1; }
# tar keeps whole seconds of the modification time.
listing() { (cd "$1" && find . -printf '%p|%y|%m|%s|%T@|%l\n' | awk -F'|' '{ sub(/\..*/, "", $5); print }' | sort); }
listing /tmp/src >/tmp/src.list
listing /tmp/out/src >/tmp/out.list
same "tree listing" /tmp/src.list /tmp/out.list || rc=1
diff -r /tmp/src /tmp/out/src || { echo "contents differ"; rc=1; }
say "$records records of 256 KiB"
exit $rc
