# SPDX-License-Identifier: LGPL-2.1-or-later
"""Channels and groups: the nodes a program reads."""

import asyncio
import errno
import fcntl
import math
import os
import select
from dataclasses import dataclass
from typing import AsyncIterator, Iterable, List, Optional, Union

from . import uapi


class CardGone(OSError):
    """The card behind a node went away (removed, dead, unbound).

    An OSError with errno ENODEV and the node's path as its filename, so
    code that handles OSError keeps working. Every call on the node
    raises it from then on; records the node already held are read first.
    """

    def __init__(self, path: Optional[str] = None):
        super().__init__(errno.ENODEV, "the card is gone", path)


def _error(err: OSError, path: str) -> OSError:
    """The kernel's errno kept, with the node named."""
    if err.errno == errno.ENODEV:
        return CardGone(path)
    # OSError() picks the subclass (PermissionError, ...) for the errno.
    return OSError(err.errno, os.strerror(err.errno), path)


@dataclass(frozen=True)
class Event:
    """One record read from a channel or a group (struct plx8ch_event).

    ``timestamp_ns`` is CLOCK_MONOTONIC, taken in the hard interrupt, of
    the first channel event the record merges; ``seqno`` numbers the last
    one; ``count`` says how many it merges; ``status`` ORs their causes.
    """

    timestamp_ns: int
    seqno: int
    count: int
    channel: int
    status: int
    flags: int

    @property
    def rx(self) -> bool:
        return bool(self.status & uapi.EV_RX)

    @property
    def tx(self) -> bool:
        return bool(self.status & uapi.EV_TX)

    @property
    def storm(self) -> bool:
        return bool(self.flags & uapi.EVF_STORM)

    @property
    def reset(self) -> bool:
        return bool(self.flags & uapi.EVF_RESET)

    @classmethod
    def from_buffer(cls, buf, offset: int = 0) -> "Event":
        f = uapi.EVENT.unpack(buf, offset)
        return cls(f["timestamp_ns"], f["seqno"], f["count"], f["channel"],
                   f["status"], f["flags"])


@dataclass(frozen=True)
class Info:
    """What PLX8CH_IOC_GET_INFO returns (struct plx8ch_info)."""

    bus_id: str
    card: int
    channel: int
    nchannels: int
    irq: int
    hw_version: int


@dataclass(frozen=True)
class Stats:
    """What PLX8CH_IOC_GET_STATS returns (struct plx8ch_stats)."""

    hardirqs: int
    spurious: int
    thread_runs: int
    channel_events: int
    records: int
    storms: int


class _Node:
    """An open file that reads records: a channel's node or a group."""

    def __init__(self, fd: int, path: str):
        self._fd = fd
        self.path = path
        # Futures of the coroutines waiting for this file: one reader
        # callback of the event loop wakes them all; close() fails them.
        self._waiters: List[asyncio.Future] = []
        self._reader_loop: Optional[asyncio.AbstractEventLoop] = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        if getattr(self, "_fd", -1) >= 0:
            os.close(self._fd)

    def __repr__(self) -> str:
        state = "closed" if self._fd < 0 else f"fd={self._fd}"
        return f"<{type(self).__name__} {self.path!r} {state}>"

    @property
    def closed(self) -> bool:
        return self._fd < 0

    def fileno(self) -> int:
        return self._checked()

    def close(self) -> None:
        """Close the file; further calls raise ValueError. Idempotent."""
        if self._fd < 0:
            return
        fd, self._fd = self._fd, -1
        if self._reader_loop is not None:
            self._reader_loop.remove_reader(fd)
            self._reader_loop = None
        for fut in self._waiters:
            if not fut.done():
                fut.set_exception(ValueError(f"{self.path}: closed"))
        self._waiters.clear()
        os.close(fd)

    def _checked(self) -> int:
        if self._fd < 0:
            raise ValueError(f"I/O operation on closed {type(self).__name__.lower()}")
        return self._fd

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Wait until a record is ready to read.

        ``timeout`` in seconds: None waits for ever, 0 only looks. True
        when a record is ready, False on timeout; CardGone once the card
        is gone and nothing is left to read.
        """
        fd = self._checked()
        if timeout is None:
            ms = None
        elif timeout < 0:
            raise ValueError("timeout must be non-negative")
        else:
            ms = math.ceil(timeout * 1000)
        p = select.poll()
        p.register(fd, select.POLLIN)
        ready = p.poll(ms)
        if not ready:
            return False
        if ready[0][1] & select.POLLIN:
            return True
        if ready[0][1] & select.POLLNVAL:
            raise ValueError(f"{self.path}: closed while waited on")
        raise CardGone(self.path)

    def read_events(self, max_events: int = 64) -> List[Event]:
        """The records one read() returns, up to ``max_events``.

        An empty list when none is waiting: the file never blocks.
        """
        fd = self._checked()
        if max_events < 1:
            raise ValueError("max_events must be at least 1")
        size = uapi.EVENT.size
        try:
            buf = os.read(fd, max_events * size)
        except BlockingIOError:
            return []
        except OSError as err:
            raise _error(err, self.path) from None
        return [Event.from_buffer(buf, off) for off in range(0, len(buf), size)]

    async def read_events_async(self, max_events: int = 64) -> List[Event]:
        """As read_events(), but waits in the running event loop for at
        least one record: no thread, no polling loop."""
        loop = asyncio.get_running_loop()
        while True:
            events = self.read_events(max_events)
            if events:
                return events
            fut = loop.create_future()
            if self._reader_loop is None:
                # A hang-up (the card gone) wakes the readers too.
                loop.add_reader(self._fd, self._wake)
                self._reader_loop = loop
            elif self._reader_loop is not loop:
                raise RuntimeError(f"{self.path} is awaited in another event loop")
            self._waiters.append(fut)
            try:
                await fut
            finally:
                if fut in self._waiters:
                    self._waiters.remove(fut)
                if not self._waiters and self._reader_loop is not None:
                    self._reader_loop.remove_reader(self._fd)
                    self._reader_loop = None

    def _wake(self) -> None:
        """The event loop's reader: every waiting coroutine reads again."""
        for fut in self._waiters:
            if not fut.done():
                fut.set_result(None)

    async def events(self, max_events: int = 64) -> AsyncIterator[Event]:
        """Every record, as an asynchronous iterator; ends only by error
        (CardGone when the card goes away) or when the task is cancelled."""
        while True:
            for ev in await self.read_events_async(max_events):
                yield ev


class Channel(_Node):
    """One channel's node, /dev/plx8ch<N>, open for reading.

    Opening a node makes its channel's causes count for this file: the
    records it reads start now. A node the user may not open raises
    PermissionError; a card that is gone raises CardGone.
    """

    def __init__(self, path: Union[str, os.PathLike]):
        path = os.fspath(path)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as err:
            raise _error(err, path) from None
        super().__init__(fd, path)

    def _ioctl(self, request: int, arg) -> None:
        try:
            fcntl.ioctl(self._checked(), request, arg, True)
        except OSError as err:
            raise _error(err, self.path) from None

    def info(self) -> Info:
        buf = bytearray(uapi.INFO.size)
        self._ioctl(uapi.IOC_GET_INFO, buf)
        f = uapi.INFO.unpack(buf)
        bus_id = f["bus_id"].split(b"\0", 1)[0].decode()
        return Info(bus_id, f["card"], f["channel"], f["nchannels"], f["irq"],
                    f["hw_version"])

    def stats(self) -> Stats:
        buf = bytearray(uapi.STATS.size)
        self._ioctl(uapi.IOC_GET_STATS, buf)
        f = uapi.STATS.unpack(buf)
        return Stats(f["hardirqs"], f["spurious"], f["thread_runs"],
                     f["channel_events"], f["records"], f["storms"])

    def rearm(self) -> None:
        """Switch the channel's causes on again after the storm guard
        switched them off (PLX8CH_IOC_REARM)."""
        self._ioctl(uapi.IOC_REARM, 0)

    def inject(self, causes: int) -> None:
        """Raise EV_RX and/or EV_TX on the channel through the card, as its
        hardware would (PLX8CH_IOC_INJECT; CAP_SYS_ADMIN)."""
        if not 0 <= causes <= 0xFFFFFFFF:
            raise ValueError("causes must fit in 32 bits")
        self._ioctl(uapi.IOC_INJECT, bytearray(uapi.INJECT.pack(causes=causes)))


class Group(_Node):
    """Several channels of one card read through one file
    (PLX8CH_IOC_GET_GROUP): up to one record per channel in a read.

    ``channels`` are node paths or open Channels, 1 to CHANNELS of them,
    all of one card. Nodes opened here for the request are closed once
    the group exists: it reads on without them.
    """

    def __init__(self, channels: Iterable[Union[str, os.PathLike, Channel]]):
        channels = list(channels)
        if not 1 <= len(channels) <= uapi.CHANNELS:
            raise ValueError(f"a group takes 1 to {uapi.CHANNELS} channels")
        opened: List[Channel] = []
        try:
            nodes = []
            for c in channels:
                if not isinstance(c, Channel):
                    c = Channel(c)
                    opened.append(c)
                nodes.append(c)
            fds = [n.fileno() for n in nodes]
            req = bytearray(uapi.GROUP_REQUEST.pack(
                fds=fds + [-1] * (uapi.CHANNELS - len(fds)), nfds=len(fds), fd=-1))
            nodes[0]._ioctl(uapi.IOC_GET_GROUP, req)
            fd = uapi.GROUP_REQUEST.unpack(req)["fd"]
        finally:
            for c in opened:
                c.close()
        super().__init__(fd, "group of " + ", ".join(n.path for n in nodes))
        #: the nodes the group reads, as named to it
        self.paths = [n.path for n in nodes]
        # The kernel makes the group blocking; this binding never blocks
        # in read().
        os.set_blocking(fd, False)
