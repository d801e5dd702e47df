#!/usr/bin/env bash
# Real-kernel tests: boot a stock Debian kernel under QEMU (TCG, never KVM on its own), serve a
# .vtape through TCMU + tcm_loop with `vtape serve` so that the kernel's st and sg drivers attach
# (/dev/nst0, /dev/sg0), and run shell scripts against it next to the reference tools (Debian
# mt-st, stenc, sg3-utils, GNU tar, mbuffer). Recipe: /work/shared/reference/vm-harness.md.
#
#   tests/vm/vm.sh prepare               install the Debian packages (as root), fetch and cache
#                                        the kernel + modules, build the base initramfs
#   tests/vm/vm.sh suite [--release]     run tests/vm/scenarios/*.sh in one boot; exit 1 on a
#                                        FAIL or a missing ALLDONE marker
#   tests/vm/vm.sh run SCRIPT [--release] [--capacity SIZE] [--generation lto5..lto9]
#                                        run one script of yours against /dev/nst0; its output is
#                                        streamed and its exit status is returned
#
# Exit status 77: prerequisites are missing (message on stderr says how to get them).
# Environment: TAPEKIT_VM_CACHE (default ~/.cache/tapekit-vm), TAPEKIT_VM_KERNEL (a kernel
# package name such as linux-image-6.12.117+deb12-cloud-amd64 instead of the newest available),
# TAPEKIT_VM_TIMEOUT (seconds for the whole boot, default 600), TAPEKIT_VM_QEMU_ARGS (extra
# qemu arguments, e.g. "-enable-kvm" on a host where KVM really works), TAPEKIT_VM_JOBS (boots
# run in parallel by `suite`, default: 2 if the host has 2+ CPUs).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="${TAPEKIT_VM_CACHE:-$HOME/.cache/tapekit-vm}"
TIMEOUT="${TAPEKIT_VM_TIMEOUT:-600}"
SKIP=77

# Host packages: qemu and busybox for the VM, kmod/cpio/xz for the kernel and initramfs, the
# rest are the reference tools copied into the guest.
PACKAGES=(qemu-system-x86 busybox-static kmod cpio xz-utils gzip sg3-utils mt-st stenc mbuffer tar coreutils findutils dash bash)
# Load order (vm-harness.md §3); checked against depmod's modules.dep when caching.
MODULES=(scsi_common scsi_mod st sg configfs uio target_core_mod target_core_user tcm_loop)
# Reference tools copied into the guest (full paths on the host → same path in the guest).
# dash is /bin/sh: busybox-static's own shell runs its applets before PATH ("standalone shell"),
# which would turn mt, tar and dd into busybox's; bash is there for users' #!/bin/bash scripts.
# For the same reason busybox applets that start other programs (timeout, env, xargs, find,
# nice, nohup) come from coreutils/findutils: busybox's would start busybox's sh, tar or dd.
REF_TOOLS=(/bin/mt-st /usr/bin/stenc /usr/bin/mbuffer /bin/tar /bin/dd /bin/dash /bin/bash
  /usr/bin/timeout /usr/bin/env /usr/bin/xargs /usr/bin/find /usr/bin/nice /usr/bin/nohup
  /usr/bin/sha256sum /usr/bin/sha512sum /usr/bin/md5sum)

# Our binaries copied into the guest's /usr/local/bin (built by `cargo build -p tapekit-tools --bins`).
OUR_TOOLS=(mt vtape stenc mamattr tapetar mbuf)

log() { printf 'vm.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
skip() {
  log "$*"
  log "skipped: run \`sudo tests/vm/vm.sh prepare\` (needs root once: Debian packages ${PACKAGES[*]}, and a kernel download of ~35 MB)"
  exit "$SKIP"
}

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

# The kernel package to use: $TAPEKIT_VM_KERNEL, else the newest linux-image-6.12.N+debX-cloud-amd64
# the apt lists know.
resolve_kernel_package() {
  if [ -n "${TAPEKIT_VM_KERNEL:-}" ]; then echo "$TAPEKIT_VM_KERNEL"; return; fi
  apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb[0-9]+-cloud-amd64$' 2>/dev/null |
    awk '{print $1}' | sort -V | tail -n 1
}

# Topological check: every dependency of a module in MODULES is built in or loaded before it.
check_module_order() { # $1 = module dir (lib/modules/<kver>)
  local dir="$1" i=0 m dep d seen=" "
  for m in "${MODULES[@]}"; do
    for dep in $(awk -v m="$m" -F': *' '{ n=$1; sub(/.*\//, "", n); sub(/\.ko(\.xz)?$/, "", n); gsub(/-/, "_", n)
                   if (n == m) print $2 }' "$dir/modules.dep"); do
      d="${dep##*/}"; d="${d%.xz}"; d="${d%.ko}"; d="${d//-/_}"
      case "$seen" in *" $d "*) ;; *) die "module order: $m needs $d, which is not loaded before it";; esac
    done
    seen="$seen$m "
    i=$((i + 1))
  done
}

# Fetch the kernel package, keep vmlinuz + the modules (decompressed, in load order).
cache_kernel() {
  local pkg="$1" kver dir tmp m f
  kver="${pkg#linux-image-}"
  dir="$CACHE/$kver"
  if [ -f "$dir/vmlinuz" ] && [ -f "$dir/modules/order" ]; then
    echo "$kver"; return
  fi
  tmp="$(mktemp -d)"
  chmod 755 "$tmp" # apt-get download runs as _apt where it can
  log "downloading $pkg"
  (cd "$tmp" && apt-get download -q "$pkg" >&2) || die "apt-get download $pkg failed (try apt-get update)"
  dpkg-deb -x "$tmp"/*.deb "$tmp/x"
  [ -f "$tmp/x/boot/vmlinuz-$kver" ] || die "$pkg has no boot/vmlinuz-$kver"
  depmod -b "$tmp/x" "$kver" || die "depmod failed"
  check_module_order "$tmp/x/lib/modules/$kver"
  mkdir -p "$dir/modules.new"
  : >"$dir/modules.new/order"
  for m in "${MODULES[@]}"; do
    f="$(find "$tmp/x/lib/modules/$kver" -name "$m.ko" -o -name "$m.ko.xz" | head -n 1)"
    if [ -z "$f" ]; then
      if grep -q "/$m.ko\$" "$tmp/x/lib/modules/$kver/modules.builtin" 2>/dev/null; then continue; fi
      die "module $m not found in $pkg"
    fi
    case "$f" in
      *.xz) xz -dc "$f" >"$dir/modules.new/$m.ko" ;;
      *) cp "$f" "$dir/modules.new/$m.ko" ;;
    esac
    echo "$m" >>"$dir/modules.new/order"
  done
  cp "$tmp/x/boot/vmlinuz-$kver" "$dir/vmlinuz.new"
  rm -rf "$dir/modules"; mv "$dir/modules.new" "$dir/modules"; mv "$dir/vmlinuz.new" "$dir/vmlinuz"
  rm -rf "$tmp"
  echo "$kver"
}

# Copy the libraries ldd lists for each binary into the staging root $1 (same paths).
copy_libs() { # root binary...
  local root="$1" bin lib
  shift
  for bin in "$@"; do
    for lib in $(ldd "$bin" 2>/dev/null | awk '/=> \// {print $3} /^[ \t]*\/[^ ]+ \(/ {print $1}'); do
      [ -e "$root$lib" ] && continue
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
  done
}

# Copy binaries (same paths) and their libraries into the staging root $1.
copy_with_libs() { # root binary...
  local root="$1" bin
  shift
  for bin in "$@"; do
    mkdir -p "$root$(dirname "$bin")"
    cp -L "$bin" "$root$bin"
  done
  copy_libs "$root" "$@"
}

cpio_gz() { # dir output
  (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet --owner 0:0) | gzip -1 >"$2"
}

# The stamp of what goes into the base initramfs; a change rebuilds it.
base_stamp() { # kver
  {
    echo "$1"
    dpkg-query -W -f='${Package} ${Version}\n' "${PACKAGES[@]}" 2>/dev/null
    sed -n '/^build_base()/,/^}/p' "${BASH_SOURCE[0]}"
    printf '%s\n' "${MODULES[@]}" "${REF_TOOLS[@]}"
  } | sha256sum | cut -c1-16
}

# Base initramfs: busybox (no mt/tar/dd applets: the real tools are used), modules, reference
# tools with their libraries.
build_base() { # kver
  local kver="$1" dir="$CACHE/$1" stage a
  stage="$(mktemp -d)"
  mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,lib/modules,proc,sys,dev,tmp,run,etc,root}
  cp /bin/busybox "$stage/bin/busybox"
  for a in $(/bin/busybox --list); do
    case "$a" in busybox | mt | tar | dd | sh | bash) continue ;; esac
    [ -e "$stage/bin/$a" ] || ln -s busybox "$stage/bin/$a"
  done
  cp "$dir"/modules/*.ko "$dir/modules/order" "$stage/lib/modules/"
  copy_with_libs "$stage" "${REF_TOOLS[@]}"
  # sg3-utils: every sg_* tool and its libsgutils2.
  # shellcheck disable=SC2046
  copy_with_libs "$stage" $(dpkg -L sg3-utils | grep -E '^/usr/bin/' | while read -r f; do [ -f "$f" ] && echo "$f"; done)
  # mt-st under /usr/bin as the contract names it; busybox's mt must not shadow it.
  mv "$stage/bin/mt-st" "$stage/usr/bin/mt-st"
  ln -s ../usr/bin/mt-st "$stage/bin/mt-st"
  ln -s dash "$stage/bin/sh"
  echo "root:x:0:0:root:/root:/bin/sh" >"$stage/etc/passwd"
  echo "root:x:0:" >"$stage/etc/group"
  cpio_gz "$stage" "$dir/base.cpio.gz.new"
  mv "$dir/base.cpio.gz.new" "$dir/base.cpio.gz"
  rm -rf "$stage"
}

ensure_base() { # kver
  local stamp
  stamp="$(base_stamp "$1")"
  if [ ! -f "$CACHE/$1/base.cpio.gz" ] || [ "$(cat "$CACHE/$1/base.stamp" 2>/dev/null)" != "$stamp" ]; then
    log "building the base initramfs for $1"
    build_base "$1"
    echo "$stamp" >"$CACHE/$1/base.stamp"
  fi
}

cmd_prepare() {
  local missing pkg kver
  missing="$(missing_packages | tr '\n' ' ')"
  if [ -n "${missing// /}" ]; then
    if [ "$(id -u)" != 0 ]; then
      log "missing Debian packages: $missing"
      log "run as root: apt-get install --no-install-recommends $missing"
      exit "$SKIP"
    fi
    log "installing $missing"
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >&2 ||
      { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends $missing >&2; } ||
      die "apt-get install $missing failed"
  fi
  pkg="$(resolve_kernel_package)"
  if [ -z "$pkg" ]; then
    [ "$(id -u)" = 0 ] && apt-get update -qq >&2
    pkg="$(resolve_kernel_package)"
  fi
  [ -n "$pkg" ] || die "no linux-image-6.12.*-cloud-amd64 package known to apt (apt-get update, or set TAPEKIT_VM_KERNEL)"
  mkdir -p "$CACHE"
  kver="$(cache_kernel "$pkg")"
  echo "$kver" >"$CACHE/current"
  ensure_base "$kver"
  log "ready: kernel $kver cached in $CACHE/$kver"
}

# The cached kernel version to boot, or skip.
current_kernel() {
  local kver
  if [ -n "${TAPEKIT_VM_KERNEL:-}" ]; then kver="${TAPEKIT_VM_KERNEL#linux-image-}"
  else kver="$(cat "$CACHE/current" 2>/dev/null || true)"; fi
  [ -n "$kver" ] && [ -f "$CACHE/$kver/vmlinuz" ] || skip "no cached kernel in $CACHE"
  echo "$kver"
}

check_prerequisites() {
  local missing
  missing="$(missing_packages | tr '\n' ' ')"
  [ -z "${missing// /}" ] || skip "missing Debian packages: $missing"
  command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not found"
}

# Build our tools (debug unless --release) and return the target directory.
build_tools() { # profile
  local args=(build -q -p tapekit-tools --bins)
  [ "$1" = release ] && args+=(--release)
  (cd "$ROOT" && "${CARGO:-cargo}" "${args[@]}") >&2 || die "cargo ${args[*]} failed"
  local tdir="${CARGO_TARGET_DIR:-$ROOT/target}/$1"
  local b
  for b in "${OUR_TOOLS[@]}"; do [ -x "$tdir/$b" ] || die "$tdir/$b missing after the build"; done
  echo "$tdir"
}

# Per-run overlay: /init, our tools, the scripts and the plan. Args: out tooldir plan-lines...
build_overlay() {
  local out="$1" tdir="$2" stage
  shift 2
  stage="$(mktemp -d)"
  # /var/log: Debian's stenc 1.0.7 appends its audit log to /var/log/stenc.
  mkdir -p "$stage/usr/local/bin" "$stage/tapekit/scripts" "$stage/var/log"
  install -m 0755 "$HERE/guest/init" "$stage/init"
  # Our tools (/usr/local/bin, ahead of Debian's /usr/bin/stenc and mt-st in PATH).
  # Debug builds carry ~20 MB of debug info each: strip the copies (faster cpio and boot).
  local b
  for b in "${OUR_TOOLS[@]}"; do
    strip -o "$stage/usr/local/bin/$b" "$tdir/$b" 2>/dev/null || cp "$tdir/$b" "$stage/usr/local/bin/$b"
  done
  copy_libs "$stage" "${OUR_TOOLS[@]/#/$tdir/}"
  # Helpers shared by the scenarios (lib.sh, command lists): everything not named NN-*.sh.
  find "$HERE/scenarios" -maxdepth 1 -type f ! -name '[0-9]*.sh' -exec cp {} "$stage/tapekit/" \;
  local line name src
  : >"$stage/tapekit/plan"
  for line in "$@"; do
    name="${line%%=*}"; src="${line#*=}"
    install -m 0755 "$src" "$stage/tapekit/scripts/$name"
    echo "$name" >>"$stage/tapekit/plan"
  done
  cpio_gz "$stage" "$out"
  rm -rf "$stage"
}

# Serial console → text: no CR, no terminal escapes from the firmware.
clean_console() { sed -u 's/\r$//; s/\x1bc//g; s/\x1b\[[0-9;?]*[a-zA-Z]//g'; }

# Boot once with base + overlay; the console goes to $log (and to stdout when $stream = 1).
boot() { # kver overlay log stream
  local kver="$1" overlay="$2" logf="$3" stream="$4" initrd rc=0
  initrd="$(dirname "$overlay")/initrd.cpio.gz"
  cat "$CACHE/$kver/base.cpio.gz" "$overlay" >"$initrd"
  local qemu=(qemu-system-x86_64 -accel tcg -m 1024 -smp 1 -nographic -no-reboot -nodefaults
    -serial stdio -kernel "$CACHE/$kver/vmlinuz" -initrd "$initrd"
    -append "console=ttyS0 panic=-1 quiet loglevel=4")
  # shellcheck disable=SC2206
  [ -n "${TAPEKIT_VM_QEMU_ARGS:-}" ] && qemu+=(${TAPEKIT_VM_QEMU_ARGS})
  if [ "$stream" = 1 ]; then
    timeout --foreground -k 10 "$TIMEOUT" "${qemu[@]}" </dev/null | clean_console | tee "$logf" || rc=$?
  else
    timeout -k 10 "$TIMEOUT" "${qemu[@]}" </dev/null 2>&1 | clean_console >"$logf" || rc=$?
  fi
  return "$rc"
}

parse_opts() { # sets PROFILE, CREATE_ARGS, ARGS
  PROFILE=debug; CREATE_ARGS=""; ARGS=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --release) PROFILE=release ;;
      --capacity) CREATE_ARGS="$CREATE_ARGS --capacity $2"; shift ;;
      --generation) CREATE_ARGS="$CREATE_ARGS --generation $2"; shift ;;
      *) ARGS+=("$1") ;;
    esac
    shift
  done
}

cmd_run() {
  parse_opts "$@"
  [ ${#ARGS[@]} -eq 1 ] || die "usage: vm.sh run SCRIPT [--release] [--capacity SIZE] [--generation lto5..lto9]"
  local script="${ARGS[0]}" kver tdir work rc
  [ -f "$script" ] || die "$script: no such file"
  check_prerequisites
  kver="$(current_kernel)"
  ensure_base "$kver"
  tdir="$(build_tools "$PROFILE")"
  work="$(mktemp -d)"
  # A user script gets the harness's default medium unless --capacity/--generation say otherwise.
  # (after the #! line, which must stay first).
  if head -c 2 "$script" | grep -q '^#!'; then
    { head -n 1 "$script"; echo "# vtape-create:$CREATE_ARGS"; tail -n +2 "$script"; } >"$work/user.sh"
  else
    { echo "# vtape-create:$CREATE_ARGS"; cat "$script"; } >"$work/user.sh"
  fi
  build_overlay "$work/overlay.cpio.gz" "$tdir" "user=$work/user.sh"
  boot "$kver" "$work/overlay.cpio.gz" "$work/console.log" 1 || log "qemu exited with status $?"
  rc="$(sed -n 's/^EXIT user \([0-9]*\).*/\1/p' "$work/console.log" | tail -n 1)"
  if ! grep -q '^ALLDONE' "$work/console.log"; then
    log "the guest did not finish (no ALLDONE); console log: $work/console.log"; exit 1
  fi
  grep -q '^RESULT user.cleanup PASS' "$work/console.log" || log "warning: configfs not clean after vtape serve"
  rm -rf "$work"
  [ -n "$rc" ] || die "no exit status marker from the guest"
  exit "$rc"
}

# Split the scenarios into $JOBS boots (longest first, greedy by a cost hint "# cost: N").
cmd_suite() {
  parse_opts "$@"
  check_prerequisites
  local kver tdir work start end jobs s i n cost names=() costs=() load=() fail=0 total=0 passed=0
  kver="$(current_kernel)"
  ensure_base "$kver"
  start=$(date +%s.%N)
  tdir="$(build_tools "$PROFILE")"
  work="$(mktemp -d)"
  jobs="${TAPEKIT_VM_JOBS:-$( [ "$(nproc)" -ge 2 ] && echo 2 || echo 1)}"
  while IFS= read -r line; do
    s="${line#* }"; cost="${line%% *}"
    names+=("$s"); costs+=("$cost")
  done < <(for s in "$HERE"/scenarios/[0-9]*.sh; do
             printf '%s %s\n' "$(sed -n 's/^# cost: *\([0-9]*\).*/\1/p' "$s" | head -n 1 | grep . || echo 1)" "$s"
           done | sort -rn)
  declare -A plan
  for ((i = 0; i < jobs; i++)); do load[i]=0; plan[$i]=""; done
  for ((n = 0; n < ${#names[@]}; n++)); do
    local best=0
    for ((i = 1; i < jobs; i++)); do [ "${load[i]}" -lt "${load[best]}" ] && best=$i; done
    load[best]=$((load[best] + costs[n]))
    s="$(basename "${names[n]}" .sh)"
    plan[$best]="${plan[$best]} $s=${names[n]}"
  done
  local pids=()
  for ((i = 0; i < jobs; i++)); do
    [ -n "${plan[$i]}" ] || continue
    # shellcheck disable=SC2086
    build_overlay "$work/overlay$i.cpio.gz" "$tdir" ${plan[$i]}
    mkdir -p "$work/b$i"; mv "$work/overlay$i.cpio.gz" "$work/b$i/overlay.cpio.gz"
    if [ "$jobs" = 1 ]; then
      boot "$kver" "$work/b$i/overlay.cpio.gz" "$work/b$i/console.log" 1 || true
    else
      ( boot "$kver" "$work/b$i/overlay.cpio.gz" "$work/b$i/console.log" 0 || true ) &
      pids+=($!)
    fi
  done
  for p in "${pids[@]}"; do wait "$p" || true; done
  end=$(date +%s.%N)
  echo
  for ((i = 0; i < jobs; i++)); do
    [ -n "${plan[$i]}" ] || continue
    local logf="$work/b$i/console.log"
    if [ "$jobs" != 1 ]; then
      echo "----- boot $i:${plan[$i]//=*([^ ])/}"
      cat "$logf"
    fi
    for s in ${plan[$i]}; do
      s="${s%%=*}"
      for n in "$s" "$s.cleanup"; do
        total=$((total + 1))
        if grep -q "^RESULT $n PASS" "$logf"; then passed=$((passed + 1))
        else fail=1; grep -q "^RESULT $n " "$logf" || echo "RESULT $n MISSING"; fi
      done
    done
    grep -q '^ALLDONE' "$logf" || { echo "boot $i: no ALLDONE marker (crash or timeout)"; fail=1; }
  done
  echo "===== VM suite (kernel $kver, $jobs boot(s)):"
  cat "$work"/b*/console.log | grep -E '^RESULT ' | sort
  printf '===== %d/%d passed, %s s wall time\n' "$passed" "$total" "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"
  if [ "$fail" = 0 ]; then rm -rf "$work"; else echo "console logs kept in $work"; fi
  exit "$fail"
}

shopt -s extglob
case "${1:-}" in
  prepare) shift; cmd_prepare "$@" ;;
  run) shift; cmd_run "$@" ;;
  suite) shift; cmd_suite "$@" ;;
  *) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
