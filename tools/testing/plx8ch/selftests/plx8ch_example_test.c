// SPDX-License-Identifier: GPL-2.0
/*
 * The example program of Documentation/misc-devices/plx8ch.rst, built from
 * the document as it stands (PLX8CH_EXAMPLE names the binary), against the
 * driver: it prints the records of the causes injected on channel 0 and
 * ends by itself when the card is unbound. A program written from the
 * documentation alone works.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/plx8ch.h>

#include "../../kselftest_harness.h"
#include "plx8ch_bound.h"

TEST(documented_example)
{
	const char *prog = getenv("PLX8CH_EXAMPLE");
	struct card cards[MAX_CARDS], *c = &cards[0];
	unsigned int ch, status, all = 0;
	unsigned long long count, seqno, total = 0, last = 0;
	struct plx8ch_event ev;
	char out[4096], copy[4096], *line;
	int pipefd[2], fd, wstatus, i;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (!prog)
		SKIP(return, "PLX8CH_EXAMPLE names no example binary");
	ASSERT_EQ(0, access(prog, X_OK)) TH_LOG("%s: %s", prog, strerror(errno));
	ASSERT_LT(0, find_cards(cards, MAX_CARDS));
	ASSERT_EQ(0, c->index) TH_LOG("the example reads /dev/plx8ch0");

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		execl(prog, prog, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	ASSERT_TRUE(wait_readers(c, 0, 1, 5000)) TH_LOG("the example never opened its node");

	fd = open_node(c, 0, O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_TRUE(inject(fd, PLX8CH_EV_RX));
	ASSERT_EQ(0, wait_read(fd, &ev, 5000));
	ASSERT_TRUE(inject(fd, PLX8CH_EV_TX));
	ASSERT_EQ(0, wait_read(fd, &ev, 5000));
	usleep(200000);
	ASSERT_EQ(0, write_file(PLX8CH_DRV "/unbind", c->bdf));
	close(fd);

	/* It reads what it holds, sees the card gone and ends. */
	for (i = 0; i < 100 && waitpid(pid, &wstatus, WNOHANG) == 0; i++)
		usleep(100000);
	if (i == 100) {
		kill(pid, SIGKILL);
		waitpid(pid, &wstatus, 0);
	}
	while (len < sizeof(out) - 1 &&
	       (n = read(pipefd[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	out[len] = 0;
	memcpy(copy, out, len + 1);
	close(pipefd[0]);
	EXPECT_EQ(0, write_file(PLX8CH_DRV "/bind", c->bdf));

	EXPECT_LT(i, 100) TH_LOG("the example did not end when the card went");
	ASSERT_TRUE(WIFEXITED(wstatus));
	EXPECT_EQ(0, WEXITSTATUS(wstatus));
	for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		ASSERT_EQ(4, sscanf(line, "ch%u status %x count %llu seqno %llu",
				    &ch, &status, &count, &seqno))
			TH_LOG("unexpected output: %s", line);
		EXPECT_EQ(0, ch);
		if (last)
			EXPECT_EQ(last + count, seqno);
		last = seqno;
		total += count;
		all |= status;
	}
	EXPECT_EQ(2, total) TH_LOG("output: %s", copy);
	EXPECT_EQ(PLX8CH_EV_RX | PLX8CH_EV_TX, all);
}

TEST_HARNESS_MAIN
