// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch_bench: the measurements behind `make bench`, run in the VM.
 *
 *   plx8ch_bench latency plx8ch|nodes|uio CARD N CHANNELS
 *	N raise-to-wake-up round trips on the first CHANNELS channels
 *   plx8ch_bench throughput plx8ch|nodes|uio CARD COUNT PERIOD_NS
 *	COUNT generator events, all 8 channels, PERIOD_NS apart
 *   plx8ch_bench mmio CARD COUNT
 *	register traffic per interrupt of the driver (plx8ch only), with
 *	causes in one register, then in both
 *   plx8ch_bench ctxsw N
 *	the cost of a task switch on one CPU, for scale
 *   plx8ch_bench scale NCARDS COUNT PERIOD_NS
 *	generator on NCARDS cards, every node in one epoll set (plx8ch)
 *
 * CARD is a PCI address. "plx8ch" reads the driver's records through one
 * channel group (PLX8CH_IOC_GET_GROUP): one poll and one read() per
 * wake-up; "nodes" through one node per channel in an epoll set: one
 * epoll_wait and a read() per channel with news. "uio" is the alternative
 * a user has: the card bound to uio_pci_generic, the status registers
 * read and cleared through the mmapped BAR2 and INTx unmasked again
 * through config space, as the kernel's UIO howto does it (uio_pci_generic
 * masks INTx with the command register's INTx Disable bit and has no
 * irqcontrol). All are raised the same way, by a one-shot of the card's
 * generator (BAR3), as the driver owns BAR2 (FORCE) and Debian's kernels
 * refuse to map a claimed BAR. Each waits with a timeout, so that a lost
 * interrupt fails the run instead of hanging it.
 *
 * PLX8CH_BENCH_CPU=N in the environment pins the process to CPU N first:
 * bench.sh puts every card's interrupt on CPU 0 and the reader on CPU 0
 * or 1, as where the reader runs decides more than anything else.
 *
 * Each prints "result <name> <value>..." lines for bench/run to tabulate.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/plx8ch.h>

#include "../../selftests/drivers/plx8ch/plx8ch_bound.h"

static void die(const char *what)
{
	fprintf(stderr, "plx8ch_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint32_t *map_bar(const char *bdf, int bar)
{
	uint32_t *p;
	char dev[128];

	snprintf(dev, sizeof(dev), "/sys/bus/pci/devices/%s", bdf);
	p = map_resource(dev, bar);
	if (!p)
		die(dev);
	return p;
}

static uint64_t rd64(uint32_t *bar3, unsigned int lo)
{
	uint64_t v = rd(bar3, lo);	/* latches the high half */

	return v | (uint64_t)rd(bar3, lo + 4) << 32;
}

static uint32_t set_mask(unsigned int nch, unsigned int reg)
{
	uint32_t m = 0;
	unsigned int ch;

	for (ch = reg * 4; ch < nch && ch < reg * 4 + 4; ch++)
		m |= chbit(ch, PLX8CH_EV_RX);
	return m;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void print_dist(const char *name, uint64_t *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	printf("result %s median_ns %llu p99_ns %llu min_ns %llu max_ns %llu n %u\n",
	       name, (unsigned long long)v[n / 2],
	       (unsigned long long)v[(uint64_t)n * 99 / 100],
	       (unsigned long long)v[0], (unsigned long long)v[n - 1], n);
}

/*
 * From one read of /proc/stat: the idle time of all CPUs, in ns, and the
 * task switches so far (its "ctxt" line). With NOHZ the busy fields are
 * sampled by a tick that stops when the CPU idles, so short bursts of work
 * between idle periods go unseen; idle time is measured exactly. Busy time
 * is the wall time of every CPU minus this.
 */
struct cpu_sample {
	uint64_t idle_ns;
	uint64_t switches;
};

static void cpu_sample(struct cpu_sample *cs)
{
	unsigned long long u, ni, sy, id, io, sw = 0;
	char line[256];
	FILE *f = fopen("/proc/stat", "r");

	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu", &u, &ni, &sy, &id,
			 &io) != 5)
		die("/proc/stat");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "ctxt %llu", &sw) == 1)
			break;
	fclose(f);
	cs->idle_ns = (id + io) * (1000000000ULL / sysconf(_SC_CLK_TCK));
	cs->switches = sw;
}

static uint64_t busy_ns(uint64_t wall, uint64_t idle0, uint64_t idle1)
{
	uint64_t all = wall * sysconf(_SC_NPROCESSORS_ONLN);

	return all > idle1 - idle0 ? all - (idle1 - idle0) : 0;
}

/*
 * The price of one switch between two tasks on one CPU: two processes
 * pinned to CPU 0 hand a byte back and forth through pipes.
 */
static int ctxsw(unsigned int n)
{
	int ab[2], ba[2];
	uint64_t t0, t1;
	cpu_set_t cpus;
	unsigned int i;
	char c = 0;
	pid_t pid;

	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	if (pipe(ab) || pipe(ba) || sched_setaffinity(0, sizeof(cpus), &cpus))
		die("ctxsw setup");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		for (i = 0; i < n; i++)
			if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			die("ctxsw");
	t1 = now_ns();
	waitpid(pid, NULL, 0);
	printf("result ctxsw ns_per_switch %llu n %u\n",
	       (unsigned long long)(t1 - t0) / (2 * n), n);
	return 0;
}

/* The plx8ch card index of the card at @bdf. */
static long card_index(const char *bdf)
{
	char path[160];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", bdf);
	return sysfs_long(path, "plx8ch_card/card");
}

/*
 * The channel events the driver counted on every channel of the card at
 * @bdf (each node's "events", its last seqno); 0 for a card it does not
 * drive.
 */
static uint64_t driver_events(const char *bdf)
{
	long index = card_index(bdf);
	uint64_t sum = 0;
	char path[64];
	unsigned int ch;

	if (index < 0)
		return 0;
	for (ch = 0; ch < PLX8CH_CHANNELS; ch++) {
		snprintf(path, sizeof(path), "/sys/class/plx8ch/plx8ch%ld",
			 index * PLX8CH_CHANNELS + ch);
		sum += sysfs_long(path, "events");
	}
	return sum;
}

/* The node of channel @ch of card @index, nonblocking. */
static int open_chnode(long index, unsigned int ch)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "/dev/plx8ch%ld",
		 index * PLX8CH_CHANNELS + ch);
	fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		die(path);
	return fd;
}

/*
 * The card's nodes for channels 0..nch-1, nonblocking, in @fds and in
 * one epoll set, which is returned.
 */
static int open_epoll(const char *bdf, unsigned int nch, int *fds)
{
	struct epoll_event e = { .events = EPOLLIN };
	long index = card_index(bdf);
	unsigned int ch;
	int ep = epoll_create1(0);

	for (ch = 0; ch < nch; ch++) {
		fds[ch] = open_chnode(index, ch);
		e.data.u32 = ch;
		epoll_ctl(ep, EPOLL_CTL_ADD, fds[ch], &e);
	}
	return ep;
}

/*
 * The uio alternative: the card's BARs, its /dev/uioN, its config space
 * and its command register, read once: one config write per interrupt
 * unmasks INTx, as in the kernel's UIO howto. The howto writes only the
 * register's high byte (offset 5); QEMU 7.2's PCI core re-evaluates INTx
 * Disable only on a write that covers offset 4, so a byte write at 5
 * leaves the line's state stale (lost interrupts, then "nobody cared").
 * Writing the whole register costs the same one system call.
 */
struct uio {
	uint32_t *bar0, *bar2;
	int fd, config;
	uint16_t command;
};

#define PCI_COMMAND		4
#define PCI_COMMAND_INTX_DISABLE	0x400

/* Clear INTx Disable, which uio_pci_generic's handler set. */
static void uio_unmask(struct uio *u)
{
	if (pwrite(u->config, &u->command, 2, PCI_COMMAND) != 2)
		die("config write");
}

/* Channels with a cause in the two status words: channel events. */
static unsigned int channels_in(uint32_t s14, uint32_t s58)
{
	unsigned int ch, n = 0;

	for (ch = 0; ch < 4; ch++)
		n += !!(s14 & chbit(ch, 3)) + !!(s58 & chbit(ch, 3));
	return n;
}

static void uio_open(const char *bdf, struct uio *u, uint32_t m14, uint32_t m58)
{
	char path[200], name[300];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/uio", bdf);
	d = opendir(path);
	if (!d)
		die(path);
	name[0] = 0;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "uio", 3))
			snprintf(name, sizeof(name), "/dev/%s", de->d_name);
	closedir(d);
	u->fd = open(name, O_RDWR);
	if (u->fd < 0)
		die(name);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	u->config = open(path, O_RDWR);
	if (u->config < 0 || pread(u->config, &u->command, 2, PCI_COMMAND) != 2)
		die(path);
	u->command &= ~PCI_COMMAND_INTX_DISABLE;
	u->bar0 = map_bar(bdf, 0);
	u->bar2 = map_bar(bdf, 2);
	wr(u->bar2, BAR2_STATUS(0), CAUSES);
	wr(u->bar2, BAR2_STATUS(1), CAUSES);
	wr(u->bar2, BAR2_ENABLE(0), m14);
	wr(u->bar2, BAR2_ENABLE(1), m58);
	wr(u->bar0, BAR0_INTCSR, INTCSR_PIE | INTCSR_LIE);
}

/*
 * One interrupt, handled as a uio user would: wait for it, read both
 * status registers, clear what was read, unmask INTx. Returns the channel
 * events seen, or 0 if none came within @ms.
 */
static unsigned int uio_handle(struct uio *u, int ms)
{
	struct pollfd p = { .fd = u->fd, .events = POLLIN };
	uint32_t s14, s58;
	int32_t count;

	if (poll(&p, 1, ms) != 1)
		return 0;
	if (read(u->fd, &count, sizeof(count)) != sizeof(count))
		die("uio read");
	s14 = rd(u->bar2, BAR2_STATUS(0)) & CAUSES;
	s58 = rd(u->bar2, BAR2_STATUS(1)) & CAUSES;
	if (s14)
		wr(u->bar2, BAR2_STATUS(0), s14);
	if (s58)
		wr(u->bar2, BAR2_STATUS(1), s58);
	uio_unmask(u);
	return channels_in(s14, s58);
}

enum how { HOW_GROUP, HOW_NODES, HOW_UIO };

static const char *const how_name[] = { "plx8ch", "nodes", "uio" };

static enum how parse_how(const char *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(how_name) / sizeof(how_name[0]); i++)
		if (!strcmp(s, how_name[i]))
			return i;
	fprintf(stderr, "plx8ch_bench: %s: not plx8ch, nodes or uio\n", s);
	exit(2);
}

/* A reader of a card's first channels, one of the three ways. */
struct reader {
	enum how how;
	int fds[PLX8CH_CHANNELS], ep, group;
	struct uio u;
};

static void reader_open(struct reader *r, enum how how, const char *bdf,
			unsigned int nch)
{
	int node;

	r->how = how;
	if (how == HOW_UIO) {
		/* Both causes, as the driver enables them. */
		uio_open(bdf, &r->u, set_mask(nch, 0) * 3, set_mask(nch, 1) * 3);
		return;
	}
	if (how == HOW_NODES) {
		r->ep = open_epoll(bdf, nch, r->fds);
		return;
	}
	/* Asked for through a node; the group alone reads the channels. */
	node = open_chnode(card_index(bdf), 0);
	r->group = get_group(node, (1u << nch) - 1);
	if (r->group < 0) {
		errno = -r->group;
		die("PLX8CH_IOC_GET_GROUP");
	}
	close(node);
}

/*
 * Wait up to @ms for news and take all of it. Returns the records taken
 * (for uio: channels with causes) and adds the channel events they carry
 * to *@events; 0 if nothing came.
 */
static unsigned int reader_take(struct reader *r, int ms, uint64_t *events)
{
	struct plx8ch_event ev[PLX8CH_CHANNELS];
	unsigned int n = 0, i;

	if (r->how == HOW_UIO) {
		n = uio_handle(&r->u, ms);
		*events += n;
	} else if (r->how == HOW_GROUP) {
		struct pollfd p = { .fd = r->group, .events = POLLIN };
		ssize_t got;

		if (poll(&p, 1, ms) != 1)
			return 0;
		got = read(r->group, ev, sizeof(ev));
		if (got < 0)
			die("group read");
		n = got / sizeof(ev[0]);
	} else {
		struct epoll_event evs[PLX8CH_CHANNELS];
		int k, ne = epoll_wait(r->ep, evs, PLX8CH_CHANNELS, ms);

		for (k = 0; k < ne; k++)
			n += read(r->fds[evs[k].data.u32], &ev[n],
				  sizeof(ev[0])) == sizeof(ev[0]);
	}
	if (r->how != HOW_UIO)
		for (i = 0; i < n; i++)
			*events += ev[i].count;
	return n;
}

static int latency(enum how how, const char *bdf, unsigned int n,
		   unsigned int nch)
{
	uint32_t *bar3 = map_bar(bdf, 3);
	struct card card = { .bar3 = bar3 };
	uint32_t m14 = set_mask(nch, 0), m58 = set_mask(nch, 1);
	uint64_t *vlat = calloc(n, sizeof(*vlat));
	uint64_t *mlat = calloc(n, sizeof(*mlat));
	uint64_t events = 0;
	struct reader r;
	unsigned int i;

	if (!vlat || !mlat)
		die("calloc");
	reader_open(&r, how, bdf, nch);
	for (i = 0; i < n; i++) {
		unsigned int got = 0, k;
		uint64_t t0 = now_ns(), v;

		gen_start(&card, m14, m58, 0, 1, 1000);
		while (got < nch) {
			k = reader_take(&r, 5000, &events);
			if (!k) {
				errno = ETIMEDOUT;
				die("no event");
			}
			got += k;
		}
		v = rd64(bar3, BAR3_VCLOCK_LO);
		mlat[i] = now_ns() - t0;
		vlat[i] = v - rd64(bar3, BAR3_LAST_RAISE_LO);
	}
	printf("# %s latency, %u round trips, %u channel(s)\n", how_name[how],
	       n, nch);
	print_dist("vclock", vlat, n);
	print_dist("monotonic", mlat, n);
	return 0;
}

/* Causes raised (or latched) on every channel, from the card's counters. */
static uint64_t raised(uint32_t *bar3, bool latched)
{
	uint64_t sum = 0;
	unsigned int ch, c;

	for (ch = 0; ch < PLX8CH_CHANNELS; ch++)
		for (c = 0; c < 2; c++)
			sum += rd(bar3, latched ? BAR3_LATCHED(ch, c) :
						  BAR3_RAISED(ch, c));
	return sum;
}

static int throughput(enum how how, const char *bdf, unsigned int count,
		      unsigned int period)
{
	uint32_t *bar3 = map_bar(bdf, 3);
	struct card card = { .bar3 = bar3 };
	uint64_t delivered = 0, t0, t1, last, irqs, ev0;
	struct cpu_sample c0, c1;
	struct reader r;

	reader_open(&r, how, bdf, PLX8CH_CHANNELS);
	wr(bar3, BAR3_COUNTERS_RESET, 1);
	ev0 = how == HOW_UIO ? 0 : driver_events(bdf);
	cpu_sample(&c0);
	t0 = now_ns();
	last = t0;
	gen_start(&card, CAUSES, CAUSES, 0, count, period);
	/* Until the generator is done and nothing more comes for 200 ms. */
	for (;;) {
		int idle = rd(bar3, BAR3_GEN_STATUS) == 0;

		if (reader_take(&r, idle ? 200 : 1000, &delivered))
			last = now_ns();
		else if (idle)
			break;
	}
	t1 = now_ns();
	cpu_sample(&c1);
	irqs = rd(bar3, BAR3_IRQ_ASSERTS);
	printf("# %s throughput, %u events of 16 causes, %u ns apart\n",
	       how_name[how], count, period);
	/*
	 * In channel events: one per channel a generator event raised;
	 * "events" the driver's, which merges latches its thread had not yet
	 * taken; "last_ns" when the last record came.
	 */
	printf("result throughput raised %llu latched %llu events %llu delivered %llu irqs %llu wall_ns %llu last_ns %llu busy_ns %llu switches %llu\n",
	       (unsigned long long)raised(bar3, false) / 2,
	       (unsigned long long)raised(bar3, true) / 2,
	       (unsigned long long)(how == HOW_UIO ? 0 : driver_events(bdf) - ev0),
	       (unsigned long long)delivered,
	       (unsigned long long)irqs, (unsigned long long)(t1 - t0),
	       (unsigned long long)(last - t0),
	       (unsigned long long)busy_ns(t1 - t0, c0.idle_ns, c1.idle_ns),
	       (unsigned long long)(c1.switches - c0.switches));
	return 0;
}

/*
 * Register traffic of the driver: the card counts every BAR0/BAR2 access;
 * the driver counts its top-half runs. Every channel's nodes are open
 * first, so that opening (which writes ENABLE) is not counted.
 *
 * The storm guard reads a channel back once it was reported in 256 top
 * halves in a row. Two raises first, channel 0 alone then channel 4
 * alone, end every channel's run, and at most MMIO_EVENTS events follow:
 * what is counted is the path every interrupt takes. The guard's own
 * cost is measured apart (storm_sampling).
 */
#define MMIO_EVENTS	250
static int mmio(const char *bdf, unsigned int count, uint32_t m14,
		uint32_t m58, const char *name)
{
	uint32_t *bar3 = map_bar(bdf, 3);
	struct card card = { .bar3 = bar3 };
	char dev[160];
	int fds[PLX8CH_CHANNELS];
	long h0, s0, h1, s1;
	uint64_t reads, writes;
	unsigned int ch;

	snprintf(dev, sizeof(dev), "/sys/bus/pci/devices/%s", bdf);
	close(open_epoll(bdf, PLX8CH_CHANNELS, fds));
	usleep(100000);
	/* Each its own interrupt: wait for the top half between them. */
	h0 = sysfs_long(dev, "plx8ch_card/hardirqs");
	if (!raise_bits(&card, chbit(0, PLX8CH_EV_RX), 0))
		die("raise");
	while (sysfs_long(dev, "plx8ch_card/hardirqs") == h0)
		usleep(1000);
	h0 = sysfs_long(dev, "plx8ch_card/hardirqs");
	if (!raise_bits(&card, 0, chbit(4, PLX8CH_EV_RX)))
		die("raise");
	while (sysfs_long(dev, "plx8ch_card/hardirqs") == h0)
		usleep(1000);
	usleep(100000);
	h0 = sysfs_long(dev, "plx8ch_card/hardirqs");
	s0 = sysfs_long(dev, "plx8ch_card/spurious");
	wr(bar3, BAR3_COUNTERS_RESET, 1);
	gen_start(&card, m14, m58, 0, count, 200000);
	while (rd(bar3, BAR3_GEN_STATUS))
		usleep(10000);
	usleep(200000);
	/* Read the counters before anything else touches the card. */
	reads = rd(bar3, BAR3_MMIO_READS);
	writes = rd(bar3, BAR3_MMIO_WRITES);
	h1 = sysfs_long(dev, "plx8ch_card/hardirqs");
	s1 = sysfs_long(dev, "plx8ch_card/spurious");
	for (ch = 0; ch < PLX8CH_CHANNELS; ch++)
		close(fds[ch]);
	printf("result mmio_%s reads %llu writes %llu hardirqs %ld spurious %ld events %u\n",
	       name, (unsigned long long)reads, (unsigned long long)writes,
	       h1 - h0, s1 - s0, count);
	return 0;
}

/* Every channel of ncards cards at once, all nodes in one epoll set. */
static int scale(unsigned int ncards, unsigned int count, unsigned int period)
{
	struct card cards[MAX_CARDS];
	int fds[MAX_CARDS * PLX8CH_CHANNELS], ep, n, i, ch, busy;
	uint64_t delivered = 0, want, t0, t1, irqs = 0;
	struct cpu_sample c0, c1;

	n = find_cards(cards, MAX_CARDS);
	if (n < (int)ncards) {
		errno = ENODEV;
		die("not enough cards");
	}
	ep = epoll_create1(0);
	for (i = 0; i < n; i++)
		for (ch = 0; ch < PLX8CH_CHANNELS; ch++) {
			struct epoll_event e = { .events = EPOLLIN,
				.data.u32 = i * PLX8CH_CHANNELS + ch };

			fds[e.data.u32] = open_node(&cards[i], ch, O_NONBLOCK);
			epoll_ctl(ep, EPOLL_CTL_ADD, fds[e.data.u32], &e);
		}
	want = (uint64_t)ncards * count * PLX8CH_CHANNELS;
	for (i = 0; i < (int)ncards; i++)
		wr(cards[i].bar3, BAR3_COUNTERS_RESET, 1);
	cpu_sample(&c0);
	t0 = now_ns();
	for (i = 0; i < (int)ncards; i++)
		gen_start(&cards[i], CAUSES, CAUSES, 0, count, period);
	for (;;) {
		struct epoll_event evs[64];
		struct plx8ch_event ev;
		int k, ne;

		for (i = 0, busy = 0; i < (int)ncards; i++)
			busy |= rd(cards[i].bar3, BAR3_GEN_STATUS);
		ne = epoll_wait(ep, evs, 64, busy ? 1000 : 200);
		if (ne <= 0 && !busy)
			break;
		for (k = 0; k < ne; k++)
			if (read(fds[evs[k].data.u32], &ev, sizeof(ev)) == sizeof(ev))
				delivered += ev.count;
	}
	t1 = now_ns();
	cpu_sample(&c1);
	for (i = 0; i < (int)ncards; i++)
		irqs += rd(cards[i].bar3, BAR3_IRQ_ASSERTS);
	printf("result scale_%u cards %u nodes %d raised %llu delivered %llu irqs %llu wall_ns %llu busy_ns %llu\n",
	       ncards, ncards, n * PLX8CH_CHANNELS, (unsigned long long)want,
	       (unsigned long long)delivered, (unsigned long long)irqs,
	       (unsigned long long)(t1 - t0),
	       (unsigned long long)busy_ns(t1 - t0, c0.idle_ns, c1.idle_ns));
	return 0;
}

int main(int argc, char **argv)
{
	const char *cpu = getenv("PLX8CH_BENCH_CPU");

	if (cpu) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(atoi(cpu), &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			die("PLX8CH_BENCH_CPU");
	}
	if (argc == 6 && !strcmp(argv[1], "latency"))
		return latency(parse_how(argv[2]), argv[3], atoi(argv[4]),
			       atoi(argv[5]));
	if (argc == 6 && !strcmp(argv[1], "throughput"))
		return throughput(parse_how(argv[2]), argv[3], atoi(argv[4]),
				  atoi(argv[5]));
	if (argc == 4 && !strcmp(argv[1], "mmio")) {
		unsigned int n = atoi(argv[3]);

		/* One register with causes, then both; then the guard's cost. */
		mmio(argv[2], n < MMIO_EVENTS ? n : MMIO_EVENTS,
		     chbit(0, PLX8CH_EV_RX), 0, "one_register");
		mmio(argv[2], n < MMIO_EVENTS ? n : MMIO_EVENTS,
		     CAUSES, CAUSES, "two_registers");
		return mmio(argv[2], n, CAUSES, CAUSES, "storm_sampling");
	}
	if (argc == 3 && !strcmp(argv[1], "ctxsw"))
		return ctxsw(atoi(argv[2]));
	if (argc == 5 && !strcmp(argv[1], "scale"))
		return scale(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	fprintf(stderr, "usage: see the top of plx8ch_bench.c\n");
	return 2;
}
