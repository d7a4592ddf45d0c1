// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of plx8ch channel groups (PLX8CH_IOC_GET_GROUP): one file that
 * reads several channels of a card, up to one record per channel per read.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/plx8ch.h>

#include "../../kselftest_harness.h"
#include "plx8ch_bound.h"

#define ALL_CHANNELS	((1u << PLX8CH_CHANNELS) - 1)
#define RX14		0x01010101u	/* RX on the four channels of a register */

FIXTURE(group) {
	struct card cards[MAX_CARDS];
	int ncards;
	struct card *c;
	int node;	/* an open node of the card, for the ioctl */
};

FIXTURE_SETUP(group)
{
	self->ncards = find_cards(self->cards, MAX_CARDS);
	if (!self->ncards)
		SKIP(return, "no card bound to plx8ch");
	self->c = &self->cards[0];
	self->node = open_node(self->c, 0, O_NONBLOCK);
	ASSERT_LE(0, self->node);
}

FIXTURE_TEARDOWN(group)
{
	close(self->node);
	if (!access(self->c->dev, F_OK))
		wr(self->c->bar3, BAR3_GEN_CTRL, 2);
}

/* Read records from @fd into @ev until @want came or @ms passed. */
static int read_all(int fd, struct plx8ch_event *ev, int want, int ms)
{
	uint64_t end = now_ns() + ms * 1000000ULL;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = 0;

	while (n < want && now_ns() < end) {
		ssize_t r;

		if (poll(&p, 1, 100) != 1)
			continue;
		r = read(fd, &ev[n], (want - n) * sizeof(*ev));
		if (r < 0 || r % sizeof(*ev))
			return -1;
		n += r / sizeof(*ev);
	}
	return n;
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

TEST_F(group, all_channels_in_one_read)
{
	struct plx8ch_event ev[PLX8CH_CHANNELS + 1];
	struct pollfd p = { .events = POLLIN };
	uint64_t seen = 0, t0 = now_ns();
	int g, i;

	g = get_group(self->node, ALL_CHANNELS);
	ASSERT_LE(0, g);
	p.fd = g;
	EXPECT_EQ(0, poll(&p, 1, 50));
	ASSERT_TRUE(raise_bits(self->c, RX14, RX14));
	ASSERT_EQ(1, poll(&p, 1, 5000));
	usleep(100000);		/* the thread delivers to all eight */
	/* Room for nine: one read returns the eight records, whole. */
	ASSERT_EQ(8 * sizeof(ev[0]), read(g, ev, sizeof(ev)));
	for (i = 0; i < PLX8CH_CHANNELS; i++) {
		ASSERT_GT(PLX8CH_CHANNELS, ev[i].channel);
		EXPECT_EQ(0, seen & 1u << ev[i].channel);
		seen |= 1u << ev[i].channel;
		EXPECT_EQ(PLX8CH_EV_RX, ev[i].status);
		EXPECT_EQ(1, ev[i].count);
		EXPECT_LE(t0, ev[i].timestamp_ns);
		EXPECT_EQ(0, ev[i].flags);
	}
	EXPECT_EQ(ALL_CHANNELS, seen);
	EXPECT_EQ(0, poll(&p, 1, 50));
	EXPECT_EQ(FD_CLOEXEC, fcntl(g, F_GETFD) & FD_CLOEXEC);
	close(g);
}

TEST_F(group, node_and_group_see_the_same_events)
{
	struct plx8ch_event a, b;
	int g, n;

	n = open_node(self->c, 5, O_NONBLOCK);
	ASSERT_LE(0, n);
	g = get_group(self->node, 1u << 5);
	ASSERT_LE(0, g);
	ASSERT_TRUE(raise_ch(self->c, 5, PLX8CH_EV_TX));
	ASSERT_EQ(0, wait_read(n, &a, 5000));
	ASSERT_EQ(1, read_all(g, &b, 1, 5000));
	EXPECT_EQ(a.seqno, b.seqno);
	EXPECT_EQ(a.timestamp_ns, b.timestamp_ns);
	EXPECT_EQ(5, b.channel);
	EXPECT_EQ(PLX8CH_EV_TX, b.status);
	close(g);
	close(n);
}

/* Channels outside the group never show; a one-record buffer rotates. */
TEST_F(group, subset_and_small_buffer)
{
	struct plx8ch_event ev[2];
	char one_and_a_half[sizeof(ev[0]) * 3 / 2];
	int g, i, first;

	g = get_group(self->node, 1u << 1 | 1u << 6);
	ASSERT_LE(0, g);
	ASSERT_EQ(0, fcntl(g, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, read(g, ev, sizeof(ev)));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_TRUE(raise_bits(self->c, chbit(1, PLX8CH_EV_RX) | chbit(2, PLX8CH_EV_RX),
			       chbit(6, PLX8CH_EV_TX)));
	usleep(100000);
	ASSERT_EQ(sizeof(ev[0]), read(g, one_and_a_half, sizeof(one_and_a_half)));
	memcpy(&ev[0], one_and_a_half, sizeof(ev[0]));
	ASSERT_EQ(sizeof(ev[0]), read(g, &ev[1], sizeof(ev[0])));
	EXPECT_EQ(-1, read(g, ev, sizeof(ev)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(1u << 1 | 1u << 6, 1u << ev[0].channel | 1u << ev[1].channel);
	for (i = 0; i < 2; i++)
		EXPECT_EQ(ev[i].channel == 1 ? PLX8CH_EV_RX : PLX8CH_EV_TX,
			  ev[i].status);

	/*
	 * Both channels pending, a buffer of one: the channel not served
	 * last comes first, so a small buffer starves neither.
	 */
	first = ev[1].channel;
	for (i = 0; i < 3; i++) {
		ASSERT_TRUE(raise_bits(self->c, chbit(1, PLX8CH_EV_RX),
				       chbit(6, PLX8CH_EV_TX)));
		usleep(100000);
		ASSERT_EQ(sizeof(ev[0]), read(g, &ev[0], sizeof(ev[0])));
		EXPECT_NE(first, (int)ev[0].channel);
		first = ev[0].channel;
	}
	close(g);
}

static int open_wronly(struct card *c, int ch)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/plx8ch%u",
		 c->index * PLX8CH_CHANNELS + ch);
	return open(path, O_WRONLY | O_CLOEXEC);
}

#define NOBODY	65534

/*
 * The caller in the forked child, uid nobody, may read channel 3's node
 * only, write channel 5's, and not open channel 4's. It exits 0 if it
 * gets a group of channel 3 and nothing more; the parent raises causes
 * on 3 and 4 once it has the group.
 */
static int one_node_caller(const char *p3, const char *p4, const char *p5,
			   int ready)
{
	struct plx8ch_group_request req;
	struct plx8ch_event ev[PLX8CH_CHANNELS];
	struct pollfd p = { .events = POLLIN };
	int n3, n5, got = 0;
	ssize_t n;

	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return 10;
	if (open(p4, O_RDONLY | O_CLOEXEC) >= 0 || errno != EACCES)
		return 11;
	n3 = open(p3, O_RDONLY | O_CLOEXEC);
	n5 = open(p5, O_WRONLY | O_CLOEXEC);
	if (n3 < 0 || n5 < 0)
		return 12;
	/* The node it may only write names no channel to read. */
	memset(&req, 0, sizeof(req));
	req.fds[0] = n5;
	req.nfds = 1;
	if (!ioctl(n3, PLX8CH_IOC_GET_GROUP, &req) || errno != EBADF)
		return 13;
	/* Asked through the write-only node, naming the readable one. */
	req.fds[0] = n3;
	if (ioctl(n5, PLX8CH_IOC_GET_GROUP, &req))
		return 14;
	p.fd = req.fd;
	if (write(ready, "r", 1) != 1)
		return 15;
	while (poll(&p, 1, got ? 300 : 5000) == 1) {
		n = read(p.fd, ev, sizeof(ev));
		if (n <= 0 || n % sizeof(ev[0]))
			return 16;
		for (unsigned int i = 0; i < n / sizeof(ev[0]); i++)
			if (ev[i].channel != 3)
				return 17;	/* a channel it could not open */
		got++;
	}
	return got ? 0 : 18;
}

TEST_F(group, reads_only_channels_its_caller_may_open)
{
	static const char * const why[] = {
		[10] = "could not become nobody",
		[11] = "opened the node it has no permission for",
		[12] = "could not open its own nodes",
		[13] = "a write-only node made a group",
		[14] = "no group of its readable node",
		[15] = "pipe",
		[16] = "bad group read",
		[17] = "read a record of a channel it could not open",
		[18] = "no record of its own channel",
	};
	char path[3][64];
	struct stat old[3];
	int ch[3] = { 3, 4, 5 }, pipefd[2], status, i, n4;
	struct plx8ch_event ev;
	char c;
	pid_t pid;

	for (i = 0; i < 3; i++) {
		snprintf(path[i], sizeof(path[i]), "/dev/plx8ch%u",
			 self->c->index * PLX8CH_CHANNELS + ch[i]);
		ASSERT_EQ(0, stat(path[i], &old[i]));
	}
	ASSERT_EQ(0, chown(path[0], NOBODY, NOBODY));
	ASSERT_EQ(0, chmod(path[0], 0400));
	ASSERT_EQ(0, chown(path[1], 0, 0));
	ASSERT_EQ(0, chmod(path[1], 0600));
	ASSERT_EQ(0, chown(path[2], NOBODY, NOBODY));
	ASSERT_EQ(0, chmod(path[2], 0200));
	ASSERT_EQ(0, pipe(pipefd));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(pipefd[0]);
		_exit(one_node_caller(path[0], path[1], path[2], pipefd[1]));
	}
	close(pipefd[1]);
	/* Root reads channel 4, so its causes are enabled and delivered. */
	n4 = open_node(self->c, 4, O_NONBLOCK);
	EXPECT_LE(0, n4);
	if (read(pipefd[0], &c, 1) == 1) {
		EXPECT_TRUE(inject(n4, PLX8CH_EV_RX));
		EXPECT_TRUE(raise_ch(self->c, 3, PLX8CH_EV_TX));
		EXPECT_EQ(0, wait_read(n4, &ev, 5000));
	}
	close(pipefd[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	close(n4);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(0, chown(path[i], old[i].st_uid, old[i].st_gid));
		EXPECT_EQ(0, chmod(path[i], old[i].st_mode & 07777));
	}
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("the caller %s", WEXITSTATUS(status) < 19 &&
		       why[WEXITSTATUS(status)] ? why[WEXITSTATUS(status)] : "failed");
}

TEST_F(group, bad_inputs_get_clear_errors)
{
	struct plx8ch_group_request req;
	struct plx8ch_event ev;
	void *bad_ptr = hidden_null();
	void *ro;
	int g, fds;

	fds = open_fds();
	EXPECT_EQ(-EINVAL, get_group(self->node, 0));
	/* A descriptor that is no file, and one of a file that is no node. */
	EXPECT_EQ(-EBADF, get_group(self->node, 1u << PLX8CH_CHANNELS));
	memset(&req, 0, sizeof(req));
	req.fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, req.fds[0]);
	req.nfds = 1;
	EXPECT_EQ(-1, ioctl(self->node, PLX8CH_IOC_GET_GROUP, &req));
	EXPECT_EQ(EINVAL, errno);
	close(req.fds[0]);
	/* A node open for writing only reads nothing, and gives no group. */
	req.fds[0] = open_wronly(self->c, 2);
	ASSERT_LE(0, req.fds[0]);
	EXPECT_EQ(-1, ioctl(self->node, PLX8CH_IOC_GET_GROUP, &req));
	EXPECT_EQ(EBADF, errno);
	close(req.fds[0]);
	/* The same channel twice; too many; a reserved field set. */
	req.fds[0] = open_node(self->c, 2, 0);
	req.fds[1] = req.fds[0];
	ASSERT_LE(0, req.fds[0]);
	req.nfds = 2;
	EXPECT_EQ(-1, ioctl(self->node, PLX8CH_IOC_GET_GROUP, &req));
	EXPECT_EQ(EINVAL, errno);
	req.nfds = PLX8CH_CHANNELS + 1;
	EXPECT_EQ(-1, ioctl(self->node, PLX8CH_IOC_GET_GROUP, &req));
	EXPECT_EQ(EINVAL, errno);
	req.nfds = 1;
	req.reserved[5] = 1;
	EXPECT_EQ(-1, ioctl(self->node, PLX8CH_IOC_GET_GROUP, &req));
	EXPECT_EQ(EINVAL, errno);
	close(req.fds[0]);
	/* A node of another card. */
	if (self->ncards > 1) {
		memset(&req, 0, sizeof(req));
		req.fds[0] = open_node(&self->cards[1], 0, 0);
		ASSERT_LE(0, req.fds[0]);
		req.nfds = 1;
		EXPECT_EQ(-1, ioctl(self->node, PLX8CH_IOC_GET_GROUP, &req));
		EXPECT_EQ(EINVAL, errno);
		close(req.fds[0]);
	}
	EXPECT_EQ(-1, ioctl(self->node, PLX8CH_IOC_GET_GROUP, NULL));
	EXPECT_EQ(EFAULT, errno);
	/* Readable but not writable: the fd cannot be returned, none leaks. */
	ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	((struct plx8ch_group_request *)ro)->fds[0] = self->node;
	((struct plx8ch_group_request *)ro)->nfds = 1;
	ASSERT_EQ(0, mprotect(ro, 4096, PROT_READ));
	EXPECT_EQ(-1, ioctl(self->node, PLX8CH_IOC_GET_GROUP, ro));
	EXPECT_EQ(EFAULT, errno);
	munmap(ro, 4096);
	EXPECT_EQ(fds, open_fds());
	EXPECT_EQ(1, node_readers(self->c, 0)) TH_LOG("a failed request left a reader");

	g = get_group(self->node, 1u << 3);
	ASSERT_LE(0, g);
	EXPECT_EQ(-1, ioctl(g, PLX8CH_IOC_GET_INFO, &req));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, write(g, &ev, sizeof(ev)));
	EXPECT_EQ(EBADF, errno);	/* read-only */
	EXPECT_EQ(-1, lseek(g, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	/* A short buffer and a bad pointer lose nothing. */
	ASSERT_TRUE(raise_ch(self->c, 3, PLX8CH_EV_RX));
	usleep(100000);
	EXPECT_EQ(-1, read(g, &ev, sizeof(ev) - 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, read(g, bad_ptr, sizeof(ev)));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(1, read_all(g, &ev, 1, 5000));
	EXPECT_EQ(3, ev.channel);
	EXPECT_EQ(1, ev.count);
	close(g);
}

/* A group is a reader: its channels' causes are enabled while it is open. */
TEST_F(group, causes_enabled_while_a_group_is_open)
{
	struct card *c = self->c;
	struct plx8ch_event ev;
	int g;

	wr(c->bar3, BAR3_COUNTERS_RESET, 1);
	g = get_group(self->node, 1u << 4);
	ASSERT_LE(0, g);
	EXPECT_EQ(1, node_readers(c, 4));
	ASSERT_TRUE(raise_ch(c, 4, PLX8CH_EV_RX));
	EXPECT_EQ(1, rd(c->bar3, BAR3_LATCHED(4, 0)));
	ASSERT_EQ(1, read_all(g, &ev, 1, 5000));
	close(g);
	EXPECT_EQ(0, node_readers(c, 4));
	ASSERT_TRUE(raise_ch(c, 4, PLX8CH_EV_RX));
	EXPECT_EQ(2, rd(c->bar3, BAR3_RAISED(4, 0)));
	EXPECT_EQ(1, rd(c->bar3, BAR3_LATCHED(4, 0)));
}

/*
 * The generator on every channel, a group reading with buffers of one to
 * eight records: per channel, every record's seqno is the previous one's
 * plus its count, and the last seqno is the channel's event count.
 */
TEST_F(group, storm_loses_nothing)
{
	struct plx8ch_event ev[PLX8CH_CHANNELS];
	struct plx8ch_stats st;
	uint64_t last[PLX8CH_CHANNELS];
	struct card *c = self->c;
	int g, ch, nodes[PLX8CH_CHANNELS], k = 0, bad = 0;
	bool idle = false;

	g = get_group(self->node, ALL_CHANNELS);
	ASSERT_LE(0, g);
	for (ch = 0; ch < PLX8CH_CHANNELS; ch++) {
		nodes[ch] = open_node(c, ch, O_NONBLOCK);
		ASSERT_LE(0, nodes[ch]);
		memset(&st, 0, sizeof(st));
		ASSERT_EQ(0, ioctl(nodes[ch], PLX8CH_IOC_GET_STATS, &st));
		last[ch] = st.channel_events;
	}
	/*
	 * 0.6 s of events: long enough that a checker kernel under emulation
	 * reads them many times over too, not in a few merged reads.
	 */
	wr(c->bar3, BAR3_GEN_SEED, 7);
	gen_start(c, CAUSES, CAUSES, 2, 3000, 200000);
	for (;;) {
		struct pollfd p = { .fd = g, .events = POLLIN };
		ssize_t r;
		int i;

		if (poll(&p, 1, idle ? 300 : 1000) != 1) {
			if (idle)
				break;
			idle = !rd(c->bar3, BAR3_GEN_STATUS);
			continue;
		}
		r = read(g, ev, (k++ % PLX8CH_CHANNELS + 1) * sizeof(ev[0]));
		ASSERT_LT(0, r);
		ASSERT_EQ(0, r % sizeof(ev[0]));
		for (i = 0; i < r / (ssize_t)sizeof(ev[0]); i++) {
			ch = ev[i].channel;
			ASSERT_GT(PLX8CH_CHANNELS, ch);
			if (last[ch] + ev[i].count != ev[i].seqno && !bad++)
				TH_LOG("channel %d: seqno %llu after %llu, count %llu",
				       ch, (unsigned long long)ev[i].seqno,
				       (unsigned long long)last[ch],
				       (unsigned long long)ev[i].count);
			last[ch] = ev[i].seqno;
		}
	}
	EXPECT_EQ(0, bad);
	for (ch = 0; ch < PLX8CH_CHANNELS; ch++) {
		memset(&st, 0, sizeof(st));
		ASSERT_EQ(0, ioctl(nodes[ch], PLX8CH_IOC_GET_STATS, &st));
		EXPECT_EQ(st.channel_events, last[ch]) TH_LOG("channel %d", ch);
		EXPECT_EQ(0, st.storms);
		close(nodes[ch]);
	}
	EXPECT_LT(PLX8CH_CHANNELS, k) TH_LOG("too few reads to mean anything");
	close(g);
}

TEST_F(group, blocked_read_and_epoll_wake)
{
	struct blocked b = { .ret = 0 };
	struct epoll_event e = { .events = EPOLLIN };
	int ep, g2;

	b.fd = get_group(self->node, ALL_CHANNELS);
	ASSERT_LE(0, b.fd);
	g2 = get_group(self->node, 1u << 7);
	ASSERT_LE(0, g2);
	ep = epoll_create1(0);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, g2, &e));
	ASSERT_EQ(0, blocked_start(&b));
	usleep(100000);
	EXPECT_EQ(0, b.ret) TH_LOG("read returned with nothing raised");
	ASSERT_TRUE(raise_ch(self->c, 7, PLX8CH_EV_RX));
	ASSERT_TRUE(blocked_join(&b)) TH_LOG("the blocked read was never woken");
	EXPECT_EQ(sizeof(struct plx8ch_event), b.ret);
	EXPECT_EQ(1, epoll_wait(ep, &e, 1, 5000));
	EXPECT_EQ(EPOLLIN, e.events);
	close(ep);
	close(g2);
	close(b.fd);
}

TEST_F_TIMEOUT(group, unbind_wakes_a_blocked_group, REBIND_TIMEOUT)
{
	struct card *c = &self->cards[self->ncards - 1];
	struct blocked b = { .ret = 0 };
	struct plx8ch_event ev;
	struct pollfd p;
	int node, pg;

	node = open_node(c, 2, 0);
	ASSERT_LE(0, node);
	b.fd = get_group(node, ALL_CHANNELS);
	pg = get_group(node, 1u << 2);
	close(node);		/* the groups keep the card */
	ASSERT_LE(0, b.fd);
	ASSERT_LE(0, pg);
	ASSERT_EQ(0, blocked_start(&b));
	usleep(100000);

	ASSERT_EQ(0, write_file(PLX8CH_DRV "/unbind", c->bdf));
	ASSERT_TRUE(blocked_join(&b)) TH_LOG("the blocked read was never woken");
	EXPECT_EQ(-1, b.ret);
	EXPECT_EQ(ENODEV, b.err);
	p.fd = pg;
	p.events = POLLIN;
	EXPECT_EQ(1, poll(&p, 1, 1000));
	EXPECT_EQ(POLLHUP | POLLERR, p.revents & (POLLHUP | POLLERR | POLLIN));
	EXPECT_EQ(-1, read(pg, &ev, sizeof(ev)));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(0, close(b.fd));
	EXPECT_EQ(0, close(pg));

	ASSERT_EQ(0, write_file(PLX8CH_DRV "/bind", c->bdf));
	node = open_node(c, 2, 0);
	ASSERT_LE(0, node);
	pg = get_group(node, 1u << 2);
	ASSERT_LE(0, pg);
	ASSERT_TRUE(raise_ch(c, 2, PLX8CH_EV_RX));
	ASSERT_EQ(1, read_all(pg, &ev, 1, 5000));
	EXPECT_EQ(1, ev.seqno) TH_LOG("numbered from bind");
	close(pg);
	close(node);
}

TEST_HARNESS_MAIN
