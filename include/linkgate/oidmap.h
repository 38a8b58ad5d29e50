/*
 * oidmap.h — a hash map from git object id to a size_t value, for the
 * commit set (id → index) and the blob cache (id → slot). Open addressing;
 * keys are copied. Ids are uniformly distributed, so their first bytes are
 * the hash.
 */
#ifndef LINKGATE_OIDMAP_H
#define LINKGATE_OIDMAP_H

#include "linkgate/common.h"

#include <git2.h>

struct lg_oidmap {
	git_oid *keys;
	size_t *vals;
	unsigned char *used;
	size_t n;
	size_t cap;             /* a power of two, or 0 */
};

void lg_oidmap_init(struct lg_oidmap *m);
void lg_oidmap_release(struct lg_oidmap *m);
/* Returns true and sets *val if id is present. */
bool lg_oidmap_get(const struct lg_oidmap *m, const git_oid *id, size_t *val);
/* Inserts or replaces. */
void lg_oidmap_put(struct lg_oidmap *m, const git_oid *id, size_t val);
/* Empties the map, keeping its storage. */
void lg_oidmap_clear(struct lg_oidmap *m);

#endif
