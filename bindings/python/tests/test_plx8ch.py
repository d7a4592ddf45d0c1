# SPDX-License-Identifier: LGPL-2.1-or-later
"""The binding against the driver, in a guest with emulated cards.

Runs as root in vm-run's guest (tools/testing/plx8ch/run-tests, suite
"python"), with at least two cards bound:

    python3 test_plx8ch.py

The emulated card's BAR3 drives it from the device side, as the
kselftests do (plx8ch_card.h); a real card has no BAR3.
"""

import asyncio
import errno
import mmap
import os
import stat
import sys
import threading
import time
import unittest

import plx8ch

PCI_DIR = "/sys/bus/pci/devices"
DRIVER_DIR = "/sys/bus/pci/drivers/plx8ch"
BAR3_RAISED = 0x040
BAR3_FAULT = 0x100
FAULT_STUCK = 2
NOBODY = 65534


class Bar3:
    """The emulator block of a card, 32-bit accesses through a memoryview."""

    def __init__(self, address):
        fd = os.open(f"{PCI_DIR}/{address}/resource3", os.O_RDWR | os.O_SYNC)
        try:
            self._map = mmap.mmap(fd, mmap.PAGESIZE, mmap.MAP_SHARED,
                                  mmap.PROT_READ | mmap.PROT_WRITE)
        finally:
            os.close(fd)
        self._regs = memoryview(self._map).cast("I")

    def __getitem__(self, off):
        return self._regs[off // 4]

    def __setitem__(self, off, value):
        self._regs[off // 4] = value

    def close(self):
        self._regs.release()
        self._map.close()


def write_sysfs(path, value):
    with open(path, "w") as f:
        f.write(value)


def wait_for(cond, timeout=5.0):
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            return False
        time.sleep(0.01)
    return True


def inject_one(ch, causes=plx8ch.EV_RX):
    """One cause that becomes its own channel event: the next is raised
    only once the driver has counted this one (a raise on a latched cause
    would merge in the card)."""
    before = ch.stats().channel_events
    ch.inject(causes)
    if not wait_for(lambda: ch.stats().channel_events > before):
        raise AssertionError(f"{ch.path}: the injected cause was never counted")


class Plx8chTest(unittest.TestCase):
    def setUp(self):
        self.cards = plx8ch.cards()
        self.assertGreaterEqual(len(self.cards), 2, "the suite needs two cards")
        self.card = self.cards[0]

    def test_cards_from_sysfs(self):
        for i, card in enumerate(self.cards):
            self.assertEqual(i, card.index)
            self.assertEqual(plx8ch.CHANNELS, len(card.channels))
            self.assertRegex(card.hw_version, r"^\d+\.\d+$")
            with card.open(5) as ch:
                info = ch.info()
            self.assertEqual(card.pci_address, info.bus_id)
            self.assertEqual((card.index, 5, plx8ch.CHANNELS, card.irq),
                             (info.card, info.channel, info.nchannels, info.irq))
            major, minor = map(int, card.hw_version.split("."))
            self.assertEqual(major << 16 | minor, info.hw_version)

    def test_injected_cause_arrives(self):
        with self.card.open(3) as ch:
            self.assertEqual([], ch.read_events())
            ch.inject(plx8ch.EV_TX)
            self.assertTrue(ch.wait(5))
            events = ch.read_events()
            self.assertEqual(1, len(events))
            ev = events[0]
            self.assertIsInstance(ev, plx8ch.Event)
            self.assertEqual((3, plx8ch.EV_TX, 0, 1),
                             (ev.channel, ev.status, ev.flags, ev.count))
            self.assertTrue(ev.tx)
            self.assertFalse(ev.rx or ev.storm or ev.reset)
            self.assertEqual(ch.stats().channel_events, ev.seqno)
            self.assertLessEqual(ev.timestamp_ns, time.monotonic_ns())
            with self.assertRaises(Exception):
                ev.count = 2        # frozen

    def test_wait_timeouts(self):
        with self.card.open(1) as ch:
            self.assertFalse(ch.wait(0))
            t0 = time.monotonic()
            self.assertFalse(ch.wait(0.2))
            self.assertGreaterEqual(time.monotonic() - t0, 0.2)
            with self.assertRaises(ValueError):
                ch.wait(-1)
            with plx8ch.Channel(ch.path) as other:
                timer = threading.Timer(0.2, other.inject, (plx8ch.EV_RX,))
                timer.start()
                try:
                    self.assertTrue(ch.wait(None))
                finally:
                    timer.join()
            self.assertTrue(ch.wait(0))
            self.assertEqual(plx8ch.EV_RX, ch.read_events()[0].status)

    def test_unread_events_merge(self):
        with self.card.open(6) as ch:
            inject_one(ch, plx8ch.EV_TX)
            first, = ch.read_events()
            for causes in (plx8ch.EV_TX, plx8ch.EV_TX, plx8ch.EV_RX,
                           plx8ch.EV_TX, plx8ch.EV_TX):
                inject_one(ch, causes)
            events = ch.read_events()
            self.assertEqual(1, len(events))
            self.assertEqual((5, first.seqno + 5), (events[0].count, events[0].seqno))
            self.assertLess(first.timestamp_ns, events[0].timestamp_ns)
            self.assertEqual(plx8ch.EV_RX | plx8ch.EV_TX, events[0].status)
            self.assertEqual([], ch.read_events())

    def test_group_of_three(self):
        paths = [self.card.channels[c] for c in (0, 2, 7)]
        with plx8ch.Channel(paths[1]) as two, plx8ch.Group([paths[0], two, paths[2]]) as g:
            self.assertEqual(paths, g.paths)
            self.assertFalse(g.wait(0))
            with self.card.open(0) as a, self.card.open(7) as b:
                inject_one(a, plx8ch.EV_RX)
                inject_one(two, plx8ch.EV_TX)
                inject_one(b, plx8ch.EV_RX)
                inject_one(b, plx8ch.EV_TX)
            self.assertTrue(g.wait(5))
            events = g.read_events()
            self.assertEqual({0: (1, plx8ch.EV_RX), 2: (1, plx8ch.EV_TX),
                              7: (2, plx8ch.EV_RX | plx8ch.EV_TX)},
                             {e.channel: (e.count, e.status) for e in events})
            self.assertEqual([], g.read_events())
            with self.assertRaises(ValueError):
                g.read_events(0)
        with self.assertRaises(ValueError):
            plx8ch.Group([])
        # Two cards' nodes: the driver refuses, with its errno.
        with self.assertRaises(OSError) as cm:
            plx8ch.Group([self.card.channels[0], self.cards[1].channels[0]])
        self.assertEqual(errno.EINVAL, cm.exception.errno)

    def test_asyncio_two_channels(self):
        per_channel = 25
        chans = (4, 5)

        def injector():
            with self.card.open(4) as a, self.card.open(5) as b:
                for _ in range(per_channel):
                    inject_one(a)
                    inject_one(b)

        async def reader(ch, counts):
            async for ev in ch.events():
                counts[ev.channel] = counts.get(ev.channel, 0) + ev.count
                if counts[ev.channel] >= per_channel:
                    return

        async def main():
            counts = {}
            with self.card.open(4) as a, self.card.open(5) as b:
                thread = threading.Thread(target=injector)
                thread.start()
                try:
                    await asyncio.wait_for(
                        asyncio.gather(reader(a, counts), reader(b, counts)), 60)
                finally:
                    thread.join()
                self.assertEqual([], a.read_events() + b.read_events())
            return counts

        counts = asyncio.run(main())
        self.assertEqual({c: per_channel for c in chans}, counts)

    def test_two_coroutines_on_one_channel(self):
        # asyncio has one reader per descriptor: both must still wake.
        async def main():
            with self.card.open(2) as ch:
                tasks = [asyncio.ensure_future(ch.read_events_async()) for _ in range(2)]
                await asyncio.sleep(0.1)
                injected = 0
                for _ in range(2):
                    pending = [t for t in tasks if not t.done()]
                    if not pending:
                        break
                    await asyncio.get_running_loop().run_in_executor(None, inject_one, ch)
                    injected += 1
                    await asyncio.wait(pending, timeout=5,
                                       return_when=asyncio.FIRST_COMPLETED)
                self.assertTrue(all(t.done() for t in tasks), "a waiter never woke")
                got = [e for t in tasks for e in t.result()]
                return injected, sum(e.count for e in got + ch.read_events())

        injected, counted = asyncio.run(main())
        self.assertEqual(injected, counted)

    def test_storm_then_rearm(self):
        bar3 = Bar3(self.card.pci_address)
        try:
            with self.card.open(3) as ch:
                storms = ch.stats().storms
                bar3[BAR3_FAULT] = FAULT_STUCK
                try:
                    ch.inject(plx8ch.EV_RX)
                    ev = self._first(ch, lambda e: e.storm)
                finally:
                    bar3[BAR3_FAULT] = 0
                self.assertEqual(plx8ch.EV_RX, ev.status)
                self.assertEqual(storms + 1, ch.stats().storms)
                ch.rearm()
                # The cause still latched comes first once cleared.
                while ch.wait(0.5):
                    ch.read_events()
                inject_one(ch, plx8ch.EV_TX)
                ev = self._first(ch, lambda e: True)
                self.assertEqual((plx8ch.EV_TX, 0), (ev.status, ev.flags))
        finally:
            bar3.close()

    def _first(self, ch, match, timeout=20):
        end = time.monotonic() + timeout
        while ch.wait(max(0, end - time.monotonic())):
            for ev in ch.read_events():
                if match(ev):
                    return ev
        self.fail(f"{ch.path}: no such record in {timeout} s")

    def test_function_reset_flags_next_record(self):
        with self.card.open(2) as ch:
            write_sysfs(f"{PCI_DIR}/{self.card.pci_address}/reset", "1")
            ch.inject(plx8ch.EV_RX)
            self.assertTrue(ch.wait(5))
            ev = ch.read_events()[0]
            self.assertTrue(ev.reset)
            self.assertEqual(plx8ch.EV_RX, ev.status)
            inject_one(ch)
            self.assertFalse(ch.read_events()[0].reset)

    def test_nobody_may_not_open(self):
        node = self.card.channels[0]
        self.assertFalse(os.stat(node).st_mode & stat.S_IROTH,
                         f"{node} is readable by others")
        pid = os.fork()
        if pid == 0:
            code = 3
            try:
                os.setgid(NOBODY)
                os.setuid(NOBODY)
                plx8ch.Channel(node)
                code = 1
            except PermissionError as err:
                code = 0 if err.filename == node else 2
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(0, os.waitstatus_to_exitcode(status),
                         "1: opened, 2: no filename, 3: other error")

    def test_errors_keep_errno_and_name(self):
        ch = self.card.open(1)
        with self.assertRaises(OSError) as cm:
            ch.inject(0)
        self.assertEqual((errno.EINVAL, ch.path),
                         (cm.exception.errno, cm.exception.filename))
        with self.assertRaises(ValueError):
            ch.inject(1 << 32)
        ch.close()
        ch.close()
        self.assertTrue(ch.closed)
        for call in (ch.fileno, ch.info, ch.stats, ch.rearm, ch.read_events,
                     lambda: ch.wait(0), lambda: ch.inject(plx8ch.EV_RX)):
            with self.assertRaises(ValueError):
                call()
        with self.assertRaises(FileNotFoundError):
            plx8ch.Channel("/dev/plx8ch-none")

    def test_z_unbind_ends_reader_with_card_gone(self):
        # Last (by name): the card comes back with its nodes renumbered
        # as at bind time.
        card = self.cards[-1]
        unbind_at = []

        def unbind():
            time.sleep(0.5)
            unbind_at.append(time.monotonic())
            write_sysfs(f"{DRIVER_DIR}/unbind", card.pci_address)

        async def reader(ch):
            async for _ in ch.events():
                pass

        async def main(ch):
            thread = threading.Thread(target=unbind)
            thread.start()
            try:
                with self.assertRaises(plx8ch.CardGone) as cm:
                    await asyncio.wait_for(reader(ch), 10)
                return time.monotonic(), cm.exception
            finally:
                thread.join()

        ch = card.open(0)
        held = card.open(1)
        try:
            inject_one(held)
            gone_at, err = asyncio.run(main(ch))
            self.assertLess(gone_at - unbind_at[0], 1.0)
            self.assertIsInstance(err, OSError)
            self.assertEqual((errno.ENODEV, ch.path), (err.errno, err.filename))
            # A record the file held before is still read, then CardGone.
            self.assertEqual(1, len(held.read_events()))
            for call in (held.read_events, held.info, lambda: held.wait(None),
                         lambda: held.inject(plx8ch.EV_RX)):
                with self.assertRaises(plx8ch.CardGone):
                    call()
        finally:
            ch.close()
            held.close()
            if not os.path.exists(f"{DRIVER_DIR}/{card.pci_address}"):
                write_sysfs(f"{DRIVER_DIR}/bind", card.pci_address)
        self.assertTrue(wait_for(lambda: len(plx8ch.cards()) == len(self.cards)))


if __name__ == "__main__":
    # The kselftest runner's totals line, which run-tests reads.
    result = unittest.main(verbosity=2, exit=False).result
    bad = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skip = len(result.skipped)
    print(f"# Totals: pass:{result.testsRun - bad - skip} fail:{bad} xfail:0 "
          f"xpass:0 skip:{skip} error:0", flush=True)
    sys.exit(0 if result.wasSuccessful() else 1)
