// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch-mon: watch plx8ch channels and print one line per record.
 *
 *   plx8ch-mon [--count N] [--timeout SEC] [--json] [NODE...]
 *
 * NODE is a path (/dev/plx8ch3, a by-path name) or a node number (3); the
 * default is every /dev/plx8ch* node. The channels of one card are read
 * through one channel group, one read() per wake-up; a card with one
 * channel watched is read through its node. Each open file gets every
 * event of its channels, so watching never takes events away from
 * another program.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/plx8ch.h>

#include "plx8ch-tools.h"

#define MAX_NODES	256

struct node {
	char name[NAME_MAX + 1];	/* plx8chN, the kernel's name */
	int fd;
	struct plx8ch_info info;
	uint64_t last_seqno;
};

/* What epoll watches: a node, or a group of one card's nodes. */
struct source {
	int fd;
	const char *card;			/* its PCI address */
	struct node *ch[PLX8CH_CHANNELS];	/* by channel; NULL: not read */
};

static struct node nodes[MAX_NODES];
static int nnodes;
static struct source sources[MAX_NODES];
static int nsources;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: plx8ch-mon [--count N] [--timeout SEC] [--json] [NODE...]\n"
		"  NODE      /dev/plx8chN, a /dev/plx8ch/by-path name, or N;\n"
		"            default: every /dev/plx8ch* node\n"
		"  --count   stop after N records\n"
		"  --timeout stop after SEC seconds (default: never)\n"
		"  --json    one JSON object per line\n");
}

static int add_node(const char *arg)
{
	char path[PATH_MAX], real[PATH_MAX];
	struct node *n;
	const char *base;
	char *end;
	long num;
	int i;

	if (nnodes == MAX_NODES) {
		fprintf(stderr, "plx8ch-mon: too many nodes\n");
		return -1;
	}
	n = &nodes[nnodes];
	num = strtol(arg, &end, 10);
	if (*arg && !*end && num >= 0)
		snprintf(path, sizeof(path), "/dev/plx8ch%ld", num);
	else
		snprintf(path, sizeof(path), "%s", arg);
	n->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (n->fd < 0) {
		fprintf(stderr, "plx8ch-mon: %s: %s%s\n", path, strerror(errno),
			errno == EACCES ? " (are you in the node's group?)" :
			errno == ENOENT ? " (is the plx8ch driver bound?)" : "");
		return -1;
	}
	if (ioctl(n->fd, PLX8CH_IOC_GET_INFO, &n->info)) {
		fprintf(stderr, "plx8ch-mon: %s: not a plx8ch node: %s\n",
			path, strerror(errno));
		close(n->fd);
		return -1;
	}
	base = realpath(path, real) ? strrchr(real, '/') + 1 : path;
	snprintf(n->name, sizeof(n->name), "%.*s", (int)sizeof(n->name) - 1,
		 base);
	for (i = 0; i < nnodes; i++) {
		if (!strcmp(nodes[i].info.bus_id, n->info.bus_id) &&
		    nodes[i].info.channel == n->info.channel) {
			close(n->fd);	/* named twice: watch it once */
			return 0;
		}
	}
	nnodes++;
	return 0;
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

/*
 * One source per card: a group of the card's watched nodes when there are
 * two or more, else the node itself. The group needs its nodes only to be
 * opened; they are closed once it is.
 */
static int make_sources(void)
{
	bool used[MAX_NODES] = { false };
	int i, j;

	for (i = 0; i < nnodes; i++) {
		struct plx8ch_group_request req;
		struct source *s;

		if (used[i])
			continue;
		s = &sources[nsources++];
		memset(s, 0, sizeof(*s));
		memset(&req, 0, sizeof(req));
		s->card = nodes[i].info.bus_id;
		for (j = i; j < nnodes; j++) {
			if (used[j] ||
			    strcmp(nodes[j].info.bus_id, nodes[i].info.bus_id))
				continue;
			used[j] = true;
			s->ch[nodes[j].info.channel] = &nodes[j];
			req.fds[req.nfds++] = nodes[j].fd;
		}
		if (req.nfds == 1) {
			s->fd = nodes[i].fd;
			continue;
		}
		if (ioctl(nodes[i].fd, PLX8CH_IOC_GET_GROUP, &req)) {
			fprintf(stderr, "plx8ch-mon: %s: channel group: %s\n",
				nodes[i].info.bus_id, strerror(errno));
			return -1;
		}
		s->fd = req.fd;
		for (j = 0; j < (int)req.nfds; j++)
			close(req.fds[j]);
	}
	return 0;
}

/* "key":"value", with the value quoted. */
static void json_string(const char *key, const char *v)
{
	printf("\"%s\":", key);
	json_quote(v);
	putchar(',');
}

static void print_record(struct node *n, const struct plx8ch_event *ev,
			 bool json)
{
	static const char *const causes[] = { "-", "RX", "TX", "RX|TX" };
	const char *name = causes[ev->status & 3];
	bool gap = n->last_seqno && ev->seqno - n->last_seqno != ev->count;

	if (json) {
		printf("{\"time_ns\":%" PRIu64 ",", (uint64_t)ev->timestamp_ns);
		json_string("node", n->name);
		json_string("card", n->info.bus_id);
		printf("\"channel\":%u,\"causes\":\"%s\",\"count\":%" PRIu64
		       ",\"seqno\":%" PRIu64 ",\"storm\":%s,\"reset\":%s}\n",
		       ev->channel, name, (uint64_t)ev->count,
		       (uint64_t)ev->seqno,
		       ev->flags & PLX8CH_EVF_STORM ? "true" : "false",
		       ev->flags & PLX8CH_EVF_RESET ? "true" : "false");
	} else {
		printf("%" PRIu64 ".%09" PRIu64 " %-9s ch%u %-5s count %-4" PRIu64 " seqno %" PRIu64 "%s%s%s\n",
		       (uint64_t)ev->timestamp_ns / 1000000000,
		       (uint64_t)ev->timestamp_ns % 1000000000, n->name,
		       ev->channel, name, (uint64_t)ev->count, (uint64_t)ev->seqno,
		       ev->flags & PLX8CH_EVF_STORM ? " STORM" : "",
		       ev->flags & PLX8CH_EVF_RESET ? " RESET(causes may be lost)" : "",
		       gap ? " GAP(driver bug)" : "");
	}
	n->last_seqno = ev->seqno;
}

static double elapsed(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec - start->tv_sec +
	       (now.tv_nsec - start->tv_nsec) / 1e9;
}

static bool parse_count(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return *s && !*end && !errno && *v >= 1;
}

static bool parse_seconds(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return *s && !*end && !errno && *v >= 0;
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
	long long count = -1, seen = 0;
	double timeout = -1;
	struct timespec start;
	int ep, i, opt, live;
	bool json = false;

	while ((opt = getopt_long(argc, argv, "c:t:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			if (!parse_count(optarg, &count)) {
				fprintf(stderr, "plx8ch-mon: --count wants a whole number from 1\n");
				return 2;
			}
			break;
		case 't':
			if (!parse_seconds(optarg, &timeout)) {
				fprintf(stderr, "plx8ch-mon: --timeout wants seconds, 0 or more\n");
				return 2;
			}
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
	if (optind == argc && add_all_nodes())
		return 1;
	for (i = optind; i < argc; i++)
		if (add_node(argv[i]))
			return 1;
	if (make_sources())
		return 1;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		perror("plx8ch-mon: epoll_create1");
		return 1;
	}
	for (i = 0; i < nsources; i++) {
		struct epoll_event e = { .events = EPOLLIN, .data.u32 = i };

		if (epoll_ctl(ep, EPOLL_CTL_ADD, sources[i].fd, &e)) {
			perror("plx8ch-mon: epoll_ctl");
			return 1;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &start);

	live = nsources;
	while (count < 0 || seen < count) {
		struct epoll_event evs[64];
		int ms = -1, n;

		if (!live) {
			fprintf(stderr, "plx8ch-mon: every card watched is gone\n");
			return 1;
		}
		if (timeout >= 0) {
			ms = (timeout - elapsed(&start)) * 1000;
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
			struct source *s = &sources[evs[i].data.u32];
			struct plx8ch_event ev[PLX8CH_CHANNELS];
			ssize_t got;
			int r;

			/* Records still held come first, then the end. */
			got = read(s->fd, ev, sizeof(ev));
			if (got < 0 && errno == ENODEV) {
				fprintf(stderr, "plx8ch-mon: %s: card removed\n",
					s->card);
				epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
				live--;
				continue;
			}
			for (r = 0; r < got / (ssize_t)sizeof(ev[0]) &&
			     (count < 0 || seen < count); r++) {
				struct node *nd = ev[r].channel < PLX8CH_CHANNELS ?
						  s->ch[ev[r].channel] : NULL;

				if (!nd)
					continue;
				print_record(nd, &ev[r], json);
				seen++;
			}
		}
	}
	return 0;
}
