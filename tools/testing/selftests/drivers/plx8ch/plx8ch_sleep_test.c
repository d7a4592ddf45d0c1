// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch across system sleep, two cards on one line and a swap disk: S3 woken
 * by the RTC alarm, the machine resetting every card on wake; and
 * hibernation: the image goes to a swap disk, the machine powers off, and
 * the machine is powered on again, which resets every device as a power cut
 * does; the boot restores the image. Files, blocked readers and a group
 * live through each as through a reset.
 *
 * Needs PCI interrupts routed by ACPI (not acpi=noirq): after a wake,
 * nothing else routes them again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "../../kselftest_harness.h"
#include "plx8ch_lifecycle.h"

#define SWAP	"/dev/vda"
/* 2 * CRNG_RESEED_INTERVAL, in seconds, and one more. */
#define CRNG_EARLY_BOOT	121

/*
 * For its first two minutes the kernel's crng reads the uptime with
 * ktime_get_seconds() whenever it checks for a reseed, and that warns while
 * timekeeping is suspended. A slab refill in a syscore resume callback
 * (ACPI's irqrouter_resume() allocates) draws random bits for the freelist,
 * so a sleep that early can warn in the kernel (6.1 and 6.12 alike), not in
 * plx8ch. Sleep only once the crng has left that phase: it leaves it at the
 * first check past two minutes, which getrandom() makes.
 */
static void crng_leave_early_boot(struct __test_metadata *_metadata)
{
	struct timespec now;
	char byte;

	for (;;) {
		ASSERT_EQ(0, clock_gettime(CLOCK_MONOTONIC, &now));
		if (now.tv_sec >= CRNG_EARLY_BOOT)
			break;
		sleep(CRNG_EARLY_BOOT - now.tv_sec);
	}
	ASSERT_EQ(1, getrandom(&byte, 1, 0));
}

FIXTURE(sleep) {
	struct card cards[MAX_CARDS];
	int ncards;
};

FIXTURE_SETUP(sleep)
{
	self->ncards = find_cards(self->cards, MAX_CARDS);
	ASSERT_LE(2, self->ncards) TH_LOG("needs two cards");
	ASSERT_EQ(0, access(SWAP, R_OK)) TH_LOG("needs a swap disk (--hibernate)");
	ASSERT_EQ(0, system("mkswap " SWAP " >/dev/null && swapon " SWAP));
	ASSERT_EQ(0, write_file("/sys/power/disk", "shutdown"));
	crng_leave_early_boot(_metadata);
}

FIXTURE_TEARDOWN(sleep)
{
	int i;

	for (i = 0; i < self->ncards; i++)
		wr(self->cards[i].bar3, BAR3_GEN_CTRL, 2);
	system("swapoff " SWAP);
}

/* S3, woken by the RTC alarm: the machine resets every card on wake. */
static int suspend_to_ram(struct card *c)
{
	const char *alarm = "/sys/class/rtc/rtc0/wakealarm";
	int ret;

	ret = write_file(alarm, "0");
	if (!ret)
		ret = write_file(alarm, "+3");
	if (!ret)
		ret = write_file("/sys/power/state", "mem");
	return ret;
}

/* Returns in the restored kernel, after the power cycle. */
static int hibernate(struct card *c)
{
	return write_file("/sys/power/state", "disk");
}

TEST_F_TIMEOUT(sleep, suspend_to_ram, 240)
{
	lifecycle_scene(_metadata, self->cards, self->ncards, suspend_to_ram,
			"resumes", true);
}

TEST_F_TIMEOUT(sleep, hibernate_and_restore, 600)
{
	lifecycle_scene(_metadata, self->cards, self->ncards, hibernate,
			"resumes", true);
}

TEST_HARNESS_MAIN
