/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One lifecycle event (a reset, a sleep, an error recovery) as userspace
 * lives through it: files of a card open before it, a reader blocked in
 * read(), one in poll() and a channel group across it, and the generator
 * of a second card on the same line running through it. Afterwards the
 * same files receive the next events, the first record of each carries
 * PLX8CH_EVF_RESET and the seqno rule holds across it; a file opened
 * afterwards works too. Shared by the lifecycle suites of both topologies.
 */
#ifndef _PLX8CH_LIFECYCLE_H
#define _PLX8CH_LIFECYCLE_H

#include <libgen.h>

#include "plx8ch_bound.h"

#define EV_SIZE		sizeof(struct plx8ch_event)

/* A poll() for POLLIN blocked in a thread of its own. */
struct polled {
	pthread_t t;
	int fd;
	int ret;
	short revents;
};

static inline void *polled_wait(void *arg)
{
	struct polled *p = arg;
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };

	p->ret = poll(&pfd, 1, 2 * BLOCKED_WAKE_S * 1000);
	p->revents = pfd.revents;
	return NULL;
}

static inline bool polled_join(struct polled *p)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += BLOCKED_WAKE_S;
	return !pthread_timedjoin_np(p->t, NULL, &ts);
}

/* The channel's events so far (its last seqno), or -1. */
static inline long long channel_events(int fd)
{
	struct plx8ch_stats st;

	memset(&st, 0, sizeof(st));
	if (ioctl(fd, PLX8CH_IOC_GET_STATS, &st))
		return -1;
	return st.channel_events;
}

/* Read from a group until a record of each channel in @want has come. */
static inline int read_group(int grp, uint32_t want, struct plx8ch_event *got,
			     int ms)
{
	uint64_t end = now_ns() + ms * 1000000ULL;
	struct plx8ch_event ev[PLX8CH_CHANNELS];
	uint32_t seen = 0;
	ssize_t n;
	int i;

	while ((seen & want) != want && now_ns() < end) {
		struct pollfd p = { .fd = grp, .events = POLLIN };

		if (poll(&p, 1, 100) != 1)
			continue;
		n = read(grp, ev, sizeof(ev));
		if (n < 0)
			return -errno;
		for (i = 0; i < n / (ssize_t)EV_SIZE; i++) {
			if (seen & (1u << ev[i].channel))
				return -EEXIST;	/* a second record: merged wrong */
			seen |= 1u << ev[i].channel;
			got[ev[i].channel] = ev[i];
		}
	}
	return (seen & want) == want ? 0 : -ETIMEDOUT;
}

/* A counter of the card in plx8ch_card/, or -1. */
static inline long card_counter(struct card *c, const char *name)
{
	char attr[64];

	snprintf(attr, sizeof(attr), "plx8ch_card/%s", name);
	return sysfs_long(c->dev, attr);
}

/* Wait up to 60 s for a card counter to reach @want; its last value. */
static inline long wait_counter(struct card *c, const char *name, long want)
{
	long v = -1;
	int i;

	for (i = 0; i < 600; i++) {
		v = card_counter(c, name);
		if (v >= want)
			break;
		usleep(100000);
	}
	return v;
}

/* The PCI address of the bridge a card sits behind, in @bdf. */
static inline int parent_bdf(struct card *c, char *bdf, size_t len)
{
	char path[PATH_MAX];

	if (!realpath(c->dev, path))
		return -errno;
	snprintf(bdf, len, "%s", basename(dirname(path)));
	return strchr(bdf, ':') ? 0 : -ENODEV;
}

/*
 * Readers of a card about to be lost: a read() blocked on one node, one
 * on a group opened through another, a poll() on a third.
 */
struct lost_watch {
	struct blocked br, bg;
	struct polled pl;
	int node;
};

static inline void lost_watch_start(struct __test_metadata *_metadata,
				    struct lost_watch *lw, struct card *k,
				    int read_ch, int poll_ch, int group_ch,
				    uint32_t group)
{
	memset(lw, 0, sizeof(*lw));
	lw->br.fd = open_node(k, read_ch, 0);
	lw->pl.fd = open_node(k, poll_ch, O_NONBLOCK);
	lw->node = open_node(k, group_ch, O_NONBLOCK);
	ASSERT_LE(0, lw->br.fd);
	ASSERT_LE(0, lw->pl.fd);
	ASSERT_LE(0, lw->node);
	lw->bg.fd = get_group(lw->node, group);
	ASSERT_LE(0, lw->bg.fd);
	ASSERT_EQ(0, blocked_start(&lw->br));
	ASSERT_EQ(0, blocked_start(&lw->bg));
	ASSERT_EQ(0, pthread_create(&lw->pl.t, NULL, polled_wait, &lw->pl));
	usleep(200000);
}

/* They all end as on removal, and the card's nodes open no more. */
static inline void lost_watch_check(struct __test_metadata *_metadata,
				    struct lost_watch *lw, struct card *k)
{
	struct plx8ch_event ev;

	ASSERT_TRUE(blocked_join(&lw->br)) TH_LOG("the blocked read was never woken");
	EXPECT_EQ(-1, lw->br.ret);
	EXPECT_EQ(ENODEV, lw->br.err);
	ASSERT_TRUE(blocked_join(&lw->bg)) TH_LOG("the blocked group read was never woken");
	EXPECT_EQ(-1, lw->bg.ret);
	EXPECT_EQ(ENODEV, lw->bg.err);
	ASSERT_TRUE(polled_join(&lw->pl)) TH_LOG("the blocked poll was never woken");
	EXPECT_EQ(1, lw->pl.ret);
	EXPECT_EQ(POLLHUP | POLLERR, lw->pl.revents & (POLLHUP | POLLERR | POLLIN));
	EXPECT_EQ(-1, read(lw->node, &ev, sizeof(ev)));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, open_node(k, 0, 0));
	close(lw->bg.fd);
	close(lw->node);
	close(lw->pl.fd);
	close(lw->br.fd);
}

/* A lifecycle event on card @c: 0 once it was caused, or -errno. */
typedef int (*lifecycle_fn)(struct card *c);

#define GEN_PERIOD_NS	5000000		/* the other card's generator: 200/s */

/*
 * lifecycle_scene() - card 0 lives through @event; card 1 (if there is
 * one) shares its line, with its generator running through it.
 * @counter: the plx8ch_card/ counter that the restart adds one to (a
 *	hibernation's thaw, to write the image, is not in the image restored)
 * @all: the event restarts every card (a sleep), not card 0 alone
 */
static inline void lifecycle_scene(struct __test_metadata *_metadata,
				   struct card *cards, int ncards,
				   lifecycle_fn event, const char *counter,
				   bool all)
{
	struct card *a = &cards[0], *b = ncards > 1 ? &cards[1] : NULL;
	struct plx8ch_event ev, gev[PLX8CH_CHANNELS];
	struct blocked br = { .ret = 0 };
	struct polled pl = { .ret = 0 };
	long long s3, s5, g3, sb = 0;
	int f3, grp, late, fb = -1, i;
	long before, after, bbefore;

	f3 = open_node(a, 3, O_NONBLOCK);
	br.fd = open_node(a, 5, 0);
	pl.fd = open_node(a, 6, O_NONBLOCK);
	ASSERT_LE(0, f3);
	ASSERT_LE(0, br.fd);
	ASSERT_LE(0, pl.fd);
	grp = get_group(f3, 1u << 3 | 1u << 5);
	ASSERT_LE(0, grp);

	/* An event before, on the file and the group. */
	ASSERT_TRUE(raise_ch(a, 3, PLX8CH_EV_RX));
	ASSERT_EQ(0, wait_read(f3, &ev, 5000));
	EXPECT_EQ(0, ev.flags & PLX8CH_EVF_RESET);
	s3 = ev.seqno;
	ASSERT_EQ(0, read_group(grp, 1u << 3, gev, 5000));
	g3 = gev[3].seqno;
	EXPECT_EQ(s3, g3);
	s5 = channel_events(br.fd);
	ASSERT_LE(0, s5);

	if (b) {
		fb = open_node(b, 1, O_NONBLOCK);
		ASSERT_LE(0, fb);
		sb = channel_events(fb);
		gen_start(b, chbit(1, PLX8CH_EV_RX), 0, 0, 1000000, GEN_PERIOD_NS);
	}
	ASSERT_EQ(0, blocked_start(&br));
	ASSERT_EQ(0, pthread_create(&pl.t, NULL, polled_wait, &pl));
	usleep(200000);

	before = card_counter(a, counter);
	ASSERT_LE(0, before);
	bbefore = b ? card_counter(b, counter) : 0;
	ASSERT_EQ(0, event(a));
	after = wait_counter(a, counter, before + 1);
	ASSERT_EQ(before + 1, after) TH_LOG("the card was not restarted");
	if (b)
		EXPECT_EQ(bbefore + all, wait_counter(b, counter, bbefore + all));

	/* The event itself wakes no one: no ENODEV, no hang-up. */
	EXPECT_EQ(EBUSY, pthread_tryjoin_np(br.t, NULL));
	EXPECT_EQ(EBUSY, pthread_tryjoin_np(pl.t, NULL));

	/* The next event reaches the blocked reader, flagged. */
	ASSERT_TRUE(raise_ch(a, 5, PLX8CH_EV_TX));
	ASSERT_TRUE(blocked_join(&br)) TH_LOG("the blocked read never returned");
	ASSERT_EQ((ssize_t)EV_SIZE, br.ret) TH_LOG("read: %s", strerror(br.err));
	EXPECT_EQ(5, br.ev[0].channel);
	EXPECT_EQ(PLX8CH_EVF_RESET, br.ev[0].flags & PLX8CH_EVF_RESET);
	EXPECT_EQ(1, br.ev[0].count);
	EXPECT_EQ(s5 + 1, (long long)br.ev[0].seqno);

	/* And the blocked poller. */
	ASSERT_TRUE(raise_ch(a, 6, PLX8CH_EV_RX));
	ASSERT_TRUE(polled_join(&pl)) TH_LOG("the blocked poll never returned");
	EXPECT_EQ(1, pl.ret);
	EXPECT_EQ(POLLIN, pl.revents);
	ASSERT_EQ(0, wait_read(pl.fd, &ev, 5000));
	EXPECT_EQ(PLX8CH_EVF_RESET, ev.flags & PLX8CH_EVF_RESET);

	/* The file read before: flagged once, the seqno rule across. */
	ASSERT_TRUE(raise_ch(a, 3, PLX8CH_EV_RX));
	ASSERT_EQ(0, wait_read(f3, &ev, 5000));
	EXPECT_EQ(PLX8CH_EVF_RESET, ev.flags & PLX8CH_EVF_RESET);
	EXPECT_EQ(ev.count, ev.seqno - s3);
	s3 = ev.seqno;
	ASSERT_TRUE(raise_ch(a, 3, PLX8CH_EV_TX));
	ASSERT_EQ(0, wait_read(f3, &ev, 5000));
	EXPECT_EQ(0, ev.flags & PLX8CH_EVF_RESET);
	EXPECT_EQ(1, ev.count);
	EXPECT_EQ(s3 + 1, (long long)ev.seqno);

	/* The group: one flagged record per channel, the rule per channel. */
	ASSERT_EQ(0, read_group(grp, 1u << 3 | 1u << 5, gev, 5000));
	EXPECT_EQ(PLX8CH_EVF_RESET, gev[3].flags & PLX8CH_EVF_RESET);
	EXPECT_EQ(PLX8CH_EVF_RESET, gev[5].flags & PLX8CH_EVF_RESET);
	EXPECT_EQ(gev[3].count, gev[3].seqno - g3);
	EXPECT_EQ(2, gev[3].count);
	EXPECT_EQ(gev[5].count, gev[5].seqno - s5);

	/* A file opened afterwards. */
	late = open_node(a, 3, O_NONBLOCK);
	ASSERT_LE(0, late);
	ASSERT_TRUE(raise_ch(a, 3, PLX8CH_EV_RX));
	ASSERT_EQ(0, wait_read(late, &ev, 5000));
	EXPECT_EQ(0, ev.flags);
	EXPECT_EQ(1, ev.count);
	EXPECT_EQ(s3 + 2, (long long)ev.seqno);

	/* The other card went on through it, or was restarted with it. */
	if (b) {
		if (all) {
			long long sr = channel_events(fb);

			EXPECT_EQ(0, rd(b->bar3, BAR3_GEN_STATUS))
				TH_LOG("a reset stops the generator");
			gen_start(b, chbit(1, PLX8CH_EV_RX), 0, 0, 3, 1000000);
			for (i = 0; i < 100 && rd(b->bar3, BAR3_GEN_STATUS); i++)
				usleep(20000);
			/*
			 * The record the stop left unread is older than the
			 * restart: it is flagged once an event after the
			 * restart has joined it, not before.
			 */
			for (i = 0; i < 100 && channel_events(fb) <= sr; i++)
				usleep(20000);
		} else {
			EXPECT_EQ(1, rd(b->bar3, BAR3_GEN_STATUS) & 1);
		}
		wr(b->bar3, BAR3_GEN_CTRL, 2);
		ASSERT_EQ(0, wait_read(fb, &ev, 5000));
		EXPECT_EQ(ev.count, ev.seqno - sb);
		EXPECT_EQ(all ? PLX8CH_EVF_RESET : 0, ev.flags & PLX8CH_EVF_RESET);
		close(fb);
	}

	pthread_join(br.t, NULL);
	pthread_join(pl.t, NULL);
	close(late);
	close(grp);
	close(pl.fd);
	close(br.fd);
	close(f3);
}

#endif /* _PLX8CH_LIFECYCLE_H */
