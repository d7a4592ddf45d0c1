// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch: what the card lives through after probe.
 *
 * A function reset, system sleep, a PCI error recovery and shutdown each
 * take the card away for a while and, but for shutdown, give it back at
 * its reset values. Every one of them stops the card through
 * plx8ch_card_stop() and starts it again through plx8ch_card_start();
 * there are no special cases. Open files, blocked readers and groups stay
 * attached throughout: their records and seqnos survive, and the first
 * record of each file after a restart carries PLX8CH_EVF_RESET, because
 * causes raised while the card was stopped were never latched.
 */
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/pci.h>
#include <linux/pm.h>
#include <linux/slab.h>

#include "plx8ch.h"

/**
 * plx8ch_card_stop() - the one disable path
 * @card: the card
 * @reachable: the card still answers (false after a fatal PCI error)
 *
 * Marks the card offline, so that neither the top half nor a file
 * operation touches it until plx8ch_card_start(); a dead card is left to
 * the top half's dead-card watch instead. A reachable card has its
 * interrupt output switched off and its latched causes collected and
 * delivered, then every cause disabled and cleared. Returns once no top
 * half or thread of the card is running. Stopping a stopped card does
 * nothing.
 */
void plx8ch_card_stop(struct plx8ch_card *card, bool reachable)
{
	u32 s14 = 0, s58 = 0;

	mutex_lock(&card->lock);
	spin_lock_irq(&card->enable_lock);
	if (card->offline) {
		spin_unlock_irq(&card->enable_lock);
		mutex_unlock(&card->lock);
		return;
	}
	/*
	 * A dead card stays in the top half's dead-card watch, which reads
	 * it only now and then: if it answers again before the reset, with
	 * its output still on, nobody else would switch that off, and the
	 * unclaimed line would keep the thread below from ever finishing.
	 */
	if (!card->dead)
		WRITE_ONCE(card->offline, true);
	if (reachable && !card->gone && !card->dead) {
		writel(0, card->bar0 + PLX8CH_BAR0_INTCSR);
		s14 = readl(card->bar2 + PLX8CH_BAR2_STATUS(0));
		s58 = readl(card->bar2 + PLX8CH_BAR2_STATUS(1));
		if (s14 == ~0U || s58 == ~0U) {
			s14 = 0;
			s58 = 0;
		}
		s14 &= card->enable[0];
		s58 &= card->enable[1];
		plx8ch_hw_stop(card);
	}
	spin_unlock_irq(&card->enable_lock);
	/* Top halves already past their offline check, and the thread. */
	synchronize_irq(card->irq);
	if (s14 | s58)
		plx8ch_deliver_bits(card, (u64)s58 << 32 | s14);
	mutex_unlock(&card->lock);
}

static const char *const plx8ch_restart_name[] = {
	[PLX8CH_RESTART_RESET] = "function reset",
	[PLX8CH_RESTART_RESUME] = "resume",
	[PLX8CH_RESTART_RECOVERY] = "PCI error recovery",
};

/**
 * plx8ch_card_start() - the one reprogram path
 * @card: a card stopped by plx8ch_card_stop()
 * @why: what it comes back from
 *
 * The card is at its reset values, or holds stale state: clear every
 * cause, write the channel enables from the shadow, then PIE | LIE. A card
 * that had been found dead and answers again is live again. One that does
 * not answer is dead: its readers are told, and the top half watches for
 * it coming back as for any dead card.
 *
 * Return: 0, -ENODEV if the card is gone, -EIO if it does not answer.
 */
int plx8ch_card_start(struct plx8ch_card *card, enum plx8ch_restart why)
{
	struct device *dev = &card->pdev->dev;
	unsigned int c;
	int ret = 0;
	u32 id;

	mutex_lock(&card->lock);
	if (card->gone) {
		ret = -ENODEV;
		goto out;
	}
	id = readl(card->bar2 + PLX8CH_BAR2_ID);
	if (id != PLX8CH_ID) {
		dev_err(dev, "card does not answer after %s (ID %#010x): stopped\n",
			plx8ch_restart_name[why], id);
		spin_lock_irq(&card->enable_lock);
		card->dead_irqs = 0;
		WRITE_ONCE(card->dead, true);
		WRITE_ONCE(card->offline, false);
		spin_unlock_irq(&card->enable_lock);
		/* The stop delivered what was latched: nothing more comes. */
		set_bit(0, &card->dead_told);
		plx8ch_card_wake_gone(card);
		ret = -EIO;
		goto out;
	}
	/* Before the first interrupt can deliver anything. */
	for (c = 0; c < PLX8CH_CHANNELS; c++)
		plx8ch_channel_flag_next(&card->ch[c], PLX8CH_EVF_RESET);

	spin_lock_irq(&card->enable_lock);
	plx8ch_hw_stop(card);
	writel(card->enable[0], card->bar2 + PLX8CH_BAR2_ENABLE(0));
	writel(card->enable[1], card->bar2 + PLX8CH_BAR2_ENABLE(1));
	card->dead_irqs = 0;
	clear_bit(0, &card->dead_told);
	WRITE_ONCE(card->dead, false);
	WRITE_ONCE(card->offline, false);
	writel(PLX8CH_INTCSR_PIE | PLX8CH_INTCSR_LIE,
	       card->bar0 + PLX8CH_BAR0_INTCSR);
	spin_unlock_irq(&card->enable_lock);

	switch (why) {
	case PLX8CH_RESTART_RESET:
		card->resets++;
		break;
	case PLX8CH_RESTART_RESUME:
		card->resumes++;
		break;
	case PLX8CH_RESTART_RECOVERY:
		card->recoveries++;
		break;
	}
	if (why == PLX8CH_RESTART_RESUME)
		dev_dbg(dev, "channels restarted after resume\n");
	else
		dev_info(dev, "channels restarted after %s\n",
			 plx8ch_restart_name[why]);
out:
	mutex_unlock(&card->lock);
	return ret;
}

/* System sleep: suspend, freeze and poweroff; PCI core saves the state. */
static int plx8ch_suspend(struct device *dev)
{
	plx8ch_card_stop(dev_get_drvdata(dev), true);
	return 0;
}

/*
 * resume, thaw and restore. A card that does not answer is reported to
 * its readers; failing the resume of the whole system would help no one.
 */
static int plx8ch_resume(struct device *dev)
{
	plx8ch_card_start(dev_get_drvdata(dev), PLX8CH_RESTART_RESUME);
	return 0;
}

DEFINE_SIMPLE_DEV_PM_OPS(plx8ch_pm_ops, plx8ch_suspend, plx8ch_resume);

/* pci_reset_function() and bus resets of siblings; PCI core saves config. */
static void plx8ch_reset_prepare(struct pci_dev *pdev)
{
	plx8ch_card_stop(pci_get_drvdata(pdev), true);
}

static void plx8ch_reset_done(struct pci_dev *pdev)
{
	plx8ch_card_start(pci_get_drvdata(pdev), PLX8CH_RESTART_RESET);
}

static pci_ers_result_t plx8ch_error_detected(struct pci_dev *pdev,
					      pci_channel_state_t state)
{
	struct plx8ch_card *card = pci_get_drvdata(pdev);

	if (state == pci_channel_io_perm_failure) {
		dev_err(&pdev->dev, "PCI error, permanent failure: card lost\n");
		plx8ch_card_stop(card, false);
		plx8ch_card_kill(card);
		return PCI_ERS_RESULT_DISCONNECT;
	}
	dev_warn(&pdev->dev, "PCI error (%s): channels stopped for a reset\n",
		 state == pci_channel_io_frozen ? "frozen" : "normal");
	/* A frozen link may not answer: touch nothing. */
	plx8ch_card_stop(card, state == pci_channel_io_normal);
	return PCI_ERS_RESULT_NEED_RESET;
}

/* Only if another driver below the same port could recover without one. */
static pci_ers_result_t plx8ch_mmio_enabled(struct pci_dev *pdev)
{
	return PCI_ERS_RESULT_NEED_RESET;
}

static void plx8ch_free_bridge_state(void *state)
{
	kfree(state);
}

/**
 * plx8ch_keep_bridge_state() - keep the config space of the board's bridge
 * @card: the card, being probed
 *
 * On the PCIe boards a PCIe-to-PCI bridge sits in front of the card. When
 * a fatal error makes the port above reset the link, the bridge loses its
 * bus numbers and windows, and the PCI core's error recovery leaves its
 * restoring to the bridge's driver, which it has not (or one without
 * error handlers, shpchp). This copy, taken once the card is enabled
 * (which enabled the bridge too), lets plx8ch_slot_reset() put it back.
 *
 * Return: 0, or -ENOMEM.
 */
int plx8ch_keep_bridge_state(struct plx8ch_card *card)
{
	struct pci_dev *bridge = pci_upstream_bridge(card->pdev);

	if (!bridge || !pci_is_pcie(bridge) ||
	    pci_pcie_type(bridge) != PCI_EXP_TYPE_PCI_BRIDGE)
		return 0;
	pci_save_state(bridge);
	card->bridge_state = pci_store_saved_state(bridge);
	if (!card->bridge_state)
		return -ENOMEM;
	return devm_add_action_or_reset(&card->pdev->dev,
					plx8ch_free_bridge_state,
					card->bridge_state);
}

/*
 * Only if the reset took the bridge's bus numbers: none was reset, or a
 * driver of the bridge's restored it already.
 */
static void plx8ch_restore_bridge(struct plx8ch_card *card)
{
	struct pci_dev *bridge = pci_upstream_bridge(card->pdev);
	u8 secondary;

	if (!card->bridge_state)
		return;
	pci_read_config_byte(bridge, PCI_SECONDARY_BUS, &secondary);
	if (secondary == card->pdev->bus->number)
		return;
	pci_load_saved_state(bridge, card->bridge_state);
	pci_restore_state(bridge);
	dev_info(&card->pdev->dev, "bridge %s restored after the link reset\n",
		 pci_name(bridge));
}

static pci_ers_result_t plx8ch_slot_reset(struct pci_dev *pdev)
{
	struct plx8ch_card *card = pci_get_drvdata(pdev);
	u32 id;

	plx8ch_restore_bridge(card);
	pci_restore_state(pdev);
	/* Restoring consumed the saved state; keep it for the next time. */
	pci_save_state(pdev);
	id = readl(card->bar2 + PLX8CH_BAR2_ID);
	if (id != PLX8CH_ID) {
		dev_err(&pdev->dev, "no card after the reset (ID %#010x): card lost\n",
			id);
		plx8ch_card_kill(card);
		return PCI_ERS_RESULT_DISCONNECT;
	}
	return PCI_ERS_RESULT_RECOVERED;
}

static void plx8ch_error_resume(struct pci_dev *pdev)
{
	plx8ch_card_start(pci_get_drvdata(pdev), PLX8CH_RESTART_RECOVERY);
}

const struct pci_error_handlers plx8ch_err_handlers = {
	.error_detected = plx8ch_error_detected,
	.mmio_enabled = plx8ch_mmio_enabled,
	.slot_reset = plx8ch_slot_reset,
	.resume = plx8ch_error_resume,
	.reset_prepare = plx8ch_reset_prepare,
	.reset_done = plx8ch_reset_done,
};

/*
 * Reboot, poweroff and kexec: leave the card quiet, so that the next
 * kernel or the firmware never inherits an asserted line nobody claims.
 */
void plx8ch_shutdown(struct pci_dev *pdev)
{
	plx8ch_card_stop(pci_get_drvdata(pdev), true);
}
