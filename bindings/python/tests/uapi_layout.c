// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The uAPI as the compiler sees it: each structure's size and field
 * offsets, each ioctl number and constant, one per line, for the layout
 * check to compare with the Python module's plx8ch.uapi.describe() after
 * sorting both. A field the header gains changes a size here.
 */
#include <stddef.h>
#include <stdio.h>
#include <linux/plx8ch.h>

#define SIZE(s)		printf("sizeof(struct %s) %zu\n", #s, sizeof(struct s))
#define FIELD(s, f)	printf("offsetof(struct %s, %s) %zu\n", #s, #f, \
			       offsetof(struct s, f))
#define IOCTL(n)	printf("%s %#010x\n", #n, (unsigned int)(n))
#define CONST(n)	printf("%s %#x\n", #n, (unsigned int)(n))

int main(void)
{
	SIZE(plx8ch_event);
	FIELD(plx8ch_event, timestamp_ns);
	FIELD(plx8ch_event, seqno);
	FIELD(plx8ch_event, count);
	FIELD(plx8ch_event, channel);
	FIELD(plx8ch_event, status);
	FIELD(plx8ch_event, flags);
	FIELD(plx8ch_event, reserved);

	SIZE(plx8ch_info);
	FIELD(plx8ch_info, bus_id);
	FIELD(plx8ch_info, card);
	FIELD(plx8ch_info, channel);
	FIELD(plx8ch_info, nchannels);
	FIELD(plx8ch_info, irq);
	FIELD(plx8ch_info, hw_version);
	FIELD(plx8ch_info, reserved);

	SIZE(plx8ch_stats);
	FIELD(plx8ch_stats, hardirqs);
	FIELD(plx8ch_stats, spurious);
	FIELD(plx8ch_stats, thread_runs);
	FIELD(plx8ch_stats, channel_events);
	FIELD(plx8ch_stats, records);
	FIELD(plx8ch_stats, storms);
	FIELD(plx8ch_stats, reserved);

	SIZE(plx8ch_group_request);
	FIELD(plx8ch_group_request, fds);
	FIELD(plx8ch_group_request, nfds);
	FIELD(plx8ch_group_request, fd);
	FIELD(plx8ch_group_request, reserved);

	SIZE(plx8ch_inject);
	FIELD(plx8ch_inject, causes);
	FIELD(plx8ch_inject, reserved);

	IOCTL(PLX8CH_IOC_GET_INFO);
	IOCTL(PLX8CH_IOC_GET_STATS);
	IOCTL(PLX8CH_IOC_REARM);
	IOCTL(PLX8CH_IOC_GET_GROUP);
	IOCTL(PLX8CH_IOC_INJECT);

	CONST(PLX8CH_CHANNELS);
	CONST(PLX8CH_EV_RX);
	CONST(PLX8CH_EV_TX);
	CONST(PLX8CH_EVF_STORM);
	CONST(PLX8CH_EVF_RESET);
	CONST(PLX8CH_IOC_MAGIC);
	return 0;
}
