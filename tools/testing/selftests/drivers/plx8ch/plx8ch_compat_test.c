// SPDX-License-Identifier: GPL-2.0
/*
 * The plx8ch uAPI from a 32-bit process (built with -m32): the same record
 * and ioctl layouts, through the driver's compat_ioctl path.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/plx8ch.h>

#include "../../kselftest_harness.h"

/* The layout a 64-bit kernel expects, checked in the 32-bit build. */
static_assert(sizeof(struct plx8ch_event) == 40, "event size");
static_assert(offsetof(struct plx8ch_event, count) == 16, "event layout");
static_assert(offsetof(struct plx8ch_event, channel) == 24, "event layout");
static_assert(sizeof(struct plx8ch_info) == 80, "info size");
static_assert(offsetof(struct plx8ch_info, card) == 32, "info layout");
static_assert(sizeof(struct plx8ch_stats) == 80, "stats size");
static_assert(offsetof(struct plx8ch_stats, reserved) == 48, "stats layout");
static_assert(sizeof(struct plx8ch_group_request) == 64, "group size");
static_assert(offsetof(struct plx8ch_group_request, fd) == 36,
	      "group layout");
static_assert(sizeof(struct plx8ch_inject) == 16, "inject size");

FIXTURE(compat) {
	int fd;
};

FIXTURE_SETUP(compat)
{
	ASSERT_EQ(4, (int)sizeof(long)) TH_LOG("not a 32-bit build");
	self->fd = open("/dev/plx8ch0", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("/dev/plx8ch0: %s", strerror(errno));
}

FIXTURE_TEARDOWN(compat)
{
	close(self->fd);
}

TEST_F(compat, ioctls)
{
	struct plx8ch_info info;
	struct plx8ch_stats st;

	memset(&info, 0xa5, sizeof(info));
	ASSERT_EQ(0, ioctl(self->fd, PLX8CH_IOC_GET_INFO, &info));
	EXPECT_EQ(0, info.reserved[6]);
	EXPECT_EQ(0, info.card);
	EXPECT_EQ(0, info.channel);
	EXPECT_EQ(PLX8CH_CHANNELS, info.nchannels);
	EXPECT_EQ(0x00010000, info.hw_version);
	EXPECT_EQ(0, strncmp(info.bus_id, "0000:", 5));
	memset(&st, 0xa5, sizeof(st));
	ASSERT_EQ(0, ioctl(self->fd, PLX8CH_IOC_GET_STATS, &st));
	EXPECT_EQ(0, st.reserved[3]);
	EXPECT_EQ(0, ioctl(self->fd, PLX8CH_IOC_REARM));
	EXPECT_EQ(-1, ioctl(self->fd, PLX8CH_IOC_GET_INFO, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IO(PLX8CH_IOC_MAGIC, 0x42)));
	EXPECT_EQ(ENOTTY, errno);
}

/* An injected cause comes back as a whole record, 64-bit count and all. */
TEST_F(compat, inject)
{
	struct plx8ch_inject inj = { .causes = PLX8CH_EV_TX };
	struct pollfd p = { .fd = self->fd, .events = POLLIN };
	struct plx8ch_event ev;

	ASSERT_EQ(0, ioctl(self->fd, PLX8CH_IOC_INJECT, &inj));
	ASSERT_EQ(1, poll(&p, 1, 5000));
	ASSERT_EQ(sizeof(ev), read(self->fd, &ev, sizeof(ev)));
	EXPECT_EQ(PLX8CH_EV_TX, ev.status);
	EXPECT_EQ(0, ev.channel);
	EXPECT_EQ(1, ev.count);
	EXPECT_EQ(0, ev.reserved);
	inj.reserved[0] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, PLX8CH_IOC_INJECT, &inj));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(compat, group)
{
	struct plx8ch_group_request req;
	struct plx8ch_event ev[2];
	struct pollfd p = { .events = POLLIN };

	memset(&req, 0, sizeof(req));
	req.fds[0] = self->fd;
	req.fds[1] = open("/dev/plx8ch7", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, req.fds[1]);
	req.nfds = 2;
	ASSERT_EQ(0, ioctl(self->fd, PLX8CH_IOC_GET_GROUP, &req));
	close(req.fds[1]);
	ASSERT_LE(0, req.fd);
	ASSERT_EQ(0, fcntl(req.fd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, read(req.fd, ev, sizeof(ev)));
	EXPECT_EQ(EAGAIN, errno);
	p.fd = req.fd;
	EXPECT_EQ(0, poll(&p, 1, 50));
	close(req.fd);
	req.nfds = 1;
	req.reserved[2] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, PLX8CH_IOC_GET_GROUP, &req));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(compat, read_and_poll)
{
	struct plx8ch_event ev;
	struct pollfd p = { .fd = self->fd, .events = POLLIN };

	EXPECT_EQ(-1, read(self->fd, &ev, sizeof(ev)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, read(self->fd, &ev, sizeof(ev) - 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, poll(&p, 1, 50));
}

TEST_HARNESS_MAIN
