// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch: diagnostics through the card's FORCE registers, which raise a
 * cause as the channel's hardware would.
 *
 * The self-test proves the interrupt path of a card in place, as
 * "ethtool -t" does for a NIC: each cause of each channel is forced and
 * must come back through the top half and the thread, to a receiver of
 * the self-test's own. Cause injection lets an application's tests raise
 * ordinary causes without the equipment behind the card.
 */
#include <linux/capability.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "plx8ch.h"

/* How long the self-test waits for each forced cause to come back. */
#define PLX8CH_SELFTEST_WAIT_MS	100

static const char *const plx8ch_cause_name[] = { "rx", "tx" };

/* Causes of @c in the layout of the card's pending word. */
static u64 plx8ch_pending_bits(unsigned int c, u32 causes)
{
	return (u64)causes << (8 * c);
}

/*
 * One cause of a channel nobody has open, the channel enabled and handed
 * to the self-test: forced, awaited from the thread, then checked cleared
 * by the top half.
 */
static const char *plx8ch_selftest_one(struct plx8ch_card *card,
				       unsigned int c, unsigned int k,
				       u64 *ns)
{
	unsigned int r = c / 4;
	u32 bit = BIT(8 * (c % 4) + k);
	u64 want = plx8ch_pending_bits(c, BIT(k)), seen, t0;

	atomic64_set(&card->selftest_seen, 0);
	t0 = ktime_get_ns();
	writel(bit, card->bar2 + PLX8CH_BAR2_FORCE(r));
	wait_event_timeout(card->selftest_wait,
			   atomic64_read(&card->selftest_seen) & want,
			   msecs_to_jiffies(PLX8CH_SELFTEST_WAIT_MS));
	*ns = ktime_get_ns() - t0;
	seen = atomic64_read(&card->selftest_seen);
	if (plx8ch_card_lost(card))
		return "FAIL card lost";
	if (!(seen & want))
		return "FAIL no interrupt";
	if (seen & ~want)
		return "FAIL other cause";
	/* The top half clears what it reports before the thread runs. */
	if (readl(card->bar2 + PLX8CH_BAR2_STATUS(r)) & bit)
		return "FAIL cause stays latched";
	return "pass";
}

/**
 * plx8ch_selftest() - test the interrupt path of every channel nobody has
 *	open
 * @card: the card
 *
 * Holds the card's lock throughout (at most a few seconds), so no node
 * opens or closes meanwhile and no lifecycle event begins. A channel
 * with readers is reported busy and left alone: its readers neither
 * lose an event to the test nor see one of its causes. The report goes
 * to @card->selftest_report.
 *
 * Return: 0 if the test ran (whatever it found), -ENODEV if the card is
 * lost, -EBUSY if it is stopped for a reset or a sleep.
 */
int plx8ch_selftest(struct plx8ch_card *card)
{
	unsigned int c, k, pass = 0, fail = 0, busy = 0;
	char *rep = card->selftest_report;
	size_t len = 0;
	int ret = 0;

	mutex_lock(&card->lock);
	if (plx8ch_card_lost(card)) {
		ret = -ENODEV;
		goto out;
	}
	if (card->offline) {
		ret = -EBUSY;
		goto out;
	}
	for (c = 0; c < PLX8CH_CHANNELS; c++) {
		struct plx8ch_channel *ch = &card->ch[c];

		if (ch->users) {
			for (k = 0; k < 2; k++)
				len += scnprintf(rep + len, PLX8CH_SELFTEST_REPORT - len,
						 "channel %u %s busy\n", c,
						 plx8ch_cause_name[k]);
			busy += 2;
			continue;
		}
		WRITE_ONCE(card->selftest_mask, plx8ch_pending_bits(c, 0x3));
		plx8ch_channel_enable(ch, true);
		for (k = 0; k < 2; k++) {
			const char *res;
			u64 ns;

			res = plx8ch_selftest_one(card, c, k, &ns);
			if (strcmp(res, "pass"))
				fail++;
			else
				pass++;
			len += scnprintf(rep + len, PLX8CH_SELFTEST_REPORT - len,
					 "channel %u %s %s %llu us\n", c,
					 plx8ch_cause_name[k], res,
					 div_u64(ns, NSEC_PER_USEC));
		}
		if (!plx8ch_card_lost(card))
			plx8ch_channel_enable(ch, false);
		/* The thread's last hand-over, before the channel is its own. */
		synchronize_irq(card->irq);
		WRITE_ONCE(card->selftest_mask, 0);
	}
	scnprintf(rep + len, PLX8CH_SELFTEST_REPORT - len,
		  "%s: %u passed, %u failed, %u busy\n",
		  fail ? "FAIL" : "pass", pass, fail, busy);
	dev_info(&card->pdev->dev, "self-test: %u passed, %u failed, %u busy\n",
		 pass, fail, busy);
out:
	mutex_unlock(&card->lock);
	return ret;
}

/**
 * plx8ch_inject() - PLX8CH_IOC_INJECT
 * @ch: the channel of the node the ioctl came through
 * @arg: the caller's struct plx8ch_inject
 *
 * Return: 0, or -EPERM, -EFAULT, -EINVAL, -ENODEV (the card is lost) or
 * -EBUSY (it is stopped for a reset or a sleep).
 */
long plx8ch_inject(struct plx8ch_channel *ch, void __user *arg)
{
	struct plx8ch_card *card = ch->card;
	struct plx8ch_inject req;
	long ret = 0;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (!req.causes || req.causes & ~(PLX8CH_EV_RX | PLX8CH_EV_TX) ||
	    !plx8ch_zeroed(req.reserved, sizeof(req.reserved)))
		return -EINVAL;

	mutex_lock(&card->lock);
	if (plx8ch_card_lost(card))
		ret = -ENODEV;
	else if (card->offline)
		ret = -EBUSY;
	else
		writel(req.causes << (8 * (ch->index % 4)),
		       card->bar2 + PLX8CH_BAR2_FORCE(ch->index / 4));
	mutex_unlock(&card->lock);
	return ret;
}
