// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch across hibernation (vm-run --hibernate --shared-irq): the image
 * goes to a swap disk, the machine powers off, and vm-run powers it on
 * again, which resets every device as a power cut does; the boot restores
 * the image. Files, blocked readers and a group live through it as
 * through a reset.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../kselftest_harness.h"
#include "plx8ch_lifecycle.h"

#define SWAP	"/dev/vda"

FIXTURE(hib) {
	struct card cards[MAX_CARDS];
	int ncards;
};

FIXTURE_SETUP(hib)
{
	self->ncards = find_cards(self->cards, MAX_CARDS);
	ASSERT_LE(2, self->ncards) TH_LOG("needs two cards (--shared-irq)");
	ASSERT_EQ(0, access(SWAP, R_OK)) TH_LOG("needs a swap disk (--hibernate)");
	ASSERT_EQ(0, system("mkswap " SWAP " >/dev/null && swapon " SWAP));
	ASSERT_EQ(0, write_file("/sys/power/disk", "shutdown"));
}

FIXTURE_TEARDOWN(hib)
{
	int i;

	for (i = 0; i < self->ncards; i++)
		wr(self->cards[i].bar3, BAR3_GEN_CTRL, 2);
	system("swapoff " SWAP);
}

/* Returns in the restored kernel, after the power cycle. */
static int hibernate(struct card *c)
{
	return write_file("/sys/power/state", "disk");
}

TEST_F_TIMEOUT(hib, hibernate_and_restore, 600)
{
	lifecycle_scene(_metadata, self->cards, self->ncards, hibernate,
			"resumes", true);
}

TEST_HARNESS_MAIN
