# The in-process st emulation (our mt on a .vtape: VirtualTape over Drive) behaves as the
# kernel's st driver over the same Drive: Debian mt-st on /dev/nst0 and our mt on a copy of the
# same medium file print the same `mt status` and `mt tell` after every command.
# cost: 6
. /tapekit/lib.sh
diff_medium || fail "could not write the test medium"
cp /tmp/base.vtape "$VT"; serve_start || fail "serve (mt-st run)"
mt_sequence "$MTST" "$TAPE" /tmp/kernel.out
cp /tmp/base.vtape /tmp/diff.vtape
mt_sequence "$MT" /tmp/diff.vtape /tmp/emul.out
say "$(grep -c '^\$ mt' /tmp/emul.out) commands compared"
same "kernel st + mt-st (expected) vs st emulation + our mt (actual)" /tmp/kernel.out /tmp/emul.out || exit 1
