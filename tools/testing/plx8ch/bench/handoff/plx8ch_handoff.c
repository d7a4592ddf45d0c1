// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module: the cost of the driver's top-half to thread handoff.
 *
 * Two kthreads on two CPUs hand 64-bit words of causes over, as the top
 * half and the interrupt thread do: the producer publishes one bit per
 * handoff, the consumer takes whatever is there, until every bit has been
 * taken. Two ways, each run @runs times:
 *
 *   atomic   atomic64_or() to publish, atomic64_xchg(, 0) to take (plx8ch)
 *   spinlock spin_lock_irqsave() around "word |= bit" and "take; word = 0",
 *            the pattern of the Windows samples (a DPC and an ISR sharing
 *            a spin lock at device IRQL)
 *
 * Loading the module runs the benchmark and prints one line per method:
 *   plx8ch_handoff: <method> ns_per_handoff <median> min <min> max <max>
 *	runs <runs> handoffs <n> takes <median takes>
 * then stays loaded doing nothing until it is removed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>

static unsigned int handoffs = 1000000;
module_param(handoffs, uint, 0444);
MODULE_PARM_DESC(handoffs, "handoffs per run (default 1000000)");

static unsigned int runs = 5;
module_param(runs, uint, 0444);
MODULE_PARM_DESC(runs, "runs per method (default 5, at most 32)");

enum method { ATOMIC, SPINLOCK };

/**
 * struct handoff - one run
 * @method: ATOMIC or SPINLOCK
 * @word: the pending word, for ATOMIC
 * @plain: the pending word, for SPINLOCK; guarded by @lock
 * @lock: guards @plain
 * @go: both threads start together
 * @ready: threads ready to start
 * @done: signalled by each thread at its end
 * @produced: set by the producer when it has published every bit
 * @taken: bits the consumer took (bits repeat every 64 handoffs, so
 *	publications of a bit not yet taken merge)
 * @takes: takes that found bits
 */
struct handoff {
	enum method method;
	atomic64_t word;
	u64 plain;
	spinlock_t lock;		/* guards @plain */
	atomic_t go, ready;
	struct completion done;
	bool produced;
	u64 taken, takes;
};

/*
 * The kernels under test need not be preemptible: every loop gives the
 * CPU up now and then, or the loader, which may share a CPU with one of
 * the threads, would never run.
 */
static void wait_go(struct handoff *h)
{
	atomic_inc(&h->ready);
	while (!atomic_read(&h->go))
		cond_resched();
}

static int producer(void *arg)
{
	struct handoff *h = arg;
	unsigned long flags;
	unsigned int i;

	wait_go(h);
	for (i = 0; i < handoffs; i++) {
		u64 bit = BIT_ULL(i % 64);

		if (!(i % 4096))
			cond_resched();
		if (h->method == ATOMIC) {
			atomic64_or(bit, &h->word);
		} else {
			spin_lock_irqsave(&h->lock, flags);
			h->plain |= bit;
			spin_unlock_irqrestore(&h->lock, flags);
		}
	}
	/* Pairs with the consumer's acquire: every publication is before. */
	smp_store_release(&h->produced, true);
	complete(&h->done);
	return 0;
}

static u64 take(struct handoff *h)
{
	unsigned long flags;
	u64 v;

	if (h->method == ATOMIC)
		return atomic64_xchg(&h->word, 0);
	spin_lock_irqsave(&h->lock, flags);
	v = h->plain;
	h->plain = 0;
	spin_unlock_irqrestore(&h->lock, flags);
	return v;
}

static int consumer(void *arg)
{
	struct handoff *h = arg;
	unsigned int i = 0;
	bool last = false;
	u64 v;

	wait_go(h);
	/* One more take after the producer's end: nothing may be left. */
	while (!last) {
		if (!(++i % 4096))
			cond_resched();
		/* Pairs with the producer's release. */
		last = smp_load_acquire(&h->produced);
		v = take(h);
		if (v) {
			h->taken += hweight64(v);
			h->takes++;
		}
	}
	complete(&h->done);
	return 0;
}

/* One run of @method; ns per handoff, or negative on error. */
static s64 run_once(enum method method, u64 *takes)
{
	struct handoff *h;
	struct task_struct *p, *c;
	ktime_t t0;
	s64 ns;

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->method = method;
	spin_lock_init(&h->lock);
	init_completion(&h->done);
	p = kthread_create(producer, h, "plx8ch_hoff_p");
	c = kthread_create(consumer, h, "plx8ch_hoff_c");
	if (IS_ERR(p) || IS_ERR(c)) {
		/* Never woken, so never started: stop them unrun. */
		if (!IS_ERR(p))
			kthread_stop(p);
		if (!IS_ERR(c))
			kthread_stop(c);
		kfree(h);
		return -ENOMEM;
	}
	kthread_bind(p, 0);
	kthread_bind(c, 1);
	wake_up_process(p);
	wake_up_process(c);
	while (atomic_read(&h->ready) < 2)
		usleep_range(1000, 2000);
	t0 = ktime_get();
	atomic_set(&h->go, 1);
	wait_for_completion(&h->done);
	wait_for_completion(&h->done);
	ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	/* Every bit published was taken: nothing is left behind. */
	if (atomic64_read(&h->word) || h->plain || !h->takes)
		ns = -EIO;
	*takes = h->takes;
	kfree(h);
	return ns < 0 ? ns : ns * 1000 / handoffs;	/* ps: kept exact */
}

static int cmp_s64(const void *a, const void *b)
{
	s64 x = *(const s64 *)a, y = *(const s64 *)b;

	return x < y ? -1 : x > y;
}

static int bench(enum method method, const char *name)
{
	s64 ps[32];
	u64 takes[32];
	unsigned int i;

	for (i = 0; i < runs; i++) {
		ps[i] = run_once(method, &takes[i]);
		if (ps[i] < 0)
			return ps[i];
	}
	sort(ps, runs, sizeof(ps[0]), cmp_s64, NULL);
	sort(takes, runs, sizeof(takes[0]), cmp_s64, NULL);
	pr_info("%s ns_per_handoff %lld.%03lld min %lld.%03lld max %lld.%03lld runs %u handoffs %u takes %llu\n",
		name, ps[runs / 2] / 1000, ps[runs / 2] % 1000,
		ps[0] / 1000, ps[0] % 1000, ps[runs - 1] / 1000,
		ps[runs - 1] % 1000, runs, handoffs, takes[runs / 2]);
	return 0;
}

static int __init plx8ch_handoff_init(void)
{
	int ret;

	if (num_online_cpus() < 2 || !cpu_online(0) || !cpu_online(1))
		return -ENODEV;
	if (!runs || runs > 32 || !handoffs)
		return -EINVAL;
	ret = bench(ATOMIC, "atomic");
	if (!ret)
		ret = bench(SPINLOCK, "spinlock");
	return ret;
}

static void __exit plx8ch_handoff_exit(void)
{
}

module_init(plx8ch_handoff_init);
module_exit(plx8ch_handoff_exit);
MODULE_DESCRIPTION("plx8ch test: cost of the top-half to thread handoff");
MODULE_LICENSE("GPL");
