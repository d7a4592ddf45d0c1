// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the user tools, run as a user runs them: plx8ch-mon (--count,
 * --timeout, --json, a group per card, node names, its errors, the end of
 * every card it watches) and plx8ch-info (the table, --json, a user who
 * is not root). JSON is checked by jq, a real parser. Causes come through
 * the driver (PLX8CH_IOC_INJECT), as on a real card.
 *
 * PLX8CH_TOOLS names the directory of the tools (default: the current
 * one); jq must be on PATH.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/plx8ch.h>

#include "../../kselftest_harness.h"
#include "plx8ch_bound.h"

#define NOBODY		65534
#define TOOL_WAIT_MS	30000

struct run {
	pid_t pid;
	char out[64];			/* its stdout and stderr, in files */
	char err[64];
	int status;
};

static const char *tool(const char *name, char *buf, size_t size)
{
	const char *dir = getenv("PLX8CH_TOOLS");

	snprintf(buf, size, "%s/%s", dir ? dir : ".", name);
	return buf;
}

/* Start argv (argv[0] is looked up in PLX8CH_TOOLS unless "jq"). */
static bool start(struct run *r, char *const argv[], uid_t uid)
{
	int fd;

	strcpy(r->out, "/tmp/plx8ch-tool-out.XXXXXX");
	strcpy(r->err, "/tmp/plx8ch-tool-err.XXXXXX");
	fd = mkstemp(r->out);
	if (fd < 0)
		return false;
	close(fd);
	fd = mkstemp(r->err);
	if (fd < 0)
		return false;
	close(fd);
	r->pid = fork();
	if (r->pid < 0)
		return false;
	if (!r->pid) {
		char path[PATH_MAX];

		if (!freopen(r->out, "w", stdout) ||
		    !freopen(r->err, "w", stderr))
			_exit(126);
		if (uid && (setgid(uid) || setuid(uid)))
			_exit(126);
		if (!strcmp(argv[0], "jq"))
			execvp("jq", argv);
		else
			execv(tool(argv[0], path, sizeof(path)), argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return true;
}

/* Wait for it to end, at most ms; kill it if it does not. */
static bool finish(struct run *r, int ms)
{
	for (; ms > 0; ms -= 10) {
		if (waitpid(r->pid, &r->status, WNOHANG) == r->pid)
			return true;
		usleep(10000);
	}
	kill(r->pid, SIGKILL);
	waitpid(r->pid, &r->status, 0);
	return false;
}

static int exit_code(const struct run *r)
{
	return WIFEXITED(r->status) ? WEXITSTATUS(r->status) : -1;
}

static int count_lines(const char *path)
{
	FILE *f = fopen(path, "re");
	int c, n = 0;

	if (!f)
		return -1;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static bool file_has(const char *path, const char *text)
{
	char buf[4096];

	return !read_file(path, buf, sizeof(buf)) && strstr(buf, text);
}

static void done(struct run *r)
{
	unlink(r->out);
	unlink(r->err);
}

/* jq -e FILTER over FILE (its lines slurped into one array with -s). */
static bool jq(const char *filter, const char *file, bool slurp)
{
	char *argv[] = { "jq", "-e", slurp ? "-s" : "-n", (char *)filter,
			 (char *)file, NULL };
	struct run r;
	bool ok;

	if (!start(&r, argv, 0))
		return false;
	ok = finish(&r, TOOL_WAIT_MS) && exit_code(&r) == 0;
	if (!ok) {
		char buf[2048] = "";

		read_file(r.err, buf, sizeof(buf));
		fprintf(stderr, "# jq '%s' failed: %s\n", filter, buf);
		read_file(file, buf, sizeof(buf));
		fprintf(stderr, "# on: %s\n", buf);
	}
	done(&r);
	return ok;
}

/* Whether process pid holds an open file of /dev/plx8ch<node>. */
/* The first of pid's files (fds 0 to 63) whose link is link, or -1. */
static int fd_of(pid_t pid, const char *link)
{
	char path[64], got[PATH_MAX];
	int fd;

	for (fd = 0; fd < 64; fd++) {
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fd);
		n = readlink(path, got, sizeof(got) - 1);
		if (n <= 0)
			continue;
		got[n] = 0;
		if (!strcmp(got, link))
			return fd;
	}
	return -1;
}

static bool holds_node(pid_t pid, unsigned int node)
{
	char want[64];

	snprintf(want, sizeof(want), "/dev/plx8ch%u", node);
	return fd_of(pid, want) >= 0;
}

/*
 * Wait until pid holds /dev/plx8ch<node>. The driver counts a reader in its
 * open(), before the kernel puts the file in the process's table, so a
 * reader count alone may come first. Once it has, the file follows soon.
 */
static bool wait_holds(pid_t pid, unsigned int node, int ms)
{
	for (; ms > 0; ms -= 10) {
		if (holds_node(pid, node))
			return true;
		usleep(10000);
	}
	return false;
}

/*
 * Wait until pid's epoll instance watches a file: the tool has set up and
 * is watching. Before that, a card that goes fails its setup instead.
 */
static bool wait_watching(pid_t pid, int ms)
{
	char path[64], line[256];
	bool found = false;
	int fd;
	FILE *f;

	for (; ms > 0 && !found; ms -= 10) {
		fd = fd_of(pid, "anon_inode:[eventpoll]");
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", pid, fd);
		f = fd < 0 ? NULL : fopen(path, "r");
		while (f && !found && fgets(line, sizeof(line), f))
			found = !strncmp(line, "tfd:", 4);
		if (f)
			fclose(f);
		if (!found)
			usleep(10000);
	}
	return found;
}

/*
 * Wait until channels 0 to n - 1 each have two readers (the test's node
 * and one more) while pid holds none of their nodes: pid reads them
 * through a group.
 */
static bool wait_group(struct card *c, pid_t pid, int n)
{
	int ms, ch;

	for (ms = 0; ms < TOOL_WAIT_MS; ms += 10) {
		for (ch = 0; ch < n; ch++)
			if (node_readers(c, ch) != 2 ||
			    holds_node(pid, c->index * PLX8CH_CHANNELS + ch))
				break;
		if (ch == n)
			return true;
		usleep(10000);
	}
	return false;
}

FIXTURE(tools) {
	struct card cards[MAX_CARDS];
	int ncards;
	struct card *c;
	int fds[PLX8CH_CHANNELS];	/* the test's own nodes, to inject */
};

FIXTURE_SETUP(tools)
{
	int ch;

	self->ncards = find_cards(self->cards, MAX_CARDS);
	ASSERT_LT(0, self->ncards) TH_LOG("no card bound to plx8ch");
	self->c = &self->cards[0];
	for (ch = 0; ch < PLX8CH_CHANNELS; ch++) {
		self->fds[ch] = open_node(self->c, ch, O_NONBLOCK);
		ASSERT_LE(0, self->fds[ch]);
	}
}

FIXTURE_TEARDOWN(tools)
{
	int ch;

	for (ch = 0; ch < PLX8CH_CHANNELS; ch++)
		if (self->fds[ch] >= 0)
			close(self->fds[ch]);
}

static void node_arg(struct card *c, int ch, char *buf, size_t size)
{
	snprintf(buf, size, "%u", c->index * PLX8CH_CHANNELS + ch);
}

/*
 * --count: three records of one channel, one injected after each line,
 * then the tool stops by itself. Its one file is a node's.
 */
TEST_F(tools, mon_count_on_one_node)
{
	char n0[16];
	char *argv[] = { "plx8ch-mon", "--count", "3", n0, NULL };
	struct run r;
	int i;

	node_arg(self->c, 0, n0, sizeof(n0));
	ASSERT_TRUE(start(&r, argv, 0));
	ASSERT_TRUE(wait_readers(self->c, 0, 2, TOOL_WAIT_MS));
	EXPECT_TRUE(wait_holds(r.pid, self->c->index * PLX8CH_CHANNELS, 5000));
	for (i = 0; i < 3; i++) {
		int ms;

		ASSERT_TRUE(inject(self->fds[0], PLX8CH_EV_RX));
		for (ms = 0; ms < TOOL_WAIT_MS && count_lines(r.out) <= i; ms += 10)
			usleep(10000);
	}
	ASSERT_TRUE(finish(&r, TOOL_WAIT_MS)) TH_LOG("still running after 3 records");
	EXPECT_EQ(0, exit_code(&r));
	EXPECT_EQ(3, count_lines(r.out));
	EXPECT_TRUE(file_has(r.out, " ch0 RX "));
	done(&r);
}

/*
 * --json through a group: four channels of one card, one cause each,
 * raised before the tool reads, so one group read returns them all. Each
 * line parses, and carries what was raised.
 */
TEST_F(tools, mon_json_reads_a_card_through_one_group)
{
	char a[4][16];
	char *argv[] = { "plx8ch-mon", "--json", "--count", "4",
			 a[0], a[1], a[2], a[3], NULL };
	char filter[1024];
	uint32_t causes[] = { PLX8CH_EV_RX, PLX8CH_EV_TX,
			      PLX8CH_EV_RX | PLX8CH_EV_TX, PLX8CH_EV_RX };
	struct run r;
	int ch;

	for (ch = 0; ch < 4; ch++)
		node_arg(self->c, ch, a[ch], sizeof(a[ch]));
	ASSERT_TRUE(start(&r, argv, 0));
	/*
	 * A group, not four nodes: each channel has a second reader while
	 * the tool holds none of their nodes (it opens them, makes the
	 * group, and closes them).
	 */
	ASSERT_TRUE(wait_group(self->c, r.pid, 4));
	kill(r.pid, SIGSTOP);
	for (ch = 0; ch < 4; ch++)
		ASSERT_TRUE(inject(self->fds[ch], causes[ch]));
	usleep(200000);
	kill(r.pid, SIGCONT);
	ASSERT_TRUE(finish(&r, TOOL_WAIT_MS));
	EXPECT_EQ(0, exit_code(&r));
	EXPECT_EQ(4, count_lines(r.out));
	snprintf(filter, sizeof(filter),
		 "length == 4 and all(.[]; (.time_ns | type) == \"number\" and "
		 "(.node | test(\"^plx8ch[0-9]+$\")) and .card == \"%s\" and "
		 ".count == 1 and (.seqno | type) == \"number\" and "
		 ".storm == false and .reset == false) and "
		 "(map({(.channel | tostring): .causes}) | add) == "
		 "{\"0\": \"RX\", \"1\": \"TX\", \"2\": \"RX|TX\", \"3\": \"RX\"}",
		 self->c->bdf);
	EXPECT_TRUE(jq(filter, r.out, true));
	done(&r);
}

/* A stable name works as a node and prints as the kernel's node name. */
TEST_F(tools, mon_takes_a_by_path_name)
{
	char link[PATH_MAX], want[64];
	char *argv[] = { "plx8ch-mon", "--count", "1", link, NULL };
	struct run r;

	snprintf(link, sizeof(link), "/dev/plx8ch/by-path/%s/ch5", self->c->bdf);
	if (access(link, F_OK))
		SKIP(return, "no by-path link: the udev rules are not applied");
	ASSERT_TRUE(start(&r, argv, 0));
	ASSERT_TRUE(wait_readers(self->c, 5, 2, TOOL_WAIT_MS));
	ASSERT_TRUE(inject(self->fds[5], PLX8CH_EV_TX));
	ASSERT_TRUE(finish(&r, TOOL_WAIT_MS));
	EXPECT_EQ(0, exit_code(&r));
	snprintf(want, sizeof(want), " plx8ch%u ",
		 self->c->index * PLX8CH_CHANNELS + 5);
	EXPECT_TRUE(file_has(r.out, want));
	done(&r);
}

/* --timeout with nothing raised: nothing printed, a clean end. */
TEST_F(tools, mon_timeout_ends_quietly)
{
	char n0[16];
	char *argv[] = { "plx8ch-mon", "--timeout", "0.5", n0, NULL };
	uint64_t t0 = now_ns();
	struct run r;

	node_arg(self->c, 7, n0, sizeof(n0));
	ASSERT_TRUE(start(&r, argv, 0));
	ASSERT_TRUE(finish(&r, TOOL_WAIT_MS));
	EXPECT_EQ(0, exit_code(&r));
	EXPECT_EQ(0, count_lines(r.out));
	EXPECT_LE(500000000ull, now_ns() - t0);
	done(&r);
}

/* Errors: each a message and an exit code, never a hang. */
TEST_F(tools, mon_errors)
{
	static const struct {
		const char *args[4];
		uid_t uid;
		int code;
		const char *says;
	} cases[] = {
		{ { "/dev/plx8ch999" }, 0, 1, "No such file" },
		{ { "/dev/null" }, 0, 1, "not a plx8ch node" },
		{ { "--count", "0", "0" }, 0, 2, "--count" },
		{ { "--timeout", "soon", "0" }, 0, 2, "--timeout" },
		{ { "--bogus" }, 0, 2, "usage" },
		{ { "0" }, NOBODY, 1, "Permission denied" },
	};
	struct stat st;
	unsigned int i;

	/* The node root-only, as without the udev rules' group. */
	ASSERT_EQ(0, stat("/dev/plx8ch0", &st));
	ASSERT_EQ(0, chmod("/dev/plx8ch0", 0600));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *argv[6] = { "plx8ch-mon" };
		struct run r;
		int a;

		for (a = 0; a < 4 && cases[i].args[a]; a++)
			argv[a + 1] = (char *)cases[i].args[a];
		ASSERT_TRUE(start(&r, argv, cases[i].uid));
		ASSERT_TRUE(finish(&r, TOOL_WAIT_MS)) TH_LOG("case %u hangs", i);
		EXPECT_EQ(cases[i].code, exit_code(&r)) TH_LOG("case %u", i);
		EXPECT_TRUE(file_has(r.err, cases[i].says))
			TH_LOG("case %u: no \"%s\" on stderr", i, cases[i].says);
		done(&r);
	}
	chmod("/dev/plx8ch0", st.st_mode & 07777);
}

/* When every card it watches goes, it says so and ends. */
TEST_F(tools, mon_ends_when_its_cards_go)
{
	char n0[16];
	char *argv[] = { "plx8ch-mon", n0, NULL };
	struct run r;
	int ch;

	node_arg(self->c, 1, n0, sizeof(n0));
	ASSERT_TRUE(start(&r, argv, 0));
	ASSERT_TRUE(wait_readers(self->c, 1, 2, TOOL_WAIT_MS));
	ASSERT_TRUE(wait_watching(r.pid, 5000));
	for (ch = 0; ch < PLX8CH_CHANNELS; ch++) {
		close(self->fds[ch]);
		self->fds[ch] = -1;
	}
	ASSERT_EQ(0, write_file(PLX8CH_DRV "/unbind", self->c->bdf));
	EXPECT_TRUE(finish(&r, TOOL_WAIT_MS));
	EXPECT_EQ(1, exit_code(&r));
	EXPECT_TRUE(file_has(r.err, "every card watched is gone"));
	done(&r);
	ASSERT_EQ(0, write_file(PLX8CH_DRV "/bind", self->c->bdf));
	ASSERT_TRUE(card_bound(self->c->bdf));
}

/*
 * plx8ch-info --json, as root and as a user who is not: every card bound,
 * eight channels each, the counts sysfs has, the reader the test holds.
 */
TEST_F(tools, info_json_matches_sysfs)
{
	char *argv[] = { "plx8ch-info", "--json", NULL };
	char filter[8192], byp[PATH_MAX], bypath[PATH_MAX + 8], dir[64];
	uid_t uids[] = { 0, NOBODY };
	unsigned int u;
	long events;
	int i;

	/* Three events, one reader: counts that differ, so none stands in. */
	for (i = 0; i < 3; i++) {
		ASSERT_TRUE(inject(self->fds[3], PLX8CH_EV_TX));
		usleep(100000);
	}
	snprintf(dir, sizeof(dir), "/sys/class/plx8ch/plx8ch%u",
		 self->c->index * PLX8CH_CHANNELS + 3);
	events = sysfs_long(dir, "events");
	ASSERT_EQ(3, events);
	/* With the udev rules applied, the stable name; else null. */
	snprintf(byp, sizeof(byp), "/dev/plx8ch/by-path/%s/ch3", self->c->bdf);
	if (access(byp, F_OK))
		snprintf(bypath, sizeof(bypath), "null");
	else
		snprintf(bypath, sizeof(bypath), "\"%s\"", byp);
	snprintf(filter, sizeof(filter),
		 "input | (.cards | length) == %d and "
		 "all(.cards[]; (.channels | length) == 8 and "
		 "(.irq | type) == \"number\" and (.hardirqs | type) == \"number\") and "
		 "(.cards[] | select(.pci_address == \"%s\") | "
		 ".card == %u and .channels[3].node == \"plx8ch%u\" and "
		 ".channels[3].readers == 1 and .channels[3].events == %ld and "
		 ".channels[3].by_path == %s and .channels[3].storm == false)",
		 self->ncards, self->c->bdf, self->c->index,
		 self->c->index * PLX8CH_CHANNELS + 3, events, bypath);
	for (u = 0; u < ARRAY_SIZE(uids); u++) {
		struct run r;

		ASSERT_TRUE(start(&r, argv, uids[u]));
		ASSERT_TRUE(finish(&r, TOOL_WAIT_MS));
		EXPECT_EQ(0, exit_code(&r)) TH_LOG("uid %u", uids[u]);
		EXPECT_TRUE(jq(filter, r.out, false)) TH_LOG("uid %u", uids[u]);
		done(&r);
	}
}

/* The table names each card and node; an unknown card is an error. */
TEST_F(tools, info_table_and_errors)
{
	char idx[16], want[320];
	char *argv[] = { "plx8ch-info", idx, NULL };
	char *bad[] = { "plx8ch-info", "99", NULL };
	struct run r;

	snprintf(idx, sizeof(idx), "%u", self->c->index);
	ASSERT_TRUE(start(&r, argv, 0));
	ASSERT_TRUE(finish(&r, TOOL_WAIT_MS));
	EXPECT_EQ(0, exit_code(&r));
	snprintf(want, sizeof(want), "card %u  %s  IRQ ", self->c->index,
		 self->c->bdf);
	EXPECT_TRUE(file_has(r.out, want));
	snprintf(want, sizeof(want), "plx8ch%u ",
		 self->c->index * PLX8CH_CHANNELS + 7);
	EXPECT_TRUE(file_has(r.out, want));
	EXPECT_EQ(1 + 2 + 1 + PLX8CH_CHANNELS, count_lines(r.out));
	done(&r);

	ASSERT_TRUE(start(&r, bad, 0));
	ASSERT_TRUE(finish(&r, TOOL_WAIT_MS));
	EXPECT_EQ(1, exit_code(&r));
	EXPECT_TRUE(file_has(r.err, "no such card"));
	done(&r);
}

TEST_HARNESS_MAIN
