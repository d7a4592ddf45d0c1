// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch through function resets, two cards on one interrupt line: a
 * reset through sysfs with files, blocked readers and a
 * group across it and the other card's generator on the shared line, and
 * resets under the card's own generator. Sleep is plx8ch_sleep_test,
 * error recovery plx8ch_aer_test, kexec plx8ch_kexec_test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "../../kselftest_harness.h"
#include "plx8ch_lifecycle.h"

FIXTURE(life) {
	struct card cards[MAX_CARDS];
	int ncards;
};

FIXTURE_SETUP(life)
{
	self->ncards = find_cards(self->cards, MAX_CARDS);
	ASSERT_LE(2, self->ncards) TH_LOG("needs two cards");
	ASSERT_EQ(sysfs_long(self->cards[0].dev, "irq"),
		  sysfs_long(self->cards[1].dev, "irq"))
		TH_LOG("needs two cards on one line");
}

FIXTURE_TEARDOWN(life)
{
	int i;

	for (i = 0; i < self->ncards; i++)
		wr(self->cards[i].bar3, BAR3_GEN_CTRL, 2);
}

static int function_reset(struct card *c)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/reset", c->dev);
	return write_file(path, "1");
}

TEST_F_TIMEOUT(life, function_reset, 120)
{
	lifecycle_scene(_metadata, self->cards, self->ncards, function_reset,
			"resets", false);
}

/*
 * Several resets in a row with the generator of the card itself running:
 * every cause the card latched outside the resets is delivered, and the
 * seqno rule holds on a file read throughout.
 */
TEST_F(life, resets_under_load)
{
	struct card *a = &self->cards[0];
	struct plx8ch_event ev;
	long long last;
	int fd, i, resets = 0;
	uint64_t events = 0;

	fd = open_node(a, 2, O_NONBLOCK);
	ASSERT_LE(0, fd);
	last = channel_events(fd);
	for (i = 0; i < 5; i++) {
		gen_start(a, chbit(2, PLX8CH_EV_RX | PLX8CH_EV_TX), 0, 2, 1000000,
			  200000);
		usleep(200000);
		ASSERT_EQ(0, function_reset(a));
		while (!wait_read(fd, &ev, 300)) {
			EXPECT_EQ(ev.count, ev.seqno - last);
			resets += !!(ev.flags & PLX8CH_EVF_RESET);
			events += ev.count;
			last = ev.seqno;
		}
	}
	EXPECT_LT(0, events);
	EXPECT_EQ(4, resets);	/* the first record after each reset but the last */
	EXPECT_EQ(last, channel_events(fd));
	close(fd);
}

TEST_HARNESS_MAIN
