#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tabulate the "result" lines of bench.sh, scale.sh and posted.sh.

usage: table.py BENCH_OUT SCALE_OUT POSTED_OUT KERNEL SECONDS

Every figure is the median over the rounds, with the spread of the
rounds (min-max) beside it. Exits 1 if a measurement is missing, the
handoff module failed, the driver is off the MMIO floor, or its read
back after the clear does not pay for itself on the PCIe topology, or a
reader's counts miss a channel event.
"""
import statistics
import sys
from collections import defaultdict

def parse(path):
    """{(set, impl): [{name: {key: value}} per round]}"""
    data = defaultdict(list)
    cur = None
    kernel = ""
    for line in open(path):
        f = line.split()
        if not f:
            continue
        if line.startswith("# plx8ch card"):
            kernel = f[-1]
        if f[0] == "set":
            cur = (f[1], f[2])
            data[cur].append({})
        elif f[0] == "result" and cur:
            vals = dict(zip(f[2::2], f[3::2]))
            data[cur][-1][f[1]] = {k: float(v) for k, v in vals.items()}
    return data, kernel


IMPLS = ("plx8ch", "nodes", "uio")
# Where the reader runs: on the CPU that takes the interrupts, or the other.
PLACES = ("same", "other")


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def spread(xs):
    return "%s-%s" % (fmt(min(xs)), fmt(max(xs))) if xs else "-"


def fmt(x):
    if x != x:
        return "-"
    if x >= 100:
        return "%.0f" % x
    if x >= 10:
        return "%.1f" % x
    return "%.2f" % x


def main():
    bench, kernel = parse(sys.argv[1])
    scale, _ = parse(sys.argv[2])
    posted, _ = parse(sys.argv[3])
    flavour, seconds = sys.argv[4], sys.argv[5]
    rounds = len(bench.get(("latency_1_same", "plx8ch"), []))
    problems = []
    rows = []

    def cell(xs, unit):
        return "%s %s (%s)" % (fmt(med(xs)), unit, spread(xs))

    # One line: plx8ch through a group, through its nodes, uio; the ratio
    # is the group's to uio's.
    def row(what, v, unit):
        ma, mb = med(v["plx8ch"]), med(v["uio"])
        ratio = ma / mb if mb else float("nan")
        rows.append((what, cell(v["plx8ch"], unit), cell(v["nodes"], unit),
                     cell(v["uio"], unit), "%.2f" % ratio))
        if not all(v.values()):
            problems.append("no figures for " + what)

    # 1. Ping-pong latency, in us, per placement of the reader.
    for place in PLACES:
        for n in (1, 8):
            for clock in ("vclock", "monotonic"):
                for stat in ("median_ns", "p99_ns"):
                    vals = {}
                    for impl in IMPLS:
                        vals[impl] = [r[clock][stat] / 1000 for r in
                                      bench.get(("latency_%d_%s" % (n, place), impl), [])
                                      if clock in r]
                    row("latency %d ch, %s CPU, %s, %s" %
                        (n, place, clock, stat[:-3]), vals, "us")
    trips = med([r["vclock"]["n"] for r in
                 bench.get(("latency_1_same", "plx8ch"), []) if "vclock" in r])

    # 2. Throughput, reader on the other CPU: the highest rate with
    # nothing lost, per round; then CPU time per interrupt at 20k events/s.
    periods = sorted({int(s.split("_")[1]) for s, _ in bench
                      if s.startswith("throughput_") and s.endswith("_other")},
                     reverse=True)
    best = {impl: [] for impl in IMPLS}
    for impl in best:
        for rnd in range(rounds):
            top = 0.0
            for p in periods:
                rs = bench.get(("throughput_%d_other" % p, impl), [])
                if rnd >= len(rs) or "throughput" not in rs[rnd]:
                    continue
                t = rs[rnd]["throughput"]
                if t["delivered"] == t["raised"]:
                    top = max(top, 8e9 / p)
            best[impl].append(top / 1000)
    row("throughput, nothing lost", best, "k events/s")
    # Delivered share per rate: where each starts to fall behind.
    for p in periods:
        share = {}
        for impl in best:
            share[impl] = [r["throughput"]["delivered"] / r["throughput"]["raised"] * 100
                           for r in bench.get(("throughput_%d_other" % p, impl), [])
                           if "throughput" in r and r["throughput"]["raised"]]
        row("  delivered at %s k events/s" % fmt(8e6 / p), share, "%")
    def per_irq(place, key, scale):
        """A throughput_400000 figure per interrupt, per way of reading."""
        return {impl: [r["throughput"][key] * scale / r["throughput"]["irqs"]
                       for r in bench.get(("throughput_400000_%s" % place, impl), [])
                       if "throughput" in r and r["throughput"]["irqs"]]
                for impl in IMPLS}

    for place in PLACES:
        row("CPU per interrupt at 20k events/s, %s CPU" % place,
            per_irq(place, "busy_ns", 1e-3), "us")
        row("  task switches per interrupt, %s CPU" % place,
            per_irq(place, "switches", 1), "")

    # 2b. The Python binding's asyncio reader against the C group reader,
    # same boot, same rates: channel events per second delivered (to the
    # last record), and the share of the driver's channel events that the
    # records' counts account for, which must be all of them: records
    # merge events, and the driver merges latches its thread had not
    # taken yet, so there are fewer events than the card latched.
    py_lines = []
    for p in sorted({int(s.split("_")[1]) for s, _ in bench if s.startswith("python_")},
                    reverse=True):
        rate, share, cpu = {}, {}, {}
        for impl in ("c", "python"):
            ts = [r["throughput"] for r in bench.get(("python_%d" % p, impl), [])
                  if "throughput" in r and r["throughput"]["last_ns"]]
            rate[impl] = [t["delivered"] / t["last_ns"] * 1e6 for t in ts]
            share[impl] = [t["delivered"] / t["events"] * 100 for t in ts if t["events"]]
            cpu[impl] = [t["busy_ns"] / 1000 / t["delivered"] for t in ts if t["delivered"]]
            for t in ts:
                if t["delivered"] != t["events"] or not t["events"]:
                    problems.append("the %s reader at %s k events/s accounted for %d of "
                                    "%d channel events" % (impl, fmt(8e6 / p),
                                                           t["delivered"], t["events"]))
            if not ts:
                problems.append("no figures for the %s reader at period %d" % (impl, p))
        ratio = med(rate["python"]) / med(rate["c"]) if med(rate["c"]) else float("nan")
        py_lines.append("  at %s k events/s: Python %s k events/s (%s), C %s k events/s "
                        "(%s), ratio %.2f; counts account for %s%% of the channel "
                        "events (C %s%%); CPU %s us per event (C %s us)" %
                        (fmt(8e6 / p), fmt(med(rate["python"])), spread(rate["python"]),
                         fmt(med(rate["c"])), spread(rate["c"]), ratio,
                         fmt(med(share["python"])), fmt(med(share["c"])),
                         fmt(med(cpu["python"])), fmt(med(cpu["c"]))))

    if not py_lines and not flavour.endswith("arm64"):
        problems.append("no figures for the Python reader")

    # 3. MMIO per top-half run (plx8ch only).
    mmio_lines = []
    for name, regs in (("mmio_one_register", 1), ("mmio_two_registers", 2),
                       ("mmio_storm_sampling", 2)):
        for i, r in enumerate(bench.get(("mmio", "plx8ch"), [])):
            m = r.get(name)
            if not m:
                problems.append("no figures for " + name)
                continue
            reads, writes = m["reads"] / m["hardirqs"], m["writes"] / m["hardirqs"]
            if i == 0:
                mmio_lines.append("  %-16s %6.3f reads and %.3f writes per interrupt "
                                  "(floor 3 and %d), %d interrupts, %d spurious, %d events" %
                                  (name[5:].replace("_", " "), reads, writes, regs,
                                   m["hardirqs"], m["spurious"], m["events"]))
            # The floor is exact: anything else is a regression. Three
            # reads per interrupt (the two registers and the read back
            # after the clear), two per spurious run. The guard's
            # sampling adds reads, never writes.
            floor = 3 * m["hardirqs"] + 2 * m["spurious"]
            if name != "mmio_storm_sampling" and m["reads"] != floor:
                problems.append("%s off the floor: %d reads for %d interrupts and %d spurious runs" %
                                (name, m["reads"], m["hardirqs"], m["spurious"]))
            # One write per register that had causes: a read of the two
            # registers can straddle a raise, so an interrupt may find
            # causes in one register only, never more than one write each.
            if not m["hardirqs"] <= m["writes"] <= regs * m["hardirqs"]:
                problems.append("%s off the floor: %d writes for %d interrupts" %
                                (name, m["writes"], m["hardirqs"]))

    # 3b. Posted writes, PCIe topology: with the read back and without.
    posted_lines = []
    spur = {}
    for way in ("flush", "noflush"):
        per, rd, wr = [], [], []
        for r in posted.get(("posted_" + way, "plx8ch"), []):
            for name in ("mmio_one_register", "mmio_two_registers"):
                m = r.get(name)
                if not m or not m["hardirqs"]:
                    problems.append("no posted-write figures for %s %s" % (way, name))
                    continue
                per.append(m["spurious"] / m["hardirqs"])
                rd.append(m["reads"] / m["hardirqs"])
                wr.append(m["writes"] / m["hardirqs"])
                if way == "flush" and m["reads"] != 3 * m["hardirqs"] + 2 * m["spurious"]:
                    problems.append("posted %s off the floor: %d reads for %d interrupts" %
                                    (name, m["reads"], m["hardirqs"]))
        spur[way] = med(per)
        posted_lines.append("  %-22s %s spurious runs per interrupt (%s), %s reads "
                            "(%s) and %s writes per interrupt, spurious runs included" %
                            ("with the read back" if way == "flush" else "without",
                             fmt(med(per)), spread(per), fmt(med(rd)), spread(rd),
                             fmt(med(wr))))
    if len(spur) == 2 and not spur["flush"] < spur["noflush"]:
        problems.append("the read back after the clear saves no spurious interrupt "
                        "(%s with, %s without)" % (fmt(spur["flush"]), fmt(spur["noflush"])))

    # 4. Scale: 4 cards against 1.
    ev = {1: [], 4: []}
    cpe = {1: [], 4: []}
    for n in ev:
        for r in scale.get(("scale_%d" % n, "plx8ch"), []):
            s = r.get("scale_%d" % n)
            if not s:
                continue
            ev[n].append(s["delivered"] / s["wall_ns"] * 1e6)
            cpe[n].append(s["busy_ns"] / 1000 / s["delivered"])

    # 5. The handoff primitive.
    hand = {}
    for r in bench.get(("handoff", "kernel"), []):
        for k in ("handoff_atomic", "handoff_spinlock"):
            if k in r:
                hand[k] = r[k]
    if len(hand) < 2:
        problems.append("the handoff module printed no figures")

    w = max(len(r[0]) for r in rows) + 2
    print("plx8ch bench: kernel %s (%s), %d rounds, %d round trips per "
          "latency set, in %ss" % (kernel or flavour, flavour, rounds, trips, seconds))
    print("figures: median of the rounds (min-max of the rounds); plx8ch: one "
          "channel group, one read() per wake-up; plx8ch nodes: a node per "
          "channel in an epoll set; ratio plx8ch/uio_pci_generic; interrupts "
          "on CPU 0, the reader on the same CPU or the other")
    print("%-*s %-28s %-28s %-28s %s" % (w, "", "plx8ch", "plx8ch nodes",
                                         "uio_pci_generic", "ratio"))
    for r in rows:
        print("%-*s %-28s %-28s %-28s %s" % ((w,) + r))
    if py_lines:
        print("Python binding (bindings/python), an asyncio reader of a group of 8 "
              "against the C group reader, reader on the other CPU, delivered rate:")
    else:
        print("Python binding: not measured on this kernel (vm-run --python is x86 only)")
    for line in py_lines:
        print(line)
    print("MMIO per interrupt (the card's own counters):")
    for line in mmio_lines:
        print(line)
    print("posted writes, PCIe topology (INTx deassert 1 us after the clear), "
          "one card on its own line:")
    for line in posted_lines:
        print(line)
    if ev[1] and ev[4]:
        print("scale, one epoll set of 32 nodes: 1 card %s k events/s (%s), "
              "4 cards %s k events/s (%s); CPU per event %s us (1 card) and "
              "%s us (4 cards), ratio %.2f" %
              (fmt(med(ev[1])), spread(ev[1]), fmt(med(ev[4])), spread(ev[4]),
               fmt(med(cpe[1])), fmt(med(cpe[4])),
               med(cpe[4]) / med(cpe[1]) if med(cpe[1]) else float("nan")))
    if len(hand) == 2:
        a, s = hand["handoff_atomic"], hand["handoff_spinlock"]
        print("handoff, contended on 2 CPUs, %d handoffs x %d runs: atomic OR/xchg "
              "%s ns (%s-%s), spinlock with IRQs off %s ns (%s-%s), ratio %.2f" %
              (a["handoffs"], a["runs"], fmt(a["ns_per_handoff"]), fmt(a["min"]),
               fmt(a["max"]), fmt(s["ns_per_handoff"]), fmt(s["min"]),
               fmt(s["max"]), a["ns_per_handoff"] / s["ns_per_handoff"]))
    sw = [r["ctxsw"]["ns_per_switch"] / 1000 for r in bench.get(("ctxsw", "kernel"), [])
          if "ctxsw" in r]
    if sw:
        print("a task switch on one CPU (pipe ping-pong): %s us (%s)" %
              (fmt(med(sw)), spread(sw)))
    for p in problems:
        print("problem: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
