/* treememo.c — see treememo.h. */
#include "linkgate/treememo.h"
#include "linkgate/oidmap.h"

struct memo_slot {
	git_oid id;
	git_tree *tree;         /* NULL: free */
	size_t bytes;           /* tree_bytes() */
};

struct lg_treememo {
	git_repository *repo;
	struct memo_slot v[LG_TREEMEMO_TREES];
	size_t next;            /* the slot to replace next: the oldest */
	size_t bytes;           /* of all kept trees */
	struct lg_oidmap index; /* id -> slot; a replaced id stays until the rebuild */
};

struct lg_treememo *lg_treememo_new(git_repository *repo)
{
	struct lg_treememo *m = lg_xcalloc(1, sizeof(*m));

	m->repo = repo;
	lg_oidmap_init(&m->index);
	return m;
}

void lg_treememo_free(struct lg_treememo *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < LG_TREEMEMO_TREES; i++)
		git_tree_free(m->v[i].tree);
	lg_oidmap_release(&m->index);
	free(m);
}

/* What a parsed tree holds in memory: libgit2 keeps the raw object (per
 * entry a mode, the name, a NUL and the id) and an entry array beside it.
 * Names are what can make a tree large: a name may be 64 KiB long. */
static size_t tree_bytes(const git_tree *tree)
{
	size_t n = git_tree_entrycount(tree), i, bytes = 0;

	for (i = 0; i < n; i++)
		bytes += strlen(git_tree_entry_name(git_tree_entry_byindex(tree, i))) + 64;
	return bytes;
}

/* Frees the oldest trees until size more bytes fit; leaves m->next at a
 * free slot. */
static void make_room(struct lg_treememo *m, size_t size)
{
	size_t i;

	for (i = 0; i < LG_TREEMEMO_TREES; i++) {
		struct memo_slot *e = &m->v[m->next];

		if (e->tree) {
			m->bytes -= e->bytes;
			git_tree_free(e->tree);
			e->tree = NULL;
		}
		if (m->bytes + size <= LG_TREEMEMO_BYTES)
			return;
		m->next = (m->next + 1) % LG_TREEMEMO_TREES;
	}
}

static void keep(struct lg_treememo *m, const git_oid *id, git_tree *tree)
{
	size_t size = tree_bytes(tree), i;
	struct memo_slot *e;

	if (size > LG_TREEMEMO_BYTES / 4)
		return;
	make_room(m, size);
	e = &m->v[m->next];
	if (git_tree_dup(&e->tree, tree) < 0) {
		e->tree = NULL;
		git_error_clear();
		return; /* only not kept */
	}
	e->id = *id;
	e->bytes = size;
	m->bytes += size;
	if (m->index.n >= 4 * LG_TREEMEMO_TREES) {
		/* Drop the ids of replaced trees. */
		lg_oidmap_clear(&m->index);
		for (i = 0; i < LG_TREEMEMO_TREES; i++) {
			if (m->v[i].tree)
				lg_oidmap_put(&m->index, &m->v[i].id, i);
		}
	} else {
		lg_oidmap_put(&m->index, id, m->next);
	}
	m->next = (m->next + 1) % LG_TREEMEMO_TREES;
}

size_t lg_treememo_bytes(const struct lg_treememo *m)
{
	return m->bytes;
}

int lg_treememo_open(git_tree **out, struct lg_treememo *m, const git_oid *id)
{
	size_t slot;
	int err;

	if (lg_oidmap_get(&m->index, id, &slot) && m->v[slot].tree && !git_oid_cmp(&m->v[slot].id, id))
		return git_tree_dup(out, m->v[slot].tree);
	if ((err = git_tree_lookup(out, m->repo, id)) < 0)
		return err;
	keep(m, id, *out);
	return 0;
}

int lg_treememo_bypath(git_tree_entry **out, struct lg_treememo *m, const git_tree *root, const char *path)
{
	const git_tree *t = root;
	git_tree *held = NULL;
	char name[256], *big = NULL;
	int err;

	*out = NULL;
	if (!m)
		return git_tree_entry_bypath(out, root, path);
	for (;;) {
		const char *slash = strchr(path, '/'), *comp;
		size_t len = slash ? (size_t)(slash - path) : strlen(path);
		const git_tree_entry *e;
		git_tree *next = NULL;

		if (!len) {
			err = GIT_ENOTFOUND;
			break;
		}
		if (len < sizeof(name)) {
			memcpy(name, path, len);
			name[len] = '\0';
			comp = name;
		} else {
			free(big);
			comp = big = lg_xstrndup(path, len);
		}
		if (!(e = git_tree_entry_byname(t, comp))) {
			err = GIT_ENOTFOUND;
			break;
		}
		if (!slash) {
			err = git_tree_entry_dup(out, e);
			break;
		}
		if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
			err = GIT_ENOTFOUND;
			break;
		}
		if (!slash[1]) {
			/* "dir/" names the directory itself, as in libgit2. */
			err = git_tree_entry_dup(out, e);
			break;
		}
		if ((err = lg_treememo_open(&next, m, git_tree_entry_id(e))) < 0)
			break;
		git_tree_free(held);
		t = held = next;
		path = slash + 1;
	}
	git_tree_free(held);
	free(big);
	return err;
}
