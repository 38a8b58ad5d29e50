/* oidmap.c — see oidmap.h. */
#include "linkgate/oidmap.h"

void lg_oidmap_init(struct lg_oidmap *m)
{
	memset(m, 0, sizeof(*m));
}

void lg_oidmap_release(struct lg_oidmap *m)
{
	free(m->keys);
	free(m->vals);
	free(m->used);
	lg_oidmap_init(m);
}

static size_t slot_of(const git_oid *id, size_t cap)
{
	uint64_t h;

	memcpy(&h, id->id, sizeof(h));
	return (size_t)h & (cap - 1);
}

static bool find(const struct lg_oidmap *m, const git_oid *id, size_t *slot)
{
	size_t i = slot_of(id, m->cap);

	while (m->used[i]) {
		if (!git_oid_cmp(&m->keys[i], id)) {
			*slot = i;
			return true;
		}
		i = (i + 1) & (m->cap - 1);
	}
	*slot = i;
	return false;
}

bool lg_oidmap_get(const struct lg_oidmap *m, const git_oid *id, size_t *val)
{
	size_t slot;

	if (!m->cap || !find(m, id, &slot))
		return false;
	*val = m->vals[slot];
	return true;
}

static void rehash(struct lg_oidmap *m, size_t cap)
{
	struct lg_oidmap n;
	size_t i, slot;

	n.cap = cap;
	n.n = m->n;
	n.keys = lg_xcalloc(cap, sizeof(*n.keys));
	n.vals = lg_xcalloc(cap, sizeof(*n.vals));
	n.used = lg_xcalloc(cap, 1);
	for (i = 0; i < m->cap; i++) {
		if (!m->used[i])
			continue;
		find(&n, &m->keys[i], &slot);
		n.keys[slot] = m->keys[i];
		n.vals[slot] = m->vals[i];
		n.used[slot] = 1;
	}
	lg_oidmap_release(m);
	*m = n;
}

void lg_oidmap_put(struct lg_oidmap *m, const git_oid *id, size_t val)
{
	size_t slot;

	if ((m->n + 1) * 2 > m->cap)
		rehash(m, m->cap ? m->cap * 2 : 64);
	if (!find(m, id, &slot)) {
		m->keys[slot] = *id;
		m->used[slot] = 1;
		m->n++;
	}
	m->vals[slot] = val;
}

void lg_oidmap_clear(struct lg_oidmap *m)
{
	if (m->cap)
		memset(m->used, 0, m->cap);
	m->n = 0;
}
