/* added.c — the findings a commit adds (see added.h). */
#include "linkgate/added.h"
#include "linkgate/buf.h"
#include "linkgate/deadline.h"
#include "linkgate/error.h"
#include "linkgate/flags.h"
#include "linkgate/glob.h"
#include "linkgate/gofacts.h"
#include "linkgate/oidmap.h"
#include "linkgate/prefetch.h"
#include "linkgate/treememo.h"

#define BLOB_LN LG_BLOB_LINKNAME
#define BLOB_FLAG LG_BLOB_FLAG
#define BLOB_BINARY LG_BLOB_BINARY

/* Below this many commits a reader process costs more than it saves. */
#define PREFETCH_MIN_COMMITS 16

struct blob_entry {
	git_oid id;
	unsigned bits;          /* LG_BLOB_* (prefetch.h) */
	size_t size;
	bool pending;           /* queued for the reader, not answered yet */
	struct lg_gofile *go;   /* lexed on first need */
	struct lg_flag_hits *hits;
};

struct lg_added {
	git_repository *repo;
	struct lg_treememo *trees;
	const struct lg_config *cfg;
	struct lg_flags *flags;
	struct lg_oidmap index;
	struct blob_entry *blobs;
	size_t nblobs, alloc;
	struct lg_buf key;      /* scratch */
	/* While a reader runs: the slot and a path of each queued blob. */
	struct lg_prefetch *pf;
	long *pending_slot;
	const char **pending_path;
	size_t npending, pending_alloc;
	size_t applied;         /* pending entries already filled */
};

/* Blob slot of a side that has not been read yet. */
#define SLOT_UNREAD (-2L)

/* One changed path against one parent; blob indices are into a->blobs. */
struct change {
	char *path;
	bool go;                /* a .go file the go command builds */
	git_oid old_id, new_id;
	uint16_t old_mode, new_mode; /* 0: the side is absent */
	long old_blob, new_blob; /* -1: absent or not a readable file; SLOT_UNREAD */
};

struct changes {
	struct change *v;
	size_t n, alloc;
};

/* One directive or flag occurrence on one side of a change. */
struct occ {
	char *key;
	size_t change;
	size_t item;            /* directive or hit index in the blob's analysis */
	bool matched;
};

struct occs {
	struct occ *v;
	size_t n, alloc;
};

struct excess {
	const char *key;
	long n;
};

/* A commit against one of its parents. */
struct side {
	git_oid ptree_id;       /* the parent's tree, when there is a parent */
	bool has_parent;
	git_tree *ptree;        /* loaded on first need (symlinked Go files) */
	struct changes ch;
	struct occs nw, old;
	struct excess *ex;
	size_t nex;
};

int lg_added_new(struct lg_added **out, git_repository *repo, const struct lg_config *cfg)
{
	struct lg_added *a = lg_xcalloc(1, sizeof(*a));
	int err;

	a->repo = repo;
	a->cfg = cfg;
	lg_oidmap_init(&a->index);
	a->trees = lg_treememo_new(repo);
	lg_buf_init(&a->key);
	if ((err = lg_flags_new(&a->flags)) < 0) {
		lg_added_free(a);
		return err;
	}
	*out = a;
	return 0;
}

struct lg_treememo *lg_added_trees(struct lg_added *a)
{
	return a->trees;
}

void lg_added_free(struct lg_added *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->nblobs; i++) {
		if (a->blobs[i].go) {
			lg_gofile_release(a->blobs[i].go);
			free(a->blobs[i].go);
		}
		if (a->blobs[i].hits) {
			lg_flag_hits_release(a->blobs[i].hits);
			free(a->blobs[i].hits);
		}
	}
	free(a->blobs);
	lg_treememo_free(a->trees);
	lg_oidmap_release(&a->index);
	lg_flags_free(a->flags);
	lg_buf_release(&a->key);
	lg_prefetch_free(a->pf);
	free(a->pending_slot);
	free(a->pending_path);
	free(a);
}

bool lg_added_go_path_built(const char *path)
{
	const char *comp = path;
	size_t len = strlen(path);

	if (len < 3 || strcmp(path + len - 3, ".go"))
		return false;
	for (;;) {
		const char *slash = strchr(comp, '/');
		size_t n = slash ? (size_t)(slash - comp) : strlen(comp);

		if (n && (comp[0] == '_' || comp[0] == '.'))
			return false;
		if (slash && n == 8 && !memcmp(comp, "testdata", 8))
			return false;
		if (!slash)
			return true;
		comp = slash + 1;
	}
}

static bool path_excluded(const struct lg_added *a, const char *path)
{
	return lg_glob_match_any(a->cfg->paths_exclude.v, a->cfg->paths_exclude.n, path);
}

static int read_blob(git_blob **out, struct lg_added *a, const git_oid *id, const char *path)
{
	if (git_blob_lookup(out, a->repo, id) < 0)
		return lg_error_set_git(LG_ENOTFOUND, path);
	return 0;
}

/* A blob over the limit is still searched; it is refused only when it
 * holds a needle, since then it cannot be judged within the limit. */
static int check_blob_limit(const struct lg_added *a, const struct blob_entry *e, const char *path)
{
	if ((e->bits & (BLOB_LN | BLOB_FLAG)) && a->cfg->limits.max_blob_mb > 0 &&
	    e->size > (size_t)a->cfg->limits.max_blob_mb * 1024 * 1024)
		return lg_error_set(LG_ELIMIT, "%s: a %zu MiB file that mentions %s exceeds limits.max_blob_mb (%ld)", path,
				    e->size >> 20, (e->bits & BLOB_LN) ? LG_LINKNAME_NEEDLE : LG_FLAGS_NEEDLE,
				    a->cfg->limits.max_blob_mb);
	return 0;
}

static long new_entry(struct lg_added *a, const git_oid *id)
{
	struct blob_entry *e;

	a->blobs = lg_xgrow(a->blobs, sizeof(*a->blobs), a->nblobs + 1, &a->alloc);
	e = &a->blobs[a->nblobs];
	memset(e, 0, sizeof(*e));
	e->id = *id;
	lg_oidmap_put(&a->index, id, a->nblobs);
	return (long)a->nblobs++;
}

/* The cache slot of a blob, reading it once to find the needles. */
static int blob_slot(long *out, struct lg_added *a, const git_oid *id, const char *path)
{
	git_blob *blob = NULL;
	size_t val;
	long slot;
	int err;

	if (lg_oidmap_get(&a->index, id, &val) && !a->blobs[val].pending) {
		*out = (long)val;
		return 0;
	}
	/* Not seen yet, or queued but not answered yet (an old side needed
	 * while a window is decided): read it here. */
	if ((err = read_blob(&blob, a, id, path)) < 0)
		return err;
	slot = lg_oidmap_get(&a->index, id, &val) ? (long)val : new_entry(a, id);
	a->blobs[slot].pending = false;
	a->blobs[slot].size = (size_t)git_blob_rawsize(blob);
	a->blobs[slot].bits = lg_blob_classify(git_blob_rawcontent(blob), a->blobs[slot].size);
	git_blob_free(blob);
	*out = slot;
	return check_blob_limit(a, &a->blobs[slot], path);
}

/* Like blob_slot(), but while a reader runs the blob is queued for it
 * instead of read here; its entry is filled by apply_prefetch(). */
static int queue_slot(long *out, struct lg_added *a, const git_oid *id, const char *path)
{
	size_t val;

	if (!a->pf)
		return blob_slot(out, a, id, path);
	if (lg_oidmap_get(&a->index, id, &val)) {
		*out = (long)val;
		return 0;
	}
	*out = new_entry(a, id);
	a->blobs[*out].pending = true;
	a->pending_slot = lg_xgrow(a->pending_slot, sizeof(*a->pending_slot), a->npending + 1, &a->pending_alloc);
	a->pending_path = lg_xrealloc(a->pending_path, a->pending_alloc * sizeof(*a->pending_path));
	a->pending_slot[a->npending] = *out;
	a->pending_path[a->npending++] = path;
	return lg_prefetch_push(a->pf, id);
}

/* Fills the entries of queue positions [a->applied, upto) from r. */
static int fill_pending(struct lg_added *a, const struct lg_blobinfo *r, size_t upto)
{
	int err = 0;

	for (; !err && a->applied < upto; a->applied++) {
		size_t i = a->applied;
		struct blob_entry *e = &a->blobs[a->pending_slot[i]];

		if (r[i].missing)
			return lg_error_set(LG_ENOTFOUND, "%s: the pushed file's content cannot be read", a->pending_path[i]);
		if (!e->pending)
			continue; /* read here meanwhile */
		e->pending = false;
		e->bits = r[i].bits;
		e->size = r[i].size;
		err = check_blob_limit(a, e, a->pending_path[i]);
	}
	return err;
}

/* Waits until the blobs queued before position upto are answered, and
 * fills their entries. */
static int apply_upto(struct lg_added *a, size_t upto)
{
	const struct lg_blobinfo *r = NULL;
	int err;

	if (!a->pf || upto <= a->applied)
		return 0;
	if ((err = lg_prefetch_wait(a->pf, upto, &r)) < 0)
		return err;
	return fill_pending(a, r, upto);
}

/* Waits for the reader to answer everything, fills the rest, and ends it. */
static int apply_prefetch(struct lg_added *a)
{
	const struct lg_blobinfo *r = NULL;
	size_t n = 0;
	int err;

	if (!a->pf)
		return 0;
	err = lg_prefetch_finish(a->pf, &r, &n);
	if (!err)
		err = fill_pending(a, r, n);
	lg_prefetch_free(a->pf);
	a->pf = NULL;
	a->npending = a->applied = 0;
	return err;
}

static int blob_go(struct lg_gofile **out, struct lg_added *a, long slot, const char *path)
{
	struct blob_entry *e = &a->blobs[slot];
	git_blob *blob = NULL;
	int err;

	if (!e->go) {
		if ((err = read_blob(&blob, a, &e->id, path)) < 0)
			return err;
		e->go = lg_xcalloc(1, sizeof(*e->go));
		err = lg_gofile_analyze(e->go, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
		git_blob_free(blob);
		if (err < 0)
			return err;
	}
	*out = e->go;
	return 0;
}

static int blob_hits(struct lg_flag_hits **out, struct lg_added *a, long slot, const char *path)
{
	struct blob_entry *e = &a->blobs[slot];
	git_blob *blob = NULL;
	int err;

	if (!e->hits) {
		if ((err = read_blob(&blob, a, &e->id, path)) < 0)
			return err;
		e->hits = lg_xcalloc(1, sizeof(*e->hits));
		err = lg_flags_scan(a->flags, e->hits, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
		git_blob_free(blob);
		if (err < 0)
			return lg_error_set(err, "%s: %s", path, lg_error_last());
	}
	*out = e->hits;
	return 0;
}

/*
 * A symlinked .go file is built with its target's content. Resolves the
 * link text against the link's directory inside tree; a target outside the
 * tree, missing, or not a regular file gives -1 (nothing to analyse).
 */
static int resolve_link(long *slot, struct lg_added *a, git_tree *tree, const char *path, const git_oid *link_id)
{
	git_blob *blob = NULL;
	git_tree_entry *te = NULL;
	struct lg_buf target = LG_BUF_INIT;
	const char *text, *slash;
	size_t size, i, start;
	char **parts = NULL;
	size_t nparts = 0, alloc = 0;
	int err = 0;

	*slot = -1;
	if ((err = read_blob(&blob, a, link_id, path)) < 0)
		return err;
	text = git_blob_rawcontent(blob);
	size = (size_t)git_blob_rawsize(blob);
	if (!size || text[0] == '/' || memchr(text, '\0', size))
		goto done;
	slash = strrchr(path, '/');
	lg_buf_init(&target);
	if (slash)
		lg_buf_put(&target, path, (size_t)(slash - path + 1));
	lg_buf_put(&target, text, size);
	/* Normalise "." and ".." components; ".." above the root leaves the tree. */
	for (i = 0, start = 0; i <= target.len; i++) {
		if (i < target.len && target.ptr[i] != '/')
			continue;
		if (i - start == 0 || (i - start == 1 && target.ptr[start] == '.')) {
		} else if (i - start == 2 && target.ptr[start] == '.' && target.ptr[start + 1] == '.') {
			if (!nparts)
				goto done;
			free(parts[--nparts]);
		} else {
			parts = lg_xgrow(parts, sizeof(*parts), nparts + 1, &alloc);
			parts[nparts++] = lg_xstrndup(target.ptr + start, i - start);
		}
		start = i + 1;
	}
	lg_buf_clear(&target);
	for (i = 0; i < nparts; i++) {
		if (i)
			lg_buf_putc(&target, '/');
		lg_buf_puts(&target, parts[i]);
	}
	if (nparts && lg_treememo_bypath(&te, a->trees, tree, target.ptr) == 0 &&
	    (git_tree_entry_filemode(te) == GIT_FILEMODE_BLOB || git_tree_entry_filemode(te) == GIT_FILEMODE_BLOB_EXECUTABLE))
		err = blob_slot(slot, a, git_tree_entry_id(te), path);
done:
	for (i = 0; i < nparts; i++)
		free(parts[i]);
	free(parts);
	git_tree_entry_free(te);
	lg_buf_release(&target);
	git_blob_free(blob);
	return err;
}

static bool mode_is_file(uint16_t mode)
{
	return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/* The slot of one side of a change. New sides, walked in phase 1, are
 * queued for the reader; old sides, needed while a window is decided, are
 * read here (blob_slot() also reads a blob still waiting for the reader),
 * since their answer is needed now. */
static int side_slot(long *slot, struct lg_added *a, git_tree *tree, const char *path, const git_oid *id,
		     uint16_t mode, bool go, bool queue)
{
	*slot = -1;
	if (mode_is_file(mode))
		return queue ? queue_slot(slot, a, id, path) : blob_slot(slot, a, id, path);
	if (mode == GIT_FILEMODE_LINK && go && tree)
		return resolve_link(slot, a, tree, path, id);
	return 0; /* absent, submodules, and symlinks that are not Go files */
}

static void changes_release(struct changes *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].path);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* git rejects deeper trees too (core.maxTreeDepth); the bound keeps a
 * hostile tree from exhausting the stack. */
#define LG_MAX_TREE_DEPTH 4096

static void add_change(struct lg_added *a, struct changes *out, const struct lg_buf *dir, const git_tree_entry *eo,
		       const git_tree_entry *en)
{
	const git_tree_entry *e = en ? en : eo;
	struct lg_buf path = LG_BUF_INIT;
	struct change *c;

	lg_buf_put(&path, dir->ptr, dir->len);
	lg_buf_puts(&path, git_tree_entry_name(e));
	if (path_excluded(a, path.ptr)) {
		lg_buf_release(&path);
		return;
	}
	out->v = lg_xgrow(out->v, sizeof(*out->v), out->n + 1, &out->alloc);
	c = &out->v[out->n++];
	memset(c, 0, sizeof(*c));
	c->path = lg_buf_detach(&path, NULL);
	c->go = lg_added_go_path_built(c->path);
	c->old_blob = c->new_blob = SLOT_UNREAD;
	/* Submodules are never read: a gitlink side counts as absent. */
	if (eo && git_tree_entry_filemode(eo) != GIT_FILEMODE_COMMIT) {
		c->old_id = *git_tree_entry_id(eo);
		c->old_mode = (uint16_t)git_tree_entry_filemode(eo);
	}
	if (en && git_tree_entry_filemode(en) != GIT_FILEMODE_COMMIT) {
		c->new_id = *git_tree_entry_id(en);
		c->new_mode = (uint16_t)git_tree_entry_filemode(en);
	}
}

/*
 * The files that differ between old and new (either may be NULL: empty),
 * under the directory prefix dir. Entries of both trees are merged in git's
 * tree order; only subtrees whose ids differ are opened, so the cost is the
 * changed part of the tree, not its size. No content is read and there is
 * no rename detection: moves are handled by counting across files.
 */
static int diff_trees(struct lg_added *a, struct changes *out, git_tree *old, git_tree *new, struct lg_buf *dir,
		      unsigned depth)
{
	size_t i = 0, j = 0, no = old ? git_tree_entrycount(old) : 0, nn = new ? git_tree_entrycount(new) : 0;
	size_t dirlen = dir->len;
	int err = 0;

	if (depth > LG_MAX_TREE_DEPTH)
		return lg_error_set(LG_ELIMIT, "a pushed tree is nested deeper than %d directories", LG_MAX_TREE_DEPTH);
	while (!err && (i < no || j < nn)) {
		const git_tree_entry *eo = i < no ? git_tree_entry_byindex(old, i) : NULL;
		const git_tree_entry *en = j < nn ? git_tree_entry_byindex(new, j) : NULL;
		int cmp = !eo ? 1 : !en ? -1 : git_tree_entry_cmp(eo, en);
		git_tree *so = NULL, *sn = NULL;

		if (cmp < 0)
			en = NULL, i++;
		else if (cmp > 0)
			eo = NULL, j++;
		else
			i++, j++;
		if (eo && en && git_tree_entry_filemode(eo) == git_tree_entry_filemode(en) &&
		    !git_oid_cmp(git_tree_entry_id(eo), git_tree_entry_id(en)))
			continue;
		if ((eo ? git_tree_entry_type(eo) : git_tree_entry_type(en)) != GIT_OBJECT_TREE) {
			add_change(a, out, dir, eo, en);
			continue;
		}
		/* Equal names compare equal only when both are trees. */
		if ((eo && lg_treememo_open(&so, a->trees, git_tree_entry_id(eo)) < 0) ||
		    (en && lg_treememo_open(&sn, a->trees, git_tree_entry_id(en)) < 0)) {
			err = lg_error_set_git(LG_ENOTFOUND, "cannot read a pushed tree");
		} else {
			lg_buf_puts(dir, git_tree_entry_name(eo ? eo : en));
			lg_buf_putc(dir, '/');
			err = diff_trees(a, out, so, sn, dir, depth + 1);
			lg_buf_truncate(dir, dirlen);
		}
		git_tree_free(so);
		git_tree_free(sn);
		if (!err)
			err = lg_deadline_check();
	}
	return err;
}

/* The paths that differ between parent_tree (NULL: the empty tree) and
 * tree. New sides are read at once (the needle search decides whether the
 * commit needs anything more); old sides only when they are needed. */
static int collect_changes(struct changes *out, struct lg_added *a, git_tree *parent_tree, git_tree *tree)
{
	struct lg_buf dir = LG_BUF_INIT;
	size_t i;
	int err;

	lg_buf_init(&dir);
	err = diff_trees(a, out, parent_tree, tree, &dir, 0);
	lg_buf_release(&dir);
	for (i = 0; !err && i < out->n; i++) {
		struct change *c = &out->v[i];

		err = side_slot(&c->new_blob, a, tree, c->path, &c->new_id, c->new_mode, c->go, true);
	}
	return err;
}

/* The slot of the old side of a change, read on first need. */
static int old_slot(long *out, struct lg_added *a, struct side *s, struct change *c)
{
	int err = 0;

	if (c->old_blob == SLOT_UNREAD) {
		/* Only a symlinked Go file needs the parent's tree. */
		if (c->old_mode == GIT_FILEMODE_LINK && c->go && s->has_parent && !s->ptree &&
		    lg_treememo_open(&s->ptree, a->trees, &s->ptree_id) < 0)
			return lg_error_set_git(LG_ENOTFOUND, "cannot read the tree of a parent commit");
		err = side_slot(&c->old_blob, a, s->ptree, c->path, &c->old_id, c->old_mode, c->go, false);
	}
	*out = c->old_blob;
	return err;
}

static bool slot_has(const struct lg_added *a, long slot, unsigned bit, bool text_only)
{
	if (slot < 0 || !(a->blobs[slot].bits & bit))
		return false;
	return !(text_only && (a->blobs[slot].bits & BLOB_BINARY));
}

/* Whether any new side of these changes can hold a finding of the kind. */
static bool may_add(const struct lg_added *a, const struct changes *c, bool linkname)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (linkname ? (c->v[i].go && slot_has(a, c->v[i].new_blob, BLOB_LN, false))
			     : slot_has(a, c->v[i].new_blob, BLOB_FLAG, !c->v[i].go))
			return true;
	}
	return false;
}

/*
 * Keys compare occurrences as multisets of C strings. A part that can be
 * long or hold a NUL byte (a line, a rationale block, a constraint) goes
 * in as its SHA-1 instead, computed once per line or block: a hostile blob
 * that repeats a megabyte rationale over thousands of directives, or puts
 * thousands of flags on one long line, costs memory and time linear in
 * its size, not in size times occurrences.
 */
#define KEY_PART_MAX 256

static void put_part(struct lg_buf *b, const char *s, size_t n)
{
	git_oid oid;
	char hex[GIT_OID_HEXSZ + 1];

	if (n <= KEY_PART_MAX && !memchr(s, '\0', n)) {
		lg_buf_put(b, s, n);
		return;
	}
	git_odb_hash(&oid, s, n, GIT_OBJECT_BLOB);
	git_oid_tostr(hex, sizeof(hex), &oid);
	lg_buf_putc(b, '#');
	lg_buf_puts(b, hex);
}

static void put_field(struct lg_buf *b, const char *s)
{
	lg_buf_puts(b, s ? s : "\x01");
	lg_buf_putc(b, '\x1f');
}

/* The parts of directive keys shared within one file, made once. */
struct key_cache {
	char **rationale;       /* per rationale block, NULL until needed */
	char *build;
	struct lg_buf tmp;
};

static void key_cache_init(struct key_cache *kc, const struct lg_gofile *g)
{
	memset(kc, 0, sizeof(*kc));
	kc->rationale = lg_xcalloc(g->nrationales + 1, sizeof(*kc->rationale));
	lg_buf_init(&kc->tmp);
}

static void key_cache_release(struct key_cache *kc, const struct lg_gofile *g)
{
	size_t i;

	for (i = 0; i < g->nrationales; i++)
		free(kc->rationale[i]);
	free(kc->rationale);
	free(kc->build);
	lg_buf_release(&kc->tmp);
}

static const char *cached_part(struct key_cache *kc, char **slot, const char *const *fields, size_t n)
{
	struct lg_buf part = LG_BUF_INIT;
	size_t i;

	if (*slot)
		return *slot;
	lg_buf_clear(&kc->tmp);
	for (i = 0; i < n; i++)
		put_field(&kc->tmp, fields[i]);
	lg_buf_init(&part);
	put_part(&part, kc->tmp.ptr, kc->tmp.len);
	*slot = lg_buf_detach(&part, NULL);
	return *slot;
}

/* The identity of a directive: its fields and the facts it is judged on. */
static char *directive_key(struct lg_buf *b, const struct lg_gofile *g, size_t i, struct key_cache *kc)
{
	const struct lg_directive *d = &g->directives[i];

	lg_buf_clear(b);
	lg_buf_puts(b, "L\x1f");
	put_field(b, d->localname);
	put_field(b, d->target);
	put_field(b, d->malformed);
	if (d->rationale != LG_NO_RATIONALE) {
		const struct lg_rationale *r = &g->rationales[d->rationale];
		const char *f[5];

		f[0] = r->why;
		f[1] = r->measured_gain;
		f[2] = r->target_source;
		f[3] = r->removed_when;
		f[4] = r->owner;
		lg_buf_puts(b, cached_part(kc, &kc->rationale[d->rationale], f, 5));
	} else {
		lg_buf_puts(b, "-");
	}
	lg_buf_putc(b, '\x1f');
	lg_buf_puts(b, cached_part(kc, &kc->build, (const char *const *)&g->facts.build_expr, 1));
	lg_buf_printf(b, "\x1f%d%c%d", g->facts.imports_unsafe, g->facts.build_misplaced ? 'm' : '-', 0);
	return lg_xstrndup(b->ptr, b->len);
}

/* The identity of a flag: its line's text (line_part, made once per line)
 * and its place on the line. */
static char *flag_key(struct lg_buf *b, size_t nth, const char *line_part)
{
	lg_buf_clear(b);
	lg_buf_printf(b, "F\x1f%zu\x1f%s", nth, line_part);
	return lg_xstrndup(b->ptr, b->len);
}

static void occs_add(struct occs *o, char *key, size_t change, size_t item)
{
	o->v = lg_xgrow(o->v, sizeof(*o->v), o->n + 1, &o->alloc);
	o->v[o->n].key = key;
	o->v[o->n].change = change;
	o->v[o->n].item = item;
	o->v[o->n].matched = false;
	o->n++;
}

static void occs_release(struct occs *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->v[i].key);
	free(o->v);
	memset(o, 0, sizeof(*o));
}

/*
 * Occurrences are counted before anything is new: one blob at thousands of
 * paths, each with thousands of flags, would hold millions of them before
 * max_findings could stop anything. Ten times max_findings per side of a
 * commit is far beyond any real change (all of Go's own sources hold about
 * a thousand linknames) and bounds the memory.
 */
static int occs_room(const struct lg_added *a, const struct occs *o, bool linkname)
{
	long max = a->cfg->limits.max_findings;

	if (max <= 0 || max > LONG_MAX / 10 || o->n < (size_t)max * 10)
		return 0;
	return lg_error_set(LG_ELIMIT, "a commit changes files that hold more than %ld %s (10 x limits.max_findings)",
			    max * 10, linkname ? "linkname directives" : "-checklinkname flags");
}

/* The occurrences on one side (new or old) of every change. */
static int side_occs(struct occs *out, struct lg_added *a, struct side *s, bool linkname, bool new_side)
{
	const struct changes *c = &s->ch;
	size_t i, k;
	int err = 0;

	for (i = 0; i < c->n; i++) {
		long slot = c->v[i].new_blob;

		if (!new_side && (err = old_slot(&slot, a, s, &s->ch.v[i])) < 0)
			return err;

		if (linkname) {
			struct lg_gofile *g;

			if (!c->v[i].go || !slot_has(a, slot, BLOB_LN, false))
				continue;
			struct key_cache kc;

			if ((err = blob_go(&g, a, slot, c->v[i].path)) < 0)
				return err;
			key_cache_init(&kc, g);
			for (k = 0; k < g->ndirectives; k++) {
				if ((err = occs_room(a, out, true)) < 0)
					break;
				occs_add(out, directive_key(&a->key, g, k, &kc), i, k);
				if (!(k & 4095) && (err = lg_deadline_check()) < 0)
					break;
			}
			key_cache_release(&kc, g);
			if (err < 0)
				return err;
		} else {
			struct lg_flag_hits *h;
			git_blob *blob = NULL;
			struct lg_buf line = LG_BUF_INIT;
			const char *data;
			size_t nth = 0;

			if (!slot_has(a, slot, BLOB_FLAG, !c->v[i].go))
				continue;
			if ((err = blob_hits(&h, a, slot, c->v[i].path)) < 0)
				return err;
			if (!h->n)
				continue;
			if ((err = read_blob(&blob, a, &a->blobs[slot].id, c->v[i].path)) < 0)
				return err;
			data = git_blob_rawcontent(blob);
			lg_buf_init(&line);
			/* Hits come in line order: count the place on the line as
			 * they go, and digest each line once. */
			for (k = 0; k < h->n; k++) {
				if (!k || h->v[k].line != h->v[k - 1].line) {
					nth = 0;
					lg_buf_clear(&line);
					put_part(&line, data + h->v[k].line_off, h->v[k].line_len);
				} else {
					nth++;
				}
				if ((err = occs_room(a, out, false)) < 0)
					break;
				occs_add(out, flag_key(&a->key, nth, line.ptr), i, k);
				if (!(k & 4095) && (err = lg_deadline_check()) < 0)
					break;
			}
			lg_buf_release(&line);
			git_blob_free(blob);
			if (err < 0)
				return err;
		}
		if ((err = lg_deadline_check()) < 0)
			return err;
	}
	return 0;
}

static int occ_cmp_key_change(const void *x, const void *y)
{
	const struct occ *a = x, *b = y;
	int c = strcmp(a->key, b->key);

	if (c)
		return c;
	if (a->change != b->change)
		return a->change < b->change ? -1 : 1;
	return a->item < b->item ? -1 : a->item > b->item;
}

static int occ_cmp_place(const void *x, const void *y)
{
	const struct occ *a = x, *b = y;

	if (a->change != b->change)
		return a->change < b->change ? -1 : 1;
	return a->item < b->item ? -1 : a->item > b->item;
}

/* qsort() must not be handed the NULL array of an empty list. */
static void sort_occs(struct occs *o, int (*cmp)(const void *, const void *))
{
	if (o->n)
		qsort(o->v, o->n, sizeof(*o->v), cmp);
}

/*
 * Keys that occur more often on the new side than on the old side, with
 * the difference. Both lists must be sorted with occ_cmp_key_change. Marks
 * new occurrences "matched" when an old occurrence of the same key in the
 * same path accounts for them, so the unmatched ones are reported first.
 */
static void compute_excess(struct excess **out, size_t *nout, struct occs *nw, const struct occs *old)
{
	size_t i = 0, j = 0, n = 0, alloc = 0;
	struct excess *v = NULL;

	while (i < nw->n) {
		const char *key = nw->v[i].key;
		size_t ni = i, oj, nnew = 0, nold = 0;

		while (j < old->n && strcmp(old->v[j].key, key) < 0)
			j++;
		oj = j;
		while (ni < nw->n && !strcmp(nw->v[ni].key, key))
			ni++, nnew++;
		while (j < old->n && !strcmp(old->v[j].key, key))
			j++, nold++;
		/* Within the key, pair new and old occurrences of the same path. */
		{
			size_t p = i, q = oj;

			while (p < ni) {
				size_t change = nw->v[p].change, oldn = 0, r = 0;

				while (q < j && old->v[q].change < change)
					q++;
				while (q < j && old->v[q].change == change)
					q++, oldn++;
				for (; p < ni && nw->v[p].change == change; p++, r++)
					nw->v[p].matched = r < oldn;
			}
		}
		if (nnew > nold) {
			v = lg_xgrow(v, sizeof(*v), n + 1, &alloc);
			v[n].key = key;
			v[n].n = (long)(nnew - nold);
			n++;
		}
		i = ni;
	}
	*out = v;
	*nout = n;
}

static long excess_lookup(const struct excess *v, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid].key, key);

		if (!c)
			return v[mid].n;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* A flag's line is cut to a window that holds the flag, at the cap of
 * finding.h (LG_FINDING_STR_MAX): one long line can hold thousands of
 * flags, and one blob can sit at thousands of paths. */
static struct lg_finding *flag_finding(const struct lg_flag_hit *h, const char *data, const char *path)
{
	struct lg_finding *f = lg_finding_new(LG_FINDING_CHECKLINKNAME_OFF);
	size_t start = h->line_off, len = h->line_len;

	f->path = lg_xstrdup(path);
	f->line = h->line;
	if (len > LG_FINDING_STR_MAX) {
		size_t back = LG_FINDING_STR_MAX / 2;

		if (h->match_off - start > back)
			start = h->match_off - back;
		len = h->line_off + h->line_len - start;
		while (start > h->line_off && ((unsigned char)data[start] & 0xc0) == 0x80)
			start--, len++;
		len = lg_finding_cut_len(data + start, len);
	}
	f->text = lg_xstrndup(data + start, len);
	f->text_len = len;
	f->carrier = lg_flags_carrier(path);
	f->spelling = lg_xstrdup(h->spelling);
	return f;
}

static void side_reset(struct side *s)
{
	occs_release(&s->nw);
	occs_release(&s->old);
	free(s->ex);
	s->ex = NULL;
	s->nex = 0;
}

/* Turns the selected new-side occurrences of side 0 into findings. */
static int emit(struct lg_added *a, struct lg_findings *out, struct side *s0, struct occ *sel, size_t nsel,
		bool linkname, struct lg_commit_node *node)
{
	long max_findings = a->cfg->limits.max_findings;
	git_blob *blob = NULL;  /* the flags' blob, read once per run of its findings */
	long blob_slot_of = -1;
	size_t i;
	int err = 0;

	if (nsel)
		qsort(sel, nsel, sizeof(*sel), occ_cmp_place);
	for (i = 0; i < nsel; i++) {
		const struct change *c = &s0->ch.v[sel[i].change];
		struct lg_finding *f;

		/* Stop at the limit, not after building a million findings. */
		if (max_findings > 0 && out->n >= (size_t)max_findings) {
			err = lg_error_set(LG_ELIMIT, "the push adds more than %ld findings (limits.max_findings)",
					   max_findings);
			break;
		}
		if (!(i & 1023) && (err = lg_deadline_check()) < 0)
			break;

		if (linkname) {
			struct lg_gofile *g;

			if ((err = blob_go(&g, a, c->new_blob, c->path)) < 0)
				break;
			f = lg_gofile_finding(g, sel[i].item, c->path);
		} else {
			struct lg_flag_hits *h;

			if ((err = blob_hits(&h, a, c->new_blob, c->path)) < 0)
				break;
			/* libgit2 does not cache blobs: inflating one per finding
			 * would cost its size times its flags. */
			if (blob_slot_of != c->new_blob) {
				git_blob_free(blob);
				blob = NULL;
				blob_slot_of = -1;
				if ((err = read_blob(&blob, a, &a->blobs[c->new_blob].id, c->path)) < 0)
					break;
				blob_slot_of = c->new_blob;
			}
			f = flag_finding(&h->v[sel[i].item], git_blob_rawcontent(blob), c->path);
		}
		f->ref = node->ref;
		f->commit = &node->info;
		if (!node->has_findings) {
			node->has_findings = true;
			git_oid_tostr(node->info.id, sizeof(node->info.id), &node->oid);
		}
		lg_findings_add(out, f);
	}
	git_blob_free(blob);
	return err;
}

/* One kind of finding (linkname or flag) for a commit with nsides sides. */
static int added_kind(struct lg_added *a, struct lg_findings *out, struct side *sides, size_t nsides, bool linkname,
		      struct lg_commit_node *node)
{
	struct side *s0 = &sides[0];
	struct occ *sel = NULL;
	size_t i, k, nsel = 0, alloc = 0;
	int err = 0;

	/* New means more than in every parent's versions, so one side that
	 * cannot add anything settles it without lexing. */
	for (i = 0; i < nsides; i++)
		if (!may_add(a, &sides[i].ch, linkname))
			return 0;
	for (i = 0; i < nsides; i++) {
		struct side *s = &sides[i];

		if ((err = side_occs(&s->nw, a, s, linkname, true)) < 0 ||
		    (err = side_occs(&s->old, a, s, linkname, false)) < 0)
			goto done;
		sort_occs(&s->nw, occ_cmp_key_change);
		sort_occs(&s->old, occ_cmp_key_change);
		compute_excess(&s->ex, &s->nex, &s->nw, &s->old);
	}

	/* Walk side 0's new occurrences key by key; report min-over-parents
	 * many, unmatched ones first, then matched ones from the last. */
	for (i = 0; i < s0->nw.n;) {
		const char *key = s0->nw.v[i].key;
		size_t end = i;
		long need = excess_lookup(s0->ex, s0->nex, key);

		while (end < s0->nw.n && !strcmp(s0->nw.v[end].key, key))
			end++;
		for (k = 1; k < nsides && need > 0; k++) {
			long e = excess_lookup(sides[k].ex, sides[k].nex, key);

			if (e < need)
				need = e;
		}
		for (k = i; k < end && need > 0; k++) {
			if (s0->nw.v[k].matched)
				continue;
			sel = lg_xgrow(sel, sizeof(*sel), nsel + 1, &alloc);
			sel[nsel++] = s0->nw.v[k];
			need--;
		}
		for (k = end; k > i && need > 0; k--) {
			if (!s0->nw.v[k - 1].matched)
				continue;
			sel = lg_xgrow(sel, sizeof(*sel), nsel + 1, &alloc);
			sel[nsel++] = s0->nw.v[k - 1];
			need--;
		}
		i = end;
	}
	err = emit(a, out, s0, sel, nsel, linkname, node);
done:
	free(sel);
	for (i = 0; i < nsides; i++)
		side_reset(&sides[i]);
	return err;
}

static void sides_free(struct side *sides, size_t n)
{
	size_t i;

	if (!sides)
		return;
	for (i = 0; i < n; i++) {
		side_reset(&sides[i]);
		changes_release(&sides[i].ch);
		git_tree_free(sides[i].ptree);
	}
	free(sides);
}

/* The tree of the i-th parent of node: from the set when the parent is
 * new (the walk kept it), else read from the parent commit. */
static int parent_tree_id(git_oid *out, struct lg_added *a, const struct lg_commitset *set,
			  const struct lg_commit_node *node, unsigned i)
{
	git_commit *parent = NULL;
	size_t p;

	if (lg_oidmap_get(&set->index, &node->parent_ids[i], &p)) {
		*out = set->v[p].tree;
		return 0;
	}
	if (git_commit_lookup(&parent, a->repo, &node->parent_ids[i]) < 0)
		return lg_error_set_git(LG_ENOTFOUND, "cannot read the parent of a pushed commit");
	*out = *git_commit_tree_id(parent);
	git_commit_free(parent);
	return 0;
}

/* Phase 1 for one commit: what changed against each parent (a root commit
 * against the empty tree, so it adds all it holds). New-side blobs are
 * read, or queued for the reader. */
static int collect_commit(struct side **out, size_t *nout, struct lg_added *a, const struct lg_commitset *set,
			  const struct lg_commit_node *node)
{
	git_tree *tree = NULL;
	struct side *sides;
	size_t nsides = node->nparents_all ? node->nparents_all : 1, i;
	int err = 0;

	sides = lg_xcalloc(nsides, sizeof(*sides));
	if (lg_treememo_open(&tree, a->trees, &node->tree) < 0) {
		err = lg_error_set_git(LG_ENOTFOUND, "cannot read the tree of a pushed commit");
		goto done;
	}
	for (i = 0; i < nsides && !err; i++) {
		git_tree *ptree = NULL;

		if (node->nparents_all) {
			if ((err = parent_tree_id(&sides[i].ptree_id, a, set, node, (unsigned)i)) < 0)
				break;
			if (lg_treememo_open(&ptree, a->trees, &sides[i].ptree_id) < 0) {
				err = lg_error_set_git(LG_ENOTFOUND, "cannot read the tree of a parent commit");
				break;
			}
			sides[i].has_parent = true;
		}
		err = collect_changes(&sides[i].ch, a, ptree, tree);
		git_tree_free(ptree);
	}
done:
	git_tree_free(tree);
	if (err < 0) {
		sides_free(sides, nsides);
		return err;
	}
	*out = sides;
	*nout = nsides;
	return 0;
}

/* Phase 2 for one commit, once every new-side blob's needles are known. */
static int decide_commit(struct lg_added *a, struct lg_findings *out, struct lg_commit_node *node, struct side *sides,
			 size_t nsides)
{
	int err;

	if ((err = added_kind(a, out, sides, nsides, true, node)) < 0)
		return err;
	return added_kind(a, out, sides, nsides, false, node);
}

/* Commits per window: detection keeps at most two windows' changed paths,
 * so memory does not grow with the length of the push. */
#define WINDOW 256

int lg_added_run(struct lg_added *a, struct lg_findings *out, struct lg_commitset *set, long max_findings,
		 lg_added_window_fn on_window, void *ctx)
{
	struct side **sides = NULL;
	size_t *nsides = NULL, *mark = NULL, i, w, from, nwin = (set->n + WINDOW - 1) / WINDOW;
	int err = 0;

	/* Two cores: a forked reader inflates blobs while this process walks
	 * trees. Small pushes, or a failed fork, are read here. */
	if (set->n >= PREFETCH_MIN_COMMITS && lg_prefetch_start(&a->pf, a->repo) < 0) {
		a->pf = NULL;
		lg_error_clear();
	}
	sides = lg_xcalloc(set->n + 1, sizeof(*sides));
	nsides = lg_xcalloc(set->n + 1, sizeof(*nsides));
	mark = lg_xcalloc(nwin + 1, sizeof(*mark));
	/* Walk window w while the reader answers window w - 1, then decide
	 * window w - 1 and free it. */
	for (w = 0; w <= nwin && !err; w++) {
		size_t lo = w * WINDOW, hi = lo + WINDOW < set->n ? lo + WINDOW : set->n;

		for (i = lo; w < nwin && i < hi && !err; i++) {
			err = collect_commit(&sides[i], &nsides[i], a, set, &set->v[i]);
			if (!err)
				err = lg_deadline_check();
		}
		mark[w] = a->npending;
		if (err || w == 0)
			continue;
		lo = (w - 1) * WINDOW;
		hi = lo + WINDOW < set->n ? lo + WINDOW : set->n;
		from = out->n;
		err = w == nwin ? apply_prefetch(a) : apply_upto(a, mark[w - 1]);
		for (i = lo; i < hi && !err; i++) {
			err = decide_commit(a, out, &set->v[i], sides[i], nsides[i]);
			sides_free(sides[i], nsides[i]);
			sides[i] = NULL;
			if (!err && max_findings > 0 && out->n > (size_t)max_findings)
				err = lg_error_set(LG_ELIMIT, "the push adds more than %ld findings (limits.max_findings)",
						   max_findings);
			if (!err)
				err = lg_deadline_check();
		}
		if (!err && on_window && out->n > from)
			err = on_window(ctx, out, from);
	}
	for (i = 0; i < set->n; i++)
		sides_free(sides[i], nsides[i]);
	free(sides);
	free(nsides);
	free(mark);
	lg_prefetch_free(a->pf);
	a->pf = NULL;
	return err;
}
