#!/bin/bash
# An example user script for `tests/vm/vm.sh run tests/vm/examples/backup.sh`: a typical LTO
# backup (label, archive with 256 KiB records through mbuffer, verify, eject) against a real
# /dev/nst0. It runs in the VM with /dev/nst0, /dev/sg0 and the tools on PATH.
set -euo pipefail
TAPE=/dev/nst0

for tool in mt mt-st vtape stenc sg_inq sg_raw tar mbuffer dd sha256sum; do
  command -v "$tool" >/dev/null || { echo "missing $tool"; exit 1; }
done
[ -c /dev/nst0 ] && [ -c /dev/sg0 ] || { echo "no tape devices"; exit 1; }

mkdir -p /tmp/data/photos
for i in 1 2 3; do head -c $((i * 300000)) /dev/urandom >"/tmp/data/photos/img$i.raw"; done
(cd /tmp/data && find . -type f | sort | xargs sha256sum) >/tmp/manifest

mt -f "$TAPE" rewind
tar -b512 --label="backup $(date +%F)" -C /tmp -cf - data | mbuffer -q -m 8M -s 262144 -o "$TAPE"
mt -f "$TAPE" status

mt -f "$TAPE" rewind
mkdir -p /tmp/restore
tar -b512 -C /tmp/restore -xf "$TAPE"
(cd /tmp/restore/data && sha256sum -c --quiet /tmp/manifest)
echo "backup verified: $(wc -l </tmp/manifest) files"
mt -f "$TAPE" offline
