/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * plx8ch: userspace interface of the 8-channel PLX 9056 card driver.
 *
 * Each channel is a character device, /dev/plx8ch<N> with
 * N = 8 * card + channel. read() returns whole struct plx8ch_event
 * records; poll() reports EPOLLIN | EPOLLRDNORM while one is ready.
 * PLX8CH_IOC_GET_GROUP gives a file that reads several channels of a card
 * at once, up to one record per channel in one read().
 * See Documentation/misc-devices/plx8ch.rst.
 */
#ifndef _UAPI_LINUX_PLX8CH_H
#define _UAPI_LINUX_PLX8CH_H

#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * What a program may rely on, and how it finds out what the driver offers:
 * an ioctl the driver does not know gives ENOTTY; a structure that grows
 * gets a new ioctl number (its size is part of the number); flags a
 * program does not know are to be ignored; reserved fields the driver
 * returns are zero, and those a program passes in must be zero.
 */

#define PLX8CH_CHANNELS		8

/* Causes, in plx8ch_event.status */
#define PLX8CH_EV_RX		(1U << 0)	/* a message was received */
#define PLX8CH_EV_TX		(1U << 1)	/* a transmission completed */

/* plx8ch_event.flags */
#define PLX8CH_EVF_STORM	(1U << 0)	/* causes disabled: interrupt storm */
/*
 * The card was reset, slept or recovered from a PCI error since the file's
 * previous record: causes raised while it was stopped are not in any record.
 */
#define PLX8CH_EVF_RESET	(1U << 1)

/**
 * struct plx8ch_event - one record read from a channel
 * @timestamp_ns: CLOCK_MONOTONIC time, taken in the hard interrupt, of the
 *	first channel event merged into this record
 * @seqno: number of the last channel event merged into this record; the
 *	channel numbers its events 1, 2, 3, ... from the moment the card is
 *	bound
 * @count: how many channel events this record merges, at least 1
 * @channel: channel number on its card, 0 to PLX8CH_CHANNELS - 1
 * @status: PLX8CH_EV_* causes, OR of the merged events
 * @flags: PLX8CH_EVF_* flags
 * @reserved: zero
 *
 * For two consecutive records of one open file, the later @seqno minus the
 * earlier one equals the later @count: no event is lost unseen.
 */
struct plx8ch_event {
	__aligned_u64 timestamp_ns;
	__aligned_u64 seqno;
	__aligned_u64 count;
	__u32 channel;
	__u32 status;
	__u32 flags;
	__u32 reserved;
};

/**
 * struct plx8ch_info - what PLX8CH_IOC_GET_INFO returns
 * @bus_id: PCI address of the card, NUL-terminated ("0000:00:05.0")
 * @card: index of the card, allocated lowest-free at bind time
 * @channel: channel number of this node on its card
 * @nchannels: channels on the card (PLX8CH_CHANNELS)
 * @irq: Linux interrupt number of the card
 * @hw_version: the card's VERSION register (major in bits 31-16)
 * @reserved: zero
 */
struct plx8ch_info {
	char bus_id[32];
	__u32 card;
	__u32 channel;
	__u32 nchannels;
	__u32 irq;
	__u32 hw_version;
	__u32 reserved[7];
};

/**
 * struct plx8ch_stats - what PLX8CH_IOC_GET_STATS returns
 * @hardirqs: hard interrupts that found causes on the card
 * @spurious: hard interrupts that found none (another device's, shared line)
 * @thread_runs: runs of the card's interrupt thread
 * @channel_events: channel events of this channel (its last seqno)
 * @records: records read from this channel, all files together
 * @storms: times this channel's causes were disabled by the storm guard
 * @reserved: zero
 */
struct plx8ch_stats {
	__aligned_u64 hardirqs;
	__aligned_u64 spurious;
	__aligned_u64 thread_runs;
	__aligned_u64 channel_events;
	__aligned_u64 records;
	__aligned_u64 storms;
	__aligned_u64 reserved[4];
};

/**
 * struct plx8ch_group_request - what PLX8CH_IOC_GET_GROUP takes and returns
 * @fds: in: file descriptors of nodes of the card, open for reading, one
 *	per channel the group is to read
 * @nfds: in: how many of @fds are used, 1 to PLX8CH_CHANNELS
 * @fd: out: a new file descriptor (O_RDONLY | O_CLOEXEC) for the group;
 *	its read() returns up to one struct plx8ch_event per channel of the
 *	group, as many whole records as the buffer holds
 * @reserved: in: zero
 *
 * A group reads only channels its caller could read through their nodes.
 */
struct plx8ch_group_request {
	__s32 fds[PLX8CH_CHANNELS];
	__u32 nfds;
	__s32 fd;
	__u32 reserved[6];
};

/**
 * struct plx8ch_inject - what PLX8CH_IOC_INJECT takes
 * @causes: PLX8CH_EV_* causes to raise on the node's channel, at least one
 * @reserved: zero
 */
struct plx8ch_inject {
	__u32 causes;
	__u32 reserved[3];
};

#define PLX8CH_IOC_MAGIC	0xB9

#define PLX8CH_IOC_GET_INFO	_IOR(PLX8CH_IOC_MAGIC, 0x01, struct plx8ch_info)
#define PLX8CH_IOC_GET_STATS	_IOR(PLX8CH_IOC_MAGIC, 0x02, struct plx8ch_stats)
/* Re-enable a channel's causes after the storm guard disabled them. */
#define PLX8CH_IOC_REARM	_IO(PLX8CH_IOC_MAGIC, 0x03)
#define PLX8CH_IOC_GET_GROUP	_IOWR(PLX8CH_IOC_MAGIC, 0x04, \
				      struct plx8ch_group_request)
/*
 * Raise causes on the node's channel through the card's FORCE register, as
 * the channel's hardware would: for testing applications without the
 * equipment behind the card. CAP_SYS_ADMIN only. What it raises is an
 * ordinary cause, delivered to every reader of the channel.
 */
#define PLX8CH_IOC_INJECT	_IOW(PLX8CH_IOC_MAGIC, 0x05, struct plx8ch_inject)

#endif /* _UAPI_LINUX_PLX8CH_H */
