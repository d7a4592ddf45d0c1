# SPDX-License-Identifier: LGPL-2.1-or-later
"""The layouts and ioctl numbers of include/uapi/linux/plx8ch.h.

Written once, here; the rest of the package packs and unpacks through
these. describe() gives every structure's size and field offsets and
every ioctl number in the form the layout check
(bindings/python/tests/uapi_layout.c) prints them from the header.
"""

import platform
import struct
from typing import Dict, List, Tuple

CHANNELS = 8

EV_RX = 1 << 0
EV_TX = 1 << 1

EVF_STORM = 1 << 0
EVF_RESET = 1 << 1

IOC_MAGIC = 0xB9


class Layout:
    """One structure of the header: its fields in order, packed natively.

    ``fields`` holds (name, struct format, count) for each field; a count
    above 1 is an array, unpacked as a tuple (bytes for ``char[]``).
    """

    def __init__(self, name: str, fields: List[Tuple[str, str, int]]):
        self.name = name
        self.fields = fields
        self.offsets: Dict[str, int] = {}
        fmt = "="
        for fname, code, count in fields:
            self.offsets[fname] = struct.calcsize(fmt)
            fmt += f"{count}{code}" if count > 1 else code
        self.struct = struct.Struct(fmt)
        self.size = self.struct.size

    def pack(self, **values) -> bytes:
        flat = []
        for fname, code, count in self.fields:
            v = values.pop(fname, None)
            if count > 1 and code != "s":
                v = tuple(v) if v is not None else (0,) * count
                if len(v) != count:
                    raise ValueError(f"{self.name}.{fname} takes {count} values")
                flat.extend(v)
            else:
                flat.append(v if v is not None else (b"" if code == "s" else 0))
        if values:
            raise TypeError(f"{self.name} has no field {next(iter(values))}")
        return self.struct.pack(*flat)

    def unpack(self, buf, offset: int = 0) -> Dict[str, object]:
        flat = iter(self.struct.unpack_from(buf, offset))
        out: Dict[str, object] = {}
        for fname, code, count in self.fields:
            if count > 1 and code != "s":
                out[fname] = tuple(next(flat) for _ in range(count))
            else:
                out[fname] = next(flat)
        return out


# __aligned_u64 is "Q", __u32 "I", __s32 "i": "=" keeps the sizes the
# header's types have and adds no padding, which none of them needs.
EVENT = Layout("plx8ch_event", [
    ("timestamp_ns", "Q", 1),
    ("seqno", "Q", 1),
    ("count", "Q", 1),
    ("channel", "I", 1),
    ("status", "I", 1),
    ("flags", "I", 1),
    ("reserved", "I", 1),
])

INFO = Layout("plx8ch_info", [
    ("bus_id", "s", 32),
    ("card", "I", 1),
    ("channel", "I", 1),
    ("nchannels", "I", 1),
    ("irq", "I", 1),
    ("hw_version", "I", 1),
    ("reserved", "I", 7),
])

STATS = Layout("plx8ch_stats", [
    ("hardirqs", "Q", 1),
    ("spurious", "Q", 1),
    ("thread_runs", "Q", 1),
    ("channel_events", "Q", 1),
    ("records", "Q", 1),
    ("storms", "Q", 1),
    ("reserved", "Q", 4),
])

GROUP_REQUEST = Layout("plx8ch_group_request", [
    ("fds", "i", CHANNELS),
    ("nfds", "I", 1),
    ("fd", "i", 1),
    ("reserved", "I", 6),
])

INJECT = Layout("plx8ch_inject", [
    ("causes", "I", 1),
    ("reserved", "I", 3),
])

LAYOUTS = (EVENT, INFO, STATS, GROUP_REQUEST, INJECT)

# asm-generic/ioctl.h, which x86, arm64, riscv and s390 use; alpha, mips,
# powerpc and sparc have 13 size bits and 3 direction bits of their own.
if platform.machine().startswith(("alpha", "mips", "ppc", "powerpc", "sparc")):
    _SIZEBITS, _NONE, _WRITE, _READ = 13, 1, 4, 2
else:
    _SIZEBITS, _NONE, _WRITE, _READ = 14, 0, 1, 2


def _ioc(direction: int, nr: int, size: int) -> int:
    if size >= 1 << _SIZEBITS:
        raise ValueError("ioctl argument too large")
    return direction << (16 + _SIZEBITS) | size << 16 | IOC_MAGIC << 8 | nr


IOC_GET_INFO = _ioc(_READ, 0x01, INFO.size)
IOC_GET_STATS = _ioc(_READ, 0x02, STATS.size)
IOC_REARM = _ioc(_NONE, 0x03, 0)
IOC_GET_GROUP = _ioc(_READ | _WRITE, 0x04, GROUP_REQUEST.size)
IOC_INJECT = _ioc(_WRITE, 0x05, INJECT.size)

IOCTLS = {
    "PLX8CH_IOC_GET_INFO": IOC_GET_INFO,
    "PLX8CH_IOC_GET_STATS": IOC_GET_STATS,
    "PLX8CH_IOC_REARM": IOC_REARM,
    "PLX8CH_IOC_GET_GROUP": IOC_GET_GROUP,
    "PLX8CH_IOC_INJECT": IOC_INJECT,
}


def describe() -> str:
    """Sizes, offsets and ioctl numbers, one per line, sorted."""
    lines = []
    for lay in LAYOUTS:
        lines.append(f"sizeof(struct {lay.name}) {lay.size}")
        for fname in lay.offsets:
            lines.append(f"offsetof(struct {lay.name}, {fname}) {lay.offsets[fname]}")
    for name, value in IOCTLS.items():
        lines.append(f"{name} {value:#010x}")
    for name, value in (("PLX8CH_CHANNELS", CHANNELS), ("PLX8CH_EV_RX", EV_RX),
                        ("PLX8CH_EV_TX", EV_TX), ("PLX8CH_EVF_STORM", EVF_STORM),
                        ("PLX8CH_EVF_RESET", EVF_RESET),
                        ("PLX8CH_IOC_MAGIC", IOC_MAGIC)):
        lines.append(f"{name} {value:#x}")
    return "\n".join(sorted(lines)) + "\n"
