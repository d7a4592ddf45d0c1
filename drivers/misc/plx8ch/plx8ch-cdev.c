// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch: the per-channel character devices, /dev/plx8ch<N>.
 *
 * Every open file of a channel gets every channel event that happens while
 * it is open; unread events merge into one record per file.
 */
#include <linux/build_bug.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "plx8ch.h"

/* The uAPI is the same for 32- and 64-bit callers: no compat translation. */
static_assert(sizeof(struct plx8ch_event) == 40);
static_assert(offsetof(struct plx8ch_event, count) == 16);
static_assert(offsetof(struct plx8ch_event, channel) == 24);
static_assert(offsetof(struct plx8ch_event, reserved) == 36);
static_assert(sizeof(struct plx8ch_info) == 80);
static_assert(offsetof(struct plx8ch_info, card) == 32);
static_assert(offsetof(struct plx8ch_info, reserved) == 52);
static_assert(sizeof(struct plx8ch_stats) == 80);
static_assert(offsetof(struct plx8ch_stats, reserved) == 48);
static_assert(sizeof(struct plx8ch_group_request) == 64);
static_assert(offsetof(struct plx8ch_group_request, nfds) == 32);
static_assert(offsetof(struct plx8ch_group_request, reserved) == 40);
static_assert(sizeof(struct plx8ch_inject) == 16);

static dev_t plx8ch_devt;
static struct cdev plx8ch_cdev;

/**
 * struct plx8ch_node - an open node
 * @f: its receiver of the channel's events
 * @read_lock: held by a reader from taking the record until it is copied
 *	out or put back, so that readers sharing the file return seqnos in
 *	order
 */
struct plx8ch_node {
	struct plx8ch_file f;
	struct mutex read_lock;	/* one reader between take and copy-out */
};

static struct class plx8ch_class = {
	.name = "plx8ch",
	.dev_groups = plx8ch_channel_groups,
};

/**
 * plx8ch_channel_deliver() - deliver one channel event to every open file
 * @ch: the channel
 * @causes: PLX8CH_EV_* causes the bottom half found
 * @flags: PLX8CH_EVF_* flags for the event
 *
 * Called from the interrupt thread, or by the stop path once the thread
 * has been synchronized out.
 */
void plx8ch_channel_deliver(struct plx8ch_channel *ch, u32 causes, u32 flags)
{
	struct plx8ch_file *f;
	u64 ts, seq;

	/*
	 * The top half stamps a channel before it publishes its bits, so a
	 * stamp is here unless a report raced with our previous drain (see
	 * the documentation); then the thread's own time stands in.
	 */
	ts = atomic64_xchg(&ch->first_ts, 0);
	if (!ts)
		ts = ktime_get_ns();

	spin_lock(&ch->lock);
	/* Its readers were told the card is gone: their streams have ended. */
	if (READ_ONCE(ch->card->gone)) {
		spin_unlock(&ch->lock);
		return;
	}
	seq = ++ch->seqno;
	list_for_each_entry(f, &ch->files, node) {
		if (!f->rec.count) {
			f->rec.timestamp_ns = ts;
			f->rec.channel = ch->index;
			f->rec.status = 0;
			f->rec.flags = 0;
		}
		f->rec.status |= causes;
		f->rec.flags |= flags | f->next_flags;
		f->next_flags = 0;
		f->rec.seqno = seq;
		f->rec.count++;
		WRITE_ONCE(f->held, true);
	}
	spin_unlock(&ch->lock);
	wake_up_interruptible_poll(&ch->wait, EPOLLIN | EPOLLRDNORM);
}

/**
 * plx8ch_channel_flag_next() - mark the next record of every open file
 * @ch: the channel
 * @flags: PLX8CH_EVF_* flags for each file's next event
 */
void plx8ch_channel_flag_next(struct plx8ch_channel *ch, u32 flags)
{
	struct plx8ch_file *f;

	spin_lock(&ch->lock);
	list_for_each_entry(f, &ch->files, node)
		f->next_flags |= flags;
	spin_unlock(&ch->lock);
}

/**
 * plx8ch_file_attach() - make @f a receiver of @ch's events
 * @f: a zeroed receiver
 * @ch: the channel
 *
 * The channel's causes are enabled while it has at least one receiver.
 *
 * Return: 0, or -ENODEV if the card is gone or dead.
 */
int plx8ch_file_attach(struct plx8ch_file *f, struct plx8ch_channel *ch)
{
	struct plx8ch_card *card = ch->card;

	f->ch = ch;
	mutex_lock(&card->lock);
	if (plx8ch_card_lost(card)) {
		mutex_unlock(&card->lock);
		return -ENODEV;
	}
	spin_lock(&ch->lock);
	list_add_tail(&f->node, &ch->files);
	spin_unlock(&ch->lock);
	if (!ch->users++)
		plx8ch_channel_enable(ch, true);
	mutex_unlock(&card->lock);
	return 0;
}

/* Undo plx8ch_file_attach(); @f's unread record is dropped. */
void plx8ch_file_detach(struct plx8ch_file *f)
{
	struct plx8ch_channel *ch = f->ch;
	struct plx8ch_card *card = ch->card;

	mutex_lock(&card->lock);
	spin_lock(&ch->lock);
	list_del(&f->node);
	spin_unlock(&ch->lock);
	if (!--ch->users && !plx8ch_card_lost(card))
		plx8ch_channel_enable(ch, false);
	mutex_unlock(&card->lock);
}

static int plx8ch_open(struct inode *inode, struct file *file)
{
	unsigned int minor = iminor(inode);
	struct plx8ch_card *card;
	struct plx8ch_node *n;
	int ret;

	card = plx8ch_card_get(minor / PLX8CH_CHANNELS);
	if (!card)
		return -ENODEV;
	n = kzalloc(sizeof(*n), GFP_KERNEL_ACCOUNT);
	if (!n) {
		ret = -ENOMEM;
		goto err_put;
	}
	mutex_init(&n->read_lock);
	ret = plx8ch_file_attach(&n->f, &card->ch[minor % PLX8CH_CHANNELS]);
	if (ret)
		goto err_free;

	file->private_data = n;
	return stream_open(inode, file);

err_free:
	kfree(n);
err_put:
	plx8ch_card_put(card);
	return ret;
}

static int plx8ch_release(struct inode *inode, struct file *file)
{
	struct plx8ch_node *n = file->private_data;
	struct plx8ch_card *card = n->f.ch->card;

	plx8ch_file_detach(&n->f);
	mutex_destroy(&n->read_lock);
	kfree(n);
	plx8ch_card_put(card);
	return 0;
}

/* Take the file's record, if any. */
bool plx8ch_take(struct plx8ch_file *f, struct plx8ch_event *ev)
{
	struct plx8ch_channel *ch = f->ch;
	bool got = false;

	spin_lock(&ch->lock);
	if (f->rec.count) {
		*ev = f->rec;
		/* An empty record; the next event fills every other field. */
		f->rec.count = 0;
		WRITE_ONCE(f->held, false);
		ch->records++;
		got = true;
	}
	spin_unlock(&ch->lock);
	return got;
}

/*
 * Whether the file holds a record, under the channel's lock: after
 * plx8ch_card_ended(), no delivery can be in flight that this misses.
 */
bool plx8ch_held(struct plx8ch_file *f)
{
	bool held;

	spin_lock(&f->ch->lock);
	held = f->held;
	spin_unlock(&f->ch->lock);
	return held;
}

/*
 * The copy to userspace failed: merge the record back in front of whatever
 * arrived since, so that nothing the reader was owed is lost.
 */
void plx8ch_untake(struct plx8ch_file *f, const struct plx8ch_event *ev)
{
	struct plx8ch_channel *ch = f->ch;

	spin_lock(&ch->lock);
	ch->records--;
	if (f->rec.count) {
		f->rec.timestamp_ns = ev->timestamp_ns;
		f->rec.status |= ev->status;
		f->rec.flags |= ev->flags;
		f->rec.count += ev->count;
	} else {
		f->rec = *ev;
	}
	WRITE_ONCE(f->held, true);
	spin_unlock(&ch->lock);
}

static bool plx8ch_ready(struct plx8ch_file *f)
{
	return READ_ONCE(f->held) || plx8ch_card_ended(f->ch->card);
}

/*
 * Records a file already holds stay readable once the card is lost; then
 * read() fails with ENODEV and poll() reports EPOLLHUP | EPOLLERR.
 */
static ssize_t plx8ch_read(struct file *file, char __user *buf, size_t count,
			   loff_t *ppos)
{
	struct plx8ch_node *n = file->private_data;
	struct plx8ch_file *f = &n->f;
	struct plx8ch_event ev;
	ssize_t ret;
	bool ended;

	if (count < sizeof(ev))
		return -EINVAL;

	for (;;) {
		if (mutex_lock_interruptible(&n->read_lock))
			return -ERESTARTSYS;
		/* Before the take, which then sees every record there is. */
		ended = plx8ch_card_ended(f->ch->card);
		if (plx8ch_take(f, &ev))
			break;
		mutex_unlock(&n->read_lock);
		if (ended)
			return -ENODEV;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(f->ch->wait, plx8ch_ready(f));
		if (ret)
			return ret;
	}

	ret = sizeof(ev);
	if (copy_to_user(buf, &ev, sizeof(ev))) {
		plx8ch_untake(f, &ev);
		ret = -EFAULT;
	}
	mutex_unlock(&n->read_lock);
	return ret;
}

static __poll_t plx8ch_poll(struct file *file, struct poll_table_struct *wait)
{
	struct plx8ch_node *n = file->private_data;
	struct plx8ch_file *f = &n->f;

	poll_wait(file, &f->ch->wait, wait);
	if (READ_ONCE(f->held))
		return EPOLLIN | EPOLLRDNORM;
	if (plx8ch_card_ended(f->ch->card))
		return plx8ch_held(f) ? EPOLLIN | EPOLLRDNORM : EPOLLHUP | EPOLLERR;
	return 0;
}

static long plx8ch_get_info(struct plx8ch_channel *ch, void __user *arg)
{
	struct plx8ch_card *card = ch->card;
	struct plx8ch_info info = { };

	strscpy(info.bus_id, card->bus_id, sizeof(info.bus_id));
	info.card = card->index;
	info.channel = ch->index;
	info.nchannels = PLX8CH_CHANNELS;
	info.irq = card->irq;
	info.hw_version = card->hw_version;
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long plx8ch_get_stats(struct plx8ch_channel *ch, void __user *arg)
{
	struct plx8ch_card *card = ch->card;
	struct plx8ch_stats st = { };
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&card->irq_syncp);
		st.hardirqs = u64_stats_read(&card->hardirqs);
		st.spurious = u64_stats_read(&card->spurious);
		st.storms = u64_stats_read(&ch->storms);
	} while (u64_stats_fetch_retry(&card->irq_syncp, start));
	st.thread_runs = plx8ch_stat_read(&card->thread_syncp,
					  &card->thread_runs);
	spin_lock(&ch->lock);
	st.channel_events = ch->seqno;
	st.records = ch->records;
	spin_unlock(&ch->lock);
	return copy_to_user(arg, &st, sizeof(st)) ? -EFAULT : 0;
}

/* Re-enable a channel the storm guard stopped; a no-op otherwise. */
static long plx8ch_rearm(struct plx8ch_channel *ch)
{
	struct plx8ch_card *card = ch->card;
	long ret = 0;

	mutex_lock(&card->lock);
	if (plx8ch_card_lost(card))
		ret = -ENODEV;
	else if (test_bit(ch->index, &card->storm))
		plx8ch_channel_enable(ch, true);
	mutex_unlock(&card->lock);
	return ret;
}

static long plx8ch_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct plx8ch_node *n = file->private_data;
	struct plx8ch_file *f = &n->f;
	void __user *uarg = (void __user *)arg;

	if (READ_ONCE(f->ch->card->gone))
		return -ENODEV;
	switch (cmd) {
	case PLX8CH_IOC_GET_INFO:
		return plx8ch_get_info(f->ch, uarg);
	case PLX8CH_IOC_GET_STATS:
		return plx8ch_get_stats(f->ch, uarg);
	case PLX8CH_IOC_REARM:
		return plx8ch_rearm(f->ch);
	case PLX8CH_IOC_GET_GROUP:
		return plx8ch_group_create(f->ch->card, uarg);
	case PLX8CH_IOC_INJECT:
		return plx8ch_inject(f->ch, uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations plx8ch_fops;

/**
 * plx8ch_node_channel() - the channel behind an open node
 * @file: any file
 * @card: the card the node must belong to
 *
 * Return: the channel, or an ERR_PTR: -EBADF if @file is not open for
 * reading, -EINVAL if it is not a node of @card.
 */
struct plx8ch_channel *plx8ch_node_channel(struct file *file,
					   struct plx8ch_card *card)
{
	struct plx8ch_node *n;

	if (file->f_op != &plx8ch_fops)
		return ERR_PTR(-EINVAL);
	if (!(file->f_mode & FMODE_READ))
		return ERR_PTR(-EBADF);
	n = file->private_data;
	if (n->f.ch->card != card)
		return ERR_PTR(-EINVAL);
	return n->f.ch;
}

static const struct file_operations plx8ch_fops = {
	.owner = THIS_MODULE,
	.open = plx8ch_open,
	.release = plx8ch_release,
	.read = plx8ch_read,
	.poll = plx8ch_poll,
	.unlocked_ioctl = plx8ch_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

int plx8ch_channel_add(struct plx8ch_channel *ch)
{
	struct plx8ch_card *card = ch->card;

	ch->minor = card->index * PLX8CH_CHANNELS + ch->index;
	ch->dev = device_create(&plx8ch_class, &card->pdev->dev,
				MKDEV(MAJOR(plx8ch_devt), ch->minor), ch,
				"plx8ch%u", ch->minor);
	return PTR_ERR_OR_ZERO(ch->dev);
}

/* Wake the channel's sleepers, who find the card gone. */
void plx8ch_channel_wake_gone(struct plx8ch_channel *ch)
{
	wake_up_interruptible_poll(&ch->wait, EPOLLHUP | EPOLLERR);
}

void plx8ch_channel_remove(struct plx8ch_channel *ch)
{
	device_destroy(&plx8ch_class, MKDEV(MAJOR(plx8ch_devt), ch->minor));
	plx8ch_channel_wake_gone(ch);
}

int plx8ch_cdev_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&plx8ch_devt, 0, PLX8CH_MINORS, "plx8ch");
	if (ret)
		return ret;
	ret = class_register(&plx8ch_class);
	if (ret)
		goto err_region;
	cdev_init(&plx8ch_cdev, &plx8ch_fops);
	plx8ch_cdev.owner = THIS_MODULE;
	ret = cdev_add(&plx8ch_cdev, plx8ch_devt, PLX8CH_MINORS);
	if (ret)
		goto err_class;
	return 0;

err_class:
	class_unregister(&plx8ch_class);
err_region:
	unregister_chrdev_region(plx8ch_devt, PLX8CH_MINORS);
	return ret;
}

void plx8ch_cdev_exit(void)
{
	cdev_del(&plx8ch_cdev);
	class_unregister(&plx8ch_class);
	unregister_chrdev_region(plx8ch_devt, PLX8CH_MINORS);
}
