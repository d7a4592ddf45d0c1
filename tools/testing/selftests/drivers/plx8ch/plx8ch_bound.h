/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cards as tests see them with the driver bound: found through sysfs,
 * causes raised from the device side through BAR3, records read from the
 * channel nodes.
 */
#ifndef _PLX8CH_BOUND_H
#define _PLX8CH_BOUND_H

#include <dirent.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include <linux/plx8ch.h>

#include "plx8ch_card.h"

#define PLX8CH_DRV	"/sys/bus/pci/drivers/plx8ch"

/*
 * Tests that bind a card again wait for its probe, which on a checker
 * kernel under TCG takes tens of seconds (ACPI routing): more than the
 * harness's default 30 s.
 */
#define REBIND_TIMEOUT	600

#define MAX_CARDS	4

struct card {
	char dev[300];			/* /sys/bus/pci/devices/<bdf> */
	char bdf[256];
	unsigned int index;
	uint32_t *bar3;
};

static inline int read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	return 0;
}

static inline long sysfs_long(const char *dir, const char *name)
{
	char path[PATH_MAX], buf[64];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (read_file(path, buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 0);
}

static inline int cmp_card(const void *a, const void *b)
{
	return (int)((const struct card *)a)->index -
	       (int)((const struct card *)b)->index;
}

/* Cards bound to plx8ch, by card index. */
static inline int find_cards(struct card *cards, int max)
{
	const char *drv = "/sys/bus/pci/drivers/plx8ch";
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(drv);
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max) {
		struct card *c = &cards[n];

		if (!strchr(de->d_name, ':'))
			continue;
		memset(c, 0, sizeof(*c));
		snprintf(c->bdf, sizeof(c->bdf), "%s", de->d_name);
		snprintf(c->dev, sizeof(c->dev), "/sys/bus/pci/devices/%s",
			 de->d_name);
		c->index = sysfs_long(c->dev, "plx8ch_card/card");
		c->bar3 = map_resource(c->dev, 3);
		if (!c->bar3)
			continue;
		n++;
	}
	closedir(d);
	qsort(cards, n, sizeof(*cards), cmp_card);
	return n;
}

/* NULL, hidden from the compiler (-Wnonnull): the kernel must refuse it. */
static inline void *hidden_null(void)
{
	void *p = NULL;

	__asm__ ("" : "+r" (p));
	return p;
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline uint32_t chbit(int ch, uint32_t causes)
{
	return causes << (8 * (ch % 4));
}

/* Start the card's generator: count events, period_ns apart. */
static inline void gen_start(struct card *c, uint32_t m14, uint32_t m58,
			     uint32_t mode, uint32_t count, uint32_t period_ns)
{
	wr(c->bar3, BAR3_GEN_MASK(0), m14);
	wr(c->bar3, BAR3_GEN_MASK(1), m58);
	wr(c->bar3, BAR3_GEN_MODE, mode);
	wr(c->bar3, BAR3_GEN_COUNT, count);
	wr(c->bar3, BAR3_GEN_PERIOD_NS, period_ns);
	wr(c->bar3, BAR3_GEN_CTRL, 1);
}

/*
 * Wait up to 60 s for a card's PCI device to go away; true if it did. The
 * guest's ACPI hotplug work runs behind whatever interrupts it is handling.
 */
static inline bool wait_gone(struct card *c)
{
	int i;

	for (i = 0; i < 1200 && !access(c->dev, F_OK); i++)
		usleep(50000);
	return access(c->dev, F_OK) != 0;
}

/* Raise causes on channel ch from the device side; wait until raised. */
static inline bool raise_bits(struct card *c, uint32_t m14, uint32_t m58)
{
	int i;

	gen_start(c, m14, m58, 0, 1, 1000);
	for (i = 0; i < 5000 && rd(c->bar3, BAR3_GEN_STATUS); i++)
		usleep(200);
	return !rd(c->bar3, BAR3_GEN_STATUS);
}

static inline bool raise_ch(struct card *c, int ch, uint32_t causes)
{
	return ch < 4 ? raise_bits(c, chbit(ch, causes), 0) :
			raise_bits(c, 0, chbit(ch, causes));
}

static inline int open_node(struct card *c, int ch, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/plx8ch%u",
		 c->index * PLX8CH_CHANNELS + ch);
	return open(path, O_RDONLY | O_CLOEXEC | flags);
}

/* The "readers" attribute of channel @ch's node. */
static inline long node_readers(struct card *c, int ch)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/class/plx8ch/plx8ch%u",
		 c->index * PLX8CH_CHANNELS + ch);
	return sysfs_long(path, "readers");
}

/* Wait up to @ms for channel @ch of @c to have @n readers. */
static inline bool wait_readers(struct card *c, int ch, long n, int ms)
{
	for (; ms > 0; ms -= 10) {
		if (node_readers(c, ch) == n)
			return true;
		usleep(10000);
	}
	return false;
}

/* Wait up to ms for a record and read it; 0 on success. */
static inline int wait_read(int fd, struct plx8ch_event *ev, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, ms) != 1)
		return -ETIMEDOUT;
	n = read(fd, ev, sizeof(*ev));
	if (n < 0)
		return -errno;
	return n == sizeof(*ev) ? 0 : -EIO;
}

/*
 * A group of @channels of @node's card, asked for through @node: the
 * request names each channel by a descriptor of its node, opened for
 * reading here and closed again. Its fd, or -errno.
 */
static inline int get_group(int node, uint32_t channels)
{
	struct plx8ch_group_request req;
	struct plx8ch_info info;
	char path[64];
	unsigned int c;
	int ret = 0;

	memset(&req, 0, sizeof(req));
	if (ioctl(node, PLX8CH_IOC_GET_INFO, &info))
		return -errno;
	for (c = 0; c < PLX8CH_CHANNELS; c++) {
		if (!(channels & (1u << c)))
			continue;
		snprintf(path, sizeof(path), "/dev/plx8ch%u",
			 info.card * PLX8CH_CHANNELS + c);
		req.fds[req.nfds] = open(path, O_RDONLY | O_CLOEXEC);
		if (req.fds[req.nfds] < 0) {
			ret = -errno;
			goto out;
		}
		req.nfds++;
	}
	if (channels & ~((1u << PLX8CH_CHANNELS) - 1))
		req.fds[req.nfds++] = -1;	/* a channel that is not there */
	ret = ioctl(node, PLX8CH_IOC_GET_GROUP, &req) ? -errno : req.fd;
out:
	while (req.nfds--)
		if (req.fds[req.nfds] >= 0)
			close(req.fds[req.nfds]);
	return ret;
}

/*
 * Raise @causes on the channel of the open node @fd through the driver
 * (PLX8CH_IOC_INJECT, the card's FORCE register): the path a real card
 * has. True on success.
 */
static inline bool inject(int fd, uint32_t causes)
{
	struct plx8ch_inject inj;

	memset(&inj, 0, sizeof(inj));
	inj.causes = causes;
	return !ioctl(fd, PLX8CH_IOC_INJECT, &inj);
}

/* Whether @n bytes at @p are all zero. */
static inline bool all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

/* Whether the card at PCI address @bdf is bound to plx8ch. */
static inline bool card_bound(const char *bdf)
{
	char path[300];

	snprintf(path, sizeof(path), PLX8CH_DRV "/%s", bdf);
	return !access(path, F_OK);
}

/*
 * A read() blocked in a thread of its own, for the test to wake. The
 * buffer holds a record per channel, so a group's read fits as well; what
 * the read returned stays in @ev.
 */
struct blocked {
	pthread_t t;
	int fd;
	ssize_t ret;
	int err;
	struct plx8ch_event ev[PLX8CH_CHANNELS];
};

static inline void *blocked_read(void *arg)
{
	struct blocked *b = arg;

	b->ret = read(b->fd, b->ev, sizeof(b->ev));
	b->err = errno;
	return NULL;
}

/* Start a read of @b->fd in a thread of its own. */
static inline int blocked_start(struct blocked *b)
{
	b->ret = 0;
	b->err = 0;
	return pthread_create(&b->t, NULL, blocked_read, b);
}

/*
 * Wait for the blocked read to return, up to BLOCKED_WAKE_S seconds (the
 * checker kernels are slow): a wake-up that never comes fails the test
 * where it should have come, instead of wedging it. True if it returned.
 */
#define BLOCKED_WAKE_S	60
static inline bool blocked_join(struct blocked *b)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += BLOCKED_WAKE_S;
	return !pthread_timedjoin_np(b->t, NULL, &ts);
}

/*
 * /proc/irq/<irq>/spurious "unhandled": the kernel's count towards
 * "nobody cared" (99,900 unhandled of 100,000 disable the line).
 */
static inline long irq_unhandled(long irq)
{
	char path[64], buf[256];
	long count, unhandled;

	snprintf(path, sizeof(path), "/proc/irq/%ld/spurious", irq);
	if (read_file(path, buf, sizeof(buf)) ||
	    sscanf(buf, "count %ld unhandled %ld", &count, &unhandled) != 2)
		return -1;
	return unhandled;
}

/* QEMU's edu device: the foreign device on the shared line */
#define EDU_IDS			"0x1234:0x11e8"
#define EDU_IRQ_RAISE		0x60
#define EDU_IRQ_ACK		0x64

/*
 * The PCI devices with these "vendor:device" ids, bound or not, by
 * address in @bdf; how many.
 */
static inline int find_pci(const char *ids, char (*bdf)[256], int max)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir("/sys/bus/pci/devices");
	while (d && n < max && (de = readdir(d))) {
		char dir[300], path[400], v[32], dv[32];

		snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", de->d_name);
		snprintf(path, sizeof(path), "%s/vendor", dir);
		if (read_file(path, v, sizeof(v)))
			continue;
		snprintf(path, sizeof(path), "%s/device", dir);
		if (read_file(path, dv, sizeof(dv)))
			continue;
		snprintf(path, sizeof(path), "%s:%s", v, dv);
		if (!strcmp(path, ids))
			snprintf(bdf[n++], 256, "%s", de->d_name);
	}
	if (d)
		closedir(d);
	return n;
}

/* The PCI device with these "vendor:device" ids, mapped BAR0; or NULL. */
static inline uint32_t *map_foreign(const char *ids, char *bdf, size_t len)
{
	char found[1][256], dir[300], path[320];
	int ret;

	if (find_pci(ids, found, 1) != 1)
		return NULL;
	snprintf(bdf, len, "%s", found[0]);
	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", found[0]);
	/*
	 * Its memory space on, as x86 firmware leaves it: with no driver
	 * and no firmware (arm64's virt), nobody else turns it on. EBUSY:
	 * a driver has it, and enabled it.
	 */
	snprintf(path, sizeof(path), "%s/enable", dir);
	ret = write_file(path, "1");
	if (ret && ret != -EBUSY)
		return NULL;
	return map_resource(dir, 0);
}

#endif /* _PLX8CH_BOUND_H */
