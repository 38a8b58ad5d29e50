/* facts.c — tree-level facts of findings (see facts.h). */
#include "linkgate/facts.h"
#include "linkgate/added.h"
#include "linkgate/buf.h"
#include "linkgate/buildexpr.h"
#include "linkgate/ci.h"
#include "linkgate/deadline.h"
#include "linkgate/error.h"
#include "linkgate/flags.h"
#include "linkgate/gofacts.h"
#include "linkgate/godecl.h"
#include "linkgate/gomod.h"
#include "linkgate/gosrc.h"
#include "linkgate/oidmap.h"
#include "linkgate/treememo.h"
#include "linkgate/targetclass.h"
#include "linkgate/yamlx.h"

/* Symlink hops followed inside the tree before giving up. */
#define MAX_LINK_HOPS 8
/* Lists a finding carries are capped: a file of 10,000 linknames must not
 * give each of them 9,999 siblings (10^8 entries). */
#define MAX_LISTED 100

/* What is remembered of a Go blob for the whole run. */
struct go_blob {
	git_oid id;
	bool readable;          /* within limits.max_blob_mb */
	struct lg_gofile go;
	struct lg_godecls decls;
};

struct lg_facts {
	git_repository *repo;
	const struct lg_config *cfg;
	struct lg_gosrc *gosrc;
	struct lg_treememo *trees;
	struct lg_treememo *own_trees; /* trees, when not borrowed */
	struct lg_oidmap index;
	struct go_blob **blobs;
	size_t nblobs, alloc;
};

/* What is remembered while one tree is judged. */
struct gomod_entry {
	char *dir;              /* "" for the root */
	char *gomod;            /* path of the nearest go.mod, or NULL */
	struct lg_gomod mod;    /* parsed when gomod is set */
};

struct tctx {
	struct lg_facts *fx;
	git_tree *tree;
	struct gomod_entry *mods;
	size_t nmods, mods_alloc;
	bool ci_done;
	struct lg_ci ci;
	char *dir_key;          /* the directory dfiles lists */
	struct dir_file {
		char *path;
		struct go_blob *g;
	} *dfiles;
	size_t ndfiles, dfiles_alloc;
};

int lg_facts_new(struct lg_facts **out, git_repository *repo, const struct lg_config *cfg,
		 struct lg_treememo *trees)
{
	struct lg_facts *fx = lg_xcalloc(1, sizeof(*fx));
	int err;

	*out = NULL;
	fx->repo = repo;
	fx->cfg = cfg;
	lg_oidmap_init(&fx->index);
	fx->trees = trees ? trees : (fx->own_trees = lg_treememo_new(repo));
	if (cfg->go_source.n && (err = lg_gosrc_new(&fx->gosrc, &cfg->go_source)) < 0) {
		lg_facts_free(fx);
		return err;
	}
	*out = fx;
	return 0;
}

void lg_facts_free(struct lg_facts *fx)
{
	size_t i;

	if (!fx)
		return;
	for (i = 0; i < fx->nblobs; i++) {
		lg_gofile_release(&fx->blobs[i]->go);
		lg_godecls_release(&fx->blobs[i]->decls);
		free(fx->blobs[i]);
	}
	free(fx->blobs);
	lg_oidmap_release(&fx->index);
	lg_gosrc_free(fx->gosrc);
	lg_treememo_free(fx->own_trees);
	free(fx);
}

/* ---- reading the tree ---- */

static bool too_big(const struct lg_facts *fx, size_t size)
{
	return fx->cfg->limits.max_blob_mb > 0 && size > (size_t)fx->cfg->limits.max_blob_mb * 1024 * 1024;
}

static bool is_file_mode(git_filemode_t m)
{
	return m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/* Joins the link text to the link's directory and normalises "." and
 * "..". Returns NULL when it leaves the tree. */
static char *link_target(const char *path, const char *text, size_t size)
{
	struct lg_buf in = LG_BUF_INIT, out = LG_BUF_INIT;
	const char *slash = strrchr(path, '/');
	size_t i, start;
	char *ret = NULL;

	if (!size || text[0] == '/' || memchr(text, '\0', size))
		return NULL;
	lg_buf_init(&in);
	lg_buf_init(&out);
	if (slash)
		lg_buf_put(&in, path, (size_t)(slash - path + 1));
	lg_buf_put(&in, text, size);
	for (i = 0, start = 0; i <= in.len; i++) {
		size_t n;

		if (i < in.len && in.ptr[i] != '/')
			continue;
		n = i - start;
		if (n == 2 && in.ptr[start] == '.' && in.ptr[start + 1] == '.') {
			char *cut;

			if (!out.len)
				goto done;
			cut = strrchr(out.ptr, '/');
			lg_buf_truncate(&out, cut ? (size_t)(cut - out.ptr) : 0);
		} else if (n && !(n == 1 && in.ptr[start] == '.')) {
			if (out.len)
				lg_buf_putc(&out, '/');
			lg_buf_put(&out, in.ptr + start, n);
		}
		start = i + 1;
	}
	if (out.len)
		ret = lg_buf_detach(&out, NULL);
done:
	lg_buf_release(&in);
	lg_buf_release(&out);
	return ret;
}

/* lg_facts_read_file(), with the directories opened through m (may be NULL). */
static int read_file(git_blob **out, git_repository *repo, struct lg_treememo *m, git_tree *tree, const char *path)
{
	git_tree_entry *te = NULL;
	char *cur = lg_xstrdup(path), *next;
	int hops, err = 0;

	*out = NULL;
	for (hops = 0; hops <= MAX_LINK_HOPS; hops++) {
		git_blob *b = NULL;
		git_filemode_t mode;

		if (lg_treememo_bypath(&te, m, tree, cur) < 0) {
			git_error_clear();
			break;
		}
		mode = git_tree_entry_filemode(te);
		if (!is_file_mode(mode) && mode != GIT_FILEMODE_LINK)
			break;
		if (git_blob_lookup(&b, repo, git_tree_entry_id(te)) < 0) {
			err = lg_error_set_git(LG_ENOTFOUND, cur);
			break;
		}
		if (is_file_mode(mode)) {
			*out = b;
			break;
		}
		next = link_target(cur, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
		git_blob_free(b);
		git_tree_entry_free(te);
		te = NULL;
		free(cur);
		cur = next;
		if (!cur)
			break;
	}
	git_tree_entry_free(te);
	free(cur);
	return err;
}

int lg_facts_read_file(git_blob **out, git_repository *repo, git_tree *tree, const char *path)
{
	return read_file(out, repo, NULL, tree, path);
}

static int tree_blob(git_blob **out, struct tctx *t, const char *path)
{
	return read_file(out, t->fx->repo, t->fx->trees, t->tree, path);
}

/* The analysis of a Go blob, from the run's cache. */
static struct go_blob *go_blob(struct lg_facts *fx, git_blob *blob)
{
	const git_oid *id = git_blob_id(blob);
	struct go_blob *g;
	size_t slot, size = (size_t)git_blob_rawsize(blob);

	if (lg_oidmap_get(&fx->index, id, &slot))
		return fx->blobs[slot];
	g = lg_xcalloc(1, sizeof(*g));
	g->id = *id;
	g->readable = !too_big(fx, size);
	if (g->readable) {
		lg_gofile_analyze(&g->go, git_blob_rawcontent(blob), size);
		lg_godecls_scan(&g->decls, git_blob_rawcontent(blob), size);
	}
	fx->blobs = lg_xgrow(fx->blobs, sizeof(*fx->blobs), fx->nblobs + 1, &fx->alloc);
	fx->blobs[fx->nblobs] = g;
	lg_oidmap_put(&fx->index, id, fx->nblobs++);
	return g;
}

static int tree_go(struct go_blob **out, struct tctx *t, const char *path)
{
	git_tree_entry *te = NULL;
	git_blob *b = NULL;
	size_t slot;
	int err;

	*out = NULL;
	/* A regular file analysed before is answered by its id alone. */
	if (lg_treememo_bypath(&te, t->fx->trees, t->tree, path) == 0 && is_file_mode(git_tree_entry_filemode(te)) &&
	    lg_oidmap_get(&t->fx->index, git_tree_entry_id(te), &slot)) {
		git_tree_entry_free(te);
		*out = t->fx->blobs[slot];
		return 0;
	}
	git_tree_entry_free(te);
	git_error_clear();
	if ((err = tree_blob(&b, t, path)) < 0 || !b)
		return err;
	*out = go_blob(t->fx, b);
	git_blob_free(b);
	return 0;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? lg_xstrndup(path, (size_t)(slash - path)) : lg_xstrdup("");
}

static char *join(const char *dir, const char *name)
{
	return *dir ? lg_xasprintf("%s/%s", dir, name) : lg_xstrdup(name);
}

/* ---- go.mod ---- */

/* The nearest go.mod at or above dir, parsed (cached per directory). */
static int nearest_gomod(const struct gomod_entry **out, struct tctx *t, const char *dir)
{
	struct gomod_entry *e;
	char *cur = lg_xstrdup(dir);
	git_blob *b = NULL;
	size_t i;
	int err = 0;

	for (i = 0; i < t->nmods; i++) {
		if (!strcmp(t->mods[i].dir, dir)) {
			*out = &t->mods[i];
			free(cur);
			return 0;
		}
	}
	for (;;) {
		char *p = join(cur, "go.mod");

		err = tree_blob(&b, t, p);
		free(p);
		if (err < 0 || b || !*cur)
			break;
		p = dir_of(cur);
		free(cur);
		cur = p;
	}
	if (err < 0) {
		free(cur);
		return err;
	}
	t->mods = lg_xgrow(t->mods, sizeof(*t->mods), t->nmods + 1, &t->mods_alloc);
	e = &t->mods[t->nmods++];
	memset(e, 0, sizeof(*e));
	e->dir = lg_xstrdup(dir);
	e->mod.go = e->mod.toolchain = -1;
	if (b) {
		e->gomod = join(cur, "go.mod");
		if (too_big(t->fx, (size_t)git_blob_rawsize(b)))
			e->mod.error = lg_xstrdup("go.mod exceeds limits.max_blob_mb");
		else
			lg_gomod_parse(&e->mod, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
		git_blob_free(b);
	}
	free(cur);
	*out = e;
	return 0;
}

static void tctx_release(struct tctx *t)
{
	size_t i;

	for (i = 0; i < t->nmods; i++) {
		free(t->mods[i].dir);
		free(t->mods[i].gomod);
		lg_gomod_release(&t->mods[i].mod);
	}
	free(t->mods);
	lg_ci_release(&t->ci);
	for (i = 0; i < t->ndfiles; i++)
		free(t->dfiles[i].path);
	free(t->dfiles);
	free(t->dir_key);
}

/* ---- CI ---- */

static int read_ci_file(struct tctx *t, const char *path, int root_go)
{
	git_blob *b = NULL;
	int err;

	if ((err = tree_blob(&b, t, path)) < 0 || !b)
		return err;
	if (too_big(t->fx, (size_t)git_blob_rawsize(b))) {
		char *e = lg_xasprintf("%s: exceeds limits.max_blob_mb", path);

		t->ci.present = true;
		t->ci.errors = lg_xrealloc(t->ci.errors, (t->ci.nerrors + 1) * sizeof(char *));
		t->ci.errors[t->ci.nerrors++] = e;
	} else {
		lg_ci_read(&t->ci, path, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), root_go);
	}
	git_blob_free(b);
	return 0;
}

static int tree_ci(struct tctx *t)
{
	git_tree_entry *te = NULL;
	git_tree *wf = NULL;
	const struct gomod_entry *root;
	size_t i, n;
	int err;

	if (t->ci_done)
		return 0;
	t->ci_done = true;
	if ((err = nearest_gomod(&root, t, "")) < 0)
		return err;
	if ((err = read_ci_file(t, ".gitlab-ci.yml", root->mod.go)) < 0 ||
	    (err = read_ci_file(t, ".gitlab-ci.yaml", root->mod.go)) < 0)
		return err;
	if (lg_treememo_bypath(&te, t->fx->trees, t->tree, ".github/workflows") < 0) {
		git_error_clear();
		return 0;
	}
	if (git_tree_entry_type(te) == GIT_OBJECT_TREE && lg_treememo_open(&wf, t->fx->trees, git_tree_entry_id(te)) < 0) {
		git_tree_entry_free(te);
		return lg_error_set_git(LG_ENOTFOUND, ".github/workflows");
	}
	git_tree_entry_free(te);
	n = wf ? git_tree_entrycount(wf) : 0;
	for (i = 0; i < n && err == 0; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(wf, i);
		char *p = lg_xasprintf(".github/workflows/%s", git_tree_entry_name(e));

		if (lg_ci_path(p))
			err = read_ci_file(t, p, root->mod.go);
		free(p);
	}
	git_tree_free(wf);
	return err;
}

/* ---- linkname facts ---- */

int lg_facts_removal_go(const char *text)
{
	const char *p = text;

	while (p && (p = strstr(p, "go1.")) != NULL) {
		bool word = p == text || !((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z') ||
					   (p[-1] >= '0' && p[-1] <= '9') || p[-1] == '_');
		size_t n = 4;

		while (p[n] >= '0' && p[n] <= '9')
			n++;
		if (word && n > 4) {
			int minor = lg_build_go_tag(p, n);

			if (minor >= 0)
				return minor;
		}
		p += 4;
	}
	return -1;
}

/* "vendor/" (or ".../vendor/") prefix length of path, or 0. */
static size_t vendor_prefix(const char *path)
{
	const char *p = path;

	for (;;) {
		size_t n = strcspn(p, "/");

		if (!p[n])
			return 0;
		if (n == 6 && !memcmp(p, "vendor", 6))
			return (size_t)(p - path) + 7;
		p += n + 1;
	}
}

static int module_facts(struct tctx *t, struct lg_finding *f)
{
	struct lg_file_facts *ff = &f->file;
	const struct gomod_entry *e;
	char *dir = dir_of(f->path);
	size_t vp = vendor_prefix(f->path);
	int err;

	if ((err = nearest_gomod(&e, t, vp ? "" : dir)) < 0)
		goto done;
	if (e->gomod) {
		ff->gomod = lg_xstrdup(e->gomod);
		ff->module_go = e->mod.go;
		ff->module_toolchain = e->mod.toolchain;
		if (e->mod.error)
			ff->gomod_error = lg_xstrdup(e->mod.error);
	}
	if (vp) {
		/* A vendored package belongs to the module vendor/modules.txt
		 * lists it under; the main module's go.mod still sets the go line. */
		char *txt = lg_xasprintf("%.*smodules.txt", (int)vp, f->path);
		char *pkg = lg_xstrdup(dir + (strlen(dir) >= vp ? vp : strlen(dir)));
		git_blob *b = NULL;

		if ((err = tree_blob(&b, t, txt)) == 0 && b && !too_big(t->fx, (size_t)git_blob_rawsize(b)))
			f->vendored = lg_modules_txt_module(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), pkg);
		git_blob_free(b);
		free(txt);
		if (f->vendored)
			ff->module = lg_xstrdup(f->vendored);
		if (*pkg)
			ff->import_path = lg_xstrdup(pkg);
		free(pkg);
		goto done;
	}
	if (e->gomod && e->mod.module) {
		char *moddir = dir_of(e->gomod);
		size_t ml = strlen(moddir);
		const char *rel = dir + ml;

		if (ml && *rel == '/')
			rel++;
		ff->module = lg_xstrdup(e->mod.module);
		ff->import_path = *rel ? lg_xasprintf("%s/%s", e->mod.module, rel) : lg_xstrdup(e->mod.module);
		free(moddir);
	}
done:
	free(dir);
	return err;
}

static void build_facts(struct lg_finding *f, const struct go_blob *g)
{
	struct lg_file_facts *ff = &f->file;

	ff->build_implicit = lg_build_implicit(f->path);
	if (!g || !g->readable) {
		ff->build_error = lg_xstrdup("the file could not be read within limits.max_blob_mb");
		return;
	}
	ff->build_legacy = g->go.build_legacy;
	if (g->go.build_lines > 1) {
		ff->build_error = lg_xstrdup("multiple //go:build comments");
		return;
	}
	if (lg_build_go_versions(&ff->go_versions, ff->build_expr, f->path) < 0) {
		ff->build_error = lg_xstrdup(lg_error_last());
		lg_goranges_release(&ff->go_versions);
		return;
	}
	ff->go_versions_known = true;
}

static void sibling_facts(struct lg_finding *f, const struct go_blob *g)
{
	size_t i, alloc = 0;

	if (!g || !g->readable)
		return;
	f->siblings_known = true;
	/* Without a constraint there is none to share. */
	if (!f->file.build_expr)
		return;
	for (i = 0; i < g->go.ndirectives; i++) {
		const struct lg_directive *d = &g->go.directives[i];
		struct lg_sibling *s;

		if (d->line == f->line || d->malformed || !d->localname)
			continue;
		if (f->nsiblings == MAX_LISTED)
			break;
		f->siblings = lg_xgrow(f->siblings, sizeof(*f->siblings), f->nsiblings + 1, &alloc);
		s = &f->siblings[f->nsiblings++];
		s->line = d->line;
		s->localname = lg_xstrdup(d->localname);
		s->target = d->target ? lg_xstrdup(d->target) : NULL;
	}
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !memcmp(s + n - m, suffix, m);
}

/* Whether a file provides name: a linkname directive for it, or a
 * declaration that is not a bodyless func (that one is a linkname's
 * declaration placed elsewhere, only as good as the directive). */
static bool provides(const struct go_blob *g, const char *name)
{
	const struct lg_godecl *d;
	size_t i;

	for (i = 0; i < g->go.ndirectives; i++)
		if (g->go.directives[i].localname && !g->go.directives[i].malformed &&
		    !strcmp(g->go.directives[i].localname, name))
			return true;
	d = lg_godecls_find(&g->decls, name);
	return d && (!d->is_func || d->has_body);
}

struct candidate {
	char *path;
	const struct go_blob *g;
};

/* The Go files of one directory as the go command sees them, analysed;
 * kept for the next finding, which is usually in the same directory
 * (findings are handled in path order). */
static int load_dir(struct tctx *t, const char *dir)
{
	git_tree_entry *te = NULL;
	git_tree *dt = NULL;
	size_t i, n;
	int err = 0;

	if (t->dir_key && !strcmp(t->dir_key, dir))
		return 0;
	for (i = 0; i < t->ndfiles; i++)
		free(t->dfiles[i].path);
	t->ndfiles = 0;
	free(t->dir_key);
	t->dir_key = lg_xstrdup(dir);
	if (!*dir) {
		if (git_tree_dup(&dt, t->tree) < 0)
			return lg_error_set_git(LG_ERROR, "cannot read the tree");
	} else if (lg_treememo_bypath(&te, t->fx->trees, t->tree, dir) < 0) {
		git_error_clear();
	} else if (git_tree_entry_type(te) == GIT_OBJECT_TREE && lg_treememo_open(&dt, t->fx->trees, git_tree_entry_id(te)) < 0) {
		err = lg_error_set_git(LG_ENOTFOUND, dir);
	}
	git_tree_entry_free(te);
	n = dt ? git_tree_entrycount(dt) : 0;
	for (i = 0; i < n && err == 0; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(dt, i);
		git_filemode_t mode = git_tree_entry_filemode(e);
		char *path = join(dir, git_tree_entry_name(e));
		struct go_blob *g = NULL;
		size_t slot;

		if (!lg_added_go_path_built(path) || (mode != GIT_FILEMODE_LINK && !is_file_mode(mode))) {
			free(path);
			continue;
		}
		/* The run's cache answers by id, without reading the blob again. */
		if (mode != GIT_FILEMODE_LINK && lg_oidmap_get(&t->fx->index, git_tree_entry_id(e), &slot))
			g = t->fx->blobs[slot];
		else
			err = tree_go(&g, t, path);
		if (err == 0 && (i & 255) == 255)
			err = lg_deadline_check();
		if (err < 0 || !g) {
			free(path);
			continue;
		}
		t->dfiles = lg_xgrow(t->dfiles, sizeof(*t->dfiles), t->ndfiles + 1, &t->dfiles_alloc);
		t->dfiles[t->ndfiles].path = path;
		t->dfiles[t->ndfiles++].g = g;
	}
	git_tree_free(dt);
	return err;
}

/* Other files of f's directory and package that provide its local name.
 * Returns 0, 1 when more than MAX_LISTED do, or a negative error. */
static int fallback_candidates(struct candidate **out, size_t *nout, struct tctx *t, const struct lg_finding *f)
{
	char *dir = dir_of(f->path);
	size_t i, alloc = 0;
	int err;

	*out = NULL;
	*nout = 0;
	err = load_dir(t, dir);
	free(dir);
	for (i = 0; i < t->ndfiles && err == 0; i++) {
		const char *path = t->dfiles[i].path;
		const struct go_blob *g = t->dfiles[i].g;

		if (!strcmp(path, f->path) || (!f->file.is_test && has_suffix(path, "_test.go")) || !g->readable ||
		    (f->file.package && g->go.facts.package && strcmp(f->file.package, g->go.facts.package)) ||
		    !provides(g, f->localname))
			continue;
		if (*nout == MAX_LISTED) {
			/* More providers than anyone could mean: their constraints
			 * are not evaluated together, the fallback is unknown. */
			err = 1;
			break;
		}
		*out = lg_xgrow(*out, sizeof(**out), *nout + 1, &alloc);
		(*out)[*nout].path = lg_xstrdup(path);
		(*out)[(*nout)++].g = g;
	}
	return err;
}

static int cmp_range(const void *x, const void *y)
{
	const struct lg_gorange *a = x, *b = y;

	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

static void sort_ranges(struct lg_goranges *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_range);
}

static void fallback_compute(struct lg_finding *f, const struct candidate *cand, size_t ncand)
{
	struct lg_fallback *fb = &f->fallback;
	struct lg_bconstraint *c = lg_xcalloc(ncand + 1, sizeof(*c));
	struct lg_bmatrix m;
	struct lg_buf where = LG_BUF_INIT;
	unsigned char *gap = NULL, *over = NULL;
	size_t i, a, k, bad;
	int min = f->file.module_go, err;

	c[0].expr = f->file.build_expr;
	c[0].path = f->path;
	for (i = 0; i < ncand; i++) {
		if (cand[i].g->go.build_lines > 1) {
			fb->error = lg_xasprintf("%s: multiple //go:build comments", cand[i].path);
			free(c);
			return;
		}
		c[i + 1].expr = cand[i].g->go.facts.build_expr;
		c[i + 1].path = cand[i].path;
	}
	err = lg_bmatrix_eval(&m, &bad, c, ncand + 1, min > 0 ? &min : NULL, min > 0 ? 1 : 0);
	if (err < 0) {
		fb->error = bad < ncand + 1 ? lg_xasprintf("%s: %s", bad ? cand[bad - 1].path : f->path, lg_error_last())
					     : lg_xstrdup(lg_error_last());
		goto done;
	}
	fb->known = true;
	/* Per assignment of the other tags, so a gap under one GOOS is not
	 * hidden by a file that covers another. A release class where every
	 * assignment shows the gap (or overlap) is reported plainly; one where
	 * only some do is reported with `where`, one such assignment. */
	{
		unsigned char *gap_all = lg_xcalloc(m.nclass, 1), *over_all = lg_xcalloc(m.nclass, 1);
		size_t gap_a = SIZE_MAX, over_a = SIZE_MAX;

		gap = lg_xcalloc(m.nclass, 1);
		over = lg_xcalloc(m.nclass, 1);
		memset(gap_all, 1, m.nclass);
		memset(over_all, 1, m.nclass);
		for (k = 0; k < m.nclass; k++) {
			if (min > 0 && lg_bmatrix_class_hi(&m, k) != LG_GO_OPEN && lg_bmatrix_class_hi(&m, k) < min) {
				gap_all[k] = over_all[k] = 0;
				continue;
			}
			for (a = 0; a < m.nassign; a++) {
				size_t count = 0;

				for (i = 0; i < ncand + 1; i++)
					count += lg_bmatrix_get(&m, i, a, k);
				if (!count)
					gap[k] = 1;
				else
					gap_all[k] = 0;
				if (count > 1)
					over[k] = 1;
				else
					over_all[k] = 0;
			}
		}
		lg_bmatrix_ranges(&m, gap_all, &fb->gaps, NULL);
		lg_bmatrix_ranges(&m, over_all, &fb->overlaps, NULL);
		for (k = 0; k < m.nclass; k++) {
			gap[k] = gap[k] && !gap_all[k];
			over[k] = over[k] && !over_all[k];
		}
		/* An assignment that shows a gap (overlap) of the partial kind. */
		for (a = 0; a < m.nassign && (gap_a == SIZE_MAX || over_a == SIZE_MAX); a++) {
			for (k = 0; k < m.nclass; k++) {
				size_t count = 0;

				if (!gap[k] && !over[k])
					continue;
				for (i = 0; i < ncand + 1; i++)
					count += lg_bmatrix_get(&m, i, a, k);
				if (gap[k] && !count && gap_a == SIZE_MAX)
					gap_a = a;
				if (over[k] && count > 1 && over_a == SIZE_MAX)
					over_a = a;
			}
		}
		lg_bmatrix_describe(&m, gap_a == SIZE_MAX ? 0 : gap_a, &where);
		lg_bmatrix_ranges(&m, gap, &fb->gaps, where.len ? where.ptr : NULL);
		lg_buf_clear(&where);
		lg_bmatrix_describe(&m, over_a == SIZE_MAX ? 0 : over_a, &where);
		lg_bmatrix_ranges(&m, over, &fb->overlaps, where.len ? where.ptr : NULL);
		sort_ranges(&fb->gaps);
		sort_ranges(&fb->overlaps);
		free(gap_all);
		free(over_all);
	}
	fb->paths = ncand ? lg_xcalloc(ncand, sizeof(*fb->paths)) : NULL;
	for (i = 0; i < ncand; i++)
		fb->paths[fb->npaths++] = lg_xstrdup(cand[i].path);
done:
	free(gap);
	free(over);
	free(c);
	lg_buf_release(&where);
	lg_bmatrix_release(&m);
}

static int fallback_facts(struct tctx *t, struct lg_finding *f)
{
	struct candidate *cand = NULL;
	size_t ncand = 0, i;
	int err;

	if (!f->localname || f->malformed)
		return 0;
	if (f->file.build_error) {
		f->fallback.error = lg_xasprintf("%s: %s", f->path, f->file.build_error);
		return 0;
	}
	if ((err = fallback_candidates(&cand, &ncand, t, f)) == 0)
		fallback_compute(f, cand, ncand);
	else if (err > 0)
		f->fallback.error = lg_xasprintf("more than %d files of %s's directory provide '%s'", MAX_LISTED, f->path,
						 f->localname);
	for (i = 0; i < ncand; i++)
		free(cand[i].path);
	free(cand);
	return err < 0 ? err : 0;
}

static void removal_facts(struct lg_finding *f)
{
	int reached = f->file.module_go > f->file.module_toolchain ? f->file.module_go : f->file.module_toolchain;

	if (!f->rationale.present || !f->rationale.removed_when)
		return;
	f->removal_go = lg_facts_removal_go(f->rationale.removed_when);
	if (f->removal_go < 0)
		return;
	if (reached >= 0)
		f->removal_expired = reached >= f->removal_go;
	else if (f->file.gomod && !f->file.gomod_error)
		f->removal_expired = 0;
}

static int linkname_facts(struct tctx *t, struct lg_finding *f)
{
	struct go_blob *g = NULL;
	int err;

	if ((err = tree_go(&g, t, f->path)) < 0 || (err = module_facts(t, f)) < 0)
		return err;
	f->target_class = lg_target_class(f->target, f->target_pkg, f->target_sym, f->file.module);
	build_facts(f, g);
	sibling_facts(f, g);
	removal_facts(f);
	if ((err = fallback_facts(t, f)) < 0)
		return err;
	if (t->fx->gosrc) {
		const struct lg_godecl *local = g && g->readable && f->localname ? lg_godecls_find(&g->decls, f->localname) : NULL;

		if ((err = lg_gosrc_check(t->fx->gosrc, f, local)) < 0)
			return err;
	}
	if ((err = tree_ci(t)) < 0)
		return err;
	if (t->ci.present)
		lg_ci_copy(&f->ci, &t->ci);
	return 0;
}

/* ---- flags in YAML ---- */

static bool yaml_carrier(const struct lg_finding *f)
{
	return f->carrier && (!strcmp(f->carrier, "yaml") || !strcmp(f->carrier, "goreleaser") ||
			      has_suffix(f->path, ".yml") || has_suffix(f->path, ".yaml"));
}

/* YAML paths for the flag findings v[0..n), which share one path. */
static int yaml_paths(struct tctx *t, struct lg_finding *const *v, size_t n)
{
	git_blob *b = NULL;
	unsigned *lines;
	char **paths;
	size_t i;
	int err;

	if ((err = tree_blob(&b, t, v[0]->path)) < 0 || !b)
		return err;
	if (too_big(t->fx, (size_t)git_blob_rawsize(b))) {
		git_blob_free(b);
		return 0;
	}
	lines = lg_xcalloc(n, sizeof(*lines));
	paths = lg_xcalloc(n, sizeof(*paths));
	for (i = 0; i < n; i++)
		lines[i] = v[i]->line;
	/* A file that does not parse leaves the paths unknown. */
	if (lg_yaml_paths(paths, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), lines, n, LG_FLAGS_NEEDLE) < 0)
		lg_error_clear();
	for (i = 0; i < n; i++) {
		free(v[i]->yaml_path);
		v[i]->yaml_path = paths[i];
	}
	free(paths);
	free(lines);
	git_blob_free(b);
	return 0;
}

/* ---- driving ---- */

static int cmp_by_path(const void *x, const void *y)
{
	const struct lg_finding *a = *(struct lg_finding *const *)x, *b = *(struct lg_finding *const *)y;
	int c = strcmp(a->path, b->path);

	return c ? c : (a->line < b->line ? -1 : a->line > b->line);
}

int lg_facts_fill_tree(struct lg_facts *fx, git_tree *tree, struct lg_finding *const *v, size_t n)
{
	struct tctx t;
	struct lg_finding **sorted = NULL, **flags = NULL;
	size_t i, nflags = 0;
	int err = 0;

	memset(&t, 0, sizeof(t));
	t.fx = fx;
	t.tree = tree;
	if (!n)
		return 0;
	sorted = lg_xcalloc(n, sizeof(*sorted));
	memcpy(sorted, v, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_by_path);
	flags = lg_xcalloc(n, sizeof(*flags));
	for (i = 0; i < n && err == 0; i++) {
		struct lg_finding *f = sorted[i];

		if (f->kind == LG_FINDING_LINKNAME)
			err = linkname_facts(&t, f);
		else if (yaml_carrier(f))
			flags[nflags++] = f;
		if (err == 0)
			err = lg_deadline_check();
	}
	for (i = 0; i < nflags && err == 0;) {
		size_t e = i;

		while (e < nflags && !strcmp(flags[e]->path, flags[i]->path))
			e++;
		err = yaml_paths(&t, flags + i, e - i);
		i = e;
	}
	free(flags);
	free(sorted);
	tctx_release(&t);
	return err;
}

/* A finding in the order facts are gathered: grouped by commit, the groups
 * in the order their first finding came (the push's order, parents first,
 * so consecutive commits share most trees in the memo). */
struct ordered {
	size_t group, i;
	git_oid commit;
};

static int cmp_ordered(const void *x, const void *y)
{
	const struct ordered *a = x, *b = y;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

int lg_facts_fill(struct lg_facts *fx, struct lg_findings *findings)
{
	struct ordered *o = lg_xcalloc(findings->n + 1, sizeof(*o));
	struct lg_finding **v = lg_xcalloc(findings->n + 1, sizeof(*v));
	struct lg_oidmap first;
	size_t i, n = 0, group;
	int err = 0;

	lg_oidmap_init(&first);
	for (i = 0; i < findings->n && !err; i++) {
		const struct lg_finding *f = findings->v[i];

		if (!f->commit || !f->commit->id[0])
			continue;
		if (git_oid_fromstr(&o[n].commit, f->commit->id) < 0) {
			err = lg_error_set(LG_ERROR, "a finding names a malformed commit id");
			break;
		}
		if (!lg_oidmap_get(&first, &o[n].commit, &group)) {
			group = n;
			lg_oidmap_put(&first, &o[n].commit, group);
		}
		o[n].group = group;
		o[n++].i = i;
	}
	lg_oidmap_release(&first);
	qsort(o, n, sizeof(*o), cmp_ordered);
	for (i = 0; i < n; i++)
		v[i] = findings->v[o[i].i];
	for (i = 0; i < n && err == 0;) {
		size_t e = i;
		git_commit *c = NULL;
		git_tree *tree = NULL;

		while (e < n && o[e].group == o[i].group)
			e++;
		if (git_commit_lookup(&c, fx->repo, &o[i].commit) < 0 ||
		    lg_treememo_open(&tree, fx->trees, git_commit_tree_id(c)) < 0)
			err = lg_error_set_git(LG_ENOTFOUND, "cannot read the tree of a pushed commit");
		else
			err = lg_facts_fill_tree(fx, tree, v + i, e - i);
		git_tree_free(tree);
		git_commit_free(c);
		i = e;
	}
	free(v);
	free(o);
	return err;
}
