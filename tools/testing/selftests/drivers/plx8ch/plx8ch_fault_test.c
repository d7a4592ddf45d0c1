// SPDX-License-Identifier: GPL-2.0
/*
 * Probe error paths of the plx8ch driver, by fault injection.
 *
 * The last card is unbound, then bound again with the Nth slab allocation
 * of the binding task made to fail (/proc/thread-self/fail-nth with
 * failslab), for N = 1, 2, ... until a bind completes with no failure
 * injected: every allocation on the bind path has then failed once. After
 * each failed bind the card must be unbound with nothing left behind, and
 * a bind without faults must work and deliver an event. Leaks are left to
 * kmemleak, scanned after the run. Throughout, a
 * program opens the card's first node as soon as it appears, as udev may,
 * and waits in poll(): a bind that fails after the nodes appeared must
 * tell it (EPOLLHUP), never leave it waiting on a card that is gone, and
 * its close must not touch the unmapped card.
 *
 * Needs a kernel with CONFIG_FAULT_INJECTION_DEBUG_FS and CONFIG_FAILSLAB.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../kselftest_harness.h"
#include "plx8ch_bound.h"

#define MAX_POINTS	20000
#define FAILSLAB	"/sys/kernel/debug/failslab"

/* Driver functions named in the stacks of injected failures. */
struct sites {
	char name[64][64];
	unsigned int hits[64];
	unsigned int n;
};

static void sites_add(struct sites *s, const char *fn)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], fn))
			break;
	if (i == s->n) {
		if (s->n == 64)
			return;
		snprintf(s->name[s->n++], sizeof(s->name[0]), "%s", fn);
	}
	s->hits[i]++;
}

/*
 * Read the kernel log records written since the last call. Returns 1 if
 * a failure was injected and its stack runs through the plx8ch module,
 * with the innermost such function in @fn; 0 if not ours; -1 if nothing
 * was injected.
 */
static int injected_in_driver(int kmsg, char *fn, size_t len)
{
	char rec[2048];
	int state = -1;
	ssize_t n;

	for (;;) {
		char *msg, *end;

		n = read(kmsg, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records overwritten: go on */
		if (n <= 0)
			break;
		rec[n] = 0;
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		if (strstr(msg, "FAULT_INJECTION: forcing a failure")) {
			state = state < 0 ? 0 : state;
			continue;
		}
		/* A frame: " plx8ch_probe+0x1a/0x2b0 [plx8ch]"; "? " guesses */
		msg += strspn(msg, " ");
		if (state == 0 && *msg != '?' && strstr(msg, " [plx8ch]")) {
			end = msg + strcspn(msg, "+ ");
			snprintf(fn, len, "%.*s", (int)(end - msg), msg);
			state = 1;
		}
	}
	return state;
}

static int count_nodes(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir("/sys/class/plx8ch");
	if (!d)
		return 0;
	while ((de = readdir(d)))
		n += !strncmp(de->d_name, "plx8ch", 6);
	closedir(d);
	return n;
}

/* Write @bdf to the bind file with the nth allocation failing. */
static int bind_failing(const char *bdf, unsigned int nth, bool *injected)
{
	char buf[32];
	int fd, nfd, ret = 0;
	ssize_t n;

	fd = open(PLX8CH_DRV "/bind", O_WRONLY | O_CLOEXEC);
	nfd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fd < 0 || nfd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%u", nth);
	if (write(nfd, buf, n) != n)
		return -errno;
	if (write(fd, bdf, strlen(bdf)) < 0)
		ret = -errno;
	/* Reads 0 once the failure was injected. */
	n = pread(nfd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = 0;
	*injected = n > 0 && atoi(buf) == 0;
	if (write(nfd, "0", 1) != 1)
		ret = -errno;
	close(nfd);
	close(fd);
	return ret;
}

/* The card works: a bind without faults, one event read, then unbind. */
static bool bind_and_use(struct card *c)
{
	struct card now[MAX_CARDS];
	struct plx8ch_event ev;
	bool ok = false;
	int i, n, fd;

	if (write_file(PLX8CH_DRV "/bind", c->bdf))
		return false;
	n = find_cards(now, MAX_CARDS);
	for (i = 0; i < n; i++) {
		if (strcmp(now[i].bdf, c->bdf))
			continue;
		fd = open_node(&now[i], 6, O_NONBLOCK);
		if (fd < 0)
			break;
		ok = raise_ch(&now[i], 6, PLX8CH_EV_RX) &&
		     !wait_read(fd, &ev, 5000) && ev.status == PLX8CH_EV_RX;
		close(fd);
	}
	for (i = 0; i < n; i++)
		unmap_resource(now[i].bar3);
	return ok;
}

/*
 * The opener. The main loop counts @phase up before each failing bind and
 * again after it, so a file opened in an odd phase was opened while a
 * bind with a failure to come was running.
 */
struct opener {
	pthread_t t;
	char path[64];
	const char *bdf;
	atomic_int stop;
	atomic_uint phase;
	unsigned char hup[2 * MAX_POINTS + 2];	/* a hang-up, by phase */
	unsigned int wedged;
};

static void *opener_run(void *arg)
{
	struct opener *o = arg;

	while (!o->stop) {
		struct pollfd p = { .events = POLLIN };
		unsigned int phase = o->phase;

		p.fd = open(o->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (p.fd < 0) {
			usleep(200);
			continue;
		}
		poll(&p, 1, 2000);
		/* Unbound by now: removal or the failed bind must have told. */
		if (!(p.revents & POLLHUP) && !card_bound(o->bdf) &&
		    (poll(&p, 1, 0) != 1 || !(p.revents & POLLHUP)))
			o->wedged++;
		if (p.revents & POLLHUP && phase < sizeof(o->hup))
			o->hup[phase] = 1;
		close(p.fd);
	}
	return NULL;
}

FIXTURE(faults) {
	struct card cards[MAX_CARDS];
	int ncards;
	int kmsg;
};

FIXTURE_SETUP(faults)
{
	self->ncards = find_cards(self->cards, MAX_CARDS);
	if (!self->ncards)
		SKIP(return, "no card bound to plx8ch");
	self->kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, self->kmsg);
	lseek(self->kmsg, 0, SEEK_END);
	if (access("/proc/thread-self/fail-nth", W_OK) ||
	    access(FAILSLAB "/ignore-gfp-wait", W_OK))
		SKIP(return, "no fail-nth or failslab (CONFIG_FAILSLAB)");
	/* Sleeping allocations too, and a stack with each injection. */
	ASSERT_EQ(0, write_file(FAILSLAB "/ignore-gfp-wait", "N"));
	ASSERT_EQ(0, write_file(FAILSLAB "/verbose", "2"));
}

FIXTURE_TEARDOWN(faults)
{
	close(self->kmsg);
}

TEST_F_TIMEOUT(faults, every_probe_failure_point, 3000)
{
	struct card *c = &self->cards[self->ncards - 1];
	int others = (self->ncards - 1) * PLX8CH_CHANNELS;
	unsigned int nth, points = 0, in_driver = 0, tolerated = 0;
	struct sites sites = { .n = 0 };
	static unsigned char failed[MAX_POINTS];
	static struct opener o;
	unsigned int raced = 0;
	char fn[64];
	bool injected;
	unsigned int i;
	int ret;

	ASSERT_EQ(0, write_file(PLX8CH_DRV "/unbind", c->bdf));
	snprintf(o.path, sizeof(o.path), "/dev/plx8ch%u", c->index * PLX8CH_CHANNELS);
	o.bdf = c->bdf;
	ASSERT_EQ(0, pthread_create(&o.t, NULL, opener_run, &o));
	for (nth = 1; nth < MAX_POINTS; nth++) {
		injected_in_driver(self->kmsg, fn, sizeof(fn));
		o.phase = 2 * nth - 1;
		ret = bind_failing(c->bdf, nth, &injected);
		o.phase = 2 * nth;
		failed[nth] = injected && ret;
		if (!injected) {
			/* Past the last allocation: a clean bind. */
			ASSERT_EQ(0, ret) TH_LOG("bind failed with no fault");
			break;
		}
		points++;
		if (injected_in_driver(self->kmsg, fn, sizeof(fn)) == 1) {
			in_driver++;
			sites_add(&sites, fn);
		}
		if (!ret) {
			/* The failed allocation was optional: bound anyway. */
			tolerated++;
			ASSERT_EQ(0, write_file(PLX8CH_DRV "/unbind", c->bdf));
			continue;
		}
		/* Failed cleanly: unbound, and none of its nodes left. */
		ASSERT_FALSE(card_bound(c->bdf))
			TH_LOG("fail-nth %u: bound after %d", nth, ret);
		ASSERT_EQ(others, count_nodes())
			TH_LOG("fail-nth %u: nodes left", nth);
		ASSERT_TRUE(bind_and_use(c)) TH_LOG("fail-nth %u: no rebind", nth);
		ASSERT_EQ(0, write_file(PLX8CH_DRV "/unbind", c->bdf));
	}
	o.stop = 1;
	pthread_join(o.t, NULL);
	ASSERT_LT(nth, MAX_POINTS) TH_LOG("no end to the failure points");
	ASSERT_LT(0, in_driver) TH_LOG("no failure reached the driver");
	for (i = 1; i < nth; i++)
		raced += failed[i] && o.hup[2 * i - 1];
	EXPECT_EQ(0, o.wedged) TH_LOG("an opener was left waiting on a card gone");
	/* Else the race this checks never happened. */
	EXPECT_LT(0, raced);

	ksft_print_msg("probe failure points: %u exercised, %u in plx8ch, %u tolerated\n",
		       points, in_driver, tolerated);
	ksft_print_msg("failed binds whose node an opener held: %u\n", raced);
	for (i = 0; i < sites.n; i++)
		ksft_print_msg("  %-32s %u\n", sites.name[i], sites.hits[i]);
	/* Bound by the last, clean bind: it must work. */
	ASSERT_EQ(0, write_file(PLX8CH_DRV "/unbind", c->bdf));
	ASSERT_TRUE(bind_and_use(c));
}

TEST_HARNESS_MAIN
