// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch: driver for the 8-channel card behind a PLX PCI 9056 bridge.
 *
 * PCI binding and the interrupt path. The top half reads the two status
 * registers, clears what it read and ORs it into one 64-bit pending word;
 * the threaded bottom half drains that word and delivers each channel's
 * causes to the channel's open files. See
 * Documentation/misc-devices/plx8ch.rst for why that handoff can neither
 * lose nor double-deliver a cause.
 */
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "plx8ch.h"

#define CREATE_TRACE_POINTS
#include "plx8ch_trace.h"

/* Serialises card index allocation and lookup by minor. */
static DEFINE_MUTEX(plx8ch_cards_lock);
/* Bound cards by index; guarded by plx8ch_cards_lock. */
static struct plx8ch_card *plx8ch_cards[PLX8CH_MAX_CARDS];
/* /sys/kernel/debug/plx8ch: a directory per card, by PCI address. */
static struct dentry *plx8ch_debugfs;

/**
 * plx8ch_card_get() - find a bound card by index and take a reference
 * @index: card index
 *
 * Return: the card, or NULL if no card is bound at @index.
 */
struct plx8ch_card *plx8ch_card_get(unsigned int index)
{
	struct plx8ch_card *card = NULL;

	mutex_lock(&plx8ch_cards_lock);
	if (index < PLX8CH_MAX_CARDS && plx8ch_cards[index]) {
		card = plx8ch_cards[index];
		kref_get(&card->ref);
	}
	mutex_unlock(&plx8ch_cards_lock);
	return card;
}

static void plx8ch_card_release(struct kref *ref)
{
	kfree(container_of(ref, struct plx8ch_card, ref));
}

void plx8ch_card_put(struct plx8ch_card *card)
{
	kref_put(&card->ref, plx8ch_card_release);
}

/**
 * plx8ch_channel_enable() - enable or disable a channel's causes
 * @ch: the channel
 * @on: enable if true
 *
 * Enabling first clears causes still latched (a stuck one, say), so a
 * reader starts from a clean slate, and re-arms a channel the storm guard
 * stopped. Disabling clears the channel's latched causes after it. While
 * the card is offline only the shadow changes; the restart writes it.
 * Caller holds the card's lock and has checked that the card is not gone.
 */
void plx8ch_channel_enable(struct plx8ch_channel *ch, bool on)
{
	struct plx8ch_card *card = ch->card;
	unsigned int r = ch->index / 4;
	u32 bits = PLX8CH_CH_CAUSES(ch->index);

	lockdep_assert_held(&card->lock);
	dev_dbg(&card->pdev->dev, "channel %u: causes %s%s\n", ch->index,
		on ? "enabled" : "disabled",
		on && test_bit(ch->index, &card->storm) ? ", storm guard re-armed" : "");
	spin_lock_irq(&card->enable_lock);
	if (on) {
		WRITE_ONCE(card->enable[r], card->enable[r] | bits);
		clear_bit(ch->index, &card->storm);
	} else {
		WRITE_ONCE(card->enable[r], card->enable[r] & ~bits);
	}
	if (card->offline) {
		spin_unlock_irq(&card->enable_lock);
		return;
	}
	if (on)
		writel(bits, card->bar2 + PLX8CH_BAR2_STATUS(r));
	writel(card->enable[r], card->bar2 + PLX8CH_BAR2_ENABLE(r));
	/* Disabled channels hold nothing latched: see plx8ch_not_ours(). */
	if (!on)
		writel(bits, card->bar2 + PLX8CH_BAR2_STATUS(r));
	spin_unlock_irq(&card->enable_lock);
}

/*
 * Storm guard, top half, for a channel reported PLX8CH_STORM_STREAK times
 * in a row: read its register back right after the clear. A cause that is
 * still set was either raised again within that instant or cannot be
 * cleared; PLX8CH_STORM_CHECKS such read-backs in a row mean the latter.
 * The channel is then disabled, so the level-triggered line drops and the
 * other channels keep working. Costs one read per PLX8CH_STORM_STREAK
 * interrupts on a merely busy channel.
 */
static void plx8ch_storm_check(struct plx8ch_card *card,
			       struct plx8ch_channel *ch, u32 cleared)
{
	unsigned int r = ch->index / 4;
	u32 bits = PLX8CH_CH_CAUSES(ch->index);
	u32 now = readl(card->bar2 + PLX8CH_BAR2_STATUS(r));

	if (now == ~0U || !(now & cleared & bits)) {
		ch->streak = 0;
		ch->stuck = 0;
		return;
	}
	if (++ch->stuck < PLX8CH_STORM_CHECKS)
		return;

	ch->streak = 0;
	ch->stuck = 0;
	spin_lock(&card->enable_lock);
	WRITE_ONCE(card->enable[r], card->enable[r] & ~bits);
	/* A stop on another CPU may have begun since this run's check. */
	if (!card->offline)
		writel(card->enable[r], card->bar2 + PLX8CH_BAR2_ENABLE(r));
	/*
	 * With the enable change, under the lock: a re-enable that clears
	 * the bit cannot fall between them and be undone.
	 */
	set_bit(ch->index, &card->storm);
	set_bit(ch->index, &card->storm_new);
	spin_unlock(&card->enable_lock);
	u64_stats_inc(&ch->storms);
}

/*
 * The card read all-ones once and is stopped until it is bound again. If
 * it answers again (a link that came back), its latched causes would
 * hold the shared line asserted with nobody to clear them: switch its
 * interrupt output off instead. Checked on one interrupt in
 * PLX8CH_DEAD_CHECK: a storm of a card come back is stopped long before
 * the kernel's spurious-interrupt detector would disable the line.
 */
static irqreturn_t plx8ch_hardirq_dead(struct plx8ch_card *card)
{
	u32 intcsr;

	if (card->dead_irqs++ % PLX8CH_DEAD_CHECK)
		return IRQ_NONE;
	intcsr = readl(card->bar0 + PLX8CH_BAR0_INTCSR);

	if (intcsr == ~0U || !(intcsr & PLX8CH_INTCSR_PIE))
		return IRQ_NONE;
	writel(0, card->bar0 + PLX8CH_BAR0_INTCSR);
	return IRQ_HANDLED;
}

/*
 * No enabled cause is latched, yet the card may be the one holding the
 * line: a card off the bus for a moment drops writes, and if no interrupt
 * came to read all-ones meanwhile, a channel disabled then is still
 * enabled on the card. Its next cause would hold the shared line with
 * nobody to claim it. So when a cause the driver did not enable is
 * latched (disabling clears them, so this is rare), LIA tells whether
 * the card drives the line; if it does, the shadow is written back.
 */
static irqreturn_t plx8ch_not_ours(struct plx8ch_card *card, const u32 *status)
{
	u32 intcsr;

	if (!((status[0] | status[1]) & PLX8CH_CAUSE_MASK))
		return IRQ_NONE;
	intcsr = readl(card->bar0 + PLX8CH_BAR0_INTCSR);
	if (intcsr == ~0U || !(intcsr & PLX8CH_INTCSR_LIA))
		return IRQ_NONE;
	spin_lock(&card->enable_lock);
	if (!card->offline) {
		writel(card->enable[0], card->bar2 + PLX8CH_BAR2_ENABLE(0));
		writel(card->enable[1], card->bar2 + PLX8CH_BAR2_ENABLE(1));
		/* As in the top half: the line drops before the EOI. */
		readl(card->bar2 + PLX8CH_BAR2_ENABLE(1));
	}
	spin_unlock(&card->enable_lock);
	u64_stats_inc(&card->enables_restored);
	return IRQ_HANDLED;
}

/*
 * Top half. Two reads, one write per register that had causes, and a
 * read back: the write clears exactly the causes read, so a cause raised
 * after the read stays latched and interrupts again. The write is posted,
 * and so is the Deassert_INTx it makes the card send on PCIe: without the
 * read back, which cannot complete before them, the line may still be
 * asserted when the interrupt is acknowledged, and fires once more for
 * nothing. The causes then go into @pending with one atomic OR, which
 * merges them with reports the thread has not drained yet; only the
 * report that finds it empty wakes the thread. The first report of a
 * channel since its last drain stamps the channel's time before the OR
 * publishes the bits.
 */
static irqreturn_t plx8ch_top_half(struct plx8ch_card *card, u32 *status)
{
	unsigned int c;
	irqreturn_t ret;
	u32 s14, s58;
	u64 bits, now;

	/*
	 * Stopped for a reset or a sleep: all-ones now means nothing, and an
	 * interrupt on a shared line is another device's.
	 */
	if (unlikely(READ_ONCE(card->offline)))
		return IRQ_NONE;
	if (unlikely(READ_ONCE(card->dead)))
		return plx8ch_hardirq_dead(card);

	s14 = readl(card->bar2 + PLX8CH_BAR2_STATUS(0));
	status[0] = s14;
	if (s14 == ~0U)
		goto gone;
	s58 = readl(card->bar2 + PLX8CH_BAR2_STATUS(1));
	status[1] = s58;
	if (s58 == ~0U)
		goto gone;
	/* enable[] holds cause bits only: disabled causes are not ours. */
	s14 &= READ_ONCE(card->enable[0]);
	s58 &= READ_ONCE(card->enable[1]);
	if (!(s14 | s58)) {
		u64_stats_update_begin(&card->irq_syncp);
		u64_stats_inc(&card->spurious);
		ret = plx8ch_not_ours(card, status);
		u64_stats_update_end(&card->irq_syncp);
		return ret;
	}
	if (s14)
		writel(s14, card->bar2 + PLX8CH_BAR2_STATUS(0));
	if (s58)
		writel(s58, card->bar2 + PLX8CH_BAR2_STATUS(1));
	if (likely(READ_ONCE(card->flush_posted)))
		readl(card->bar2 + PLX8CH_BAR2_STATUS(0));

	bits = (u64)s58 << 32 | s14;
	now = ktime_get_ns();
	u64_stats_update_begin(&card->irq_syncp);
	for (c = 0; c < PLX8CH_CHANNELS; c++) {
		struct plx8ch_channel *ch = &card->ch[c];

		if (!((bits >> (8 * c)) & 0x3)) {
			ch->streak = 0;
			continue;
		}
		atomic64_cmpxchg(&ch->first_ts, 0, now);
		if (unlikely(++ch->streak >= PLX8CH_STORM_STREAK))
			plx8ch_storm_check(card, ch, c < 4 ? s14 : s58);
	}
	u64_stats_inc(&card->hardirqs);
	u64_stats_update_end(&card->irq_syncp);
	/*
	 * Fully ordered, so the stamps are visible before the bits. Bits
	 * already pending: the thread is woken already, and its next
	 * exchange takes these too. IRQ_HANDLED then, which the spurious-
	 * interrupt detector counts at once; a wake-up counts only once the
	 * thread has run, so a storm holding the thread off would look like
	 * nobody handling the line.
	 */
	if (atomic64_fetch_or(bits, &card->pending))
		return IRQ_HANDLED;
	return IRQ_WAKE_THREAD;

gone:
	/* Once: the thread tells the readers. Nothing touches the card again. */
	WRITE_ONCE(card->dead, true);
	return IRQ_WAKE_THREAD;
}

static irqreturn_t plx8ch_hardirq(int irq, void *data)
{
	struct plx8ch_card *card = data;
	u32 status[2] = { 0, 0 };	/* as read; 0 if not read */
	irqreturn_t ret;

	ret = plx8ch_top_half(card, status);
	trace_plx8ch_hardirq(card->index, status[0], status[1], ret);
	return ret;
}

/**
 * plx8ch_deliver_bits() - deliver drained causes to the channels' files
 * @card: the card
 * @bits: causes in the layout of @card->pending
 *
 * Records of a channel the storm guard stopped carry PLX8CH_EVF_STORM;
 * causes the self-test is waiting for go to it instead. Called by the
 * interrupt thread, and by the stop path for the causes it finds latched.
 */
void plx8ch_deliver_bits(struct plx8ch_card *card, u64 bits)
{
	u64 mine = bits & READ_ONCE(card->selftest_mask);
	unsigned int c, woken = 0;

	/*
	 * The self-test's causes are its own: no file sees them, and the
	 * stamp the top half left goes with them.
	 */
	if (unlikely(mine)) {
		for (c = 0; c < PLX8CH_CHANNELS; c++)
			if ((mine >> (8 * c)) & 0x3)
				atomic64_set(&card->ch[c].first_ts, 0);
		atomic64_or(mine, &card->selftest_seen);
		wake_up(&card->selftest_wait);
		bits &= ~mine;
	}

	for (c = 0; c < PLX8CH_CHANNELS; c++) {
		u32 causes = (bits >> (8 * c)) & 0x3;
		u32 flags = 0;

		if (!causes)
			continue;
		woken |= BIT(c);
		if (test_and_clear_bit(c, &card->storm_new))
			dev_warn_ratelimited(&card->pdev->dev,
					     "channel %u: cause cannot be cleared, interrupt storm: channel disabled until re-armed\n",
					     c);
		if (test_bit(c, &card->storm))
			flags = PLX8CH_EVF_STORM;
		plx8ch_channel_deliver(&card->ch[c], causes, flags);
	}
	trace_plx8ch_drain(card->index, bits, woken);
}

/*
 * Bottom half. xchg takes every bit reported so far and leaves zero, so
 * each bit is delivered by exactly one pass; a report that lands after the
 * xchg is seen by the next loop iteration, or wakes the thread again
 * (IRQ_WAKE_THREAD sets the thread's run flag even while it runs).
 */
static irqreturn_t plx8ch_thread(int irq, void *data)
{
	struct plx8ch_card *card = data;
	unsigned long flags;
	u64 bits;

	/* The thread can be preempted: 32-bit writers must not be. */
	flags = u64_stats_update_begin_irqsave(&card->thread_syncp);
	u64_stats_inc(&card->thread_runs);
	u64_stats_update_end_irqrestore(&card->thread_syncp, flags);
	while ((bits = atomic64_xchg(&card->pending, 0)))
		plx8ch_deliver_bits(card, bits);
	/*
	 * The top half that found the card dead reported nothing more, and
	 * ran after the reports drained above: the readers' stream ends.
	 */
	if (unlikely(READ_ONCE(card->dead)) && !test_and_set_bit(0, &card->dead_told)) {
		dev_warn(&card->pdev->dev, "card reads all-ones: gone from the bus, stopped\n");
		plx8ch_card_wake_gone(card);
	}
	return IRQ_HANDLED;
}

/**
 * plx8ch_hw_stop() - every cause disabled and cleared, the interrupt
 *	output off
 * @card: the card; the caller holds its @enable_lock
 *
 * The shadow is left alone: a restart writes it back.
 */
void plx8ch_hw_stop(struct plx8ch_card *card)
{
	lockdep_assert_held(&card->enable_lock);
	writel(0, card->bar0 + PLX8CH_BAR0_INTCSR);
	writel(0, card->bar2 + PLX8CH_BAR2_ENABLE(0));
	writel(0, card->bar2 + PLX8CH_BAR2_ENABLE(1));
	writel(PLX8CH_CAUSE_MASK, card->bar2 + PLX8CH_BAR2_STATUS(0));
	writel(PLX8CH_CAUSE_MASK, card->bar2 + PLX8CH_BAR2_STATUS(1));
}

/**
 * plx8ch_card_kill() - the card is lost for good
 * @card: the card
 *
 * Open files read what they hold, then see ENODEV from read() and
 * EPOLLHUP | EPOLLERR from poll(); no file operation touches the card
 * again. Removal, a probe that
 * fails after its nodes appeared, and a permanent PCI error all end here.
 */
void plx8ch_card_kill(struct plx8ch_card *card)
{
	mutex_lock(&card->lock);
	WRITE_ONCE(card->gone, true);	/* readers test it locklessly */
	mutex_unlock(&card->lock);
	plx8ch_card_wake_gone(card);
}

/* Wake every sleeper of the card's channels, who find it lost. */
void plx8ch_card_wake_gone(struct plx8ch_card *card)
{
	unsigned int c;

	for (c = 0; c < PLX8CH_CHANNELS; c++)
		plx8ch_channel_wake_gone(&card->ch[c]);
}

static int plx8ch_publish(struct plx8ch_card *card)
{
	unsigned int i;

	mutex_lock(&plx8ch_cards_lock);
	for (i = 0; i < PLX8CH_MAX_CARDS; i++) {
		if (!plx8ch_cards[i]) {
			card->index = i;
			plx8ch_cards[i] = card;
			break;
		}
	}
	mutex_unlock(&plx8ch_cards_lock);
	return i < PLX8CH_MAX_CARDS ? 0 : -ENOSPC;
}

static void plx8ch_unpublish(struct plx8ch_card *card)
{
	mutex_lock(&plx8ch_cards_lock);
	plx8ch_cards[card->index] = NULL;
	mutex_unlock(&plx8ch_cards_lock);
}

static void plx8ch_remove_channels(struct plx8ch_card *card, unsigned int n)
{
	while (n--)
		plx8ch_channel_remove(&card->ch[n]);
}

static int plx8ch_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct plx8ch_card *card;
	void __iomem *bar0, *bar2;
	unsigned int c;
	u32 hwid;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return dev_err_probe(dev, ret, "cannot enable device\n");
	bar0 = pcim_iomap_region(pdev, PLX8CH_BAR0, KBUILD_MODNAME);
	if (IS_ERR(bar0))
		return dev_err_probe(dev, PTR_ERR(bar0), "cannot map BAR0\n");
	bar2 = pcim_iomap_region(pdev, PLX8CH_BAR2, KBUILD_MODNAME);
	if (IS_ERR(bar2))
		return dev_err_probe(dev, PTR_ERR(bar2), "cannot map BAR2\n");

	hwid = readl(bar2 + PLX8CH_BAR2_ID);
	if (hwid != PLX8CH_ID)
		return dev_err_probe(dev, -ENODEV, "unknown card ID %#010x\n",
				     hwid);

	card = kzalloc(sizeof(*card), GFP_KERNEL);
	if (!card)
		return -ENOMEM;
	kref_init(&card->ref);
	mutex_init(&card->lock);
	spin_lock_init(&card->enable_lock);
	u64_stats_init(&card->irq_syncp);
	u64_stats_init(&card->thread_syncp);
	init_waitqueue_head(&card->selftest_wait);
	card->pdev = pdev;
	card->flush_posted = true;
	card->bar0 = bar0;
	card->bar2 = bar2;
	card->hw_version = readl(card->bar2 + PLX8CH_BAR2_VERSION);
	strscpy(card->bus_id, pci_name(pdev), sizeof(card->bus_id));
	for (c = 0; c < PLX8CH_CHANNELS; c++) {
		struct plx8ch_channel *ch = &card->ch[c];

		ch->card = card;
		ch->index = c;
		init_waitqueue_head(&ch->wait);
		spin_lock_init(&ch->lock);
		INIT_LIST_HEAD(&ch->files);
	}
	spin_lock_irq(&card->enable_lock);
	plx8ch_hw_stop(card);
	spin_unlock_irq(&card->enable_lock);

	ret = plx8ch_keep_bridge_state(card);
	if (ret)
		goto err_put;

	/* The index first: the tracepoints of the first interrupt name it. */
	ret = plx8ch_publish(card);
	if (ret) {
		dev_err(dev, "more than %d cards\n", PLX8CH_MAX_CARDS);
		goto err_put;
	}
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_INTX);
	if (ret < 0) {
		dev_err_probe(dev, ret, "no INTx interrupt\n");
		goto err_unpublish;
	}
	card->irq = pci_irq_vector(pdev, 0);
	/*
	 * No IRQF_ONESHOT: the top half clears the causes itself, so the
	 * line can stay unmasked while the thread runs.
	 */
	ret = request_threaded_irq(card->irq, plx8ch_hardirq, plx8ch_thread,
				   IRQF_SHARED, KBUILD_MODNAME, card);
	if (ret) {
		dev_err_probe(dev, ret, "cannot request IRQ %d\n", card->irq);
		goto err_vectors;
	}

	for (c = 0; c < PLX8CH_CHANNELS; c++) {
		ret = plx8ch_channel_add(&card->ch[c]);
		if (ret)
			break;
	}
	if (ret)
		goto err_channels;
	pci_set_drvdata(pdev, card);
	/*
	 * Not pci_driver.dev_groups: when adding those fails, the driver
	 * core removes them again, group by group, and WARNs for the ones
	 * it never added (seen with fault injection on 6.1). Added last and
	 * removed first, the card attributes never see a half-made card.
	 */
	ret = device_add_group(dev, &plx8ch_card_group);
	if (ret)
		goto err_channels;
	/* The config space a PCI error recovery restores. */
	pci_save_state(pdev);
	card->debugfs = debugfs_create_dir(pci_name(pdev), plx8ch_debugfs);
	debugfs_create_bool("flush_posted", 0600, card->debugfs,
			    &card->flush_posted);
	writel(PLX8CH_INTCSR_PIE | PLX8CH_INTCSR_LIE,
	       card->bar0 + PLX8CH_BAR0_INTCSR);
	dev_info(dev, "card %u, nodes plx8ch%u-plx8ch%u, IRQ %d, version %u.%u\n",
		 card->index, card->ch[0].minor,
		 card->ch[PLX8CH_CHANNELS - 1].minor, card->irq,
		 card->hw_version >> 16, card->hw_version & 0xffff);
	return 0;

err_channels:
	/*
	 * A node may be open already (udev, say): mark the card lost before
	 * the interrupt goes and devres unmaps the BARs, as removal does.
	 */
	plx8ch_card_kill(card);
	mutex_lock(&card->lock);
	spin_lock_irq(&card->enable_lock);
	plx8ch_hw_stop(card);
	spin_unlock_irq(&card->enable_lock);
	mutex_unlock(&card->lock);
	plx8ch_remove_channels(card, c);
	free_irq(card->irq, card);
err_vectors:
	pci_free_irq_vectors(pdev);
err_unpublish:
	plx8ch_unpublish(card);
err_put:
	plx8ch_card_put(card);
	return ret;
}

/*
 * Reverse of probe. Open files keep the card structure alive; they see
 * @gone and get ENODEV, poll gives EPOLLHUP | EPOLLERR, and the memory is
 * freed on the last close.
 */
static void plx8ch_remove(struct pci_dev *pdev)
{
	struct plx8ch_card *card = pci_get_drvdata(pdev);

	debugfs_remove_recursive(card->debugfs);
	device_remove_group(&pdev->dev, &plx8ch_card_group);
	plx8ch_unpublish(card);
	plx8ch_card_kill(card);
	mutex_lock(&card->lock);
	/*
	 * A card found dead may answer again: quiesce it if it does. The
	 * shadow is zeroed under its lock so that a storm-guard write in a
	 * top half still running cannot enable anything again.
	 */
	spin_lock_irq(&card->enable_lock);
	WRITE_ONCE(card->enable[0], 0);
	WRITE_ONCE(card->enable[1], 0);
	if (!card->offline && readl(card->bar2 + PLX8CH_BAR2_ID) == PLX8CH_ID)
		plx8ch_hw_stop(card);
	spin_unlock_irq(&card->enable_lock);
	mutex_unlock(&card->lock);
	free_irq(card->irq, card);
	pci_free_irq_vectors(pdev);
	plx8ch_remove_channels(card, PLX8CH_CHANNELS);
	dev_dbg(&pdev->dev, "card %u removed%s\n", card->index,
		READ_ONCE(card->dead) ? " (it was dead)" : "");
	card->pdev = NULL;
	plx8ch_card_put(card);
}

static const struct pci_device_id plx8ch_ids[] = {
	{ PCI_DEVICE_SUB(PCI_VENDOR_ID_PLX, 0x9056, PCI_VENDOR_ID_PLX, 0x2808) },
	{ }
};
MODULE_DEVICE_TABLE(pci, plx8ch_ids);

static struct pci_driver plx8ch_driver = {
	.name = KBUILD_MODNAME,
	.id_table = plx8ch_ids,
	.probe = plx8ch_probe,
	.remove = plx8ch_remove,
	.shutdown = plx8ch_shutdown,
	.err_handler = &plx8ch_err_handlers,
	.driver.pm = pm_sleep_ptr(&plx8ch_pm_ops),
};

static int __init plx8ch_init(void)
{
	int ret;

	ret = plx8ch_cdev_init();
	if (ret)
		return ret;
	plx8ch_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	ret = pci_register_driver(&plx8ch_driver);
	if (ret) {
		debugfs_remove_recursive(plx8ch_debugfs);
		plx8ch_cdev_exit();
	}
	return ret;
}
module_init(plx8ch_init);

static void __exit plx8ch_exit(void)
{
	pci_unregister_driver(&plx8ch_driver);
	debugfs_remove_recursive(plx8ch_debugfs);
	plx8ch_cdev_exit();
}
module_exit(plx8ch_exit);

MODULE_DESCRIPTION("PLX 9056 8-channel card: interrupt causes to userspace");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1.0");
