/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What plx8ch-mon and plx8ch-info both need: finding the channel nodes
 * by name, and quoting a name for JSON.
 */
#ifndef _PLX8CH_TOOLS_H
#define _PLX8CH_TOOLS_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* scandir() filter: a channel node's name, plx8ch<N>. */
static inline int is_node(const struct dirent *d)
{
	return !strncmp(d->d_name, "plx8ch", 6) && d->d_name[6] >= '0' &&
	       d->d_name[6] <= '9';
}

/* scandir() order: by node number. */
static inline int by_number(const struct dirent **a, const struct dirent **b)
{
	return atoi((*a)->d_name + 6) - atoi((*b)->d_name + 6);
}

/* @v as a JSON string: names come from paths, which may hold anything. */
static inline void json_quote(const char *v)
{
	putchar('"');
	for (; *v; v++) {
		unsigned char c = *v;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

#endif /* _PLX8CH_TOOLS_H */
