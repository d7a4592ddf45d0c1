#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Print every event of every channel of every plx8ch card, one line each.

    monitor.py [SECONDS]

One asyncio task per card reads a group of its eight channels. It ends
on Ctrl-C, after SECONDS if given, or when the last card goes away (a
card that goes away ends its own task, with a line saying so).
"""

import asyncio
import sys

import plx8ch


async def watch(card: plx8ch.Card) -> None:
    try:
        with plx8ch.Group(card.channels) as group:
            async for ev in group.events():
                causes = "+".join(n for n, on in (("rx", ev.rx), ("tx", ev.tx)) if on)
                flags = "".join(f" {n}" for n, on in (("storm", ev.storm),
                                                      ("reset", ev.reset)) if on)
                print(f"{ev.timestamp_ns / 1e9:.6f} card {card.index} ch {ev.channel} "
                      f"seqno {ev.seqno} count {ev.count} {causes}{flags}", flush=True)
    except plx8ch.CardGone:
        print(f"card {card.index} ({card.pci_address}) is gone", flush=True)


async def main(seconds) -> int:
    cards = [c for c in plx8ch.cards() if c.channels]
    if not cards:
        print("no plx8ch card", file=sys.stderr)
        return 1
    for c in cards:
        print(f"card {c.index} at {c.pci_address}, version {c.hw_version}: "
              f"{' '.join(c.channels)}", flush=True)
    tasks = asyncio.gather(*(watch(c) for c in cards))
    try:
        await asyncio.wait_for(tasks, seconds)
    except asyncio.TimeoutError:
        pass
    return 0


if __name__ == "__main__":
    try:
        sys.exit(asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else None)))
    except KeyboardInterrupt:
        sys.exit(130)
    except PermissionError as err:
        sys.exit(f"{err.filename}: {err.strerror} (are you in the plx8ch group?)")
