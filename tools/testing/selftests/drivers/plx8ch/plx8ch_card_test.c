// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the emulated plx8ch card, run with no driver bound.
 *
 * Maps BAR0, BAR2 and BAR3 through sysfs and checks the device model
 * against the card reference (Documentation/misc-devices/plx8ch.rst), so
 * that the bench is proven before the driver tests lean on it.
 *
 * The card under test is $PLX8CH_BDF, or the first plx8ch card found.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../../kselftest_harness.h"
#include "plx8ch_card.h"

#define PCI_STATUS_INT	0x08	/* bit 3 of the config status register */

struct card {
	char dev[300];			/* /sys/bus/pci/devices/<bdf> */
	uint32_t *bar0, *bar2, *bar3;
	int cfg;
};

static int sysfs_read_ulong(const char *dir, const char *name,
			    unsigned long *v)
{
	char path[512], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = 0;
	*v = strtoul(buf, NULL, 0);
	return 0;
}

static int sysfs_write(const char *dir, const char *name, const char *s)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return write_file(path, s);
}

static bool is_card(const char *dir)
{
	unsigned long v[4];

	return !sysfs_read_ulong(dir, "vendor", &v[0]) && v[0] == 0x10b5 &&
	       !sysfs_read_ulong(dir, "device", &v[1]) && v[1] == 0x9056 &&
	       !sysfs_read_ulong(dir, "subsystem_vendor", &v[2]) &&
	       v[2] == 0x10b5 &&
	       !sysfs_read_ulong(dir, "subsystem_device", &v[3]) &&
	       v[3] == 0x2808;
}

static int find_card(char *out, size_t len)
{
	const char *want = getenv("PLX8CH_BDF");
	struct dirent *de;
	int ret = -ENODEV;
	DIR *d;

	d = opendir("/sys/bus/pci/devices");
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char dir[300];

		if (de->d_name[0] == '.')
			continue;
		if (want && strcmp(want, de->d_name))
			continue;
		snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s",
			 de->d_name);
		if (is_card(dir) && (ret || strcmp(dir, out) < 0)) {
			snprintf(out, len, "%s", dir);
			ret = 0;
		}
	}
	closedir(d);
	return ret;
}

static uint16_t cfg16(struct card *c, unsigned int off)
{
	uint16_t v = 0xffff;

	if (pread(c->cfg, &v, sizeof(v), off) != sizeof(v))
		return 0xffff;
	return v;
}

static uint8_t cfg8(struct card *c, unsigned int off)
{
	uint8_t v = 0xff;

	if (pread(c->cfg, &v, sizeof(v), off) != sizeof(v))
		return 0xff;
	return v;
}

static bool intx_pending(struct card *c)
{
	return cfg16(c, 0x06) & PCI_STATUS_INT;
}

static uint64_t vclock(struct card *c)
{
	uint32_t lo = rd(c->bar3, BAR3_VCLOCK_LO);

	return ((uint64_t)rd(c->bar3, BAR3_VCLOCK_HI) << 32) | lo;
}

static uint64_t last_raise(struct card *c)
{
	uint32_t lo = rd(c->bar3, BAR3_LAST_RAISE_LO);

	return ((uint64_t)rd(c->bar3, BAR3_LAST_RAISE_HI) << 32) | lo;
}

/* Bit of channel ch, cause c (0 RX, 1 TX) in its status register. */
static uint32_t chbit(int ch, int c)
{
	return 1u << (8 * (ch % 4) + c);
}

static void card_open(struct __test_metadata *_metadata, struct card *c)
{
	char path[600];

	ASSERT_EQ(0, find_card(c->dev, sizeof(c->dev)))
		TH_LOG("no plx8ch card found");
	snprintf(path, sizeof(path), "%s/driver", c->dev);
	ASSERT_NE(0, access(path, F_OK))
		TH_LOG("%s is bound to a driver; this test wants none", c->dev);
	/* A PCI function reset: every register back to its reset value. */
	ASSERT_EQ(0, sysfs_write(c->dev, "reset", "1"))
		TH_LOG("function reset of %s failed", c->dev);
	snprintf(path, sizeof(path), "%s/config", c->dev);
	c->cfg = open(path, O_RDWR);
	ASSERT_LE(0, c->cfg);
	if (!(cfg16(c, 0x04) & 0x2))	/* memory decoding off */
		ASSERT_EQ(0, sysfs_write(c->dev, "enable", "1"));
	c->bar0 = map_resource(c->dev, 0);
	c->bar2 = map_resource(c->dev, 2);
	c->bar3 = map_resource(c->dev, 3);
	ASSERT_NE(NULL, c->bar0);
	ASSERT_NE(NULL, c->bar2);
	ASSERT_NE(NULL, c->bar3);
}

static void card_close(struct card *c)
{
	if (c->bar3) {
		wr(c->bar3, BAR3_GEN_CTRL, 2);
		wr(c->bar3, BAR3_FAULT, 0);
	}
	if (c->bar0)
		wr(c->bar0, BAR0_INTCSR, 0);
	if (c->cfg > 0)
		close(c->cfg);
}

FIXTURE(card) {
	struct card c;
};

FIXTURE_SETUP(card)
{
	card_open(_metadata, &self->c);
}

FIXTURE_TEARDOWN(card)
{
	card_close(&self->c);
}

TEST_F(card, identity)
{
	struct card *c = &self->c;

	EXPECT_EQ(0x10b5, cfg16(c, 0x00));
	EXPECT_EQ(0x9056, cfg16(c, 0x02));
	EXPECT_EQ(0x01, cfg8(c, 0x08));		/* revision */
	EXPECT_EQ(0x00, cfg8(c, 0x09));		/* prog-if */
	EXPECT_EQ(0x1180, cfg16(c, 0x0a));	/* class */
	EXPECT_EQ(0x10b5, cfg16(c, 0x2c));
	EXPECT_EQ(0x2808, cfg16(c, 0x2e));
	EXPECT_EQ(1, cfg8(c, 0x3d));		/* INTA# */
	/* The capability list holds power management only: no MSI. */
	EXPECT_EQ(0x40, cfg8(c, 0x34));
	EXPECT_EQ(0x01, cfg8(c, 0x40));
	EXPECT_EQ(0x00, cfg8(c, 0x41));
	EXPECT_EQ(0x38584c50, rd(c->bar2, BAR2_ID));
	EXPECT_EQ(0x00010000, rd(c->bar2, BAR2_VERSION));
	EXPECT_EQ(0x4c544345, rd(c->bar3, BAR3_CTL_ID));
}

TEST_F(card, reset_values)
{
	struct card *c = &self->c;
	unsigned int off;
	int ch;

	EXPECT_EQ(0, rd(c->bar0, BAR0_INTCSR));
	for (off = 0; off < 512; off += 4)
		if (off != BAR0_INTCSR)
			EXPECT_EQ(0, rd(c->bar0, off)) TH_LOG("BAR0 0x%x", off);
	EXPECT_EQ(PRESENT, rd(c->bar2, BAR2_STATUS(0)));
	EXPECT_EQ(PRESENT, rd(c->bar2, BAR2_STATUS(1)));
	EXPECT_EQ(0, rd(c->bar2, BAR2_ENABLE(0)));
	EXPECT_EQ(0, rd(c->bar2, BAR2_ENABLE(1)));
	EXPECT_EQ(0, rd(c->bar2, BAR2_FORCE(0)));
	EXPECT_EQ(0, rd(c->bar2, BAR2_FORCE(1)));
	for (off = BAR3_GEN_COUNT; off <= BAR3_GEN_DONE; off += 4)
		EXPECT_EQ(0, rd(c->bar3, off)) TH_LOG("BAR3 0x%x", off);
	for (ch = 0; ch < 8; ch++) {
		EXPECT_EQ(0, rd(c->bar3, BAR3_RAISED(ch, 0)));
		EXPECT_EQ(0, rd(c->bar3, BAR3_RAISED(ch, 1)));
		EXPECT_EQ(0, rd(c->bar3, BAR3_LATCHED(ch, 0)));
		EXPECT_EQ(0, rd(c->bar3, BAR3_LATCHED(ch, 1)));
	}
	EXPECT_EQ(0, rd(c->bar3, BAR3_FAULT));
	EXPECT_EQ(0, rd(c->bar3, BAR3_IRQ_ASSERTS));
	EXPECT_FALSE(intx_pending(c));
}

/* A function reset clears what a test left behind, generator included. */
TEST_F(card, reset_clears_state)
{
	struct card *c = &self->c;

	wr(c->bar2, BAR2_ENABLE(0), CAUSES);
	wr(c->bar2, BAR2_FORCE(0), CAUSES);
	wr(c->bar0, BAR0_INTCSR, INTCSR_PIE | INTCSR_LIE);
	wr(c->bar3, BAR3_GEN_COUNT, 1000000);
	wr(c->bar3, BAR3_GEN_PERIOD_NS, 100000);
	wr(c->bar3, BAR3_GEN_CTRL, 1);
	ASSERT_EQ(1, rd(c->bar3, BAR3_GEN_STATUS));
	ASSERT_TRUE(intx_pending(c));
	ASSERT_EQ(0, sysfs_write(c->dev, "reset", "1"));
	EXPECT_EQ(0, rd(c->bar3, BAR3_GEN_STATUS));
	EXPECT_EQ(0, rd(c->bar3, BAR3_GEN_DONE));
	EXPECT_EQ(0, rd(c->bar0, BAR0_INTCSR));
	EXPECT_EQ(PRESENT, rd(c->bar2, BAR2_STATUS(0)));
	EXPECT_EQ(0, rd(c->bar2, BAR2_ENABLE(0)));
	EXPECT_EQ(0, rd(c->bar3, BAR3_RAISED(0, 0)));
	EXPECT_FALSE(intx_pending(c));
}

TEST_F(card, force_latches_only_when_enabled)
{
	struct card *c = &self->c;
	int ch, cause;

	for (ch = 0; ch < 8; ch++) {
		for (cause = 0; cause < 2; cause++) {
			int r = ch / 4;
			uint32_t bit = chbit(ch, cause);

			wr(c->bar2, BAR2_FORCE(r), bit);
			EXPECT_EQ(PRESENT, rd(c->bar2, BAR2_STATUS(r)));
			EXPECT_EQ(1, rd(c->bar3, BAR3_RAISED(ch, cause)));
			EXPECT_EQ(0, rd(c->bar3, BAR3_LATCHED(ch, cause)));

			wr(c->bar2, BAR2_ENABLE(r), bit);
			EXPECT_EQ(bit, rd(c->bar2, BAR2_ENABLE(r)));
			wr(c->bar2, BAR2_FORCE(r), bit);
			EXPECT_EQ(PRESENT | bit, rd(c->bar2, BAR2_STATUS(r)));
			EXPECT_EQ(PRESENT, rd(c->bar2, BAR2_STATUS(1 - r)));
			EXPECT_EQ(2, rd(c->bar3, BAR3_RAISED(ch, cause)));
			EXPECT_EQ(1, rd(c->bar3, BAR3_LATCHED(ch, cause)));

			/* A raise of a latched cause merges. */
			wr(c->bar2, BAR2_FORCE(r), bit);
			EXPECT_EQ(3, rd(c->bar3, BAR3_RAISED(ch, cause)));
			EXPECT_EQ(1, rd(c->bar3, BAR3_LATCHED(ch, cause)));

			/* Disabling does not clear what is latched. */
			wr(c->bar2, BAR2_ENABLE(r), 0);
			EXPECT_EQ(PRESENT | bit, rd(c->bar2, BAR2_STATUS(r)));
			wr(c->bar2, BAR2_STATUS(r), bit);
			EXPECT_EQ(PRESENT, rd(c->bar2, BAR2_STATUS(r)));
		}
	}
	/* Only cause bits of ENABLE are writable; FORCE reads 0. */
	wr(c->bar2, BAR2_ENABLE(1), 0xffffffff);
	EXPECT_EQ(CAUSES, rd(c->bar2, BAR2_ENABLE(1)));
	wr(c->bar2, BAR2_FORCE(1), 0xffffffff);
	EXPECT_EQ(0, rd(c->bar2, BAR2_FORCE(1)));
	EXPECT_EQ(PRESENT | CAUSES, rd(c->bar2, BAR2_STATUS(1)));
}

TEST_F(card, w1c_clears_exactly_the_written_bits)
{
	struct card *c = &self->c;
	int r, b;

	for (r = 0; r < 2; r++) {
		uint32_t left = CAUSES;

		wr(c->bar2, BAR2_ENABLE(r), CAUSES);
		wr(c->bar2, BAR2_FORCE(r), CAUSES);
		/* Writing 0, PRESENT or non-cause bits clears nothing. */
		wr(c->bar2, BAR2_STATUS(r), 0);
		wr(c->bar2, BAR2_STATUS(r), ~CAUSES);
		EXPECT_EQ(PRESENT | CAUSES, rd(c->bar2, BAR2_STATUS(r)));
		for (b = 0; b < 32; b++) {
			if (!(CAUSES & (1u << b)))
				continue;
			wr(c->bar2, BAR2_STATUS(r), 1u << b);
			left &= ~(1u << b);
			EXPECT_EQ(PRESENT | left, rd(c->bar2, BAR2_STATUS(r)))
				TH_LOG("register %d after clearing bit %d", r, b);
		}
	}
}

TEST_F(card, lia_and_intx_follow_the_rules)
{
	struct card *c = &self->c;
	int pie, lie, lia;

	for (lia = 0; lia < 2; lia++) {
		wr(c->bar2, BAR2_ENABLE(1), chbit(6, 1));
		if (lia)
			wr(c->bar2, BAR2_FORCE(1), chbit(6, 1));
		for (pie = 0; pie < 2; pie++) {
			for (lie = 0; lie < 2; lie++) {
				uint32_t v = (pie ? INTCSR_PIE : 0) |
					     (lie ? INTCSR_LIE : 0);

				wr(c->bar0, BAR0_INTCSR, v);
				EXPECT_EQ(v | (lia ? INTCSR_LIA : 0),
					  rd(c->bar0, BAR0_INTCSR));
				EXPECT_EQ(pie && lie && lia, intx_pending(c))
					TH_LOG("PIE %d LIE %d LIA %d",
					       pie, lie, lia);
			}
		}
	}
	/* A latched cause whose enable is cleared does not count. */
	wr(c->bar0, BAR0_INTCSR, INTCSR_PIE | INTCSR_LIE);
	EXPECT_TRUE(intx_pending(c));
	wr(c->bar2, BAR2_ENABLE(1), 0);
	EXPECT_EQ(INTCSR_PIE | INTCSR_LIE, rd(c->bar0, BAR0_INTCSR));
	EXPECT_FALSE(intx_pending(c));
	wr(c->bar2, BAR2_ENABLE(1), CAUSES);
	EXPECT_TRUE(intx_pending(c));
	/* Clearing the cause drops the line. */
	wr(c->bar2, BAR2_STATUS(1), chbit(6, 1));
	EXPECT_FALSE(intx_pending(c));
	EXPECT_EQ(INTCSR_PIE | INTCSR_LIE, rd(c->bar0, BAR0_INTCSR));
	/* LIA is read-only; other INTCSR bits are stored. */
	wr(c->bar0, BAR0_INTCSR, INTCSR_LIA | 0x5);
	EXPECT_EQ(0x5, rd(c->bar0, BAR0_INTCSR));
}

TEST_F(card, irq_asserts_counts_edges)
{
	struct card *c = &self->c;
	int i;

	wr(c->bar2, BAR2_ENABLE(0), CAUSES);
	wr(c->bar0, BAR0_INTCSR, INTCSR_PIE | INTCSR_LIE);
	EXPECT_EQ(0, rd(c->bar3, BAR3_IRQ_ASSERTS));
	for (i = 1; i <= 5; i++) {
		wr(c->bar2, BAR2_FORCE(0), chbit(1, 0));
		/* A second cause while asserted is no new edge. */
		wr(c->bar2, BAR2_FORCE(0), chbit(2, 1));
		EXPECT_EQ(i, rd(c->bar3, BAR3_IRQ_ASSERTS));
		wr(c->bar2, BAR2_STATUS(0), chbit(1, 0));
		EXPECT_TRUE(intx_pending(c));
		wr(c->bar2, BAR2_STATUS(0), chbit(2, 1));
		EXPECT_FALSE(intx_pending(c));
	}
	/* Toggling PIE over a pending cause makes an edge each time. */
	wr(c->bar2, BAR2_FORCE(0), chbit(3, 0));
	EXPECT_EQ(6, rd(c->bar3, BAR3_IRQ_ASSERTS));
	for (i = 0; i < 3; i++) {
		wr(c->bar0, BAR0_INTCSR, INTCSR_LIE);
		wr(c->bar0, BAR0_INTCSR, INTCSR_PIE | INTCSR_LIE);
	}
	EXPECT_EQ(9, rd(c->bar3, BAR3_IRQ_ASSERTS));
}

TEST_F(card, dead_card_reads_all_ones)
{
	struct card *c = &self->c;

	wr(c->bar2, BAR2_ENABLE(0), CAUSES);
	wr(c->bar2, BAR2_FORCE(0), chbit(0, 0));
	wr(c->bar0, BAR0_INTCSR, INTCSR_PIE | INTCSR_LIE);
	ASSERT_TRUE(intx_pending(c));

	wr(c->bar3, BAR3_FAULT, FAULT_DEAD);
	EXPECT_FALSE(intx_pending(c));
	EXPECT_EQ(0xffffffff, rd(c->bar0, BAR0_INTCSR));
	EXPECT_EQ(0xffffffff, rd(c->bar0, 0x00));
	EXPECT_EQ(0xffffffff, rd(c->bar2, BAR2_ID));
	EXPECT_EQ(0xffffffff, rd(c->bar2, BAR2_STATUS(0)));
	EXPECT_EQ(0xffffffff, rd(c->bar2, BAR2_STATUS(1)));
	/* Writes are dropped: neither the clear nor the enable lands. */
	wr(c->bar2, BAR2_STATUS(0), CAUSES);
	wr(c->bar2, BAR2_ENABLE(1), CAUSES);
	wr(c->bar2, BAR2_FORCE(0), chbit(3, 1));
	EXPECT_EQ(0, rd(c->bar3, BAR3_RAISED(3, 1)));
	EXPECT_EQ(0x4c544345, rd(c->bar3, BAR3_CTL_ID));

	wr(c->bar3, BAR3_FAULT, 0);
	EXPECT_EQ(PRESENT | chbit(0, 0), rd(c->bar2, BAR2_STATUS(0)));
	EXPECT_EQ(0, rd(c->bar2, BAR2_ENABLE(1)));
	EXPECT_TRUE(intx_pending(c));
}

TEST_F(card, stuck_cause_ignores_clears)
{
	struct card *c = &self->c;

	wr(c->bar2, BAR2_ENABLE(1), CAUSES);
	wr(c->bar2, BAR2_FORCE(1), chbit(5, 0));
	wr(c->bar3, BAR3_FAULT, FAULT_STUCK);
	EXPECT_EQ(FAULT_STUCK, rd(c->bar3, BAR3_FAULT));
	wr(c->bar2, BAR2_STATUS(1), CAUSES);
	EXPECT_EQ(PRESENT | chbit(5, 0), rd(c->bar2, BAR2_STATUS(1)));
	/* New causes still latch while stuck. */
	wr(c->bar2, BAR2_FORCE(1), chbit(7, 1));
	EXPECT_EQ(PRESENT | chbit(5, 0) | chbit(7, 1),
		  rd(c->bar2, BAR2_STATUS(1)));
	wr(c->bar3, BAR3_FAULT, 0);
	wr(c->bar2, BAR2_STATUS(1), CAUSES);
	EXPECT_EQ(PRESENT, rd(c->bar2, BAR2_STATUS(1)));
}

TEST_F(card, access_counters_exclude_bar3)
{
	struct card *c = &self->c;
	int i;

	wr(c->bar3, BAR3_COUNTERS_RESET, 1);
	EXPECT_EQ(0, rd(c->bar3, BAR3_MMIO_READS));
	EXPECT_EQ(0, rd(c->bar3, BAR3_MMIO_WRITES));
	for (i = 0; i < 7; i++)
		rd(c->bar2, BAR2_STATUS(i & 1));
	for (i = 0; i < 3; i++)
		rd(c->bar0, BAR0_INTCSR);
	for (i = 0; i < 5; i++)
		wr(c->bar2, BAR2_ENABLE(0), 0);
	wr(c->bar0, BAR0_INTCSR, 0);
	for (i = 0; i < 20; i++) {
		rd(c->bar3, BAR3_GEN_STATUS);
		wr(c->bar3, BAR3_GEN_COUNT, i);
	}
	EXPECT_EQ(10, rd(c->bar3, BAR3_MMIO_READS));
	EXPECT_EQ(6, rd(c->bar3, BAR3_MMIO_WRITES));
	wr(c->bar3, BAR3_COUNTERS_RESET, 1);
	EXPECT_EQ(0, rd(c->bar3, BAR3_MMIO_READS));
	EXPECT_EQ(0, rd(c->bar3, BAR3_MMIO_WRITES));
}

TEST_F(card, odd_access_sizes_are_refused)
{
	struct card *c = &self->c;
	uint8_t *b8 = (uint8_t *)c->bar2;
	uint16_t *b16 = (uint16_t *)c->bar2;

	EXPECT_EQ(0xff, __atomic_load_n(&b8[BAR2_ID], __ATOMIC_RELAXED));
	EXPECT_EQ(0xffff, __atomic_load_n(&b16[BAR2_ID / 2], __ATOMIC_RELAXED));
	wr(c->bar2, BAR2_ENABLE(0), chbit(0, 0));
	__atomic_store_n(&b16[BAR2_ENABLE(0) / 2], 0xffff, __ATOMIC_RELAXED);
	__atomic_store_n(&b8[BAR2_ENABLE(0)], 0x3, __ATOMIC_RELAXED);
	EXPECT_EQ(chbit(0, 0), rd(c->bar2, BAR2_ENABLE(0)));
	EXPECT_EQ(0x38584c50, rd(c->bar2, BAR2_ID));
}

TEST_F(card, virtual_clock_and_last_raise)
{
	struct card *c = &self->c;
	uint64_t t0, t1, t2;

	t0 = vclock(c);
	wr(c->bar2, BAR2_FORCE(0), chbit(0, 0));
	t1 = vclock(c);
	usleep(1000);
	t2 = vclock(c);
	EXPECT_LT(t0, t1);
	EXPECT_LE(t1 + 1000000, t2);
	EXPECT_LE(t0, last_raise(c));
	EXPECT_GE(t1, last_raise(c));
}

/* Drain STATUS like a driver would, counting what each clear took. */
struct drainer {
	struct card *c;
	atomic_bool stop;
	uint32_t cleared[8][2];
};

static void drain_once(struct drainer *d)
{
	int r, ch, cause;

	for (r = 0; r < 2; r++) {
		uint32_t s = rd(d->c->bar2, BAR2_STATUS(r)) & CAUSES;

		if (!s)
			continue;
		wr(d->c->bar2, BAR2_STATUS(r), s);
		for (ch = 4 * r; ch < 4 * r + 4; ch++)
			for (cause = 0; cause < 2; cause++)
				if (s & chbit(ch, cause))
					d->cleared[ch][cause]++;
	}
}

static void *drain_thread(void *arg)
{
	struct drainer *d = arg;

	while (!d->stop)
		drain_once(d);
	return NULL;
}

static bool wait_generator(struct card *c, int seconds)
{
	struct timespec ts = { 0, 1000000 };
	int i;

	for (i = 0; i < seconds * 1000; i++) {
		if (!rd(c->bar3, BAR3_GEN_STATUS))
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

FIXTURE(gen) {
	struct card c;
};

FIXTURE_SETUP(gen)
{
	card_open(_metadata, &self->c);
}

FIXTURE_TEARDOWN(gen)
{
	card_close(&self->c);
}

FIXTURE_VARIANT(gen)
{
	uint32_t mode;
	uint32_t mask[2];
};

FIXTURE_VARIANT_ADD(gen, every_bit)
{
	.mode = 0, .mask = { 0x03030303, 0x03030303 },
};

FIXTURE_VARIANT_ADD(gen, one_bit)
{
	.mode = 1, .mask = { 0x03030303, 0x03030303 },
};

FIXTURE_VARIANT_ADD(gen, subset_partial_mask)
{
	.mode = 2, .mask = { 0x01000203, 0x02010000 },
};

/* Run the generator with a drainer; return the raised counters. */
static void run_generator(struct __test_metadata *_metadata, struct card *c,
			  uint32_t mode, const uint32_t *mask, uint32_t count,
			  uint32_t seed, uint32_t raised[8][2])
{
	struct drainer d = { .c = c };
	uint32_t total = 0, bits = 0;
	pthread_t t;
	int ch, cause;

	wr(c->bar3, BAR3_COUNTERS_RESET, 1);
	wr(c->bar2, BAR2_ENABLE(0), CAUSES);
	wr(c->bar2, BAR2_ENABLE(1), CAUSES);
	wr(c->bar3, BAR3_GEN_COUNT, count);
	wr(c->bar3, BAR3_GEN_PERIOD_NS, 20000);
	wr(c->bar3, BAR3_GEN_MASK(0), mask[0]);
	wr(c->bar3, BAR3_GEN_MASK(1), mask[1]);
	wr(c->bar3, BAR3_GEN_SEED, seed);
	wr(c->bar3, BAR3_GEN_MODE, mode);
	ASSERT_EQ(0, pthread_create(&t, NULL, drain_thread, &d));
	wr(c->bar3, BAR3_GEN_CTRL, 1);
	EXPECT_TRUE(wait_generator(c, 60));
	d.stop = true;
	pthread_join(t, NULL);
	drain_once(&d);

	EXPECT_EQ(count, rd(c->bar3, BAR3_GEN_DONE));
	EXPECT_EQ(PRESENT, rd(c->bar2, BAR2_STATUS(0)));
	EXPECT_EQ(PRESENT, rd(c->bar2, BAR2_STATUS(1)));
	for (ch = 0; ch < 8; ch++) {
		for (cause = 0; cause < 2; cause++) {
			uint32_t in_mask = mask[ch / 4] & chbit(ch, cause);
			uint32_t r = rd(c->bar3, BAR3_RAISED(ch, cause));
			uint32_t l = rd(c->bar3, BAR3_LATCHED(ch, cause));

			raised[ch][cause] = r;
			total += r;
			bits += !!in_mask;
			/* raised = latched + merged, latched = cleared */
			EXPECT_EQ(d.cleared[ch][cause], l)
				TH_LOG("ch %d cause %d", ch, cause);
			EXPECT_LE(l, r);
			if (!in_mask)
				EXPECT_EQ(0, r) TH_LOG("ch %d cause %d", ch, cause);
			if (mode == 0 && in_mask)
				EXPECT_EQ(count, r);
		}
	}
	if (mode == 1)
		EXPECT_EQ(count, total);
	if (mode == 2) {
		EXPECT_LE(count, total);
		EXPECT_GT(count * bits, total);
	}
}

TEST_F(gen, raises_gen_count_events)
{
	uint32_t a[8][2], b[8][2], other[8][2];

	run_generator(_metadata, &self->c, variant->mode, variant->mask, 3000, 12345, a);
	/* The same seed replays the same sequence; another one does not. */
	run_generator(_metadata, &self->c, variant->mode, variant->mask, 3000, 12345, b);
	EXPECT_EQ(0, memcmp(a, b, sizeof(a)));
	if (variant->mode) {
		run_generator(_metadata, &self->c, variant->mode, variant->mask, 3000, 777, other);
		EXPECT_NE(0, memcmp(a, other, sizeof(a)));
	}
}

TEST_F(card, generator_stops_and_keeps_its_period)
{
	struct card *c = &self->c;
	uint64_t t0, t1;
	uint32_t done;

	wr(c->bar2, BAR2_ENABLE(0), CAUSES);
	wr(c->bar3, BAR3_GEN_MASK(0), chbit(0, 0));
	wr(c->bar3, BAR3_GEN_COUNT, 1000000);
	wr(c->bar3, BAR3_GEN_PERIOD_NS, 1000000);	/* 1 ms */
	wr(c->bar3, BAR3_GEN_CTRL, 1);
	usleep(20000);
	wr(c->bar3, BAR3_GEN_CTRL, 2);
	EXPECT_EQ(0, rd(c->bar3, BAR3_GEN_STATUS));
	done = rd(c->bar3, BAR3_GEN_DONE);
	EXPECT_LT(0, done);
	EXPECT_GT(1000000, done);
	usleep(5000);
	EXPECT_EQ(done, rd(c->bar3, BAR3_GEN_DONE));

	/* A period below 1000 ns counts as 1000 ns of virtual time. */
	wr(c->bar3, BAR3_GEN_COUNT, 500);
	wr(c->bar3, BAR3_GEN_PERIOD_NS, 1);
	t0 = vclock(c);
	wr(c->bar3, BAR3_GEN_CTRL, 1);
	ASSERT_TRUE(wait_generator(c, 60));
	t1 = last_raise(c);
	EXPECT_EQ(500, rd(c->bar3, BAR3_GEN_DONE));
	EXPECT_LE(t0 + 500 * 1000, t1);

	/* A count of zero raises nothing. */
	wr(c->bar3, BAR3_COUNTERS_RESET, 1);
	wr(c->bar3, BAR3_GEN_COUNT, 0);
	wr(c->bar3, BAR3_GEN_CTRL, 1);
	EXPECT_EQ(0, rd(c->bar3, BAR3_GEN_STATUS));
	usleep(2000);
	EXPECT_EQ(0, rd(c->bar3, BAR3_RAISED(0, 0)));
}

TEST_HARNESS_MAIN
