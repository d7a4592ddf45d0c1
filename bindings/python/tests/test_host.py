# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the binding does without a card: records, errors, closed files.

    python3 -m unittest -v test_host
"""

import errno
import os
import struct
import unittest

import plx8ch
from plx8ch import uapi


class HostTest(unittest.TestCase):
    def test_event_from_record(self):
        rec = struct.pack("=QQQIIII", 123456789, 42, 3, 7,
                          plx8ch.EV_RX | plx8ch.EV_TX, plx8ch.EVF_RESET, 0)
        ev = plx8ch.Event.from_buffer(rec)
        self.assertEqual(plx8ch.Event(123456789, 42, 3, 7, 3, plx8ch.EVF_RESET), ev)
        self.assertTrue(ev.rx and ev.tx and ev.reset)
        self.assertFalse(ev.storm)
        self.assertEqual(hash(ev), hash(plx8ch.Event(*[123456789, 42, 3, 7, 3, 2])))

    def test_pack_checks_fields(self):
        with self.assertRaises(TypeError):
            uapi.INJECT.pack(cause=1)
        with self.assertRaises(ValueError):
            uapi.GROUP_REQUEST.pack(fds=[1, 2], nfds=2)
        self.assertEqual(bytes(16), uapi.INJECT.pack())

    def test_card_gone_is_enodev(self):
        err = plx8ch.CardGone("/dev/plx8ch3")
        self.assertIsInstance(err, OSError)
        self.assertEqual((errno.ENODEV, "/dev/plx8ch3"), (err.errno, err.filename))

    def test_not_a_node_keeps_errno_and_name(self):
        with plx8ch.Channel("/dev/null") as ch:
            with self.assertRaises(OSError) as cm:
                ch.info()
            self.assertEqual((errno.ENOTTY, "/dev/null"),
                             (cm.exception.errno, cm.exception.filename))
            self.assertNotIsInstance(cm.exception, plx8ch.CardGone)
            with self.assertRaises(OSError) as cm:
                plx8ch.Group([ch])
            self.assertEqual(errno.ENOTTY, cm.exception.errno)
            self.assertIn("/dev/null", repr(ch))
        self.assertIn("closed", repr(ch))
        with self.assertRaises(ValueError):
            ch.read_events()
        with self.assertRaises(ValueError):
            plx8ch.Group([ch])

    def test_missing_and_forbidden_nodes(self):
        with self.assertRaises(FileNotFoundError) as cm:
            plx8ch.Channel("/nonexistent/plx8ch0")
        self.assertEqual("/nonexistent/plx8ch0", cm.exception.filename)
        if os.geteuid() == 0:
            self.skipTest("root opens every node (the guest suite checks as nobody)")
        with self.assertRaises(PermissionError):
            plx8ch.Channel("/dev/mem")

    def test_group_size(self):
        with self.assertRaises(ValueError):
            plx8ch.Group([])
        with self.assertRaises(ValueError):
            plx8ch.Group(["/dev/null"] * (plx8ch.CHANNELS + 1))


if __name__ == "__main__":
    unittest.main(verbosity=2)
