# Our mt and Debian mt-st give the same output and exit status for every command of
# mt-sequence.txt on the same /dev/nst0 (the same medium content, restored before each run).
# cost: 6
. /tapekit/lib.sh
diff_medium || fail "could not write the test medium"
cp /tmp/base.vtape "$VT"; serve_start || fail "serve (mt-st run)"
mt_sequence "$MTST" "$TAPE" /tmp/mtst.out
serve_stop || fail "serve stop"
cp /tmp/base.vtape "$VT"; serve_start || fail "serve (mt run)"
mt_sequence "$MT" "$TAPE" /tmp/mt.out
say "$(grep -c '^\$ mt' /tmp/mt.out) commands compared"
same "mt-st (expected) vs our mt (actual) on $TAPE" /tmp/mtst.out /tmp/mt.out || exit 1
