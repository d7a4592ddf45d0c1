/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated card's registers as the tests use them, after the card
 * reference: BAR0 and BAR2 as on the real card, BAR3 the emulator block.
 */
#ifndef _PLX8CH_CARD_H
#define _PLX8CH_CARD_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef BIT
#define BIT(n)		(1u << (n))
#endif

#define CAUSES		0x03030303u
#define PRESENT		0x80808080u

#define BAR0_INTCSR	0x68
#define INTCSR_PIE	BIT(8)
#define INTCSR_LIE	BIT(11)
#define INTCSR_LIA	BIT(15)

#define BAR2_ID		0x00
#define BAR2_VERSION	0x04
#define BAR2_STATUS(r)	(0x10 + 4 * (r))
#define BAR2_ENABLE(r)	(0x18 + 4 * (r))
#define BAR2_FORCE(r)	(0x20 + 4 * (r))

#define BAR3_CTL_ID		0x000
#define BAR3_GEN_COUNT		0x010
#define BAR3_GEN_PERIOD_NS	0x014
#define BAR3_GEN_MASK(r)	(0x018 + 4 * (r))
#define BAR3_GEN_SEED		0x020
#define BAR3_GEN_MODE		0x024
#define BAR3_GEN_CTRL		0x028
#define BAR3_GEN_STATUS		0x02c
#define BAR3_GEN_DONE		0x030
#define BAR3_COUNTERS_RESET	0x03c
#define BAR3_RAISED(ch, c)	(0x040 + 8 * (ch) + 4 * (c))	/* c: 0 RX, 1 TX */
#define BAR3_LATCHED(ch, c)	(0x080 + 8 * (ch) + 4 * (c))
#define BAR3_FAULT		0x100
#define BAR3_MMIO_READS		0x104
#define BAR3_MMIO_WRITES	0x108
#define BAR3_IRQ_ASSERTS	0x10c
#define BAR3_VCLOCK_LO		0x110
#define BAR3_VCLOCK_HI		0x114
#define BAR3_LAST_RAISE_LO	0x118
#define BAR3_LAST_RAISE_HI	0x11c
#define BAR3_UNPLUG		0x120

#define FAULT_DEAD	1
#define FAULT_STUCK	2
#define FAULT_KEEP	4	/* the faults survive a reset of the card */

/*
 * One 32-bit access, as the card requires. A relaxed atomic, so that the
 * compiler neither merges nor drops an access to the mapped registers.
 */
static inline uint32_t rd(uint32_t *bar, unsigned int off)
{
	return __atomic_load_n(&bar[off / 4], __ATOMIC_RELAXED);
}

static inline void wr(uint32_t *bar, unsigned int off, uint32_t v)
{
	__atomic_store_n(&bar[off / 4], v, __ATOMIC_RELAXED);
}

/*
 * The first page of BAR @bar (every register of the card's BARs) of the
 * PCI device whose sysfs directory is @dev, mapped through its resource
 * file; NULL if it cannot be. A page of the CPU's size, not 4 KiB: arm64
 * kernels may have 16 or 64 KiB pages.
 */
static inline uint32_t *map_resource(const char *dev, int bar)
{
	char path[512];
	void *p;
	int fd;

	snprintf(path, sizeof(path), "%s/resource%d", dev, bar);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0)
		return NULL;
	p = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

static inline void unmap_resource(uint32_t *bar)
{
	munmap(bar, sysconf(_SC_PAGESIZE));
}

/* Write a string to a sysfs file: 0 or -errno. */
static inline int write_file(const char *path, const char *s)
{
	int fd, ret = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

#endif /* _PLX8CH_CARD_H */
