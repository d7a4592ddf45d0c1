// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch across kexec, two cards and QEMU's edu device on one line, with
 * kexec-tools, uio_pci_generic, and the kernel to kexec into, its initrd
 * and the driver's module named by PLX8CH_KEXEC_KERNEL,
 * PLX8CH_KEXEC_INITRD and PLX8CH_KO. The first kernel, with the driver bound, has a file
 * open on a channel and the card's generator raising its causes, then
 * kexecs into the same kernel; the driver's .shutdown must leave the card
 * quiet. The second kernel (PLX8CH_BOOT=2, driver not loaded) finds the
 * card's interrupt output off and no cause enabled or latched although
 * the generator still runs, gives the shared line to a driver that
 * claims only its own device's interrupts (uio_pci_generic on edu) and
 * sees no unclaimed interrupt on it, then loads the driver, which works.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../kselftest_harness.h"
#include "plx8ch_bound.h"

#define CARD_IDS	"0x10b5:0x9056"
#define GEN_MASK	(PLX8CH_EV_RX | PLX8CH_EV_TX)
#define CH		2

/* The first kernel: every card busy, then kexec into the same kernel. */
static void first_kernel(struct __test_metadata *_metadata)
{
	const char *kernel = getenv("PLX8CH_KEXEC_KERNEL");
	const char *initrd = getenv("PLX8CH_KEXEC_INITRD");
	char cmdline[2048], cmd[4096];
	struct card cards[MAX_CARDS];
	struct plx8ch_event ev;
	int i, n, fd;

	if (!kernel || !initrd || !getenv("PLX8CH_KO"))
		SKIP(return, "PLX8CH_KEXEC_KERNEL, _INITRD and PLX8CH_KO not all set");

	n = find_cards(cards, MAX_CARDS);
	if (!n)
		SKIP(return, "no card bound to plx8ch");
	for (i = 0; i < n; i++) {
		fd = open_node(&cards[i], CH, O_NONBLOCK);
		ASSERT_LE(0, fd);
		gen_start(&cards[i], chbit(CH, GEN_MASK), 0, 2, 0xffffffff, 200000);
		ASSERT_EQ(0, wait_read(fd, &ev, 5000));
	}
	ASSERT_EQ(0, read_file("/proc/cmdline", cmdline, sizeof(cmdline)));
	snprintf(cmd, sizeof(cmd),
		 "kexec -l %s --initrd=%s --command-line='%s plx8ch_boot=2'",
		 kernel, initrd, cmdline);
	ASSERT_EQ(0, system(cmd));
	ksft_print_msg("first kernel: kexec with channel %d open and its causes raised\n", CH);
	fflush(stdout);
	/* Returns only if kexec failed; the file stays open across. */
	system("kexec -e");
	ASSERT_TRUE(false) TH_LOG("kexec -e returned");
}

/* The second kernel: the card as the first one left it. */
static void second_kernel(struct __test_metadata *_metadata)
{
	uint32_t *bar0, *bar2, *bar3;
	char bdf[MAX_CARDS][256], ebdf[256], dir[300], cmd[512];
	struct card cards[MAX_CARDS];
	struct plx8ch_event ev;
	uint32_t latched;
	long irq, unhandled;
	int i, n, fd;

	n = find_pci(CARD_IDS, bdf, MAX_CARDS);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%.64s", bdf[i]);
		bar0 = map_resource(dir, 0);
		bar2 = map_resource(dir, 2);
		bar3 = map_resource(dir, 3);
		ASSERT_TRUE(bar0 && bar2 && bar3);
		EXPECT_EQ(1, rd(bar3, BAR3_GEN_STATUS) & 1)
			TH_LOG("%s: the generator should still raise causes", bdf[i]);
		EXPECT_EQ(0, rd(bar0, BAR0_INTCSR) & (INTCSR_PIE | INTCSR_LIE))
			TH_LOG("%s: the interrupt output was left on", bdf[i]);
		EXPECT_EQ(0, rd(bar2, BAR2_ENABLE(0)));
		EXPECT_EQ(0, rd(bar2, BAR2_ENABLE(1)));
		EXPECT_EQ(0, rd(bar2, BAR2_STATUS(0)) & CAUSES);
		latched = rd(bar3, BAR3_LATCHED(CH, 0)) + rd(bar3, BAR3_LATCHED(CH, 1));
		usleep(200000);
		EXPECT_EQ(latched, rd(bar3, BAR3_LATCHED(CH, 0)) +
				   rd(bar3, BAR3_LATCHED(CH, 1)))
			TH_LOG("%s: causes latch on a disabled channel", bdf[i]);
	}

	/*
	 * The shared line, claimed by edu's driver only: a card left
	 * asserting INTx would make it unhandled. (Under QEMU a level
	 * already asserted when the new kernel starts is not delivered at
	 * all, measured with the shutdown removed; the registers above are
	 * what catches that here.)
	 */
	ASSERT_NE(NULL, map_foreign(EDU_IDS, ebdf, sizeof(ebdf)));
	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", ebdf);
	irq = sysfs_long(dir, "irq");
	ASSERT_EQ(0, write_file("/sys/bus/pci/drivers/uio_pci_generic/new_id",
				"1234 11e8"));
	sleep(3);
	unhandled = irq_unhandled(irq);
	ASSERT_LE(0, unhandled) TH_LOG("edu's line %ld is not requested", irq);
	EXPECT_GT(100, unhandled);
	ksft_print_msg("second kernel: line %ld, %ld unhandled interrupts in 3 s\n",
		       irq, unhandled);

	/* And the driver starts afresh. */
	snprintf(cmd, sizeof(cmd), "insmod %s", getenv("PLX8CH_KO"));
	ASSERT_EQ(0, system(cmd));
	n = find_cards(cards, MAX_CARDS);
	ASSERT_LT(0, n);
	fd = open_node(&cards[0], CH, O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wait_read(fd, &ev, 5000));
	EXPECT_EQ(ev.count, ev.seqno);
	EXPECT_EQ(0, ev.flags);
	close(fd);
	for (i = 0; i < n; i++)
		wr(cards[i].bar3, BAR3_GEN_CTRL, 2);
}

TEST(quiet_across_kexec)
{
	if (getenv("PLX8CH_BOOT"))
		second_kernel(_metadata);
	else
		first_kernel(_metadata);
}

TEST_HARNESS_MAIN
