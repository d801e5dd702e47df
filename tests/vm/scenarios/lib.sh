# Guest-side helpers (POSIX sh, busybox), sourced by the guest /init and by scenario scripts:
#   . /tapekit/lib.sh
# Names: TAPE=/dev/nst0 (st, no rewind), SG=/dev/sg0, VT=/tmp/t.vtape (the served medium),
# MTST=/usr/bin/mt-st (Debian's mt, the reference), MT=/usr/local/bin/mt (ours).

TAPE=/dev/nst0
SG=/dev/sg0
VT=/tmp/t.vtape
MTST=/usr/bin/mt-st
MT=/usr/local/bin/mt
SERVE_LOG=/tmp/serve.log

# Print to the console with a prefix (scenario output stays readable between markers).
say() { echo "  $*"; }

# Fail the scenario with a message.
fail() { echo "FAILED: $*"; exit 1; }

# Sleep a tenth of a second (busybox sleep takes fractions).
tick() { sleep 0.1; }

# Is process $1 alive (zombies count as dead)?
alive() {
  [ -d "/proc/$1" ] || return 1
  case "$(cat "/proc/$1/stat" 2>/dev/null)" in *") Z "*) return 1 ;; esac
  return 0
}

# Start `vtape serve` on $1 (default $VT) in the background and wait until st and sg have
# attached (/dev/nst0 and /dev/sg0 exist). The pid goes to /tmp/serve.pid, the exit status to
# /tmp/serve.rc once it ends.
serve_start() {
  _vt="${1:-$VT}"
  rm -f /tmp/serve.pid /tmp/serve.rc
  (
    sh -c 'echo $$ >/tmp/serve.pid; exec vtape serve "$1" --cmd-time-out 5' sh "$_vt" >>"$SERVE_LOG" 2>&1
    echo $? >/tmp/serve.rc
  ) &
  _n=0
  while [ ! -c "$TAPE" ] || [ ! -c "$SG" ]; do
    if [ -f /tmp/serve.rc ]; then
      echo "vtape serve exited with status $(cat /tmp/serve.rc) before $TAPE appeared:"
      sed 's/^/  serve: /' "$SERVE_LOG"
      return 1
    fi
    _n=$((_n + 1))
    if [ "$_n" -ge 600 ]; then
      echo "timeout: $TAPE / $SG did not appear within 60 s"
      sed 's/^/  serve: /' "$SERVE_LOG"
      return 1
    fi
    tick
  done
  return 0
}

# Stop `vtape serve` with SIGTERM, wait for it (30 s) and for /dev/nst0 to go away.
# Returns non-zero if it had to be killed, exited non-zero or left the device behind.
serve_stop() {
  [ -f /tmp/serve.pid ] || return 0
  _pid="$(cat /tmp/serve.pid)"
  rm -f /tmp/serve.pid
  kill -TERM "$_pid" 2>/dev/null
  _n=0
  while [ ! -f /tmp/serve.rc ]; do
    _n=$((_n + 1))
    if [ "$_n" -ge 300 ]; then
      echo "vtape serve did not exit within 30 s of SIGTERM; killing it"
      kill -KILL "$_pid" 2>/dev/null
      return 1
    fi
    tick
  done
  _rc="$(cat /tmp/serve.rc)"
  _n=0
  while [ -e "$TAPE" ] || [ -e "$SG" ]; do
    _n=$((_n + 1))
    if [ "$_n" -ge 100 ]; then echo "$TAPE or $SG still present 10 s after vtape serve ended"; return 1; fi
    tick
  done
  if [ "$_rc" != 0 ]; then
    echo "vtape serve exited with status $_rc:"
    sed 's/^/  serve: /' "$SERVE_LOG"
    return 1
  fi
  return 0
}

# Compare two files; on a difference print both sides (diff -u) and return 1.
same() { # label expected actual
  if cmp -s "$2" "$3"; then return 0; fi
  echo "DIFF $1: --- $2 +++ $3"
  diff -u "$2" "$3" | sed 's/^/  | /'
  return 1
}

# Write the differential scenarios' tape content on $TAPE (st closes each dd with a filemark)
# and keep a copy of the medium in /tmp/base.vtape. Leaves serve stopped.
diff_medium() {
  $MTST -f "$TAPE" rewind || return 1
  for spec in 1k:3 4k:2 10k:1 512:2; do
    dd if=/dev/urandom of="$TAPE" bs="${spec%%:*}" count="${spec##*:}" status=none || return 1
  done
  serve_stop || return 1
  cp "$VT" /tmp/base.vtape
}

# Run /tapekit/mt-sequence.txt with mt program $1 on device $2; transcript to $3 with the
# device name replaced by DEV.
mt_sequence() { # mt device out
  _out="$3.raw"
  : >"$_out"
  grep -v '^#' /tapekit/mt-sequence.txt | while read -r _cmd; do
    echo "\$ mt $_cmd" >>"$_out"
    # shellcheck disable=SC2086
    "$1" -f "$2" $_cmd >>"$_out" 2>&1
    echo "-> exit $?" >>"$_out"
    "$1" -f "$2" status >>"$_out" 2>&1
    echo "-> exit $?" >>"$_out"
    # Without a cartridge a blocking open waits ST_BLOCK_SECONDS (120 s) in the kernel
    # before ENOMEDIUM: no `tell` after an unload (the emulation's answer is a unit test).
    case "$_cmd" in offline* | unload* | eject* | rewoffl*) continue ;; esac
    "$1" -f "$2" tell >>"$_out" 2>&1
    echo "-> exit $?" >>"$_out"
  done
  # mt-st 1.7 prints "The tape is write-protected." after a failed command when WR_PROT is
  # *clear* (fixed in 1.8); our mt deliberately does not copy that bug (reference mt-st.md
  # §3). These tapes are never write-protected, so every such line from mt-st is the bug.
  if [ "$1" = "$MTST" ]; then sed -i '/^mt: The tape is write-protected\.$/d' "$_out"; fi
  sed "s|$2|DEV|g" "$_out" >"$3"
}
