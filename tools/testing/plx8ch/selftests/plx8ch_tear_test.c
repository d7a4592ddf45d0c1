// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's 64-bit counters read whole on a 32-bit kernel, where each
 * is two words and a reader that does not wait for the writer can take
 * one word before the writer's store and one after. The bench's helper
 * plx8ch_tear.ko (PLX8CH_TEAR_KO; vm-run --widen) sets a card's hardirqs
 * counter to 2^32 - 1 and stops the next top half right after it stored
 * the low word (0), before the carry reaches the high word; the test
 * reads the counter meanwhile, through GET_STATS and sysfs. Built 32-bit,
 * for the bench's i386 kernel (Debian's 686-pae).
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

#define PRESET		0xffffffffULL
#define TEAR_MS		1000

FIXTURE(tear) {
	struct card c;
	struct hold h;
	int fd;
};

FIXTURE_SETUP(tear)
{
	const char *ko = getenv("PLX8CH_TEAR_KO");
	char args[64];

	self->fd = -1;
	if (find_cards(&self->c, 1) < 1)
		SKIP(return, "no card bound to plx8ch");
	if (!ko)
		SKIP(return, "PLX8CH_TEAR_KO names no plx8ch_tear.ko");
	/* The writer held on CPU 0, the reader on CPU 1. */
	snprintf(args, sizeof(args), "preset=%llu delay_ms=%d", PRESET, TEAR_MS);
	ASSERT_EQ(0, hold_start(&self->h, &self->c, ko, "plx8ch_tear", args))
		TH_LOG("loading %s: %s", ko, strerror(self->h.err));
	self->fd = open_node(&self->c, 0, O_NONBLOCK);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(tear)
{
	if (self->fd >= 0)
		close(self->fd);
	hold_stop(&self->h);
}

static uint64_t stats_hardirqs(int fd)
{
	struct plx8ch_stats st;

	if (ioctl(fd, PLX8CH_IOC_GET_STATS, &st))
		return 0;
	return st.hardirqs;
}

static uint64_t sysfs_hardirqs(struct card *c)
{
	char path[PATH_MAX], buf[32];

	snprintf(path, sizeof(path), "%s/plx8ch_card/hardirqs", c->dev);
	if (read_file(path, buf, sizeof(buf)))
		return 0;
	return strtoull(buf, NULL, 0);
}

TEST_F_TIMEOUT(tear, counter_read_while_its_writer_is_between_words, 120)
{
	uint64_t ioc, sys;
	long during;

	ASSERT_EQ(0, hold_set(&self->h, "card", self->c.bdf));
	ASSERT_EQ(PRESET, stats_hardirqs(self->fd));

	/* One interrupt: its top half stores 0 to the low word, and waits. */
	ASSERT_TRUE(inject(self->fd, PLX8CH_EV_RX));
	ASSERT_TRUE(hold_wait(&self->h, "entered", 1, 60000))
		TH_LOG("no top half wrapped the counter's low word");

	ioc = stats_hardirqs(self->fd);
	sys = sysfs_hardirqs(&self->c);
	during = hold_count(&self->h, "hits");
	TH_LOG("read %#llx and %#llx %s the writer went on",
	       (unsigned long long)ioc, (unsigned long long)sys,
	       during ? "after" : "before");
	EXPECT_LE(PRESET, ioc) TH_LOG("GET_STATS read a torn hardirqs");
	EXPECT_LE(PRESET, sys) TH_LOG("sysfs read a torn hardirqs");

	ASSERT_TRUE(hold_wait(&self->h, "hits", 1, 10 * TEAR_MS));
	EXPECT_LT(PRESET, stats_hardirqs(self->fd));
	EXPECT_LT(PRESET, sysfs_hardirqs(&self->c));
}

TEST_HARNESS_MAIN
