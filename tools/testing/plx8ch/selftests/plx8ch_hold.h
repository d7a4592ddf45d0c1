/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bench's helper modules (../kmod) as the race tests use them: each
 * holds a CPU inside a race window while the test runs the other side.
 * The card's interrupt goes to CPU 0 and the test to CPU 1, since a CPU
 * held in the top half runs nothing else; the module is loaded with the
 * test's parameters, and its counters (entered, hits) are waited on.
 */
#ifndef _PLX8CH_HOLD_H
#define _PLX8CH_HOLD_H

/* CPU_SET() needs _GNU_SOURCE, defined before any include. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "plx8ch_bound.h"

struct hold {
	char irq_affinity[64];		/* /proc/irq/<card's IRQ>/smp_affinity */
	char params[96];		/* /sys/module/<module>/parameters/ */
	const char *module;
	int err;			/* errno of a failed load */
};

static inline void hold_cpus(int mask)
{
	cpu_set_t cpus;
	int cpu;

	CPU_ZERO(&cpus);
	for (cpu = 0; cpu < 2; cpu++)
		if (mask & (1 << cpu))
			CPU_SET(cpu, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
}

/*
 * Pin the card's interrupt and the test, then load the module file @ko
 * (named @module) with @args. 0, or -1 with h->err set; nothing is left
 * pinned then, as a harness runs no teardown after a failed setup.
 */
static inline int hold_start(struct hold *h, struct card *c, const char *ko,
			     const char *module, const char *args)
{
	int fd, ret;

	h->module = module;
	h->err = 0;
	snprintf(h->params, sizeof(h->params), "/sys/module/%s/parameters/",
		 module);
	snprintf(h->irq_affinity, sizeof(h->irq_affinity),
		 "/proc/irq/%ld/smp_affinity", sysfs_long(c->dev, "irq"));
	if (write_file(h->irq_affinity, "1")) {
		h->err = errno;
		return -1;
	}
	hold_cpus(2);
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	ret = fd < 0 ? -1 : syscall(SYS_finit_module, fd, args, 0);
	if (ret) {
		h->err = errno;
		write_file(h->irq_affinity, "3");
		hold_cpus(3);
	}
	if (fd >= 0)
		close(fd);
	return ret ? -1 : 0;
}

static inline void hold_stop(struct hold *h)
{
	syscall(SYS_delete_module, h->module, O_NONBLOCK);
	write_file(h->irq_affinity, "3");
	hold_cpus(3);
}

/* Write @val to the module's parameter @name. */
static inline int hold_set(struct hold *h, const char *name, const char *val)
{
	char path[160];

	snprintf(path, sizeof(path), "%s%s", h->params, name);
	return write_file(path, val);
}

/* The module's counter @name, as its parameter shows it. */
static inline long hold_count(struct hold *h, const char *name)
{
	return sysfs_long(h->params, name);
}

/* Wait up to @ms for the module's counter @name to reach @n. */
static inline bool hold_wait(struct hold *h, const char *name, long n, int ms)
{
	uint64_t end = now_ns() + ms * 1000000ULL;

	do {
		if (hold_count(h, name) >= n)
			return true;
		usleep(1000);
	} while (now_ns() < end);
	return false;
}

#endif /* _PLX8CH_HOLD_H */
