#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# plx8ch_abi.sh ABI_FILE: the sysfs attributes of a bound card and of its
# channel nodes are exactly those Documentation/ABI documents. KTAP output.

abi=${1:?usage: plx8ch_abi.sh sysfs-driver-plx8ch}
echo "TAP version 13"
echo "1..2"
fail=0
card=$(ls -d /sys/bus/pci/drivers/plx8ch/0000:* 2>/dev/null | head -n1)
[ -n "$card" ] || { echo "not ok 1 no card bound"; echo "not ok 2 no card bound"; exit 1; }

# compare NAME DOCUMENTED ACTUAL: one name per line each
compare() {
	if [ "$2" = "$3" ]; then
		echo "ok $1"
	else
		echo "not ok $1"
		echo "# documented: $(echo $2)"
		echo "# in sysfs:   $(echo $3)"
		fail=1
	fi
}

doc=$(sed -n 's|^What:.*/plx8ch_card/\([a-z_]*\)$|\1|p' "$abi" | sort)
real=$(ls "$card/plx8ch_card" | sort)
compare "1 card attributes (plx8ch_card/) match the ABI document" "$doc" "$real"

doc=$(sed -n 's|^What:.*/sys/class/plx8ch/plx8ch<N>/\([a-z_]*\)$|\1|p' "$abi" | sort)
# dev and uevent come with every class device; they are the driver core's.
real=$(for f in /sys/class/plx8ch/plx8ch0/*; do
	[ -f "$f" ] && basename "$f"
done | grep -vxE 'dev|uevent' | sort)
compare "2 channel attributes (/sys/class/plx8ch/plx8ch<N>/) match the ABI document" "$doc" "$real"

[ $fail = 0 ] && echo "# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0" ||
	echo "# Totals: pass:? fail:1 xfail:0 xpass:0 skip:0 error:0"
exit $fail
