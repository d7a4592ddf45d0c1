// SPDX-License-Identifier: GPL-2.0
/*
 * Races in the top half whose window is a few instructions wide, which
 * no test hits by timing alone. The bench's helper module plx8ch_widen.ko
 * (PLX8CH_WIDEN_KO; vm-run --widen) holds the top half for a while right
 * after it drops a spinlock; the test runs the racing file operations
 * inside that window, and the helper's counters show that it did.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/plx8ch.h>

#include "../../kselftest_harness.h"
#include "plx8ch_bound.h"
#include "plx8ch_hold.h"

/* The top half's functions, whichever of them the compiler kept. */
#define TOP_HALF	"plx8ch_storm_check,plx8ch_top_half,plx8ch_hardirq"
#define WIDEN_MS	3000

FIXTURE(race) {
	struct card c;
	struct hold h;
};

FIXTURE_SETUP(race)
{
	const char *ko = getenv("PLX8CH_WIDEN_KO");
	char args[256];

	if (find_cards(&self->c, 1) < 1)
		SKIP(return, "no card bound to plx8ch");
	if (!ko)
		SKIP(return, "PLX8CH_WIDEN_KO names no plx8ch_widen.ko");
	/* PREEMPT_RT's spinlock_t unlocks through rt_spin_unlock(). */
	snprintf(args, sizeof(args), "symbol=%s callers=%s delay_ms=%d",
		 access("/sys/kernel/realtime", F_OK) ? "_raw_spin_unlock" :
							"rt_spin_unlock",
		 TOP_HALF, WIDEN_MS);
	ASSERT_EQ(0, hold_start(&self->h, &self->c, ko, "plx8ch_widen", args))
		TH_LOG("loading %s: %s", ko, strerror(self->h.err));
}

FIXTURE_TEARDOWN(race)
{
	wr(self->c.bar3, BAR3_FAULT, 0);
	hold_stop(&self->h);
}

/*
 * The storm guard stops a channel in the top half. Between the unlock of
 * enable_lock and anything it does after, a last close and a reopen may
 * re-enable the channel and clear its storm state: whatever the top half
 * does then must not mark that working channel as stormed (the reopened
 * file's records flagged PLX8CH_EVF_STORM, a REARM that does nothing).
 * Slow on a checker kernel: there the probe traps on every unlock of
 * the system while it is loaded.
 */
TEST_F_TIMEOUT(race, storm_stop_against_close_and_reopen, 600)
{
	struct card *c = &self->c;
	struct plx8ch_event ev;
	char node[64];
	int fd, n = 0;

	snprintf(node, sizeof(node), "/sys/class/plx8ch/plx8ch%u",
		 c->index * PLX8CH_CHANNELS + 3);
	fd = open_node(c, 3, O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, hold_set(&self->h, "armed", "1"));

	/* A cause that cannot be cleared: the guard stops channel 3. */
	wr(c->bar3, BAR3_FAULT, FAULT_STUCK);
	ASSERT_TRUE(raise_ch(c, 3, PLX8CH_EV_RX));
	ASSERT_TRUE(hold_wait(&self->h, "entered", 1, 300000))
		TH_LOG("the top half never unlocked in " TOP_HALF);

	/* Inside the window: the fault mended, the last close, a reopen. */
	wr(c->bar3, BAR3_FAULT, 0);
	close(fd);
	fd = open_node(c, 3, O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, hold_count(&self->h, "hits"))
		TH_LOG("the reopen came after the window (%d ms)", WIDEN_MS);
	ASSERT_TRUE(hold_wait(&self->h, "hits", 1, 10 * WIDEN_MS));

	/*
	 * A fresh cause, and before it or merged with it whatever the
	 * thread still delivers of the storm: no record is flagged, and the
	 * fresh one comes after the top half has long left the window.
	 */
	ASSERT_TRUE(inject(fd, PLX8CH_EV_TX));
	do {
		ASSERT_EQ(0, wait_read(fd, &ev, 5000))
			TH_LOG("the injected cause never arrived");
		EXPECT_EQ(0, ev.flags & PLX8CH_EVF_STORM)
			TH_LOG("record %d of the reopened file flagged STORM", n);
	} while (!(ev.status & PLX8CH_EV_TX) && ++n < 64);
	EXPECT_NE(0, ev.status & PLX8CH_EV_TX);
	EXPECT_EQ(0, ev.flags);
	EXPECT_EQ(0, sysfs_long(node, "storm"))
		TH_LOG("a re-enabled channel is marked stormed");
	close(fd);
}

TEST_HARNESS_MAIN
