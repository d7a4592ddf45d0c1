// SPDX-License-Identifier: GPL-2.0
/*
 * A seeded chaos run against the plx8ch driver.
 *
 * For a bounded time, threads do at once what users and broken hardware
 * do: generator storms on every card while the foreign device (edu) on the
 * same line interrupts too; readers and pollers opening, reading and
 * closing every node; random and malformed ioctls and reads; signals to a
 * blocked reader; unbind and bind of a card; module unload attempts; the
 * card's STUCK and DEAD faults switched on and off.
 *
 * Every record read is checked against the per-file rule (seqno minus the
 * previous seqno equals count), and every call's result against what the
 * driver documents. At the end every card bound delivers a fresh event on
 * every channel. Kernel reports and leaks are for the log's reader.
 *
 * PLX8CH_CHAOS_SEED and PLX8CH_CHAOS_SECONDS set the seed (printed, so a
 * failure can be replayed) and the length. A seed fixes each thread's
 * sequence of operations; the interleaving is the scheduler's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../kselftest_harness.h"
#include "plx8ch_bound.h"

#define NODES		(MAX_CARDS * PLX8CH_CHANNELS)
#define READERS		3

enum op {
	OP_OPEN, OP_READ, OP_POLL, OP_EPOLL, OP_IOCTL, OP_SIGNAL, OP_STORM,
	OP_FOREIGN, OP_BIND, OP_RMMOD, OP_FAULT_STUCK, OP_FAULT_DEAD,
	OP_BAD_IOCTL, OP_BAD_READ, OP_GROUP, OP_RESET, OP_INJECT, OP_SELFTEST,
	OP_SELFTEST_CAUSE, OP_NR
};

static const char *const op_names[OP_NR] = {
	"open", "read", "poll", "epoll_wait", "ioctl", "signal",
	"generator storm", "foreign interrupt", "unbind/bind",
	"module unload attempt", "STUCK fault", "DEAD fault",
	"malformed ioctl", "malformed read", "channel group",
	"function reset", "cause injection", "self-test",
	"self-test, cause tested",
};

/*
 * A fifth of the 99,900 at which the kernel disables the line. Before
 * merged reports returned IRQ_HANDLED, runs peaked at 16,000-17,000 (rt)
 * and 44,000-91,000 (6.1); since, below 3,000.
 */
#define UNHANDLED_PEAK_MAX	20000

struct chaos {
	struct card cards[MAX_CARDS];
	int ncards;
	uint32_t *edu;
	long irq;
	long unhandled_peak;
	unsigned int nodes;
	const char *ko;
	atomic_bool stop;
	atomic_ulong ops[OP_NR];
	atomic_ulong records, events, broken, lost, unexpected;
	/* Serialises bind, unbind, module unload and load. */
	pthread_mutex_t bind_lock;
	pthread_t blocked;
	atomic_bool blocked_running;
	char first_error[256];
};

struct worker {
	struct chaos *c;
	uint64_t rng;
	pthread_t tid;
};

/* xorshift64*: each thread's own sequence from the run's seed. */
static uint64_t rnd(struct worker *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 2685821657736338717ULL;
}

static unsigned int rnd_below(struct worker *w, unsigned int n)
{
	return rnd(w) % n;
}

static void count(struct chaos *c, enum op op)
{
	atomic_fetch_add(&c->ops[op], 1);
}

/* Something the driver does not document happened: remember the first. */
static void unexpected(struct chaos *c, const char *what, long got, int err)
{
	if (atomic_fetch_add(&c->unexpected, 1) == 0)
		snprintf(c->first_error, sizeof(c->first_error),
			 "%s: returned %ld, errno %d (%s)", what, got, err,
			 strerror(err));
}

/* An open node and the last seqno read from it. */
struct tfile {
	int fd;
	unsigned int node;
	uint64_t last_seq;
};

static bool err_gone(int err)
{
	return err == ENODEV;
}

/* Check one record against the file's history. */
static void check_record(struct chaos *c, struct tfile *f,
			 const struct plx8ch_event *ev)
{
	atomic_fetch_add(&c->records, 1);
	atomic_fetch_add(&c->events, ev->count);
	if (ev->count < 1 || ev->channel != f->node % PLX8CH_CHANNELS ||
	    !ev->status || (ev->status & ~(PLX8CH_EV_RX | PLX8CH_EV_TX)) ||
	    (ev->flags & ~(PLX8CH_EVF_STORM | PLX8CH_EVF_RESET))) {
		atomic_fetch_add(&c->broken, 1);
		unexpected(c, "malformed record", ev->count, 0);
	}
	if (f->last_seq && ev->seqno - f->last_seq != ev->count) {
		atomic_fetch_add(&c->broken, 1);
		if (ev->seqno - f->last_seq > ev->count)
			atomic_fetch_add(&c->lost, ev->seqno - f->last_seq -
					 ev->count);
	}
	f->last_seq = ev->seqno;
}

static bool topen(struct worker *w, struct tfile *f, int flags)
{
	char path[32];

	f->node = rnd_below(w, w->c->nodes);
	f->last_seq = 0;
	snprintf(path, sizeof(path), "/dev/plx8ch%u", f->node);
	count(w->c, OP_OPEN);
	f->fd = open(path, O_RDONLY | O_CLOEXEC | flags);
	if (f->fd < 0 && errno != ENOENT && errno != ENODEV &&
	    errno != ENXIO)
		unexpected(w->c, "open", f->fd, errno);
	return f->fd >= 0;
}

/* One read of @len bytes; false once the file is of no more use. */
static bool tread(struct chaos *c, struct tfile *f, size_t n)
{
	struct plx8ch_event ev[4];
	ssize_t ret;
	size_t i;

	count(c, OP_READ);
	ret = read(f->fd, ev, n * sizeof(ev[0]));
	if (ret < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return true;
		if (!err_gone(errno))
			unexpected(c, "read", ret, errno);
		return false;
	}
	/* Whole records only, one per read. */
	if (ret != sizeof(ev[0])) {
		unexpected(c, "read size", ret, 0);
		return false;
	}
	for (i = 0; i < (size_t)ret / sizeof(ev[0]); i++)
		check_record(c, f, &ev[i]);
	return true;
}

/* Reads that must fail, and must not lose the record they failed on. */
static void bad_read(struct worker *w, struct tfile *f)
{
	struct plx8ch_event ev;
	ssize_t ret;

	count(w->c, OP_BAD_READ);
	switch (rnd_below(w, 3)) {
	case 0:	/* short buffer */
		ret = read(f->fd, &ev, 1 + rnd_below(w, sizeof(ev) - 1));
		if (ret >= 0 || (errno != EINVAL && !err_gone(errno)))
			unexpected(w->c, "short read", ret, errno);
		break;
	case 1:	/* no buffer */
		ret = syscall(SYS_read, f->fd, NULL, sizeof(ev));
		if (ret >= 0 || (errno != EFAULT && errno != EAGAIN &&
				 !err_gone(errno)))
			unexpected(w->c, "read to NULL", ret, errno);
		break;
	default:	/* a kernel address */
		ret = syscall(SYS_read, f->fd, 0xffffffff81000000UL, sizeof(ev));
		if (ret >= 0 || (errno != EFAULT && errno != EAGAIN &&
				 !err_gone(errno)))
			unexpected(w->c, "read to kernel address", ret, errno);
		break;
	}
}

/* Open, read, poll and close nodes at random; all nonblocking. */
static void *reader(void *arg)
{
	struct worker *w = arg;
	struct chaos *c = w->c;
	struct tfile f;

	while (!c->stop) {
		unsigned int i, n = 1 + rnd_below(w, 40);

		if (!topen(w, &f, O_NONBLOCK)) {
			usleep(1000);
			continue;
		}
		for (i = 0; i < n && !c->stop; i++) {
			struct pollfd p = { .fd = f.fd, .events = POLLIN };
			unsigned int what = rnd_below(w, 10);

			if (what < 5) {
				count(c, OP_POLL);
				if (poll(&p, 1, rnd_below(w, 20)) < 0) {
					unexpected(c, "poll", -1, errno);
					break;
				}
				if (p.revents & (POLLHUP | POLLERR)) {
					/* Gone: read says so. */
					if (tread(c, &f, 1))
						unexpected(c, "read after HUP",
							   0, 0);
					break;
				}
				if ((p.revents & POLLIN) &&
				    !tread(c, &f, 1 + rnd_below(w, 4)))
					break;
			} else if (what < 8) {
				if (!tread(c, &f, 1 + rnd_below(w, 4)))
					break;
			} else {
				bad_read(w, &f);
			}
		}
		close(f.fd);
	}
	return NULL;
}

/*
 * All nodes in one epoll set, reopened as they come and go; but each
 * card's last channel, which only the readers and groups open now and
 * then, so that the self-test finds it free at times and tests it.
 */
static void *poller(void *arg)
{
	struct worker *w = arg;
	struct chaos *c = w->c;
	struct tfile files[NODES];
	struct epoll_event evs[NODES];
	uint64_t next_scan = 0;
	unsigned int i;
	int ep, n;

	ep = epoll_create1(EPOLL_CLOEXEC);
	for (i = 0; i < c->nodes; i++)
		files[i].fd = -1;
	while (!c->stop) {
		if (now_ns() >= next_scan) {
			for (i = 0; i < c->nodes; i++) {
				struct epoll_event e = {
					.events = EPOLLIN, .data.u32 = i,
				};
				char path[32];

				if (files[i].fd >= 0 ||
				    i % PLX8CH_CHANNELS == PLX8CH_CHANNELS - 1)
					continue;
				snprintf(path, sizeof(path), "/dev/plx8ch%u", i);
				count(c, OP_OPEN);
				files[i].fd = open(path, O_RDONLY | O_NONBLOCK |
						   O_CLOEXEC);
				files[i].node = i;
				files[i].last_seq = 0;
				if (files[i].fd >= 0)
					epoll_ctl(ep, EPOLL_CTL_ADD, files[i].fd, &e);
			}
			next_scan = now_ns() + 200000000ULL;
		}
		count(c, OP_EPOLL);
		n = epoll_wait(ep, evs, NODES, 20);
		for (i = 0; i < (unsigned int)(n > 0 ? n : 0); i++) {
			struct tfile *f = &files[evs[i].data.u32];
			bool ok = true;

			if (evs[i].events & (EPOLLHUP | EPOLLERR))
				ok = false;
			while (ok && !c->stop) {
				struct pollfd p = { .fd = f->fd, .events = POLLIN };

				if (poll(&p, 1, 0) != 1 || !(p.revents & POLLIN))
					break;
				ok = tread(c, f, 1);
			}
			if (!ok) {
				close(f->fd);	/* also leaves the set */
				f->fd = -1;
			}
		}
	}
	for (i = 0; i < c->nodes; i++)
		if (files[i].fd >= 0)
			close(files[i].fd);
	close(ep);
	return NULL;
}

/*
 * Channel groups: asked for through a random node, for a random mask of
 * its card's channels (now and then one the driver must refuse), then
 * polled and read with buffers of one to eight records, the seqno rule
 * kept per channel as for a node.
 */
static void *grouper(void *arg)
{
	struct worker *w = arg;
	struct chaos *c = w->c;
	struct plx8ch_event ev[PLX8CH_CHANNELS];
	struct tfile node, ch[PLX8CH_CHANNELS];

	while (!c->stop) {
		unsigned int i, j, n = 1 + rnd_below(w, 40);
		bool bad = !rnd_below(w, 8);
		uint32_t channels;
		size_t want;
		ssize_t ret;
		int g;

		if (!topen(w, &node, O_NONBLOCK)) {
			usleep(1000);
			continue;
		}
		channels = bad ? (rnd_below(w, 2) ? 0 : 1u << (8 + rnd_below(w, 24))) :
			   1 + rnd_below(w, 255);
		count(c, bad ? OP_BAD_IOCTL : OP_GROUP);
		g = get_group(node.fd, channels);
		close(node.fd);
		/*
		 * No channel gets EINVAL, one that is not there (a descriptor
		 * that is none) EBADF; any request ENODEV once gone.
		 */
		if (g < 0) {
			/* ENOENT: a node went with its card while opened. */
			if (!err_gone(-g) && g != -ENOENT &&
			    !(bad && (g == -EINVAL || g == -EBADF)))
				unexpected(c, "GET_GROUP", -1, -g);
			continue;
		}
		if (bad) {
			close(g);
			unexpected(c, "GET_GROUP, bad mask", g, 0);
			continue;
		}
		for (i = 0; i < PLX8CH_CHANNELS; i++) {
			ch[i].node = node.node - node.node % PLX8CH_CHANNELS + i;
			ch[i].last_seq = 0;
		}
		for (i = 0; i < n && !c->stop; i++) {
			struct pollfd p = { .fd = g, .events = POLLIN };

			count(c, OP_POLL);
			if (poll(&p, 1, rnd_below(w, 20)) < 0) {
				unexpected(c, "group poll", -1, errno);
				break;
			}
			if (p.revents & (POLLHUP | POLLERR)) {
				ret = read(g, ev, sizeof(ev));
				if (ret >= 0 || !err_gone(errno))
					unexpected(c, "group read after HUP", ret, errno);
				break;
			}
			if (!(p.revents & POLLIN))
				continue;
			/* Only this thread reads the group: it cannot block. */
			want = 1 + rnd_below(w, PLX8CH_CHANNELS);
			count(c, OP_READ);
			ret = read(g, ev, want * sizeof(ev[0]));
			if (ret < 0) {
				if (!err_gone(errno))
					unexpected(c, "group read", ret, errno);
				break;
			}
			if (!ret || ret % sizeof(ev[0]) || ret > (ssize_t)(want * sizeof(ev[0]))) {
				unexpected(c, "group read size", ret, 0);
				break;
			}
			for (j = 0; j < ret / sizeof(ev[0]); j++) {
				if (ev[j].channel >= PLX8CH_CHANNELS ||
				    !(channels & 1u << ev[j].channel)) {
					atomic_fetch_add(&c->broken, 1);
					unexpected(c, "group record of another channel",
						   ev[j].channel, 0);
					continue;
				}
				check_record(c, &ch[ev[j].channel], &ev[j]);
			}
		}
		close(g);
	}
	return NULL;
}

/* A command the driver does not know: never a generic VFS one. */
static unsigned int random_cmd(struct worker *w)
{
	static const unsigned char vfs_types[] = { 0, 0x12, 0x15, 'T', 'X',
						   'f', 'v', 0x94 };
	unsigned int cmd, i;

	for (;;) {
		cmd = rnd(w);
		if (rnd_below(w, 2))	/* our magic, any number and size */
			cmd = (cmd & ~0xff00) | (PLX8CH_IOC_MAGIC << 8);
		if (cmd == PLX8CH_IOC_GET_INFO || cmd == PLX8CH_IOC_GET_STATS ||
		    cmd == PLX8CH_IOC_REARM || cmd == PLX8CH_IOC_GET_GROUP ||
		    cmd == PLX8CH_IOC_INJECT)
			continue;
		for (i = 0; i < sizeof(vfs_types); i++)
			if (_IOC_TYPE(cmd) == vfs_types[i])
				break;
		if (i == sizeof(vfs_types))
			return cmd;
	}
}

static void *fuzzer(void *arg)
{
	struct worker *w = arg;
	struct chaos *c = w->c;
	void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	struct tfile f;

	while (!c->stop) {
		unsigned int i, n = 1 + rnd_below(w, 50);

		if (!topen(w, &f, O_NONBLOCK)) {
			usleep(1000);
			continue;
		}
		for (i = 0; i < n && !c->stop; i++) {
			struct plx8ch_info info;
			struct plx8ch_stats st;
			unsigned long bad[] = { 0, 1, 0xffffffff81000000UL,
						(unsigned long)ro };
			bool zeroed;
			long ret;

			memset(&info, 0, sizeof(info));
			memset(&st, 0, sizeof(st));
			switch (rnd_below(w, 7)) {
			case 0:
				count(c, OP_IOCTL);
				ret = ioctl(f.fd, PLX8CH_IOC_GET_INFO, &info);
				if (ret && !err_gone(errno))
					unexpected(c, "GET_INFO", ret, errno);
				if (!ret && info.channel != f.node % PLX8CH_CHANNELS)
					unexpected(c, "GET_INFO channel",
						   info.channel, 0);
				break;
			case 1:
				count(c, OP_IOCTL);
				ret = ioctl(f.fd, PLX8CH_IOC_GET_STATS, &st);
				if (ret && !err_gone(errno))
					unexpected(c, "GET_STATS", ret, errno);
				break;
			case 2:
				count(c, OP_IOCTL);
				ret = ioctl(f.fd, PLX8CH_IOC_REARM);
				if (ret && !err_gone(errno))
					unexpected(c, "REARM", ret, errno);
				break;
			case 6: {	/* an ordinary cause, through FORCE */
				struct plx8ch_inject inj = {
					.causes = 1 + rnd_below(w, 3),
				};

				count(c, OP_INJECT);
				ret = ioctl(f.fd, PLX8CH_IOC_INJECT, &inj);
				if (ret && !err_gone(errno) && errno != EBUSY)
					unexpected(c, "INJECT", ret, errno);
				break;
			}
			case 3:	/* garbage in the buffers: output only */
				count(c, OP_IOCTL);
				memset(&info, 1 | rnd(w), sizeof(info));
				memset(&st, 1 | rnd(w), sizeof(st));
				if (rnd_below(w, 2)) {
					ret = ioctl(f.fd, PLX8CH_IOC_GET_INFO, &info);
					zeroed = all_zero(info.reserved,
							  sizeof(info.reserved));
				} else {
					ret = ioctl(f.fd, PLX8CH_IOC_GET_STATS, &st);
					zeroed = all_zero(st.reserved,
							  sizeof(st.reserved));
				}
				if (ret && !err_gone(errno))
					unexpected(c, "ioctl, garbage in", ret,
						   errno);
				if (!ret && !zeroed)
					unexpected(c, "reserved not zeroed", ret, 0);
				break;
			case 4:	/* bad pointers */
				count(c, OP_BAD_IOCTL);
				ret = ioctl(f.fd, rnd_below(w, 2) ?
					    PLX8CH_IOC_GET_INFO :
					    PLX8CH_IOC_GET_STATS,
					    bad[rnd_below(w, 4)]);
				if (!ret || (errno != EFAULT && !err_gone(errno)))
					unexpected(c, "ioctl bad pointer", ret,
						   errno);
				break;
			default:	/* unknown commands */
				count(c, OP_BAD_IOCTL);
				ret = ioctl(f.fd, random_cmd(w), rnd(w));
				if (!ret || (errno != ENOTTY && !err_gone(errno)))
					unexpected(c, "unknown ioctl", ret, errno);
				break;
			}
		}
		close(f.fd);
	}
	munmap(ro, 4096);
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;
}

/* Blocking reads, interrupted by signals from the signaller. */
static void *blocked_reader(void *arg)
{
	struct worker *w = arg;
	struct chaos *c = w->c;
	struct tfile f;

	while (!c->stop) {
		unsigned int i;

		if (!topen(w, &f, 0)) {
			usleep(1000);
			continue;
		}
		for (i = 0; i < 20 && !c->stop; i++)
			if (!tread(c, &f, 1))
				break;
		close(f.fd);
	}
	c->blocked_running = false;
	return NULL;
}

static void *signaller(void *arg)
{
	struct worker *w = arg;
	struct chaos *c = w->c;

	while (!c->stop) {
		usleep(1000 + rnd_below(w, 30000));
		count(c, OP_SIGNAL);
		pthread_kill(c->blocked, SIGUSR1);
	}
	/* Until the blocked reader has seen the stop. */
	while (c->blocked_running) {
		pthread_kill(c->blocked, SIGUSR1);
		usleep(10000);
	}
	return NULL;
}

/* Generator storms on every card, foreign interrupts on the line. */
static void *storms(void *arg)
{
	struct worker *w = arg;
	struct chaos *c = w->c;
	cpu_set_t cpus;

	/*
	 * Nobody acks edu, so its level interrupt storms the CPU taking it
	 * until we do: the line goes to CPU 0 (see the test), ack from 1.
	 */
	CPU_ZERO(&cpus);
	CPU_SET(1, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	while (!c->stop) {
		struct card *k = &c->cards[rnd_below(w, c->ncards)];
		uint32_t m = CAUSES & rnd(w);

		if (c->edu && !rnd_below(w, 4)) {
			count(c, OP_FOREIGN);
			wr(c->edu, EDU_IRQ_RAISE, 1);
			wr(c->edu, EDU_IRQ_ACK, 1);
		}
		count(c, OP_STORM);
		wr(k->bar3, BAR3_GEN_SEED, rnd(w));
		gen_start(k, m, CAUSES & rnd(w), rnd_below(w, 3),
			  1 + rnd_below(w, 2000), 1000 + rnd_below(w, 200000));
		usleep(rnd_below(w, 100000));
	}
	return NULL;
}

static bool bind_card(struct card *k, bool bind)
{
	return !write_file(bind ? PLX8CH_DRV "/bind" : PLX8CH_DRV "/unbind", k->bdf);
}

static bool module_loaded(void)
{
	return !access("/sys/module/plx8ch", F_OK);
}

static bool load_module(struct chaos *c)
{
	int fd = open(c->ko, O_RDONLY | O_CLOEXEC);
	bool ok;

	ok = fd >= 0 && !syscall(SYS_finit_module, fd, "", 0);
	if (fd >= 0)
		close(fd);
	return ok;
}

/*
 * The kernel's unhandled count of the line, sampled: a storm counted as
 * nobody's shows here long before it reaches the 99,900 that disable the
 * line, which a run may not hit by luck.
 */
static void *unhandled_watch(void *arg)
{
	struct worker *w = arg;
	struct chaos *c = w->c;

	while (!c->stop) {
		long n = irq_unhandled(c->irq);

		if (n > c->unhandled_peak)
			c->unhandled_peak = n;
		usleep(20000);
	}
	return NULL;
}

/* Faults switched on and off; dead cards brought back by a rebind. */
static void *faults(void *arg)
{
	struct worker *w = arg;
	struct chaos *c = w->c;

	while (!c->stop) {
		struct card *k = &c->cards[rnd_below(w, c->ncards)];
		bool dead = !rnd_below(w, 4);

		usleep(200000 + rnd_below(w, 800000));
		count(c, dead ? OP_FAULT_DEAD : OP_FAULT_STUCK);
		/* No probe of a dead card: that would fail, and rightly. */
		if (dead)
			pthread_mutex_lock(&c->bind_lock);
		wr(k->bar3, BAR3_FAULT, dead ? FAULT_DEAD : FAULT_STUCK);
		usleep(10000 + rnd_below(w, 200000));
		wr(k->bar3, BAR3_FAULT, 0);
		if (!dead)
			continue;
		/* Back, maybe with causes latched, and not yet rebound. */
		usleep(rnd_below(w, 500000));
		if (module_loaded() && card_bound(k->bdf)) {
			count(c, OP_BIND);
			if (!bind_card(k, false) || !bind_card(k, true))
				unexpected(c, "rebind of a dead card", 0, errno);
		}
		pthread_mutex_unlock(&c->bind_lock);
	}
	return NULL;
}

/*
 * The report of a self-test that ran: a line per channel and cause,
 * "busy" for a channel someone had open, else its result (which faults,
 * resets and storms may well make a FAIL), then a summary.
 */
static void selftest_report(struct chaos *c, const char *path)
{
	char buf[2048], *line, *save;

	if (read_file(path, buf, sizeof(buf)))
		return;		/* the card went meanwhile */
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "channel ", 8))
			continue;
		if (strstr(line, " pass ") || strstr(line, " FAIL"))
			count(c, OP_SELFTEST_CAUSE);
		else if (!strstr(line, " busy"))
			unexpected(c, "self-test report line", 0, 0);
	}
}

/*
 * Function resets of a card, bound or not, whatever else is going on: a
 * reset stops its generator and clears its faults, and open files carry
 * on (the seqno rule is checked on every record).
 */
static void *resetter(void *arg)
{
	struct worker *w = arg;
	struct chaos *c = w->c;
	unsigned int n = 0;

	while (!c->stop) {
		struct card *k = &c->cards[rnd_below(w, c->ncards)];
		char path[400];
		int ret;

		usleep(200000 + rnd_below(w, 800000));
		if (n++ % 2) {
			/*
			 * Every other turn: a third of them find a channel
			 * free to test, and a short run must test one too. The
			 * self-test, on the channels nobody has open: ENOENT
			 * while unbound, ENODEV while dead, EBUSY mid-reset.
			 */
			count(c, OP_SELFTEST);
			snprintf(path, sizeof(path), "%s/plx8ch_card/selftest",
				 k->dev);
			ret = write_file(path, "1");
			if (!ret)
				selftest_report(c, path);
			else if (ret != -ENOENT && ret != -ENODEV &&
				 ret != -EBUSY)
				unexpected(c, "self-test", ret, -ret);
			continue;
		}
		count(c, OP_RESET);
		snprintf(path, sizeof(path), "%s/reset", k->dev);
		ret = write_file(path, "1");
		if (ret)
			unexpected(c, "function reset", ret, -ret);
	}
	return NULL;
}

/* Unbind and bind the last card; try to unload the module. */
static void *binder(void *arg)
{
	struct worker *w = arg;
	struct chaos *c = w->c;
	struct card *k = &c->cards[c->ncards - 1];

	while (!c->stop) {
		usleep(300000 + rnd_below(w, 1500000));
		pthread_mutex_lock(&c->bind_lock);
		if (rnd_below(w, 3)) {
			count(c, OP_BIND);
			if (module_loaded() && card_bound(k->bdf) && !bind_card(k, false))
				unexpected(c, "unbind", -1, errno);
			usleep(rnd_below(w, 300000));
			if (module_loaded() && !bind_card(k, true))
				unexpected(c, "bind", -1, errno);
		} else {
			count(c, OP_RMMOD);
			/* Refused while a node is open; reload if not. */
			if (!syscall(SYS_delete_module, "plx8ch", O_NONBLOCK)) {
				usleep(rnd_below(w, 200000));
				if (!load_module(c))
					unexpected(c, "reload", -1, errno);
			} else if (errno != EAGAIN && errno != EBUSY) {
				unexpected(c, "module unload", -1, errno);
			}
		}
		pthread_mutex_unlock(&c->bind_lock);
	}
	return NULL;
}

/* Each channel of each card bound delivers a fresh event. */
static int final_check(struct __test_metadata *_metadata, struct chaos *c)
{
	struct card now[MAX_CARDS];
	int i, ch, n, ok = 0;

	n = find_cards(now, MAX_CARDS);
	for (i = 0; i < n; i++) {
		for (ch = 0; ch < PLX8CH_CHANNELS; ch++) {
			struct tfile f = { .node = now[i].index * PLX8CH_CHANNELS + ch };
			struct plx8ch_event ev;
			int fd;

			fd = open_node(&now[i], ch, O_NONBLOCK);
			if (fd < 0) {
				TH_LOG("%s ch%d: open: %s", now[i].bdf, ch,
				       strerror(errno));
				continue;
			}
			EXPECT_EQ(0, ioctl(fd, PLX8CH_IOC_REARM));
			while (read(fd, &ev, sizeof(ev)) == sizeof(ev))
				;
			f.fd = fd;
			if (raise_ch(&now[i], ch, PLX8CH_EV_RX) &&
			    !wait_read(fd, &ev, 5000) &&
			    (ev.status & PLX8CH_EV_RX)) {
				check_record(c, &f, &ev);
				ok++;
			} else {
				TH_LOG("%s ch%d: no fresh event", now[i].bdf, ch);
			}
			close(fd);
		}
		unmap_resource(now[i].bar3);
	}
	EXPECT_EQ(c->ncards, n) TH_LOG("cards bound at the end");
	return ok;
}

static struct chaos chaos;

FIXTURE(chaos) {
	char irq_affinity[300];
};

/* The shared line on CPU 0 (see storms()), put back afterwards. */
FIXTURE_SETUP(chaos)
{
	struct card found[MAX_CARDS];
	char bdf[256];
	int i, n;

	chaos.edu = map_foreign(EDU_IDS, bdf, sizeof(bdf));
	ASSERT_NE(NULL, chaos.edu) TH_LOG("no foreign device on the line");
	/*
	 * The cards' line, which edu shares by its slot. Not edu's own
	 * "irq": a device tree (arm64) routes a device's INTx only when a
	 * driver binds it.
	 */
	n = find_cards(found, MAX_CARDS);
	ASSERT_LT(0, n);
	chaos.irq = sysfs_long(found[0].dev, "irq");
	for (i = 0; i < n; i++)
		unmap_resource(found[i].bar3);
	/* The watcher reads it; unreadable, it would watch nothing. */
	ASSERT_LE(0, irq_unhandled(chaos.irq));
	snprintf(self->irq_affinity, sizeof(self->irq_affinity),
		 "/proc/irq/%ld/smp_affinity", chaos.irq);
	ASSERT_EQ(0, write_file(self->irq_affinity, "1"));
}

FIXTURE_TEARDOWN(chaos)
{
	write_file(self->irq_affinity, "3");
}

TEST_F_TIMEOUT(chaos, everything_at_once, 3000)
{
	void *(*const kinds[])(void *) = {
		storms, faults, binder, poller, fuzzer, blocked_reader,
		signaller, grouper, unhandled_watch, resetter,
	};
	const unsigned int nthreads = ARRAY_SIZE(kinds) + READERS;
	struct sigaction sa = { .sa_handler = on_signal };
	struct worker workers[ARRAY_SIZE(kinds) + READERS];
	struct chaos *c = &chaos;
	unsigned long long seed;
	unsigned int seconds, i, missing;
	int delivered;

	seed = getenv("PLX8CH_CHAOS_SEED") ?
	       strtoull(getenv("PLX8CH_CHAOS_SEED"), NULL, 0) :
	       (unsigned long long)time(NULL) ^ now_ns();
	seconds = getenv("PLX8CH_CHAOS_SECONDS") ?
		  atoi(getenv("PLX8CH_CHAOS_SECONDS")) : 60;
	c->ko = getenv("PLX8CH_KO");
	if (!c->ko)
		SKIP(return, "PLX8CH_KO names no module file, for the reloads");
	ksft_print_msg("chaos: seed %llu, %u s (PLX8CH_CHAOS_SEED=%llu replays it)\n",
		       seed, seconds, seed);

	c->ncards = find_cards(c->cards, MAX_CARDS);
	ASSERT_LE(2, c->ncards) TH_LOG("needs two cards");
	ASSERT_EQ(0, access(c->ko, R_OK)) TH_LOG("no module file %s", c->ko);
	c->nodes = c->ncards * PLX8CH_CHANNELS;
	pthread_mutex_init(&c->bind_lock, NULL);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));	/* no SA_RESTART */

	c->blocked_running = true;
	for (i = 0; i < nthreads; i++) {
		workers[i].c = c;
		workers[i].rng = (seed + 1) * 0x9e3779b97f4a7c15ULL + i;
		ASSERT_EQ(0, pthread_create(&workers[i].tid, NULL,
					    i < ARRAY_SIZE(kinds) ? kinds[i] : reader,
					    &workers[i]));
		if (i < ARRAY_SIZE(kinds) && kinds[i] == blocked_reader)
			c->blocked = workers[i].tid;
	}
	sleep(seconds);
	c->stop = true;
	for (i = 0; i < nthreads; i++)
		pthread_join(workers[i].tid, NULL);

	/* Quiet cards, the driver loaded, every card bound. */
	for (i = 0; i < (unsigned int)c->ncards; i++) {
		wr(c->cards[i].bar3, BAR3_GEN_CTRL, 2);
		wr(c->cards[i].bar3, BAR3_FAULT, 0);
	}
	if (!module_loaded())
		ASSERT_TRUE(load_module(c));
	for (i = 0; i < (unsigned int)c->ncards; i++) {
		struct card *k = &c->cards[i];
		int fd;

		if (!card_bound(k->bdf))
			ASSERT_TRUE(bind_card(k, true));
		/* A card the driver found dead stays stopped until rebound. */
		fd = open_node(k, 0, O_NONBLOCK);
		if (fd < 0 && errno == ENODEV) {
			ASSERT_TRUE(bind_card(k, false));
			ASSERT_TRUE(bind_card(k, true));
		}
		if (fd >= 0)
			close(fd);
	}
	delivered = final_check(_metadata, c);

	ksft_print_msg("chaos: %lu records, %lu events read\n",
		       (unsigned long)c->records, (unsigned long)c->events);
	for (i = 0; i < OP_NR; i++)
		ksft_print_msg("chaos op %-22s %lu\n", op_names[i],
			       (unsigned long)c->ops[i]);
	ksft_print_msg("chaos: invariant breaks %lu, events lost %lu, unexpected results %lu\n",
		       (unsigned long)c->broken, (unsigned long)c->lost,
		       (unsigned long)c->unexpected);
	ksft_print_msg("chaos: fresh event on %d of %d channels\n", delivered,
		       c->ncards * PLX8CH_CHANNELS);
	ksft_print_msg("chaos: the line's unhandled count peaked at %ld\n",
		       c->unhandled_peak);
	EXPECT_EQ(0, c->unexpected) TH_LOG("first: %s", c->first_error);
	EXPECT_EQ(0, c->broken);
	EXPECT_EQ(0, c->lost);
	EXPECT_EQ(c->ncards * PLX8CH_CHANNELS, delivered);
	EXPECT_GT(UNHANDLED_PEAK_MAX, c->unhandled_peak)
		TH_LOG("storms counted as nobody's: the line is at risk");
	/* A kind never done would make the run prove less than it says. */
	for (i = 0, missing = 0; i < OP_NR; i++) {
		if (c->ops[i])
			continue;
		ksft_print_msg("chaos: never did %s\n", op_names[i]);
		missing++;
	}
	EXPECT_EQ(0, missing);
}

TEST_HARNESS_MAIN
