#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# plx8ch_nodes.sh N: with N cards bound, nodes 0 to 8N-1 exist and lead to
# their card in sysfs, and there is no other node. KTAP output.

n=${1:?usage: plx8ch_nodes.sh NCARDS}
total=$((8 * n))
echo "TAP version 13"
echo "1..3"
fail=0
ok() { echo "ok $1 $2"; }
nok() { echo "not ok $1 $2"; fail=1; }

cards=$(ls -d /sys/bus/pci/drivers/plx8ch/0000:* 2>/dev/null | wc -l)
[ "$cards" = "$n" ] && ok 1 "$n cards bound" || nok 1 "$n cards bound (found $cards)"

found=$(ls /dev/plx8ch* 2>/dev/null | wc -l)
[ "$found" = "$total" ] && ok 2 "$total nodes" || nok 2 "$total nodes (found $found)"

bad=0
i=0
while [ $i -lt $total ]; do
	sys=/sys/class/plx8ch/plx8ch$i
	card=$(cat "$(readlink -f $sys/device)/plx8ch_card/card" 2>/dev/null)
	[ -c /dev/plx8ch$i ] && [ "$card" = $((i / 8)) ] &&
		[ "$(cat $sys/channel)" = $((i % 8)) ] &&
		[ "$(cat $sys/pci_address)" = "$(basename "$(readlink -f $sys/device)")" ] ||
		{ echo "# plx8ch$i: card '$card'"; bad=1; }
	i=$((i + 1))
done
[ $bad = 0 ] && ok 3 "every node leads to its card and channel" ||
	nok 3 "every node leads to its card and channel"
[ $fail = 0 ] && echo "# Totals: pass:3 fail:0 xfail:0 xpass:0 skip:0 error:0" ||
	echo "# Totals: pass:? fail:1 xfail:0 xpass:0 skip:0 error:0"
exit $fail
