// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch through PCI error recovery, each card behind a PCIe-to-PCI
 * bridge in a root port, two cards on one line, aer_inject loaded: errors
 * injected with the kernel's
 * aer_inject at the PCIe-to-PCI bridge in front of the first card (the
 * card, conventional PCI, has no AER capability of its own), with files,
 * blocked readers and a group across the recovery, and the second card,
 * in another root port on the same line, running through it; then the
 * second board pulled from its slot (pciehp).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "../../kselftest_harness.h"
#include "plx8ch_lifecycle.h"

/* What /dev/aer_inject takes (drivers/pci/pcie/aer_inject.c). */
struct aer_error_inj {
	uint8_t bus;
	uint8_t dev;
	uint8_t fn;
	uint32_t uncor_status;
	uint32_t cor_status;
	uint32_t header_log[4];
	uint32_t domain;
};

/* Default severities: completion timeout non-fatal, DLL protocol fatal. */
#define UNC_COMP_TIME	0x00004000
#define UNC_DLP		0x00000010
#define COR_RCVR	0x00000001

static int inject_error(struct card *c, uint32_t uncor, uint32_t cor)
{
	struct aer_error_inj e;
	unsigned int domain, bus, dev, fn;
	char bdf[64];
	int fd, ret = 0;

	ret = parent_bdf(c, bdf, sizeof(bdf));
	if (ret)
		return ret;
	if (sscanf(bdf, "%x:%x:%x.%x", &domain, &bus, &dev, &fn) != 4)
		return -EINVAL;
	memset(&e, 0, sizeof(e));
	e.domain = domain;
	e.bus = bus;
	e.dev = dev;
	e.fn = fn;
	e.uncor_status = uncor;
	e.cor_status = cor;
	fd = open("/dev/aer_inject", O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, &e, sizeof(e)) != sizeof(e))
		ret = -errno;
	close(fd);
	return ret;
}

static int aer_nonfatal(struct card *c)
{
	return inject_error(c, UNC_COMP_TIME, 0);
}

static int aer_fatal(struct card *c)
{
	return inject_error(c, UNC_DLP, 0);
}

FIXTURE(aer) {
	struct card cards[MAX_CARDS];
	int ncards;
};

FIXTURE_SETUP(aer)
{
	self->ncards = find_cards(self->cards, MAX_CARDS);
	ASSERT_LE(2, self->ncards) TH_LOG("needs two cards");
	ASSERT_EQ(0, access("/dev/aer_inject", W_OK))
		TH_LOG("needs aer_inject (--modules aer_inject)");
}

FIXTURE_TEARDOWN(aer)
{
	int i;

	for (i = 0; i < self->ncards; i++)
		if (!access(self->cards[i].dev, F_OK))	/* not unplugged */
			wr(self->cards[i].bar3, BAR3_GEN_CTRL, 2);
}

/* A correctable error is the link's business: nothing stops. */
TEST_F(aer, correctable_changes_nothing)
{
	struct card *a = &self->cards[0];
	struct plx8ch_event ev;
	long rec = card_counter(a, "recoveries");
	int fd;

	fd = open_node(a, 4, O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, inject_error(a, 0, COR_RCVR));
	usleep(2000000);
	EXPECT_EQ(rec, card_counter(a, "recoveries"));
	ASSERT_TRUE(raise_ch(a, 4, PLX8CH_EV_RX));
	ASSERT_EQ(0, wait_read(fd, &ev, 5000));
	EXPECT_EQ(0, ev.flags);
	close(fd);
}

TEST_F_TIMEOUT(aer, nonfatal_recovers, 120)
{
	lifecycle_scene(_metadata, self->cards, self->ncards, aer_nonfatal,
			"recoveries", false);
}

/*
 * A fatal error: the root port resets its link, and the board's bridge
 * loses its configuration with it, which the kernel does not restore for
 * a bridge without a driver; the driver restores it in slot_reset.
 */
TEST_F_TIMEOUT(aer, fatal_recovers, 120)
{
	lifecycle_scene(_metadata, self->cards, self->ncards, aer_fatal,
			"recoveries", false);
}

/*
 * A card that does not answer after the reset of a fatal error (DEAD,
 * kept through the reset): the driver ends it as removal does, blocked
 * readers get ENODEV, pollers EPOLLHUP | EPOLLERR, nothing wedges; the
 * other card on the line goes on. The first card is lost afterwards.
 */
TEST_F_TIMEOUT(aer, fatal_lost_card_ends_as_removal, 120)
{
	struct card *a = &self->cards[0], *b = &self->cards[1];
	struct plx8ch_event ev;
	struct lost_watch lw;
	long rec = card_counter(a, "recoveries");
	int fb;

	fb = open_node(b, 1, O_NONBLOCK);
	ASSERT_LE(0, fb);
	lost_watch_start(_metadata, &lw, a, 5, 6, 0, 0xff);

	wr(a->bar3, BAR3_FAULT, FAULT_DEAD | FAULT_KEEP);
	ASSERT_EQ(0, aer_fatal(a));
	lost_watch_check(_metadata, &lw, a);
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(rec, card_counter(a, "recoveries"));

	ASSERT_TRUE(raise_ch(b, 1, PLX8CH_EV_RX));
	ASSERT_EQ(0, wait_read(fb, &ev, 5000)) TH_LOG("the other card stopped");
	EXPECT_EQ(0, ev.flags);
	close(fb);
}

/*
 * The board pulled from its slot: the card first drops off the link
 * (DEAD), as when it is yanked, then its root port's native hotplug
 * (pciehp) removes the board, bridge and card, while its generator runs
 * and readers are blocked in read(), poll() and a group: they end as on
 * removal. Runs last: the card is gone afterwards.
 */
TEST_F_TIMEOUT(aer, pciehp_surprise_removal, REBIND_TIMEOUT)
{
	struct card *k = &self->cards[1];
	struct lost_watch lw;
	int i;

	lost_watch_start(_metadata, &lw, k, 3, 4, 0, 0xf0);
	gen_start(k, chbit(1, PLX8CH_EV_RX), 0, 0, 1000000, GEN_PERIOD_NS);

	wr(k->bar3, BAR3_FAULT, FAULT_DEAD);
	wr(k->bar3, BAR3_UNPLUG, 2);
	/* pciehp waits 5 s after the attention button before it acts. */
	for (i = 0; i < 600 && !access(k->dev, F_OK); i++)
		usleep(100000);
	ASSERT_NE(0, access(k->dev, F_OK)) TH_LOG("the board was not removed");
	lost_watch_check(_metadata, &lw, k);
}

TEST_HARNESS_MAIN
