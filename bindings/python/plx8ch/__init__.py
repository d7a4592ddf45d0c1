# SPDX-License-Identifier: LGPL-2.1-or-later
"""plx8ch: the channels of plx8ch cards, from Python.

A thin layer over the driver's uAPI (include/uapi/linux/plx8ch.h) and
sysfs, with the kernel's names::

    import plx8ch

    card = plx8ch.cards()[0]
    with card.open(0) as ch:
        while ch.wait():
            for ev in ch.read_events():
                print(ev.seqno, ev.count, "rx" if ev.rx else "", "tx" if ev.tx else "")

Documentation/userspace-api/plx8ch-python.rst describes it whole.
"""

from ._cards import Card, cards
from ._channel import CardGone, Channel, Event, Group, Info, Stats
from .uapi import CHANNELS, EV_RX, EV_TX, EVF_RESET, EVF_STORM

__version__ = "0.1.0"

__all__ = [
    "CHANNELS", "EV_RX", "EV_TX", "EVF_RESET", "EVF_STORM",
    "Card", "CardGone", "Channel", "Event", "Group", "Info", "Stats",
    "cards",
]
