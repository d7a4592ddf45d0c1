# SPDX-License-Identifier: GPL-2.0
# Shared by the bench scripts (build-qemu, get-kernel, vm-run, run-tests):
# where the cache lives, how Debian packages are required, and a private
# apt configuration that never touches the system's.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_ROOT=$(cd "$BENCH_DIR/../../.." && pwd)
CACHE=${PLX8CH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/plx8ch}
mkdir -p "$CACHE/locks"
# Held by whatever installs or removes packages: run-tests' jobs run at once.
APT_LOCK=$CACHE/locks/apt.lock

log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# cache_lock NAME: hold an exclusive lock on the cache entry NAME until this
# script exits, so that runs at once (run-tests' lanes) never build or
# fill the same entry together: the second waits, then finds it done.
# cache_lock_fd is the last one's descriptor.
cache_lock() {
	exec {cache_lock_fd}>"$CACHE/locks/$1.lock"
	flock "$cache_lock_fd"
}

# keep_log FILE DIR NAME: copy FILE to DIR as <date>-NAME, where it
# outlives the run's own directory, keep DIR's newest 20, print the copy's
# path.
keep_log() {
	local kept=$2/$(date +%Y%m%d-%H%M%S)-$3
	mkdir -p "$2"
	cp "$1" "$kept"
	ls -1t "$2"/* | tail -n +21 | xargs -r rm -f
	echo "$kept"
}

# verdict_line LOG: the first line of vm-run's verdict in its --log file.
verdict_line() {
	sed -n '/^---- vm-run: verdict ----$/{n;p;}' "$1" 2>/dev/null
}
# vm_run OUT VM-RUN-ARGS...: vm-run, its output into OUT. When the
# emulator failed the guest outside the test (exit 125: QEMU lost an
# interrupt, or the kernel froze before its init; README), it runs
# again, once: the first run's --log is kept as LOG.emulator, and in
# $PLX8CH_CACHE/logs/emulator (the newest 20), where it outlives the run
# for a report to QEMU; its verdict is added to $PLX8CH_EMULATOR_LOG,
# which run-tests counts.
vm_run() {
	local out=$1 rc=0 a prev='' vlog='' why
	shift
	for a in "$@"; do
		[ "$prev" = --log ] && vlog=$a
		prev=$a
	done
	"$BENCH_DIR/vm-run" "$@" >"$out" || rc=$?
	[ "$rc" = 125 ] || return "$rc"
	why=$(verdict_line "$vlog")
	if [ -n "$vlog" ]; then
		mv "$vlog" "$vlog.emulator"
		why+=" (log: $(keep_log "$vlog.emulator" "$CACHE/logs/emulator" "${vlog##*/}"))"
	fi
	log "${vlog##*/}: ${why:-an emulator fault}: running it again"
	[ -z "${PLX8CH_EMULATOR_LOG:-}" ] ||
		printf '%s: %s\n' "${vlog##*/}" "$why" >>"$PLX8CH_EMULATOR_LOG"
	"$BENCH_DIR/vm-run" "$@" >"$out"
}

# report NAME OUTPUT: one TAP-style line, "ok" if OUTPUT is empty, else
# "not ok" with OUTPUT's first lines as comments; counts in $failed.
failed=0
report() {
	if [ -n "$2" ]; then
		echo "not ok - $1"
		# Only the first lines: sed, not head, so that no writer dies of
		# SIGPIPE under pipefail.
		printf '%s\n' "$2" | sed -n '1,40s/^/#   /p'
		failed=$((failed + 1))
	else
		echo "ok - $1"
	fi
}

# apt_cache ARGS...: apt-cache, with apt's binary cache of the indexes
# kept in $PLX8CH_CACHE. Debian's container images turn that cache off
# (Dir::Cache::pkgcache ""), so each call parsed every index again, about
# a second of CPU, and vm-run's helpers make several before each boot.
# apt checks the cache against the indexes and dpkg's status and rebuilds
# it when they change, writing it atomically. An apt state of its own
# (APT OPTIONS in ARGS) names its own cache file, relative to its own
# Dir::Cache.
apt_cache() {
	mkdir -p "$CACHE/apt-bin"
	apt-cache -o "Dir::Cache::pkgcache=$CACHE/apt-bin/pkgcache.bin" \
		-o "Dir::Cache::srcpkgcache=$CACHE/apt-bin/srcpkgcache.bin" "$@"
}
own_apt_cache=(-o Dir::Cache::pkgcache=pkgcache.bin
	       -o Dir::Cache::srcpkgcache=srcpkgcache.bin)

# newest_source: the newest linux-source-X.Y package Debian offers (the
# newest kernel, the series' base), resolved on each run.
newest_source() {
	apt_cache pkgnames linux-source- | grep -E '^linux-source-[0-9]+\.[0-9]+$' |
		sort -V | tail -n1
}

# candidate PKG [APT OPTIONS...]: the version apt would install of a
# package (with OPTIONS, in another apt state: the i386 one, say).
candidate() {
	apt_cache "${@:2}" policy "$1" | awk '$1 == "Candidate:" { print $2 }'
}

# need_pkgs PKG...: make sure Debian packages are installed. As root they are
# installed; otherwise the one apt-get line that would do it is printed.
need_pkgs() {
	local missing=() p have
	# One query for them all: each reads dpkg's whole database. It exits
	# 1 when dpkg has never heard of one of them, as on a fresh machine.
	have=$({ dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null || :; } |
		awk '$2 == "install" && $3 == "ok" && $4 == "installed" { print $1 }')
	for p in "$@"; do
		case $'\n'$have$'\n' in
		*$'\n'"$p"$'\n'*) ;;
		*)	missing+=("$p") ;;
		esac
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		die "missing packages; run: sudo apt-get install -y ${missing[*]}"
	fi
	# One installer at a time (run-tests builds kernels beside its suites).
	( flock 9
	  log "installing ${missing[*]}"
	  if [ ! -e "$CACHE/.apt-updated" ] ||
	     [ -n "$(find "$CACHE/.apt-updated" -mmin +720)" ]; then
		apt-get update -qq >&2 && touch "$CACHE/.apt-updated"
	  fi
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >&2 ) 9>"$APT_LOCK" ||
		die "apt-get install ${missing[*]} failed"
}

# need_m32: gcc's 32-bit x86 multilib, for the -m32 builds (the compat
# and tear tests, the uAPI header at 32 bits); prints -idirafter options
# for them. Debian's gcc-multilib only adds /usr/include/asm (a link to
# the x86-64 asm headers, which serve both) to gcc-N-multilib, and it
# conflicts with every cross compiler, the arm64 guests' among them: the
# bench takes gcc-N-multilib and a link of its own, searched last.
need_m32() {
	local inc=$CACHE/m32-include
	need_pkgs gcc
	need_pkgs "gcc-$(gcc -dumpversion | cut -d. -f1)-multilib"
	mkdir -p "$inc"
	[ -L "$inc/asm" ] || ln -s /usr/include/x86_64-linux-gnu/asm "$inc/asm" 2>/dev/null ||
		[ -L "$inc/asm" ] || die "cannot link $inc/asm"
	echo "-idirafter $inc"
}

# The arm64 guests' cross compiler (Debian's), and its libc for the
# tests: get-kernel's KERNEL_MAKE and build-selftests name it.
ARM64_CROSS=aarch64-linux-gnu-
need_arm64_cross() {
	need_pkgs gcc-aarch64-linux-gnu libc6-dev-arm64-cross
}

# As root, apt drops to the _apt user to download, which cannot write to
# the cache; tell it not to, rather than warn on every download.
APT_DL_OPTS=()
[ "$(id -u)" = 0 ] && APT_DL_OPTS=(-o APT::Sandbox::User=root)

# foreign_apt ARCH: an apt state of its own for Debian's packages of
# another architecture (i386 and arm64: the guests' kernels and busybox),
# so that the host's dpkg never takes on that architecture; its options
# go into foreign_opts. Its indexes are fetched at most every 12 hours,
# one caller at a time. An index of another suite that fails to come (a
# mirror out of sync, say) does not matter as long as the packages are
# found. Cache: $PLX8CH_CACHE/apt-ARCH.
foreign_apt() {
	local dir=$CACHE/apt-$1
	foreign_opts=(-o "APT::Architecture=$1" -o "APT::Architectures::=$1"
		      -o "Dir::State=$dir/state" -o "Dir::Cache=$dir/cache"
		      -o Debug::NoLocking=1 "${own_apt_cache[@]}")
	( flock 9
	  stamp=$dir/state/.updated
	  if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +720)" ]; then
		mkdir -p "$dir/state/lists/partial" "$dir/cache/archives/partial"
		log "fetching Debian's $1 package indexes"
		apt-get "${foreign_opts[@]}" "${APT_DL_OPTS[@]}" update -qq >&2 ||
			log "apt-get update ($1) failed in part; going on with what came"
		touch "$stamp"
	  fi ) 9>"$APT_LOCK.$1"
}
# foreign_apt_stale ARCH: its indexes are fetched again at the next call.
foreign_apt_stale() {
	rm -f "$CACHE/apt-$1/state/.updated"
}

# busybox_for ARCH: the path of Debian's static busybox for a guest of
# another architecture (i386, arm64), kept per version.
busybox_for() {
	local ver dir
	foreign_apt "$1"
	ver=$(candidate busybox-static "${foreign_opts[@]}")
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || die "no busybox-static for $1"
	dir=$CACHE/busybox/$1-${ver//[:~+]/_}
	[ -x "$dir/root/bin/busybox" ] || cache_lock "busybox-$1"
	if [ ! -x "$dir/root/bin/busybox" ]; then
		rm -rf "$dir" && mkdir -p "$dir/dl"
		log "fetching Debian's $1 busybox-static $ver"
		{ (cd "$dir/dl" && apt-get "${foreign_opts[@]}" "${APT_DL_OPTS[@]}" \
			download -qq "busybox-static=$ver") &&
		  dpkg-deb -x "$dir"/dl/busybox-static_*.deb "$dir/root"; } >&2 ||
			die "cannot fetch the $1 busybox-static"
	fi
	echo "$dir/root/bin/busybox"
}

# Private apt state with deb-src entries derived from the system's own
# sources, so "apt-get source" works without editing /etc/apt.
PRIV_APT=$CACHE/apt
priv_apt_opts=(-o "Dir::Etc::SourceList=$PRIV_APT/sources.list"
	       -o "Dir::Etc::SourceParts=/dev/null"
	       -o "Dir::State=$PRIV_APT/state"
	       -o "Dir::Cache=$PRIV_APT/cache"
	       -o "Debug::NoLocking=1" "${own_apt_cache[@]}" "${APT_DL_OPTS[@]}")

priv_apt_setup() {
	local list=$PRIV_APT/sources.list
	mkdir -p "$PRIV_APT/state/lists/partial" "$PRIV_APT/cache/archives/partial"
	if [ ! -s "$list" ] || [ -n "$(find "$list" -mmin +720)" ]; then
		python3 - "$list" <<'EOF' || die "cannot derive deb-src entries"
import glob, re, sys
out = []
for f in sorted(glob.glob('/etc/apt/sources.list.d/*.sources')):
    for stanza in open(f).read().split('\n\n'):
        d = {}
        for line in stanza.splitlines():
            m = re.match(r'^(\w[\w-]*):\s*(.*)$', line)
            if m:
                d[m.group(1).lower()] = m.group(2).strip()
        if 'deb' not in d.get('types', '').split() or d.get('enabled') == 'no':
            continue
        signed = d.get('signed-by')
        opt = f' [signed-by={signed}]' if signed else ''
        for uri in d.get('uris', '').split():
            for suite in d.get('suites', '').split():
                out.append(f"deb-src{opt} {uri} {suite} {d.get('components', 'main')}")
for f in ['/etc/apt/sources.list'] + glob.glob('/etc/apt/sources.list.d/*.list'):
    try:
        for line in open(f):
            if line.startswith('deb '):
                out.append('deb-src ' + line[4:].strip())
    except OSError:
        pass
open(sys.argv[1], 'w').write('\n'.join(out) + '\n')
EOF
		rm -f "$PRIV_APT/.updated"
	fi
	if [ ! -e "$PRIV_APT/.updated" ]; then
		apt-get "${priv_apt_opts[@]}" update -qq >&2 ||
			die "private apt-get update failed"
		touch "$PRIV_APT/.updated"
	fi
}

# kernel_headers FLAVOUR...: install each Debian kernel's headers package
# (as DKMS needs them); their kernel versions go into kvers, in order.
kernel_headers() {
	local k
	kvers=()
	for k in "$@"; do
		eval "$("$BENCH_DIR/get-kernel" "$k")"
		kvers+=("$KERNEL_VERSION")
		need_pkgs "linux-headers-$KERNEL_VERSION"
	done
}
