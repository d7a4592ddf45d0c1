#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh ROUNDS ROUNDTRIPS EVENTS: the guest side of `make bench` with
# two cards: the first bound to plx8ch, read through a channel group
# ("plx8ch") and through its nodes ("nodes"), the second bound to
# uio_pci_generic. Each round measures all three, side by side, in turn,
# and the Python binding's asyncio reader beside the C group reader;
# bench/run tabulates the "result" lines. Needs plx8ch_bench,
# plx8ch_bench.py with the plx8ch package, and plx8ch_handoff.ko in the
# cwd.
set -e
rounds=$1 trips=$2 events=$3
drv=$(basename "$(ls -d /sys/bus/pci/drivers/plx8ch/0000:* | head -n1)")
uio=$(basename "$(ls -d /sys/bus/pci/drivers/plx8ch/0000:* | sed -n 2p)")
echo "$uio" >/sys/bus/pci/drivers/plx8ch/unbind
echo uio_pci_generic >"/sys/bus/pci/devices/$uio/driver_override"
echo "$uio" >/sys/bus/pci/drivers_probe
echo "# plx8ch card $drv, uio card $uio, kernel $(uname -r)"
# card HOW: the card that way of reading uses
card() { [ "$1" = uio ] && echo "$uio" || echo "$drv"; }

# Both cards interrupt CPU 0; the reader runs there ("same") or on CPU 1
# ("other"): placement moves the figures more than anything else.
for d in "$drv" "$uio"; do
	echo 0 >"/proc/irq/$(cat "/sys/bus/pci/devices/$d/irq")/smp_affinity_list"
done

# measure NAME PLACE MODE ARGS...: "plx8ch_bench MODE HOW CARD ARGS..." for
# the three ways of reading in turn, the reader on the CPU PLACE says,
# each printed as "set NAME_PLACE HOW"
measure() {
	local name=$1 place=$2 mode=$3 how
	shift 3
	for how in plx8ch nodes uio; do
		echo "set ${name}_$place $how"
		PLX8CH_BENCH_CPU=$([ "$place" = same ] && echo 0 || echo 1) \
			./plx8ch_bench "$mode" "$how" "$(card "$how")" "$@"
	done
}

r=1
while [ "$r" -le "$rounds" ]; do
	echo "round $r"
	for place in same other; do
		for n in 1 8; do
			measure "latency_$n" "$place" latency "$trips" "$n"
		done
	done
	# The ladder with the reader on the other CPU; CPU time at 20k
	# events/s (400000 ns) on the same CPU too.
	for period in 3200000 1600000 800000 400000 200000 100000 50000; do
		measure "throughput_$period" other throughput "$events" "$period"
	done
	measure throughput_400000 same throughput "$events" 400000
	# The Python binding's asyncio reader beside the C one (a group of
	# 8 both), reader on the other CPU, at two rates of the ladder.
	for period in 400000 50000; do
		command -v python3 >/dev/null || break
		echo "set python_$period c"
		PLX8CH_BENCH_CPU=1 ./plx8ch_bench throughput plx8ch "$drv" "$events" "$period"
		echo "set python_$period python"
		PLX8CH_BENCH_CPU=1 python3 ./plx8ch_bench.py throughput "$drv" "$events" "$period"
	done
	echo "set ctxsw kernel"
	./plx8ch_bench ctxsw "$trips"
	echo "set mmio plx8ch"
	./plx8ch_bench mmio "$drv" "$events"
	r=$((r + 1))
done
echo "set handoff kernel"
insmod ./plx8ch_handoff.ko runs="$rounds"
dmesg | sed -n 's/.*plx8ch_handoff: /result handoff_/p'
rmmod plx8ch_handoff
