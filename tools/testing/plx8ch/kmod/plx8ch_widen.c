// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch_widen: a test helper of the bench, never shipped with the driver.
 *
 * Some races in plx8ch's top half have a window of a few instructions
 * after it drops a spinlock, which no test can hit by timing alone. Once
 * armed, this module makes the next return from @symbol (the spinlock
 * unlock) into one of the functions named in @callers busy-wait
 * @delay_ms before the caller goes on, so that a test can run whole file
 * operations inside that window. @entered counts delays begun, @hits
 * delays ended: a test sees from them that it ran inside the window.
 * x86 only: the return address is read from the stack at the probe.
 */
#include <linux/delay.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/sysfs.h>

static char *symbol = "_raw_spin_unlock";
module_param(symbol, charp, 0400);
MODULE_PARM_DESC(symbol, "unlock function to probe (rt_spin_unlock on PREEMPT_RT)");

static char *callers = "";
module_param(callers, charp, 0400);
MODULE_PARM_DESC(callers, "comma-separated functions whose unlock is delayed");

static uint delay_ms = 300;
module_param(delay_ms, uint, 0400);
MODULE_PARM_DESC(delay_ms, "length of the delay");

static int armed;
module_param(armed, int, 0600);
MODULE_PARM_DESC(armed, "delays still to make");

/* The counters change under a reader's feet: read them marked. */
static int widen_counter_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(*(int *)kp->arg));
}

static const struct kernel_param_ops widen_counter_ops = {
	.get = widen_counter_get,
};

static int entered;
module_param_cb(entered, &widen_counter_ops, &entered, 0400);
MODULE_PARM_DESC(entered, "delays begun");

static int hits;
module_param_cb(hits, &widen_counter_ops, &hits, 0400);
MODULE_PARM_DESC(hits, "delays ended");

/* Whether the function @ret returns into is one of @callers. */
static bool widen_caller(unsigned long ret)
{
	char name[KSYM_SYMBOL_LEN];
	const char *p = callers;
	size_t n, len;

	/* "%ps" of a module's function is "name [module]". */
	snprintf(name, sizeof(name), "%ps", (void *)ret);
	n = strcspn(name, " ");
	while (*p) {
		len = strcspn(p, ",");
		if (len == n && !strncmp(p, name, n))
			return true;
		p += len + !!p[len];
	}
	return false;
}

static int widen_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	/* At a function's entry its return address is on top of the stack. */
	unsigned long ret = *(unsigned long *)kernel_stack_pointer(regs);

	/* Non-zero: no return probe for this call. */
	return READ_ONCE(armed) <= 0 || !widen_caller(ret);
}

static int widen_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	int a = READ_ONCE(armed);

	if (a <= 0 || cmpxchg(&armed, a, a - 1) != a)
		return 0;
	WRITE_ONCE(entered, entered + 1);
	mdelay(delay_ms);
	WRITE_ONCE(hits, hits + 1);
	return 0;
}

static struct kretprobe widen_probe = {
	.entry_handler	= widen_entry,
	.handler	= widen_return,
};

static int __init widen_init(void)
{
	widen_probe.kp.symbol_name = symbol;
	return register_kretprobe(&widen_probe);
}

static void __exit widen_exit(void)
{
	unregister_kretprobe(&widen_probe);
}

module_init(widen_init);
module_exit(widen_exit);
MODULE_DESCRIPTION("plx8ch bench: widen a race window after a top-half unlock");
MODULE_LICENSE("GPL");
