// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch-mon: watch plx8ch channels and print one line per record.
 *
 *   plx8ch-mon [--count N] [--timeout SEC] [--json] [NODE...]
 *
 * NODE is a path (/dev/plx8ch3) or a node number (3); the default is every
 * /dev/plx8ch* node. Each open file gets every event of its channel, so
 * watching never takes events away from another program.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <linux/plx8ch.h>

#define MAX_NODES	256

struct node {
	char path[64];
	int fd;
	uint64_t last_seqno;
};

static struct node nodes[MAX_NODES];
static int nnodes;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: plx8ch-mon [--count N] [--timeout SEC] [--json] [NODE...]\n"
		"  NODE      /dev/plx8chN or N; default: every /dev/plx8ch* node\n"
		"  --count   stop after N records\n"
		"  --timeout stop after SEC seconds (default: never)\n"
		"  --json    one JSON object per line\n");
}

static int add_node(const char *arg)
{
	struct node *n;
	char *end;
	long num;

	if (nnodes == MAX_NODES) {
		fprintf(stderr, "plx8ch-mon: too many nodes\n");
		return -1;
	}
	n = &nodes[nnodes];
	num = strtol(arg, &end, 10);
	if (*arg && !*end && num >= 0)
		snprintf(n->path, sizeof(n->path), "/dev/plx8ch%ld", num);
	else
		snprintf(n->path, sizeof(n->path), "%s", arg);
	n->fd = open(n->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (n->fd < 0) {
		fprintf(stderr, "plx8ch-mon: %s: %s%s\n", n->path,
			strerror(errno),
			errno == EACCES ? " (are you in the node's group?)" :
			errno == ENOENT ? " (is the plx8ch driver bound?)" : "");
		return -1;
	}
	nnodes++;
	return 0;
}

static int by_number(const struct dirent **a, const struct dirent **b)
{
	return atoi((*a)->d_name + 6) - atoi((*b)->d_name + 6);
}

static int is_node(const struct dirent *d)
{
	return !strncmp(d->d_name, "plx8ch", 6) && d->d_name[6] >= '0' &&
	       d->d_name[6] <= '9';
}

static int add_all_nodes(void)
{
	struct dirent **list;
	int i, n, ret = 0;

	n = scandir("/dev", &list, is_node, by_number);
	if (n <= 0) {
		fprintf(stderr, "plx8ch-mon: no /dev/plx8ch* node (is the plx8ch driver bound?)\n");
		return -1;
	}
	for (i = 0; i < n; i++) {
		char path[300];

		snprintf(path, sizeof(path), "/dev/%s", list[i]->d_name);
		if (!ret && add_node(path))
			ret = -1;
		free(list[i]);
	}
	free(list);
	return ret;
}

static void print_record(struct node *n, const struct plx8ch_event *ev,
			 bool json)
{
	const char *causes[] = { "-", "RX", "TX", "RX|TX" };
	const char *name = causes[ev->status & 3];
	const char *node = strrchr(n->path, '/') + 1;
	bool gap = n->last_seqno && ev->seqno - n->last_seqno != ev->count;

	if (json)
		printf("{\"time_ns\":%" PRIu64 ",\"node\":\"%s\",\"channel\":%u,"
		       "\"causes\":\"%s\",\"count\":%" PRIu64 ",\"seqno\":%" PRIu64
		       ",\"storm\":%s,\"reset\":%s}\n",
		       (uint64_t)ev->timestamp_ns, node, ev->channel, name,
		       (uint64_t)ev->count, (uint64_t)ev->seqno,
		       ev->flags & PLX8CH_EVF_STORM ? "true" : "false",
		       ev->flags & PLX8CH_EVF_RESET ? "true" : "false");
	else
		printf("%" PRIu64 ".%09" PRIu64 " %-9s ch%u %-5s count %-4" PRIu64 " seqno %" PRIu64 "%s%s%s\n",
		       (uint64_t)ev->timestamp_ns / 1000000000,
		       (uint64_t)ev->timestamp_ns % 1000000000, node,
		       ev->channel, name, (uint64_t)ev->count, (uint64_t)ev->seqno,
		       ev->flags & PLX8CH_EVF_STORM ? " STORM" : "",
		       ev->flags & PLX8CH_EVF_RESET ? " RESET(causes may be lost)" : "",
		       gap ? " GAP(driver bug)" : "");
	n->last_seqno = ev->seqno;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	long count = -1, seen = 0;
	double timeout = -1;
	struct timespec start, now;
	bool json = false;
	int ep, i, opt;

	while ((opt = getopt_long(argc, argv, "c:t:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			count = strtol(optarg, NULL, 0);
			break;
		case 't':
			timeout = strtod(optarg, NULL);
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind == argc) {
		if (add_all_nodes())
			return 1;
	}
	for (i = optind; i < argc; i++)
		if (add_node(argv[i]))
			return 1;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		perror("plx8ch-mon: epoll_create1");
		return 1;
	}
	for (i = 0; i < nnodes; i++) {
		struct epoll_event e = { .events = EPOLLIN, .data.u32 = i };

		if (epoll_ctl(ep, EPOLL_CTL_ADD, nodes[i].fd, &e)) {
			perror("plx8ch-mon: epoll_ctl");
			return 1;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &start);

	while (count < 0 || seen < count) {
		struct epoll_event evs[64];
		int ms = -1, n;

		if (timeout >= 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			ms = (timeout - (now.tv_sec - start.tv_sec) -
			      (now.tv_nsec - start.tv_nsec) / 1e9) * 1000;
			if (ms <= 0)
				break;
		}
		n = epoll_wait(ep, evs, 64, ms);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("plx8ch-mon: epoll_wait");
			return 1;
		}
		for (i = 0; i < n && (count < 0 || seen < count); i++) {
			struct node *nd = &nodes[evs[i].data.u32];
			struct plx8ch_event ev;

			if (evs[i].events & (EPOLLHUP | EPOLLERR)) {
				fprintf(stderr, "plx8ch-mon: %s: card removed\n",
					nd->path);
				epoll_ctl(ep, EPOLL_CTL_DEL, nd->fd, NULL);
				continue;
			}
			if (read(nd->fd, &ev, sizeof(ev)) != sizeof(ev))
				continue;
			print_record(nd, &ev, json);
			seen++;
		}
	}
	return 0;
}
