#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh ROUNDS ROUNDTRIPS EVENTS: the guest side of `make bench` with
# two cards: the first bound to plx8ch, the second to uio_pci_generic.
# Each round measures both, side by side; bench/run tabulates the
# "result" lines. Needs plx8ch_bench and plx8ch_handoff.ko in the cwd.
set -e
rounds=$1 trips=$2 events=$3
drv=$(basename "$(ls -d /sys/bus/pci/drivers/plx8ch/0000:* | head -n1)")
uio=$(basename "$(ls -d /sys/bus/pci/drivers/plx8ch/0000:* | sed -n 2p)")
echo "$uio" >/sys/bus/pci/drivers/plx8ch/unbind
echo uio_pci_generic >"/sys/bus/pci/devices/$uio/driver_override"
echo "$uio" >/sys/bus/pci/drivers_probe
echo "# plx8ch card $drv, uio card $uio, kernel $(uname -r)"

r=1
while [ "$r" -le "$rounds" ]; do
	echo "round $r"
	for n in 1 8; do
		echo "set latency_$n plx8ch"
		./plx8ch_bench latency plx8ch "$drv" "$trips" "$n"
		echo "set latency_$n uio"
		./plx8ch_bench latency uio "$uio" "$trips" "$n"
	done
	for period in 3200000 1600000 800000 400000 200000 100000 50000; do
		for how in plx8ch uio; do
			echo "set throughput_$period $how"
			./plx8ch_bench throughput "$how" "$([ $how = uio ] &&
				echo "$uio" || echo "$drv")" "$events" "$period"
		done
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
