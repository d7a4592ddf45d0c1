#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# scale.sh ROUNDS EVENTS PERIOD_NS: the generator on 1, then 4 cards,
# with all 32 nodes open in one epoll set either way.
set -e
r=1
while [ "$r" -le "$1" ]; do
	echo "round $r"
	for n in 1 4; do
		echo "set scale_$n plx8ch"
		./plx8ch_bench scale "$n" "$2" "$3"
	done
	r=$((r + 1))
done
