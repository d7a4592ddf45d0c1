# SPDX-License-Identifier: LGPL-2.1-or-later
"""The cards bound to the driver, from sysfs (as plx8ch-info finds them).

Reading sysfs opens no node: listing the cards makes no reader and
switches no channel's causes on.
"""

import os
from dataclasses import dataclass
from typing import List, Optional, Tuple

from ._channel import Channel

DRIVER_DIR = "/sys/bus/pci/drivers/plx8ch"
CLASS_DIR = "/sys/class/plx8ch"
DEV_DIR = "/dev"


def _attr(path: str) -> Optional[str]:
    try:
        with open(path) as f:
            return f.readline().strip()
    except OSError:
        return None


@dataclass(frozen=True)
class Card:
    """A card bound to the driver.

    ``channels`` holds the node paths of its channels in channel order
    (empty if the card has none, as when its nodes failed to register).
    """

    index: int
    pci_address: str
    hw_version: str
    irq: int
    channels: Tuple[str, ...]

    def open(self, channel: int) -> Channel:
        """Open the node of ``channel`` (0 to CHANNELS - 1)."""
        return Channel(self.channels[channel])


def _nodes() -> List[Tuple[str, int, str]]:
    """(pci_address, channel, node path) of each node of the class."""
    try:
        names = os.listdir(CLASS_DIR)
    except FileNotFoundError:
        return []
    out = []
    for name in names:
        addr = _attr(os.path.join(CLASS_DIR, name, "pci_address"))
        chan = _attr(os.path.join(CLASS_DIR, name, "channel"))
        if addr and chan and chan.isdigit():
            out.append((addr, int(chan), os.path.join(DEV_DIR, name)))
    return out


def cards() -> List[Card]:
    """Every card bound to the driver, by index; [] if the driver is not
    loaded. A card that goes away meanwhile is left out."""
    try:
        entries = os.listdir(DRIVER_DIR)
    except FileNotFoundError:
        return []
    nodes = _nodes()
    found = []
    for addr in entries:
        card_dir = os.path.join(DRIVER_DIR, addr, "plx8ch_card")
        index = _attr(os.path.join(card_dir, "card"))
        version = _attr(os.path.join(card_dir, "hw_version"))
        irq = _attr(os.path.join(DRIVER_DIR, addr, "irq"))
        if index is None or version is None or not index.isdigit():
            continue
        chans = tuple(p for a, c, p in sorted(nodes) if a == addr)
        found.append(Card(int(index), addr, version,
                          int(irq) if irq and irq.isdigit() else -1, chans))
    return sorted(found, key=lambda c: c.index)
