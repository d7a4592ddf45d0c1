// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the driver's diagnostics: the interrupt-path self-test
 * (plx8ch_card/selftest) and cause injection (PLX8CH_IOC_INJECT), both
 * through the card's FORCE registers, the path a real card has.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/plx8ch.h>

#include "../../kselftest_harness.h"
#include "plx8ch_bound.h"

#define EV_SIZE		sizeof(struct plx8ch_event)
#define NOBODY		65534

FIXTURE(diag) {
	struct card cards[MAX_CARDS];
	int ncards;
	struct card *c;
	char selftest[PATH_MAX];
	char report[2048];
};

FIXTURE_SETUP(diag)
{
	self->ncards = find_cards(self->cards, MAX_CARDS);
	if (!self->ncards)
		SKIP(return, "no card bound to plx8ch");
	self->c = &self->cards[0];
	snprintf(self->selftest, sizeof(self->selftest),
		 "%s/plx8ch_card/selftest", self->c->dev);
}

FIXTURE_TEARDOWN(diag)
{
	wr(self->c->bar3, BAR3_FAULT, 0);
	wr(self->c->bar3, BAR3_GEN_CTRL, 2);
}

/* Run the self-test and read its report: 0 or -errno. */
static int run_selftest(const char *path, char *report, size_t size)
{
	int fd, ret;
	ssize_t n;

	ret = write_file(path, "1");
	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, report, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	report[n] = 0;
	return 0;
}

/* The report's line for a channel and cause, as "pass", "busy", "FAIL ...". */
static const char *verdict(const char *report, int ch, const char *cause,
			   char *out, size_t size)
{
	char key[32];
	const char *p;
	size_t n;

	snprintf(key, sizeof(key), "channel %d %s ", ch, cause);
	p = strstr(report, key);
	if (!p)
		return "missing";
	p += strlen(key);
	n = strcspn(p, "\n");
	snprintf(out, size, "%.*s", (int)n, p);
	return out;
}

static void expect_all(struct __test_metadata *_metadata, const char *report,
		       const char *want, int skip_ch)
{
	static const char *const causes[] = { "rx", "tx" };
	char buf[64];
	int ch, k;

	for (ch = 0; ch < PLX8CH_CHANNELS; ch++) {
		if (ch == skip_ch)
			continue;
		for (k = 0; k < 2; k++) {
			const char *v = verdict(report, ch, causes[k], buf,
						sizeof(buf));

			EXPECT_EQ(0, strncmp(v, want, strlen(want)))
				TH_LOG("channel %d %s: %s", ch, causes[k], v);
		}
	}
}

TEST_F(diag, selftest_passes_on_a_working_card)
{
	char path[128];
	long raised, events;
	struct plx8ch_event ev;
	uint64_t t0;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/plx8ch/plx8ch%u",
		 self->c->index * PLX8CH_CHANNELS + 2);
	raised = rd(self->c->bar3, BAR3_RAISED(2, 0));
	events = sysfs_long(path, "events");
	ASSERT_EQ(0, run_selftest(self->selftest, self->report, sizeof(self->report)));
	expect_all(_metadata, self->report, "pass", -1);
	EXPECT_NE(NULL, strstr(self->report, "pass: 16 passed, 0 failed, 0 busy"))
		TH_LOG("%s", self->report);
	/* It went through FORCE, and no channel counts its events. */
	EXPECT_EQ(raised + 1, rd(self->c->bar3, BAR3_RAISED(2, 0)));
	EXPECT_EQ(events, sysfs_long(path, "events"));
	EXPECT_EQ(0, sysfs_long(path, "readers"));

	/* It leaves nothing behind: the next record is stamped afresh. */
	fd = open_node(self->c, 2, O_NONBLOCK);
	ASSERT_LE(0, fd);
	t0 = now_ns();
	ASSERT_TRUE(inject(fd, PLX8CH_EV_RX));
	ASSERT_EQ(0, wait_read(fd, &ev, 5000));
	EXPECT_LE(t0, ev.timestamp_ns) TH_LOG("a stamp left by the self-test");
	EXPECT_EQ(events + 1, ev.seqno);
	close(fd);
}

/* A channel with a reader is left alone: the reader sees nothing of it. */
TEST_F(diag, selftest_leaves_open_channels_alone)
{
	struct plx8ch_event ev;
	int fd;

	fd = open_node(self->c, 5, O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, run_selftest(self->selftest, self->report, sizeof(self->report)));
	expect_all(_metadata, self->report, "pass", 5);
	EXPECT_NE(NULL, strstr(self->report, "channel 5 rx busy"));
	EXPECT_NE(NULL, strstr(self->report, "channel 5 tx busy"));
	EXPECT_NE(NULL, strstr(self->report, "14 passed, 0 failed, 2 busy"));
	EXPECT_EQ(-ETIMEDOUT, wait_read(fd, &ev, 200));

	/* The reader's channel still works, numbered as if nothing happened. */
	ASSERT_TRUE(raise_ch(self->c, 5, PLX8CH_EV_RX));
	ASSERT_EQ(0, wait_read(fd, &ev, 5000));
	EXPECT_EQ(PLX8CH_EV_RX, ev.status);
	EXPECT_EQ(1, ev.count);
	close(fd);
}

/* Causes that cannot be cleared: every channel is named as failing. */
TEST_F(diag, selftest_fails_on_a_stuck_card)
{
	wr(self->c->bar3, BAR3_FAULT, FAULT_STUCK);
	ASSERT_EQ(0, run_selftest(self->selftest, self->report, sizeof(self->report)));
	wr(self->c->bar3, BAR3_FAULT, 0);
	expect_all(_metadata, self->report, "FAIL", -1);
	EXPECT_NE(NULL, strstr(self->report, "channel 0 rx FAIL cause stays latched"))
		TH_LOG("%s", self->report);
	EXPECT_NE(NULL, strstr(self->report, "FAIL: 0 passed, 16 failed"));

	/* Working again once the fault is gone. */
	ASSERT_EQ(0, run_selftest(self->selftest, self->report, sizeof(self->report)));
	expect_all(_metadata, self->report, "pass", -1);
}

/* A card that does not answer: no interrupt comes back on any channel. */
TEST_F(diag, selftest_fails_on_a_dead_card)
{
	wr(self->c->bar3, BAR3_FAULT, FAULT_DEAD);
	ASSERT_EQ(0, run_selftest(self->selftest, self->report, sizeof(self->report)));
	wr(self->c->bar3, BAR3_FAULT, 0);
	expect_all(_metadata, self->report, "FAIL no interrupt", -1);
	ASSERT_EQ(0, run_selftest(self->selftest, self->report, sizeof(self->report)));
	expect_all(_metadata, self->report, "pass", -1);
}

/* Run as nobody: the self-test and injection are refused. */
static int unprivileged(const char *selftest, const char *node)
{
	struct plx8ch_inject inj = { .causes = PLX8CH_EV_RX };
	int fd;

	if (setgid(NOBODY) || setuid(NOBODY))
		return 10;
	if (open(selftest, O_WRONLY) >= 0 || errno != EACCES)
		return 11;
	if (open(selftest, O_RDONLY) >= 0 || errno != EACCES)
		return 12;
	fd = open(node, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 13;
	if (!ioctl(fd, PLX8CH_IOC_INJECT, &inj) || errno != EPERM)
		return 14;
	return 0;
}

TEST_F(diag, root_only)
{
	char node[64];
	struct stat old;
	int status;
	pid_t pid;

	snprintf(node, sizeof(node), "/dev/plx8ch%u",
		 self->c->index * PLX8CH_CHANNELS + 1);
	ASSERT_EQ(0, stat(node, &old));
	ASSERT_EQ(0, chmod(node, 0644));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(unprivileged(self->selftest, node));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, chmod(node, old.st_mode & 07777));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(-EINVAL, write_file(self->selftest, "0"));
	EXPECT_EQ(-EINVAL, write_file(self->selftest, "maybe"));
}

/* Injected causes are ordinary ones: every reader of the channel gets them. */
TEST_F(diag, inject_raises_through_force)
{
	struct plx8ch_inject inj = { .causes = PLX8CH_EV_TX };
	struct plx8ch_event a, b;
	int fa, fb;
	long raised;

	fa = open_node(self->c, 6, O_NONBLOCK);
	fb = open_node(self->c, 6, O_NONBLOCK);
	ASSERT_LE(0, fa);
	ASSERT_LE(0, fb);
	raised = rd(self->c->bar3, BAR3_RAISED(6, 1));
	ASSERT_EQ(0, ioctl(fa, PLX8CH_IOC_INJECT, &inj));
	ASSERT_EQ(0, wait_read(fa, &a, 5000));
	ASSERT_EQ(0, wait_read(fb, &b, 5000));
	EXPECT_EQ(PLX8CH_EV_TX, a.status);
	EXPECT_EQ(6, a.channel);
	EXPECT_EQ(a.seqno, b.seqno);
	EXPECT_EQ(raised + 1, rd(self->c->bar3, BAR3_RAISED(6, 1)));

	inj.causes = PLX8CH_EV_RX | PLX8CH_EV_TX;
	ASSERT_EQ(0, ioctl(fa, PLX8CH_IOC_INJECT, &inj));
	ASSERT_EQ(0, wait_read(fa, &a, 5000));
	EXPECT_EQ(PLX8CH_EV_RX | PLX8CH_EV_TX, a.status);
	EXPECT_EQ(1, a.count);
	close(fb);
	close(fa);
}

TEST_F(diag, inject_bad_inputs)
{
	struct plx8ch_inject inj = { 0 };
	void *bad_ptr = hidden_null();
	int fd = open_node(self->c, 0, O_NONBLOCK);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, PLX8CH_IOC_INJECT, &inj));
	EXPECT_EQ(EINVAL, errno);
	inj.causes = 1u << 2;
	EXPECT_EQ(-1, ioctl(fd, PLX8CH_IOC_INJECT, &inj));
	EXPECT_EQ(EINVAL, errno);
	inj.causes = PLX8CH_EV_RX;
	inj.reserved[2] = 1;
	EXPECT_EQ(-1, ioctl(fd, PLX8CH_IOC_INJECT, &inj));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, PLX8CH_IOC_INJECT, bad_ptr));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
}

TEST_HARNESS_MAIN
