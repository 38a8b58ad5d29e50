/* gosrc.c — linkname targets looked up in Go source trees (see gosrc.h). */
#include "linkgate/gosrc.h"
#include "linkgate/buf.h"
#include "linkgate/directive.h"
#include "linkgate/error.h"
#include "linkgate/gofacts.h"
#include "linkgate/gomod.h"
#include "linkgate/targetclass.h"

#include <dirent.h>
#include <sys/stat.h>

/* Larger source files are not read (the standard library has none). */
#define MAX_SOURCE_FILE (16u << 20)

struct src_file {
	char *rel;              /* "src/runtime/stubs.go", relative to the tree */
	struct lg_godecls decls;
	struct lg_directive *directives;
	size_t ndirectives;
};

struct pkg_index {
	char *pkg;
	struct src_file *files;
	size_t nfiles;
};

struct tree {
	char *dir;              /* as configured */
	char *src;              /* the directory holding runtime/ */
	char *rel_prefix;       /* "src/" or "" for paths shown to people */
	char *version;          /* "go1.22.3" or "go1.22" */
	int minor;
	struct pkg_index **pkgs; /* pointers: an index stays put while others are added */
	size_t npkgs, pkgs_alloc;
};

struct lg_gosrc {
	struct tree *trees;
	size_t n;
};

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The release named by a VERSION file's first line, or -1. */
static int read_version(char **version, const char *path)
{
	struct lg_buf b = LG_BUF_INIT;
	size_t n;
	int minor = -1;

	lg_buf_init(&b);
	if (lg_buf_read_file(&b, path, 4096) < 0) {
		lg_error_clear();
		goto done;
	}
	n = strcspn(b.ptr, "\r\n");
	minor = lg_go_minor(b.ptr, n, true);
	if (minor >= 0)
		*version = lg_xstrndup(b.ptr, n);
done:
	lg_buf_release(&b);
	return minor;
}

/* The release named by a path element: go-1.N, go1.N, golang-1.N. */
static int version_from_path(char **version, const char *dir)
{
	const char *p = dir;

	while (*p) {
		size_t n = strcspn(p, "/");
		int minor = -1;

		if (n > 3 && !memcmp(p, "go-", 3))
			minor = lg_go_minor(p + 3, n - 3, false);
		else if (n > 2 && !memcmp(p, "go", 2) && p[2] == '1')
			minor = lg_go_minor(p, n, true);
		else if (n > 7 && !memcmp(p, "golang-", 7))
			/* Debian's golang-1.19-src */
			minor = lg_go_minor(p + 7, strcspn(p + 7, "-/"), false);
		if (minor >= 0) {
			*version = lg_xasprintf("go1.%d", minor);
			return minor;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	return -1;
}

static int open_tree(struct tree *t, const char *dir)
{
	char *p = NULL, *parent = NULL;
	int err = 0;

	memset(t, 0, sizeof(*t));
	t->dir = lg_xstrdup(dir);
	t->minor = -1;
	p = lg_xasprintf("%s/src/runtime", dir);
	if (is_dir(p)) {
		t->src = lg_xasprintf("%s/src", dir);
		t->rel_prefix = lg_xstrdup("src/");
		free(p);
		p = lg_xasprintf("%s/VERSION", dir);
		t->minor = read_version(&t->version, p);
	} else {
		free(p);
		p = lg_xasprintf("%s/runtime", dir);
		if (!is_dir(p)) {
			err = lg_error_set(LG_ECONFIG, "go_source: %s is not a Go source tree (no src/runtime or runtime directory)",
					   dir);
			goto done;
		}
		t->src = lg_xstrdup(dir);
		t->rel_prefix = lg_xstrdup("");
		free(p);
		p = lg_xasprintf("%s/VERSION", dir);
		t->minor = read_version(&t->version, p);
		if (t->minor < 0) {
			parent = lg_xasprintf("%s/../VERSION", dir);
			t->minor = read_version(&t->version, parent);
		}
	}
	if (t->minor < 0)
		t->minor = version_from_path(&t->version, dir);
	if (t->minor < 0)
		err = lg_error_set(LG_ECONFIG, "go_source: %s names no Go release (no VERSION file, no go1.N or go-1.N in its path)",
				   dir);
done:
	free(p);
	free(parent);
	return err;
}

static void release_index(struct pkg_index *x)
{
	size_t i;

	for (i = 0; i < x->nfiles; i++) {
		free(x->files[i].rel);
		lg_godecls_release(&x->files[i].decls);
		lg_directives_free(x->files[i].directives, x->files[i].ndirectives);
	}
	free(x->files);
	free(x->pkg);
}

static void release_tree(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->npkgs; i++) {
		release_index(t->pkgs[i]);
		free(t->pkgs[i]);
	}
	free(t->pkgs);
	free(t->dir);
	free(t->src);
	free(t->rel_prefix);
	free(t->version);
}

static int cmp_tree(const void *a, const void *b)
{
	const struct tree *x = a, *y = b;

	return x->minor < y->minor ? -1 : x->minor > y->minor;
}

int lg_gosrc_new(struct lg_gosrc **out, const struct lg_strlist *dirs)
{
	struct lg_gosrc *gs = lg_xcalloc(1, sizeof(*gs));
	size_t i;
	int err;

	*out = NULL;
	gs->trees = lg_xcalloc(dirs->n + 1, sizeof(*gs->trees));
	for (i = 0; i < dirs->n; i++) {
		if ((err = open_tree(&gs->trees[i], dirs->v[i])) < 0) {
			gs->n = i + 1;
			lg_gosrc_free(gs);
			return err;
		}
	}
	gs->n = dirs->n;
	if (gs->n)
		qsort(gs->trees, gs->n, sizeof(*gs->trees), cmp_tree);
	*out = gs;
	return 0;
}

void lg_gosrc_free(struct lg_gosrc *gs)
{
	size_t i;

	if (!gs)
		return;
	for (i = 0; i < gs->n; i++)
		release_tree(&gs->trees[i]);
	free(gs->trees);
	free(gs);
}

size_t lg_gosrc_count(const struct lg_gosrc *gs)
{
	return gs ? gs->n : 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The index of pkg in tree t, read on first use. */
static struct pkg_index *index_pkg(struct tree *t, const char *pkg)
{
	struct pkg_index *x;
	char *dir, **names = NULL;
	size_t i, nnames = 0, alloc = 0;
	DIR *d;
	struct dirent *e;

	for (i = 0; i < t->npkgs; i++)
		if (!strcmp(t->pkgs[i]->pkg, pkg))
			return t->pkgs[i];
	t->pkgs = lg_xgrow(t->pkgs, sizeof(*t->pkgs), t->npkgs + 1, &t->pkgs_alloc);
	x = t->pkgs[t->npkgs++] = lg_xcalloc(1, sizeof(*x));
	x->pkg = lg_xstrdup(pkg);
	/* An import path with ".." or a leading '/' cannot name a package. */
	if (strstr(pkg, "..") || pkg[0] == '/')
		return x;
	dir = lg_xasprintf("%s/%s", t->src, pkg);
	d = opendir(dir);
	while (d && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);

		if (n < 4 || strcmp(e->d_name + n - 3, ".go") || (n > 8 && !strcmp(e->d_name + n - 8, "_test.go")) ||
		    e->d_name[0] == '_' || e->d_name[0] == '.')
			continue;
		names = lg_xgrow(names, sizeof(*names), nnames + 1, &alloc);
		names[nnames++] = lg_xstrdup(e->d_name);
	}
	if (d)
		closedir(d);
	/* Directory order is the file system's: sort, so answers are stable. */
	if (nnames)
		qsort(names, nnames, sizeof(*names), cmp_name);
	x->files = lg_xcalloc(nnames + 1, sizeof(*x->files));
	for (i = 0; i < nnames; i++) {
		struct lg_buf b = LG_BUF_INIT;
		struct lg_gofile g;
		char *path = lg_xasprintf("%s/%s", dir, names[i]);
		struct src_file *f = &x->files[x->nfiles];

		lg_buf_init(&b);
		if (lg_buf_read_file(&b, path, MAX_SOURCE_FILE) == 0) {
			f->rel = lg_xasprintf("%s%s/%s", t->rel_prefix, pkg, names[i]);
			lg_godecls_scan(&f->decls, b.ptr, b.len);
			lg_gofile_analyze(&g, b.ptr, b.len);
			f->directives = g.directives;
			f->ndirectives = g.ndirectives;
			g.directives = NULL;
			g.ndirectives = 0;
			lg_gofile_release(&g);
			x->nfiles++;
		} else {
			lg_error_clear();
		}
		lg_buf_release(&b);
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	return x;
}

/* The declaration of sym in pkg, and where it is. */
static const struct lg_godecl *find_decl(struct pkg_index *x, const char *sym, const struct src_file **file)
{
	size_t i;

	for (i = 0; i < x->nfiles; i++) {
		const struct lg_godecl *d = lg_godecls_find(&x->files[i].decls, sym);

		if (d) {
			*file = &x->files[i];
			return d;
		}
	}
	return NULL;
}

/* A runtime `//go:linkname local target` that pushes the target into its
 * package: the declaration of local in the runtime. */
static const struct lg_godecl *find_push(struct tree *t, const char *target, const struct src_file **file)
{
	struct pkg_index *rt = index_pkg(t, "runtime");
	size_t i, k;

	for (i = 0; i < rt->nfiles; i++) {
		for (k = 0; k < rt->files[i].ndirectives; k++) {
			const struct lg_directive *d = &rt->files[i].directives[k];

			if (d->target && d->localname && !d->malformed && !strcmp(d->target, target)) {
				const struct lg_godecl *decl = find_decl(rt, d->localname, file);

				if (!decl) {
					*file = &rt->files[i];
					return NULL;
				}
				return decl;
			}
		}
	}
	return NULL;
}

static bool admitted(const struct lg_finding *f, int minor)
{
	size_t i;

	if (f->file.module_go >= 0 && minor < f->file.module_go)
		return false;
	if (!f->file.go_versions_known)
		return true;
	for (i = 0; i < f->file.go_versions.n; i++) {
		const struct lg_gorange *r = &f->file.go_versions.v[i];

		if ((r->lo == LG_GO_OPEN || minor >= r->lo) && (r->hi == LG_GO_OPEN || minor <= r->hi))
			return true;
	}
	return false;
}

int lg_gosrc_check(struct lg_gosrc *gs, struct lg_finding *f, const struct lg_godecl *local)
{
	size_t i, alloc = 0;

	if (!gs || !gs->n || !f->target || !f->target_pkg || !f->target_sym || f->malformed ||
	    !lg_std_package(f->target_pkg, f->file.module))
		return 0;
	f->target_check_known = true;
	for (i = 0; i < gs->n; i++) {
		struct tree *t = &gs->trees[i];
		struct pkg_index *x;
		const struct lg_godecl *d;
		const struct src_file *file = NULL;
		struct lg_target_check *c;

		if (!admitted(f, t->minor))
			continue;
		x = index_pkg(t, f->target_pkg);
		d = find_decl(x, f->target_sym, &file);
		if (!d && !file)
			d = find_push(t, f->target, &file);
		f->target_check = lg_xgrow(f->target_check, sizeof(*f->target_check), f->ntarget_check + 1, &alloc);
		c = &f->target_check[f->ntarget_check++];
		memset(c, 0, sizeof(*c));
		c->go = t->minor;
		c->version = lg_xstrdup(t->version);
		c->exists = d || file ? 1 : 0;
		c->shape_ok = -1;
		if (d) {
			c->where = lg_xasprintf("%s:%u", file->rel, d->line);
			c->shape_ok = lg_godecl_shape_cmp(local, d, &c->detail);
		} else if (file) {
			c->where = lg_xstrdup(file->rel);
		} else if (!x->nfiles) {
			c->detail = lg_xasprintf("package %s does not exist in %s", f->target_pkg, t->version);
		}
	}
	return 0;
}
