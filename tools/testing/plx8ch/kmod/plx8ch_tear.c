// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch_tear: a test helper of the bench, never shipped with the driver.
 *
 * On a 32-bit kernel a 64-bit counter is stored as two words, so a reader
 * that does not wait for the writer can see one word new and the other
 * old. The writer is between its two stores for an instruction, which no
 * test hits by timing alone. Writing a card's PCI address to @card sets
 * the card's hardirqs counter to @preset and puts a hardware watchpoint on
 * its low word. When a store wraps that word to 0 (the carry into the
 * high word not yet stored), the writer busy-waits @delay_ms before it
 * goes on: a test reads the counter meanwhile. @entered counts delays
 * begun, @hits delays ended. x86 only: the low word is the first.
 */
#include <linux/delay.h>
#include <linux/hw_breakpoint.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/perf_event.h>
#include <linux/sysfs.h>

#include "plx8ch.h"

static ulong preset = 0xffffffffUL;
module_param(preset, ulong, 0400);
MODULE_PARM_DESC(preset, "value the counter is set to");

static uint delay_ms = 1000;
module_param(delay_ms, uint, 0400);
MODULE_PARM_DESC(delay_ms, "length of the delay");

static int armed;
static int entered;
static int hits;

/* The counters change under a reader's feet: read them marked. */
static int tear_counter_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(*(int *)kp->arg));
}

static const struct kernel_param_ops tear_counter_ops = {
	.get = tear_counter_get,
};

module_param_cb(entered, &tear_counter_ops, &entered, 0400);
MODULE_PARM_DESC(entered, "delays begun");
module_param_cb(hits, &tear_counter_ops, &hits, 0400);
MODULE_PARM_DESC(hits, "delays ended");

/*
 * The watched card's device, held until the module goes (a test keeps
 * the driver bound meanwhile), and the watchpoint; guarded by tear_mutex.
 */
static DEFINE_MUTEX(tear_mutex);
static struct pci_dev *tear_pdev;
static struct perf_event * __percpu *tear_bp;
static u32 *tear_low;

static void tear_hit(struct perf_event *bp, struct perf_sample_data *data,
		     struct pt_regs *regs)
{
	/* Another store to the counter, or the delay already made. */
	if (READ_ONCE(*tear_low) || cmpxchg(&armed, 1, 0) != 1)
		return;
	WRITE_ONCE(entered, entered + 1);
	mdelay(delay_ms);
	WRITE_ONCE(hits, hits + 1);
}

static int tear_card_set(const char *val, const struct kernel_param *kp)
{
	struct perf_event * __percpu *bp;
	struct perf_event_attr attr;
	struct plx8ch_card *card;
	struct pci_dev *pdev;
	unsigned int domain, bus, slot, fn;
	char bdf[32];
	int ret = 0;

	strscpy(bdf, val, sizeof(bdf));
	if (sscanf(strim(bdf), "%x:%x:%x.%x", &domain, &bus, &slot, &fn) != 4)
		return -EINVAL;
	pdev = pci_get_domain_bus_and_slot(domain, bus, PCI_DEVFN(slot, fn));
	if (!pdev)
		return -ENODEV;
	mutex_lock(&tear_mutex);
	device_lock(&pdev->dev);
	if (tear_bp || !pdev->dev.driver ||
	    strcmp(pdev->dev.driver->name, "plx8ch")) {
		ret = tear_bp ? -EBUSY : -ENODEV;
		goto out;
	}
	card = pci_get_drvdata(pdev);

	/* No top half while the counter is set. */
	disable_irq(pdev->irq);
	u64_stats_update_begin(&card->irq_syncp);
	u64_stats_set(&card->hardirqs, preset);
	u64_stats_update_end(&card->irq_syncp);
	enable_irq(pdev->irq);

	tear_low = (u32 *)&card->hardirqs;
	hw_breakpoint_init(&attr);
	attr.bp_addr = (unsigned long)tear_low;
	attr.bp_len = HW_BREAKPOINT_LEN_4;
	attr.bp_type = HW_BREAKPOINT_W;
	WRITE_ONCE(armed, 1);
	bp = register_wide_hw_breakpoint(&attr, tear_hit, NULL);
	/* NULL: a kernel without hardware breakpoints. */
	if (IS_ERR_OR_NULL((void __force *)bp)) {
		ret = bp ? PTR_ERR((void __force *)bp) : -EOPNOTSUPP;
		goto out;
	}
	tear_bp = bp;
	tear_pdev = pci_dev_get(pdev);
out:
	device_unlock(&pdev->dev);
	mutex_unlock(&tear_mutex);
	pci_dev_put(pdev);
	return ret;
}

static const struct kernel_param_ops tear_card_ops = {
	.set = tear_card_set,
};

module_param_cb(card, &tear_card_ops, NULL, 0200);
MODULE_PARM_DESC(card, "PCI address of the card to watch (written once)");

static void __exit tear_exit(void)
{
	if (tear_bp)
		unregister_wide_hw_breakpoint(tear_bp);
	pci_dev_put(tear_pdev);
}

module_exit(tear_exit);
MODULE_DESCRIPTION("plx8ch bench: stop a 64-bit counter's writer between its two words");
MODULE_LICENSE("GPL");
