// SPDX-License-Identifier: GPL-2.0
/*
 * plx8ch-info: every plx8ch card and its channels, from sysfs.
 *
 *   plx8ch-info [--json] [CARD...]
 *
 * CARD is a PCI address (0000:03:00.0) or a card index (0); the default
 * is every card bound to the driver. It reads sysfs only: opening a node
 * would make the tool a reader and switch the channel's causes on.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plx8ch-tools.h"

#define DRIVER_DIR	"/sys/bus/pci/drivers/plx8ch"
#define CLASS_DIR	"/sys/class/plx8ch"
#define MAX_CARDS	64
#define CHANNELS	8

static const char *const card_counters[] = {
	"hardirqs", "spurious", "thread_runs", "enables_restored",
	"resets", "resumes", "recoveries",
};

static const char *const channel_counters[] = {
	"readers", "events", "records", "storms",
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define N_CARD		ARRAY_SIZE(card_counters)
#define N_CHAN		ARRAY_SIZE(channel_counters)

struct channel {
	char node[NAME_MAX + 1];		/* "" when the card has no node */
	char by_path[PATH_MAX];		/* "" without the udev rules */
	unsigned long long v[N_CHAN];
	int storm;
};

struct card {
	char addr[NAME_MAX + 1];
	unsigned int index;
	int irq;
	char hw_version[32];
	unsigned long long v[N_CARD];
	struct channel ch[CHANNELS];
};

static struct card cards[MAX_CARDS];
static int ncards;

/* The attribute's first line, or NULL if it cannot be read. */
static char *read_attr(const char *dir, const char *name, char *buf,
		       size_t size)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	if (!fgets(buf, size, f)) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

static int read_number(const char *dir, const char *name,
		       unsigned long long *v)
{
	char buf[64], *end;

	if (!read_attr(dir, name, buf, sizeof(buf)))
		return -1;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	return *buf && !*end && !errno ? 0 : -1;
}

static int is_card(const struct dirent *d)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), DRIVER_DIR "/%s/plx8ch_card", d->d_name);
	return access(path, F_OK) == 0;
}

static int load_card(struct card *c, const char *addr)
{
	char dir[PATH_MAX];
	unsigned long long v;
	size_t i;

	memset(c, 0, sizeof(*c));
	snprintf(c->addr, sizeof(c->addr), "%s", addr);
	snprintf(dir, sizeof(dir), DRIVER_DIR "/%s/plx8ch_card", addr);
	if (read_number(dir, "card", &v))
		return -1;
	c->index = v;
	if (!read_attr(dir, "hw_version", c->hw_version, sizeof(c->hw_version)))
		return -1;
	for (i = 0; i < N_CARD; i++)
		if (read_number(dir, card_counters[i], &c->v[i]))
			return -1;
	snprintf(dir, sizeof(dir), DRIVER_DIR "/%s", addr);
	c->irq = read_number(dir, "irq", &v) ? -1 : (int)v;
	return 0;
}

/* Each node of the class, placed on its card by pci_address. */
static void load_channels(void)
{
	struct dirent **list;
	int i, j, n;

	n = scandir(CLASS_DIR, &list, is_node, by_number);
	for (i = 0; i < n; i++) {
		char dir[PATH_MAX], addr[64], link[PATH_MAX];
		unsigned long long chan, storm;
		struct channel *ch = NULL;
		size_t k;

		snprintf(dir, sizeof(dir), CLASS_DIR "/%s", list[i]->d_name);
		if (read_attr(dir, "pci_address", addr, sizeof(addr)) &&
		    !read_number(dir, "channel", &chan) && chan < CHANNELS)
			for (j = 0; j < ncards; j++)
				if (!strcmp(cards[j].addr, addr))
					ch = &cards[j].ch[chan];
		if (ch) {
			snprintf(ch->node, sizeof(ch->node), "%s",
				 list[i]->d_name);
			for (k = 0; k < N_CHAN; k++)
				read_number(dir, channel_counters[k], &ch->v[k]);
			ch->storm = !read_number(dir, "storm", &storm) && storm;
			snprintf(link, sizeof(link),
				 "/dev/plx8ch/by-path/%s/ch%llu", addr, chan);
			if (!access(link, F_OK))
				snprintf(ch->by_path, sizeof(ch->by_path),
					 "%s", link);
		}
		free(list[i]);
	}
	if (n > 0)
		free(list);
}

static bool wanted(const struct card *c, int argc, char **argv)
{
	int i;

	if (!argc)
		return true;
	for (i = 0; i < argc; i++) {
		char *end;
		unsigned long idx = strtoul(argv[i], &end, 10);

		if (!strcmp(argv[i], c->addr) ||
		    (*argv[i] && !*end && idx == c->index))
			return true;
	}
	return false;
}

static void print_table(const struct card *c)
{
	int i;

	printf("card %u  %s  IRQ %d  hardware %s\n", c->index, c->addr,
	       c->irq, c->hw_version);
	printf("  hardirqs %llu  spurious %llu  thread runs %llu  enables restored %llu\n"
	       "  resets %llu  resumes %llu  recoveries %llu\n",
	       c->v[0], c->v[1], c->v[2], c->v[3], c->v[4], c->v[5], c->v[6]);
	printf("  %-9s %-7s %7s %10s %10s %-5s %6s  %s\n", "node", "channel",
	       "readers", "events", "records", "storm", "storms", "by-path");
	for (i = 0; i < CHANNELS; i++) {
		const struct channel *ch = &c->ch[i];

		if (!*ch->node)
			continue;
		printf("  %-9s %-7d %7llu %10llu %10llu %-5s %6llu  %s\n",
		       ch->node, i, ch->v[0], ch->v[1], ch->v[2],
		       ch->storm ? "yes" : "no", ch->v[3],
		       *ch->by_path ? ch->by_path : "-");
	}
}

static void print_json(const struct card *c, bool first)
{
	size_t k;
	int i;
	bool firstch = true;

	printf("%s{\"card\":%u,\"pci_address\":", first ? "" : ",", c->index);
	json_quote(c->addr);
	printf(",\"irq\":%d,\"hw_version\":", c->irq);
	json_quote(c->hw_version);
	for (k = 0; k < N_CARD; k++)
		printf(",\"%s\":%llu", card_counters[k], c->v[k]);
	printf(",\"channels\":[");
	for (i = 0; i < CHANNELS; i++) {
		const struct channel *ch = &c->ch[i];

		if (!*ch->node)
			continue;
		printf("%s{\"channel\":%d,\"node\":", firstch ? "" : ",", i);
		json_quote(ch->node);
		printf(",\"by_path\":");
		if (*ch->by_path)
			json_quote(ch->by_path);
		else
			printf("null");
		for (k = 0; k < N_CHAN; k++)
			printf(",\"%s\":%llu", channel_counters[k], ch->v[k]);
		printf(",\"storm\":%s}", ch->storm ? "true" : "false");
		firstch = false;
	}
	printf("]}");
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: plx8ch-info [--json] [CARD...]\n"
		"  CARD    a PCI address or a card index; default: every card\n"
		"  --json  one JSON object: {\"cards\": [...]}\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct dirent **list;
	bool json = false, first = true;
	int i, n, opt, shown = 0;

	while ((opt = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (opt) {
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
	n = scandir(DRIVER_DIR, &list, is_card, alphasort);
	if (n < 0) {
		fprintf(stderr, "plx8ch-info: %s: %s (is the plx8ch module loaded?)\n",
			DRIVER_DIR, strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++) {
		/* A card going away mid-read is left out, not half shown. */
		if (ncards < MAX_CARDS && !load_card(&cards[ncards], list[i]->d_name))
			ncards++;
		free(list[i]);
	}
	free(list);
	load_channels();

	if (json)
		printf("{\"cards\":[");
	for (i = 0; i < ncards; i++) {
		if (!wanted(&cards[i], argc - optind, argv + optind))
			continue;
		if (json)
			print_json(&cards[i], first);
		else
			print_table(&cards[i]);
		first = false;
		shown++;
	}
	if (json)
		printf("]}\n");
	if (argc > optind && !shown) {
		fprintf(stderr, "plx8ch-info: no such card\n");
		return 1;
	}
	if (!json && !ncards)
		printf("no plx8ch card\n");
	return 0;
}
