/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plx8ch: driver-internal definitions shared by the core, the character
 * devices and sysfs.
 */
#ifndef _PLX8CH_H
#define _PLX8CH_H

#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/wait.h>
#include <linux/plx8ch.h>

#include "plx8ch-compat.h"

/* BAR0: PLX 9056 local configuration registers */
#define PLX8CH_BAR0			0
#define PLX8CH_BAR0_INTCSR		0x68
#define PLX8CH_INTCSR_PIE		BIT(8)	/* PCI interrupt enable */
#define PLX8CH_INTCSR_LIE		BIT(11)	/* local interrupt input enable */
#define PLX8CH_INTCSR_LIA		BIT(15)	/* local interrupt input active */

/* BAR2: channel block; channel c owns byte c % 4 of register c / 4 */
#define PLX8CH_BAR2			2
#define PLX8CH_BAR2_ID			0x00
#define PLX8CH_BAR2_VERSION		0x04
#define PLX8CH_BAR2_STATUS(r)		(0x10 + 4 * (r))	/* RW1C */
#define PLX8CH_BAR2_ENABLE(r)		(0x18 + 4 * (r))
#define PLX8CH_BAR2_FORCE(r)		(0x20 + 4 * (r))	/* WO */
#define PLX8CH_ID			0x38584c50	/* "PLX8" */
#define PLX8CH_CAUSE_MASK		0x03030303U
#define PLX8CH_CH_CAUSES(c)		(0x3U << (8 * ((c) % 4)))

/*
 * Storm guard: a channel reported by this many hard interrupts in a row
 * gets a read-back after its clear; if its causes are still set right
 * after the clear this many times in a row, they cannot be cleared.
 */
#define PLX8CH_STORM_STREAK		256
#define PLX8CH_STORM_CHECKS		8
/*
 * A dead card's top half reads INTCSR on its first interrupt and then on
 * one in this many: a read of an absent device can take a PCIe completion
 * timeout, and the line may be shared.
 */
#define PLX8CH_DEAD_CHECK		1024

/* Room for the self-test's report: a line per channel and cause. */
#define PLX8CH_SELFTEST_REPORT		1024

#define PLX8CH_MAX_CARDS		32
#define PLX8CH_MINORS			(PLX8CH_MAX_CARDS * PLX8CH_CHANNELS)

struct plx8ch_card;

/**
 * struct plx8ch_file - one receiver of a channel's events: an open node, or
 *	one channel of a group
 * @ch: the channel
 * @node: entry in @ch->files
 * @rec: events not yet read, merged; empty while @rec.count is 0
 * @held: @rec is not empty; for lockless tests (poll, the sleepers'
 *	condition), which a 64-bit @rec.count could tear on 32-bit machines
 * @next_flags: PLX8CH_EVF_* flags for the next event delivered to the file
 *	(PLX8CH_EVF_RESET after the card was restarted)
 *
 * @rec, @held and @next_flags are guarded by the channel's @lock.
 */
struct plx8ch_file {
	struct plx8ch_channel *ch;
	struct list_head node;
	struct plx8ch_event rec;
	bool held;
	u32 next_flags;
};

/**
 * struct plx8ch_channel - one channel of a card
 * @card: the card
 * @index: channel number on the card
 * @minor: minor number of its node
 * @wait: readers and pollers of this channel sleep here
 * @first_ts: top-half time of the first not yet drained report, 0 if none
 * @lock: guards @files, @seqno, @records and the @rec and @next_flags of
 *	every file
 * @files: receivers of the channel (open nodes and groups)
 * @seqno: channel events so far
 * @records: records read, all files together
 * @users: receivers; guarded by the card's @lock
 * @streak: consecutive hard interrupts that reported the channel
 * @stuck: consecutive read-backs that found its causes still set
 * @storms: times the storm guard disabled the channel; in the card's
 *	@irq_syncp
 * @dev: the class device of the node
 *
 * @streak, @stuck and @storms are written by the top half only.
 */
struct plx8ch_channel {
	struct plx8ch_card *card;
	unsigned int index;
	unsigned int minor;
	wait_queue_head_t wait;
	atomic64_t first_ts;
	spinlock_t lock;		/* files, seqno, records, each file's rec */
	struct list_head files;
	u64 seqno;
	u64 records;
	unsigned int users;
	u32 streak;
	u32 stuck;
	u64_stats_t storms;
	struct device *dev;
};

/**
 * struct plx8ch_card - one bound card
 * @ref: held by the PCI binding and by every open file; the last put frees
 * @pdev: the PCI device, valid while bound
 * @bar0: bridge registers
 * @bar2: channel block
 * @irq: Linux interrupt number
 * @index: card index, lowest free at bind time
 * @hw_version: the VERSION register, read at probe
 * @bus_id: PCI address, kept for after the device is gone
 * @pending: causes reported by the top half, not yet drained by the thread;
 *	channel c's causes are bits 8c and 8c + 1
 * @dead: the card read all-ones: stopped until bound again; the top half
 *	only switches its interrupt output off if it answers again
 * @dead_told: bit 0 set once the thread has delivered what was reported
 *	before the card was found dead and woken its readers
 * @dead_irqs: interrupts of the line seen while dead (top half only)
 * @irq_syncp: makes the top half's 64-bit counters whole for readers on
 *	32-bit machines; the top half is their only writer
 * @hardirqs: top-half runs that found causes
 * @spurious: top-half runs that found none
 * @enables_restored: top-half runs that found the card's ENABLE registers
 *	off the shadow and wrote it back
 * @thread_syncp: the same for the thread's counter
 * @thread_runs: runs of the thread
 * @resets: function resets the card came back from (reset_done)
 * @resumes: system sleep transitions it came back from (resume, thaw,
 *	restore)
 * @recoveries: PCI error recoveries it came back from (slot_reset)
 *
 * @resets, @resumes and @recoveries are guarded by @lock.
 * @lock: guards @gone, @offline, @enable, each channel's @users, and
 *	serialises every MMIO access made from file operations against
 *	removal and the lifecycle paths (plx8ch-lifecycle.c)
 * @gone: removal has started, or the card failed for good: no more MMIO
 *	from file operations
 * @offline: the card is stopped for a reset, a sleep or an error
 *	recovery: neither the top half nor file operations touch it, and
 *	channel enables change @enable only, for the restart to write
 * @enable_lock: guards @enable and the ENABLE registers, which the top
 *	half writes too when it stops a storm, and orders @offline against
 *	those writes
 * @enable: shadow of the ENABLE registers; the top half reads it locklessly
 * @storm: channels whose causes the storm guard disabled (atomic bitops;
 *	set and cleared under @enable_lock, with the enable change)
 * @storm_new: channels the thread has not yet warned about
 * @selftest_mask: causes the self-test is waiting for, in the layout of
 *	@pending: the thread hands them to the self-test instead of the
 *	channel; written under @lock
 * @selftest_seen: those the thread has handed over
 * @selftest_wait: the self-test sleeps here
 * @selftest_report: the last self-test's result, as sysfs shows it;
 *	guarded by @lock
 * @flush_posted: the top half reads the card back after clearing causes,
 *	so that the posted write (and the INTx deassert it leads to) lands
 *	before the interrupt is acknowledged; a debugfs knob, for the bench
 * @debugfs: the card's debugfs directory
 * @bridge_state: the config space of the board's PCIe-to-PCI bridge, kept
 *	at probe for plx8ch_slot_reset(); NULL without such a bridge
 * @ch: the channels
 */
struct plx8ch_card {
	struct kref ref;
	struct pci_dev *pdev;
	void __iomem *bar0;
	void __iomem *bar2;
	int irq;
	unsigned int index;
	u32 hw_version;
	char bus_id[32];
	atomic64_t pending;
	bool dead;
	unsigned long dead_told;
	u32 dead_irqs;
	struct u64_stats_sync irq_syncp;
	u64_stats_t hardirqs;
	u64_stats_t spurious;
	u64_stats_t enables_restored;
	struct u64_stats_sync thread_syncp;
	u64_stats_t thread_runs;
	u64 resets;
	u64 resumes;
	u64 recoveries;
	struct mutex lock;	/* gone, offline, enable, users; MMIO from fops */
	bool gone;
	bool offline;
	spinlock_t enable_lock;		/* enable[], ENABLE registers, offline */
	u32 enable[2];
	unsigned long storm;
	unsigned long storm_new;
	u64 selftest_mask;
	atomic64_t selftest_seen;
	wait_queue_head_t selftest_wait;
	char selftest_report[PLX8CH_SELFTEST_REPORT];
	bool flush_posted;
	struct dentry *debugfs;
	struct pci_saved_state *bridge_state;
	struct plx8ch_channel ch[PLX8CH_CHANNELS];
};

/* The card is unusable: removed, or found dead by the top half. */
static inline bool plx8ch_card_lost(struct plx8ch_card *card)
{
	return READ_ONCE(card->gone) || READ_ONCE(card->dead);
}

/*
 * No record will be added to the card's files until it is bound or started
 * again: removal has begun (deliveries from then on are dropped), or it
 * was found dead and the thread has delivered what came before. A file's
 * readers get what it holds, then the end of the stream.
 */
static inline bool plx8ch_card_ended(struct plx8ch_card *card)
{
	return READ_ONCE(card->gone) || test_bit(0, &card->dead_told);
}

/* One counter, read whole on 32-bit machines too. */
static inline u64 plx8ch_stat_read(const struct u64_stats_sync *syncp,
				   const u64_stats_t *stat)
{
	unsigned int start;
	u64 v;

	do {
		start = u64_stats_fetch_begin(syncp);
		v = u64_stats_read(stat);
	} while (u64_stats_fetch_retry(syncp, start));
	return v;
}

/* Whether a uAPI struct's reserved field is zero, as callers must leave it. */
static inline bool plx8ch_zeroed(const void *p, size_t n)
{
	return !memchr_inv(p, 0, n);
}

/* Why a stopped card is started again, for its counters and log. */
enum plx8ch_restart {
	PLX8CH_RESTART_RESET,
	PLX8CH_RESTART_RESUME,
	PLX8CH_RESTART_RECOVERY,
};

/* plx8ch-core.c */
struct plx8ch_card *plx8ch_card_get(unsigned int index);
void plx8ch_card_put(struct plx8ch_card *card);
void plx8ch_channel_enable(struct plx8ch_channel *ch, bool on);
void plx8ch_hw_stop(struct plx8ch_card *card);
void plx8ch_deliver_bits(struct plx8ch_card *card, u64 bits);
void plx8ch_card_kill(struct plx8ch_card *card);
void plx8ch_card_wake_gone(struct plx8ch_card *card);

/* plx8ch-lifecycle.c */
void plx8ch_card_stop(struct plx8ch_card *card, bool reachable);
int plx8ch_card_start(struct plx8ch_card *card, enum plx8ch_restart why);
extern const struct dev_pm_ops plx8ch_pm_ops;
int plx8ch_keep_bridge_state(struct plx8ch_card *card);
extern const struct pci_error_handlers plx8ch_err_handlers;
void plx8ch_shutdown(struct pci_dev *pdev);

/* plx8ch-cdev.c */
int plx8ch_cdev_init(void);
void plx8ch_cdev_exit(void);
int plx8ch_channel_add(struct plx8ch_channel *ch);
void plx8ch_channel_remove(struct plx8ch_channel *ch);
void plx8ch_channel_wake_gone(struct plx8ch_channel *ch);
void plx8ch_channel_deliver(struct plx8ch_channel *ch, u32 causes, u32 flags);
void plx8ch_channel_flag_next(struct plx8ch_channel *ch, u32 flags);
int plx8ch_file_attach(struct plx8ch_file *f, struct plx8ch_channel *ch);
void plx8ch_file_detach(struct plx8ch_file *f);
bool plx8ch_take(struct plx8ch_file *f, struct plx8ch_event *ev);
bool plx8ch_held(struct plx8ch_file *f);
void plx8ch_untake(struct plx8ch_file *f, const struct plx8ch_event *ev);

struct plx8ch_channel *plx8ch_node_channel(struct file *file,
					   struct plx8ch_card *card);

/* plx8ch-diag.c */
int plx8ch_selftest(struct plx8ch_card *card);
long plx8ch_inject(struct plx8ch_channel *ch, void __user *arg);

/* plx8ch-group.c */
long plx8ch_group_create(struct plx8ch_card *card,
			 struct plx8ch_group_request __user *arg);

/* plx8ch-sysfs.c */
extern const struct attribute_group plx8ch_card_group;
extern const struct attribute_group *plx8ch_channel_groups[];

#endif /* _PLX8CH_H */
