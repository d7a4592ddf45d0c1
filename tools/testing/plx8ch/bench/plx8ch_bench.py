#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""plx8ch_bench.py throughput CARD EVENTS PERIOD_NS: plx8ch_bench's
throughput measurement with a reader written with the Python binding: a
group of the card's eight channels read in asyncio's event loop
(Group.read_events_async(), with a timeout).

The card's generator raises EVENTS events of all 16 causes, PERIOD_NS
apart, as in plx8ch_bench.c; the reader counts the channel events the
records carry until the generator is done and nothing more comes for
200 ms, and prints the same "result throughput" line: the card's
raises and latches, the driver's channel events, what the records'
counts add up to, and when the last record came. PLX8CH_BENCH_CPU
pins it to a CPU. Needs the plx8ch package beside it (bench/run copies
it) and the emulated card's BAR3.
"""

import asyncio
import mmap
import os
import sys
import time

import plx8ch

BAR3_GEN_COUNT, BAR3_GEN_PERIOD_NS, BAR3_GEN_MASK = 0x010, 0x014, 0x018
BAR3_GEN_MODE, BAR3_GEN_CTRL, BAR3_GEN_STATUS = 0x024, 0x028, 0x02C
BAR3_COUNTERS_RESET, BAR3_RAISED, BAR3_LATCHED = 0x03C, 0x040, 0x080
BAR3_IRQ_ASSERTS = 0x10C
CAUSES = 0x03030303


def cpu_sample():
    """Idle ns of all CPUs and task switches, from /proc/stat."""
    tick = 1e9 / os.sysconf("SC_CLK_TCK")
    with open("/proc/stat") as f:
        lines = f.read().splitlines()
    cpu = lines[0].split()
    switches = next(int(ln.split()[1]) for ln in lines if ln.startswith("ctxt "))
    return (int(cpu[4]) + int(cpu[5])) * tick, switches


def main(bdf, count, period):
    fd = os.open(f"/sys/bus/pci/devices/{bdf}/resource3", os.O_RDWR | os.O_SYNC)
    m = mmap.mmap(fd, mmap.PAGESIZE, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
    os.close(fd)
    bar3 = memoryview(m).cast("I")
    card = next(c for c in plx8ch.cards() if c.pci_address == bdf)

    def raised(base):
        return sum(bar3[(base + 4 * i) // 4] for i in range(2 * plx8ch.CHANNELS))

    def driver_events():
        total = 0
        for node in card.channels:
            with open(f"/sys/class/plx8ch/{os.path.basename(node)}/events") as f:
                total += int(f.read())
        return total

    async def reader(group):
        delivered, last = 0, time.monotonic_ns()
        while True:
            idle = bar3[BAR3_GEN_STATUS // 4] == 0
            try:
                events = await asyncio.wait_for(group.read_events_async(),
                                                0.2 if idle else 1.0)
            except asyncio.TimeoutError:
                if idle:
                    return delivered, last
                continue
            delivered += sum(ev.count for ev in events)
            last = time.monotonic_ns()

    with plx8ch.Group(card.channels) as group:
        bar3[BAR3_COUNTERS_RESET // 4] = 1
        ev0 = driver_events()
        idle0, sw0 = cpu_sample()
        t0 = time.monotonic_ns()
        bar3[BAR3_GEN_MASK // 4] = CAUSES
        bar3[BAR3_GEN_MASK // 4 + 1] = CAUSES
        bar3[BAR3_GEN_MODE // 4] = 0
        bar3[BAR3_GEN_COUNT // 4] = count
        bar3[BAR3_GEN_PERIOD_NS // 4] = period
        bar3[BAR3_GEN_CTRL // 4] = 1
        delivered, last = asyncio.run(reader(group))
        t1 = time.monotonic_ns()
        idle1, sw1 = cpu_sample()
    wall = t1 - t0
    busy = max(0, wall * os.cpu_count() - (idle1 - idle0))
    print(f"# python throughput, {count} events of 16 causes, {period} ns apart")
    # As plx8ch_bench.c: channel events, the driver's, the last record's time.
    print(f"result throughput raised {raised(BAR3_RAISED) // 2} "
          f"latched {raised(BAR3_LATCHED) // 2} events {driver_events() - ev0} "
          f"delivered {delivered} irqs {bar3[BAR3_IRQ_ASSERTS // 4]} wall_ns {wall} "
          f"last_ns {last - t0} busy_ns {int(busy)} switches {sw1 - sw0}")
    bar3.release()
    m.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] != "throughput":
        sys.exit(__doc__)
    if "PLX8CH_BENCH_CPU" in os.environ:
        os.sched_setaffinity(0, {int(os.environ["PLX8CH_BENCH_CPU"])})
    sys.exit(main(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
