# The guest has every tool a backup script expects on PATH, and the devices.
# cost: 1
. /tapekit/lib.sh
rc=0
for t in mt vtape mt-st stenc sg_inq sg_raw sg_logs tar mbuffer dd gzip sha256sum cmp diff; do
  p="$(command -v "$t")" || { echo "missing tool: $t"; rc=1; continue; }
  say "$t -> $p"
done
[ "$(command -v mt)" = /usr/local/bin/mt ] || { echo "mt is not ours"; rc=1; }
tar --version | head -n 1 | grep -q 'GNU tar' || { echo "tar is not GNU tar"; rc=1; }
dd --version 2>/dev/null | head -n 1 | grep -q coreutils || { echo "dd is not GNU dd"; rc=1; }
for d in "$TAPE" "$SG"; do [ -c "$d" ] || { echo "no $d"; rc=1; }; done
exit $rc
