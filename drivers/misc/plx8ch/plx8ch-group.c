// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch: channel groups, files that read several channels of one card.
 *
 * A reader of eight channels through their nodes makes one wait and eight
 * read() calls per interrupt; through a group it makes one wait and one
 * read(). Each channel of a group is an ordinary receiver of that channel
 * (struct plx8ch_file), so the interrupt thread delivers to it as to an
 * open node; a relay entry on the channel's wait queue passes the wake-up
 * on to the group's own queue.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "plx8ch.h"

/**
 * struct plx8ch_group - an open group
 * @card: the card; the group holds a reference
 * @wait: the group's readers and pollers sleep here
 * @read_lock: held by a reader from taking records until they are copied
 *	out or put back, so that readers sharing the file return each
 *	channel's seqnos in order
 * @next: index in @sub to serve first on the next read, so that a buffer
 *	of fewer records than channels does not starve the last ones; a hint,
 *	read and written without a lock
 * @nsub: channels in the group
 * @sub: the group's channels, in channel order
 * @sub.f: the group's receiver of that channel's events
 * @sub.relay: entry on the channel's wait queue that wakes @wait
 */
struct plx8ch_group {
	struct plx8ch_card *card;
	wait_queue_head_t wait;
	struct mutex read_lock;	/* one reader between take and copy-out */
	unsigned int next;
	unsigned int nsub;
	struct {
		struct plx8ch_file f;
		wait_queue_entry_t relay;
	} sub[PLX8CH_CHANNELS];
};

/* Called with the channel's wait queue lock held, by the channel's waker. */
static int plx8ch_group_relay(wait_queue_entry_t *entry, unsigned int mode,
			      int sync, void *key)
{
	struct plx8ch_group *g = entry->private;

	wake_up_interruptible_poll(&g->wait, key_to_poll(key));
	return 0;
}

/* Whether any channel of the group has a record; read locklessly. */
static bool plx8ch_group_pending(struct plx8ch_group *g)
{
	unsigned int i;

	for (i = 0; i < g->nsub; i++)
		if (READ_ONCE(g->sub[i].f.held))
			return true;
	return false;
}

static bool plx8ch_group_ready(struct plx8ch_group *g)
{
	return plx8ch_group_pending(g) || plx8ch_card_ended(g->card);
}

/* plx8ch_group_pending() under the channels' locks: see plx8ch_held(). */
static bool plx8ch_group_held(struct plx8ch_group *g)
{
	unsigned int i;

	for (i = 0; i < g->nsub; i++)
		if (plx8ch_held(&g->sub[i].f))
			return true;
	return false;
}

/* Take up to @max records into @ev, noting in @from whose they were. */
static unsigned int plx8ch_group_take(struct plx8ch_group *g,
				      struct plx8ch_event *ev,
				      struct plx8ch_file **from,
				      unsigned int max)
{
	unsigned int start = READ_ONCE(g->next), i, n = 0;

	for (i = 0; i < g->nsub && n < max; i++) {
		struct plx8ch_file *f = &g->sub[(start + i) % g->nsub].f;

		if (plx8ch_take(f, &ev[n]))
			from[n++] = f;
	}
	WRITE_ONCE(g->next, (start + i) % g->nsub);
	return n;
}

static ssize_t plx8ch_group_read(struct file *file, char __user *buf,
				 size_t count, loff_t *ppos)
{
	struct plx8ch_group *g = file->private_data;
	struct plx8ch_event ev[PLX8CH_CHANNELS];
	struct plx8ch_file *from[PLX8CH_CHANNELS];
	unsigned int max, n, i;
	ssize_t ret;
	bool ended;

	max = min_t(size_t, count / sizeof(ev[0]), g->nsub);
	if (!max)
		return -EINVAL;

	/* As for a node: held records first, ENODEV once none remain. */
	for (;;) {
		if (mutex_lock_interruptible(&g->read_lock))
			return -ERESTARTSYS;
		ended = plx8ch_card_ended(g->card);
		n = plx8ch_group_take(g, ev, from, max);
		if (n)
			break;
		mutex_unlock(&g->read_lock);
		if (ended)
			return -ENODEV;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(g->wait, plx8ch_group_ready(g));
		if (ret)
			return ret;
	}

	ret = n * sizeof(ev[0]);
	if (copy_to_user(buf, ev, n * sizeof(ev[0]))) {
		/* Nothing the reader was owed is lost: put every record back. */
		for (i = 0; i < n; i++)
			plx8ch_untake(from[i], &ev[i]);
		ret = -EFAULT;
	}
	mutex_unlock(&g->read_lock);
	return ret;
}

static __poll_t plx8ch_group_poll(struct file *file,
				  struct poll_table_struct *wait)
{
	struct plx8ch_group *g = file->private_data;

	poll_wait(file, &g->wait, wait);
	if (plx8ch_group_pending(g))
		return EPOLLIN | EPOLLRDNORM;
	if (plx8ch_card_ended(g->card))
		return plx8ch_group_held(g) ? EPOLLIN | EPOLLRDNORM :
					      EPOLLHUP | EPOLLERR;
	return 0;
}

/* Detach the group's channels and free it. */
static void plx8ch_group_free(struct plx8ch_group *g)
{
	unsigned int i;

	for (i = 0; i < g->nsub; i++) {
		remove_wait_queue(&g->sub[i].f.ch->wait, &g->sub[i].relay);
		plx8ch_file_detach(&g->sub[i].f);
	}
	plx8ch_card_put(g->card);
	mutex_destroy(&g->read_lock);
	kfree(g);
}

static int plx8ch_group_release(struct inode *inode, struct file *file)
{
	plx8ch_group_free(file->private_data);
	return 0;
}

static const struct file_operations plx8ch_group_fops = {
	.owner = THIS_MODULE,
	.release = plx8ch_group_release,
	.read = plx8ch_group_read,
	.poll = plx8ch_group_poll,
};

/*
 * The channels named by @req's descriptors: each must be a node of @card
 * open for reading, so that a group reads nothing its caller could not
 * read through the nodes. Checked once, at creation, as open() checks
 * permission once: closing the nodes afterwards leaves the group alone.
 */
static int plx8ch_group_channels(struct plx8ch_card *card,
				 const struct plx8ch_group_request *req,
				 unsigned long *channels)
{
	unsigned int i;

	*channels = 0;
	for (i = 0; i < req->nfds; i++) {
		struct plx8ch_channel *ch;
		struct file *file;

		file = fget(req->fds[i]);
		if (!file)
			return -EBADF;
		ch = plx8ch_node_channel(file, card);
		fput(file);
		if (IS_ERR(ch))
			return PTR_ERR(ch);
		if (__test_and_set_bit(ch->index, channels))
			return -EINVAL;		/* named twice */
	}
	return 0;
}

/**
 * plx8ch_group_create() - PLX8CH_IOC_GET_GROUP
 * @card: the card of the node the ioctl came through; the caller's open
 *	file holds a reference
 * @arg: the caller's struct plx8ch_group_request
 *
 * Return: 0 with the new descriptor in @arg->fd, or a negative errno.
 */
long plx8ch_group_create(struct plx8ch_card *card,
			 struct plx8ch_group_request __user *arg)
{
	struct plx8ch_group_request req;
	struct plx8ch_group *g;
	unsigned long channels;
	struct file *file;
	unsigned int c;
	int fd, ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (!plx8ch_zeroed(req.reserved, sizeof(req.reserved)) || !req.nfds ||
	    req.nfds > PLX8CH_CHANNELS)
		return -EINVAL;
	ret = plx8ch_group_channels(card, &req, &channels);
	if (ret)
		return ret;

	g = kzalloc(sizeof(*g), GFP_KERNEL_ACCOUNT);
	if (!g)
		return -ENOMEM;
	kref_get(&card->ref);
	g->card = card;
	init_waitqueue_head(&g->wait);
	mutex_init(&g->read_lock);
	for_each_set_bit(c, &channels, PLX8CH_CHANNELS) {
		ret = plx8ch_file_attach(&g->sub[g->nsub].f, &card->ch[c]);
		if (ret)
			goto err_free;
		init_waitqueue_func_entry(&g->sub[g->nsub].relay,
					  plx8ch_group_relay);
		g->sub[g->nsub].relay.private = g;
		add_wait_queue(&card->ch[c].wait, &g->sub[g->nsub].relay);
		g->nsub++;
	}

	fd = get_unused_fd_flags(O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto err_free;
	}
	file = anon_inode_getfile("plx8ch-group", &plx8ch_group_fops, g,
				  O_RDONLY | O_CLOEXEC);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto err_fd;
	}
	stream_open(file_inode(file), file);

	req.fd = fd;
	if (copy_to_user(arg, &req, sizeof(req))) {
		/* The release frees the group. */
		fput(file);
		put_unused_fd(fd);
		return -EFAULT;
	}
	fd_install(fd, file);
	return 0;

err_fd:
	put_unused_fd(fd);
err_free:
	plx8ch_group_free(g);
	return ret;
}
