/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the plx8ch interrupt path: one per top-half run and one
 * per drain of the pending word by the thread. See "Tracing" in
 * Documentation/misc-devices/plx8ch.rst.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM plx8ch

#if !defined(_PLX8CH_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PLX8CH_TRACE_H

#include <linux/interrupt.h>
#include <linux/tracepoint.h>

TRACE_EVENT(plx8ch_hardirq,
	    TP_PROTO(unsigned int card, u32 status14, u32 status58,
		     irqreturn_t ret),
	    TP_ARGS(card, status14, status58, ret),
	    TP_STRUCT__entry(__field(unsigned int, card)
			     __field(u32, status14)
			     __field(u32, status58)
			     __field(int, ret)),
	    TP_fast_assign(__entry->card = card;
			   __entry->status14 = status14;
			   __entry->status58 = status58;
			   __entry->ret = ret;),
	    TP_printk("card=%u status14=0x%08x status58=0x%08x ret=%s",
		      __entry->card, __entry->status14, __entry->status58,
		      __print_symbolic(__entry->ret,
				       { IRQ_NONE, "IRQ_NONE" },
				       { IRQ_HANDLED, "IRQ_HANDLED" },
				       { IRQ_WAKE_THREAD, "IRQ_WAKE_THREAD" }))
);

TRACE_EVENT(plx8ch_drain,
	    TP_PROTO(unsigned int card, u64 drained, unsigned int woken),
	    TP_ARGS(card, drained, woken),
	    TP_STRUCT__entry(__field(unsigned int, card)
			     __field(u64, drained)
			     __field(unsigned int, woken)),
	    TP_fast_assign(__entry->card = card;
			   __entry->drained = drained;
			   __entry->woken = woken;),
	    TP_printk("card=%u drained=0x%016llx woken=0x%02x",
		      __entry->card, __entry->drained, __entry->woken)
);

#endif /* _PLX8CH_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE plx8ch_trace
#include <trace/define_trace.h>
