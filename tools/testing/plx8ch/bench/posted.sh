#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# posted.sh ROUNDS EVENTS: the guest side of the bench's posted-write
# measurement, on the PCIe topology, where the card's INTx deassert lands
# a PCIe round trip after the write that cleared the causes. Each round
# counts the driver's register traffic and spurious top-half runs with
# its read back after the clear (flush_posted, debugfs) and without.
set -e
rounds=$1 events=$2
bdf=$(basename "$(ls -d /sys/bus/pci/drivers/plx8ch/0000:* | head -n1)")
knob=/sys/kernel/debug/plx8ch/$bdf/flush_posted
echo "# posted writes: card $bdf, kernel $(uname -r)"
r=1
while [ "$r" -le "$rounds" ]; do
	echo "round $r"
	for flush in 1 0; do
		echo "$flush" >"$knob"
		echo "set posted_$([ "$flush" = 1 ] && echo flush || echo noflush) plx8ch"
		./plx8ch_bench mmio "$bdf" "$events"
	done
	r=$((r + 1))
done
echo 1 >"$knob"
