/* inventory.c — `linkgate scan`: linknames and flags at a revision (see
 * inventory.h). */
#include "linkgate/inventory.h"
#include "linkgate/added.h"
#include "linkgate/deadline.h"
#include "linkgate/error.h"
#include "linkgate/escape.h"
#include "linkgate/facts.h"
#include "linkgate/flags.h"
#include "linkgate/glob.h"
#include "linkgate/gofacts.h"
#include "linkgate/oidmap.h"
#include "linkgate/policy.h"
#include "linkgate/push.h"
#include "linkgate/report.h"
#include "linkgate/walk.h"

#include <jansson.h>

/* git's buffer_is_binary(): a NUL in the first 8000 bytes. */
#define BINARY_PROBE 8000

/* The default policy's rules that judge commit trailers: without a commit
 * they cannot be judged, and scan says so instead of calling them passed. */
static const struct {
	enum lg_finding_kind kind;
	const char *id;
} trailer_rules[] = {
	{ LG_FINDING_LINKNAME, "linkname.issue" },
	{ LG_FINDING_LINKNAME, "linkname.signoff" },
	{ LG_FINDING_CHECKLINKNAME_OFF, "checklinkname.issue" },
	{ LG_FINDING_CHECKLINKNAME_OFF, "checklinkname.owner" },
	{ LG_FINDING_CHECKLINKNAME_OFF, "checklinkname.remove-by" },
	{ LG_FINDING_CHECKLINKNAME_OFF, "checklinkname.signoff" },
};

void lg_scan_init(struct lg_scan *s)
{
	memset(s, 0, sizeof(*s));
	lg_findings_init(&s->findings);
	lg_verdict_init(&s->verdict);
}

void lg_scan_release(struct lg_scan *s)
{
	size_t i;

	lg_verdict_release(&s->verdict);
	lg_findings_release(&s->findings);
	for (i = 0; i < s->ncommits; i++) {
		lg_commit_info_release(s->commits[i]);
		free(s->commits[i]);
	}
	free(s->commits);
	free(s->unknown);
	free(s->rev_name);
	memset(s, 0, sizeof(*s));
}

/* ---- detection over the tree ---- */

struct walk {
	struct lg_scan *s;
	git_repository *repo;
	git_tree *root;
	const struct lg_config *cfg;
	const char *prefix;
	struct lg_flags *flags;
	struct lg_buf path;
	int err;
};

static int add_finding(struct walk *w, struct lg_finding *f)
{
	lg_findings_add(&w->s->findings, f);
	if (f->kind == LG_FINDING_LINKNAME)
		w->s->nlinknames++;
	else
		w->s->nflags++;
	if (w->cfg->limits.max_findings > 0 && w->s->findings.n > (size_t)w->cfg->limits.max_findings)
		return lg_error_set(LG_ELIMIT, "the revision holds more than %ld findings (limits.max_findings)",
				    w->cfg->limits.max_findings);
	return 0;
}

static int linkname_findings(struct walk *w, const char *path, const char *data, size_t size)
{
	struct lg_gofile g;
	size_t i;
	int err = 0;

	lg_gofile_analyze(&g, data, size);
	for (i = 0; i < g.ndirectives && err == 0; i++) {
		struct lg_finding *f = lg_gofile_finding(&g, i, path);

		err = add_finding(w, f);
	}
	lg_gofile_release(&g);
	return err;
}

static int flag_findings(struct walk *w, const char *path, const char *data, size_t size)
{
	struct lg_flag_hits h;
	size_t i;
	int err;

	lg_flag_hits_init(&h);
	if ((err = lg_flags_scan(w->flags, &h, data, size)) < 0) {
		err = lg_error_set(err, "%s: %s", path, lg_error_last());
		goto done;
	}
	for (i = 0; i < h.n && err == 0; i++) {
		struct lg_finding *f = lg_finding_new(LG_FINDING_CHECKLINKNAME_OFF);

		f->path = lg_xstrdup(path);
		f->line = h.v[i].line;
		f->text = lg_xstrndup(data + h.v[i].line_off, h.v[i].line_len);
		f->text_len = h.v[i].line_len;
		f->carrier = lg_flags_carrier(path);
		f->spelling = lg_xstrdup(h.v[i].spelling);
		err = add_finding(w, f);
	}
done:
	lg_flag_hits_release(&h);
	return err;
}

static int scan_blob(struct walk *w, const char *path, git_blob *blob, bool go)
{
	const char *data = git_blob_rawcontent(blob);
	size_t size = (size_t)git_blob_rawsize(blob);
	bool ln = go && memmem(data, size, LG_LINKNAME_NEEDLE, strlen(LG_LINKNAME_NEEDLE));
	bool fl = memmem(data, size, LG_FLAGS_NEEDLE, strlen(LG_FLAGS_NEEDLE)) &&
		  (go || !memchr(data, '\0', size < BINARY_PROBE ? size : BINARY_PROBE));
	int err = 0;

	if (!ln && !fl)
		return 0;
	if (w->cfg->limits.max_blob_mb > 0 && size > (size_t)w->cfg->limits.max_blob_mb * 1024 * 1024)
		return lg_error_set(LG_ELIMIT, "%s: a %zu MiB file that mentions %s exceeds limits.max_blob_mb (%ld)", path,
				    size >> 20, ln ? LG_LINKNAME_NEEDLE : LG_FLAGS_NEEDLE, w->cfg->limits.max_blob_mb);
	if (ln)
		err = linkname_findings(w, path, data, size);
	if (err == 0 && fl)
		err = flag_findings(w, path, data, size);
	return err;
}

static bool under_prefix(const char *path, const char *prefix)
{
	size_t n;

	if (!prefix || !*prefix)
		return true;
	n = strlen(prefix);
	return !strncmp(path, prefix, n) && (path[n] == '/' || path[n] == '\0');
}

/* A directory that cannot hold anything under the prefix: skipped whole. */
static bool dir_outside_prefix(const char *dir, const char *prefix)
{
	size_t n, d = strlen(dir);

	if (!prefix || !*prefix)
		return false;
	n = strlen(prefix);
	/* dir is on the way to the prefix, or inside it. */
	if (d <= n)
		return !(strncmp(prefix, dir, d) == 0 && (prefix[d] == '/' || prefix[d] == '\0'));
	return !under_prefix(dir, prefix);
}

static int walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct walk *w = payload;
	git_filemode_t mode = git_tree_entry_filemode(e);
	git_blob *blob = NULL;
	const char *path;
	bool go;

	lg_buf_clear(&w->path);
	lg_buf_puts(&w->path, root);
	lg_buf_puts(&w->path, git_tree_entry_name(e));
	path = w->path.ptr;
	if (mode == GIT_FILEMODE_TREE)
		return dir_outside_prefix(path, w->prefix) ? 1 : 0;
	if (!under_prefix(path, w->prefix) ||
	    lg_glob_match_any(w->cfg->paths_exclude.v, w->cfg->paths_exclude.n, path))
		return 0;
	go = lg_added_go_path_built(path);
	w->s->nfiles++;
	if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
		if (git_blob_lookup(&blob, w->repo, git_tree_entry_id(e)) < 0) {
			w->err = lg_error_set_git(LG_ENOTFOUND, path);
			return -1;
		}
	} else if (mode == GIT_FILEMODE_LINK && go) {
		/* Built with its in-tree target's content. */
		char *p = lg_xstrdup(path);

		w->err = lg_facts_read_file(&blob, w->repo, w->root, p);
		free(p);
		if (w->err < 0)
			return -1;
		if (!blob)
			return 0;
	} else {
		return 0; /* submodules, symlinks that are not Go files */
	}
	w->err = scan_blob(w, w->path.ptr, blob, go);
	git_blob_free(blob);
	if (w->err == 0 && (w->s->nfiles & 255) == 0)
		w->err = lg_deadline_check();
	return w->err < 0 ? -1 : 0;
}

static int cmp_findings(const void *x, const void *y)
{
	const struct lg_finding *a = *(struct lg_finding *const *)x, *b = *(struct lg_finding *const *)y;
	int c = strcmp(a->path, b->path);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return (int)a->kind - (int)b->kind;
}

/* ---- blame ---- */

static const struct lg_commit_info *blamed_commit(struct lg_scan *s, git_repository *repo, struct lg_oidmap *seen,
						  const git_oid *id, int *err)
{
	struct lg_commit_info *info;
	git_commit *c = NULL;
	size_t slot;

	if (lg_oidmap_get(seen, id, &slot))
		return s->commits[slot];
	if (git_commit_lookup(&c, repo, id) < 0) {
		*err = lg_error_set_git(LG_ENOTFOUND, "cannot read a commit that blame names");
		return NULL;
	}
	info = lg_xcalloc(1, sizeof(*info));
	if ((*err = lg_commit_info_load(info, c)) < 0) {
		git_commit_free(c);
		free(info);
		return NULL;
	}
	git_commit_free(c);
	s->commits = lg_xgrow(s->commits, sizeof(*s->commits), s->ncommits + 1, &s->commits_alloc);
	s->commits[s->ncommits] = info;
	lg_oidmap_put(seen, id, s->ncommits++);
	return info;
}

/* Each finding gets the commit that last changed its line. */
static int blame(struct lg_scan *s, git_repository *repo, const git_oid *rev)
{
	struct lg_oidmap seen;
	size_t i = 0;
	int err = 0;

	lg_oidmap_init(&seen);
	while (i < s->findings.n && err == 0) {
		const char *path = s->findings.v[i]->path;
		git_blame_options opts = GIT_BLAME_OPTIONS_INIT;
		git_blame *b = NULL;
		size_t e = i;

		while (e < s->findings.n && !strcmp(s->findings.v[e]->path, path))
			e++;
		opts.newest_commit = *rev;
		if (git_blame_file(&b, repo, path, &opts) < 0) {
			err = lg_error_set_git(LG_ERROR, path);
			break;
		}
		for (; i < e && err == 0; i++) {
			const git_blame_hunk *h = git_blame_get_hunk_byline(b, s->findings.v[i]->line);

			if (h)
				s->findings.v[i]->commit = blamed_commit(s, repo, &seen, &h->final_commit_id, &err);
		}
		git_blame_free(b);
		i = e;
		if (err == 0)
			err = lg_deadline_check();
	}
	lg_oidmap_release(&seen);
	return err;
}

/* ---- rules that need a commit ---- */

static bool default_policy_loaded(const struct lg_config *cfg, enum lg_severity *sev)
{
	size_t i;

	for (i = 0; i < cfg->npolicies; i++) {
		if (!strcmp(cfg->policies[i].path, "builtin:default")) {
			*sev = cfg->policies[i].has_mode && cfg->policies[i].mode != LG_MODE_ENFORCE ? LG_SEVERITY_WARNING
												      : LG_SEVERITY_ERROR;
			return true;
		}
	}
	return false;
}

static bool under_vendor(const struct lg_finding *f)
{
	return f->vendored || !strncmp(f->path, "vendor/", 7) || strstr(f->path, "/vendor/");
}

static void mark_unknown(struct lg_scan *s, const struct lg_config *cfg)
{
	enum lg_severity policy_sev;
	size_t i, k;

	if (!default_policy_loaded(cfg, &policy_sev))
		return;
	for (i = 0; i < s->findings.n; i++) {
		const struct lg_finding *f = s->findings.v[i];

		if (f->commit || (f->kind == LG_FINDING_LINKNAME && under_vendor(f)) ||
		    (f->kind == LG_FINDING_CHECKLINKNAME_OFF && f->carrier && !strcmp(f->carrier, "doc")))
			continue;
		for (k = 0; k < LG_ARRAY_SIZE(trailer_rules); k++) {
			enum lg_rule_setting set;
			struct lg_unknown_rule *u;

			if (trailer_rules[k].kind != f->kind)
				continue;
			set = lg_config_rule_setting(cfg, trailer_rules[k].id, LG_RULE_ERROR);
			if (set == LG_RULE_OFF)
				continue;
			s->unknown = lg_xgrow(s->unknown, sizeof(*s->unknown), s->nunknown + 1, &s->unknown_alloc);
			u = &s->unknown[s->nunknown++];
			u->finding = f;
			u->rule = trailer_rules[k].id;
			u->severity = set == LG_RULE_WARNING ? LG_SEVERITY_WARNING : policy_sev;
		}
	}
}

/* ---- running ---- */

int lg_scan_run(struct lg_scan *s, git_repository *repo, const struct lg_config *cfg, const struct lg_scan_opts *o)
{
	const char *rev = o->rev ? o->rev : "HEAD";
	git_object *obj = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	struct lg_facts *fx = NULL;
	struct lg_policy *policy = NULL;
	struct lg_push push;
	struct walk w;
	int err = 0;

	memset(&w, 0, sizeof(w));
	lg_push_init(&push);
	s->rev_name = lg_xstrdup(rev);
	if (git_revparse_single(&obj, repo, rev) < 0 || git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		err = lg_error_set(LG_EUSAGE, "'%s' does not name a commit", rev);
		goto done;
	}
	git_oid_tostr(s->rev, sizeof(s->rev), git_commit_id(commit));
	if (git_commit_tree(&tree, commit) < 0) {
		err = lg_error_set_git(LG_ENOTFOUND, "cannot read the commit's tree");
		goto done;
	}
	w.s = s;
	w.repo = repo;
	w.root = tree;
	w.cfg = cfg;
	w.prefix = o->prefix;
	lg_buf_init(&w.path);
	if ((err = lg_flags_new(&w.flags)) < 0)
		goto done;
	if (git_tree_walk(tree, GIT_TREEWALK_PRE, walk_cb, &w) < 0) {
		err = w.err < 0 ? w.err : lg_error_set_git(LG_ERROR, "cannot walk the tree");
		goto done;
	}
	if (s->findings.n)
		qsort(s->findings.v, s->findings.n, sizeof(*s->findings.v), cmp_findings);
	if ((err = lg_facts_new(&fx, repo, cfg, NULL)) < 0 ||
	    (err = lg_facts_fill_tree(fx, tree, s->findings.v, s->findings.n)) < 0)
		goto done;
	if (o->blame && s->findings.n) {
		if ((err = blame(s, repo, git_commit_id(commit))) < 0)
			goto done;
		s->blamed = true;
	}
	if (s->findings.n) {
		if ((err = lg_policy_new(&policy, cfg)) < 0 ||
		    (err = lg_policy_eval(policy, &s->verdict, &s->findings, &push, o->now)) < 0)
			goto done;
	}
	mark_unknown(s, cfg);
done:
	lg_policy_free(policy);
	lg_facts_free(fx);
	lg_flags_free(w.flags);
	lg_buf_release(&w.path);
	lg_push_release(&push);
	git_tree_free(tree);
	git_commit_free(commit);
	git_object_free(obj);
	return err;
}

size_t lg_scan_errors(const struct lg_scan *s)
{
	return s->verdict.nerrors;
}

/* ---- writers ---- */

/* Violations and unknown rules grouped by finding, so that writing them
 * is linear in their number: for findings.v[i], verdict.v[vidx[k]] for k in
 * [vstart[i], vstart[i + 1]), and unknown[uidx[k]] likewise. */
struct by_finding {
	size_t *vstart, *vidx, *ustart, *uidx;
};

struct ptr_index {
	const struct lg_finding *f;
	size_t i;
};

static int cmp_ptr(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)((const struct ptr_index *)x)->f, b = (uintptr_t)((const struct ptr_index *)y)->f;

	return a < b ? -1 : a > b;
}

static size_t finding_index(const struct ptr_index *pi, size_t n, const struct lg_finding *f)
{
	struct ptr_index key = { f, 0 };
	const struct ptr_index *hit = n ? bsearch(&key, pi, n, sizeof(*pi), cmp_ptr) : NULL;

	return hit ? hit->i : n;
}

/* Counting sort of items (each naming its finding) into start/idx. */
static void bucket(const struct ptr_index *pi, size_t nf, size_t n, const struct lg_finding *(*finding_of)(const struct lg_scan *, size_t),
		   const struct lg_scan *s, size_t **start_out, size_t **idx_out)
{
	size_t *start = lg_xcalloc(nf + 2, sizeof(*start)), *idx = lg_xcalloc(n + 1, sizeof(*idx)), *fill, k;
	size_t *where = lg_xcalloc(n + 1, sizeof(*where));

	for (k = 0; k < n; k++) {
		where[k] = finding_index(pi, nf, finding_of(s, k));
		start[where[k] + 1]++;
	}
	for (k = 0; k < nf + 1; k++)
		start[k + 1] += start[k];
	fill = lg_xcalloc(nf + 2, sizeof(*fill));
	memcpy(fill, start, (nf + 2) * sizeof(*fill));
	/* Stable: items keep their order within a finding. */
	for (k = 0; k < n; k++)
		idx[fill[where[k]]++] = k;
	free(fill);
	free(where);
	*start_out = start;
	*idx_out = idx;
}

static const struct lg_finding *violation_finding(const struct lg_scan *s, size_t k)
{
	return s->verdict.v[k].finding;
}

static const struct lg_finding *unknown_finding(const struct lg_scan *s, size_t k)
{
	return s->unknown[k].finding;
}

static void group(const struct lg_scan *s, struct by_finding *g)
{
	struct ptr_index *pi = lg_xcalloc(s->findings.n + 1, sizeof(*pi));
	size_t i;

	for (i = 0; i < s->findings.n; i++) {
		pi[i].f = s->findings.v[i];
		pi[i].i = i;
	}
	if (s->findings.n)
		qsort(pi, s->findings.n, sizeof(*pi), cmp_ptr);
	bucket(pi, s->findings.n, s->verdict.n, violation_finding, s, &g->vstart, &g->vidx);
	bucket(pi, s->findings.n, s->nunknown, unknown_finding, s, &g->ustart, &g->uidx);
	free(pi);
}

static void group_release(struct by_finding *g)
{
	free(g->vstart);
	free(g->vidx);
	free(g->ustart);
	free(g->uidx);
}

/* "go1.20-go1.22, go1.24 and later" */
static void put_ranges(struct lg_buf *b, const struct lg_goranges *l)
{
	size_t i;

	if (!l->n)
		lg_buf_puts(b, "none");
	for (i = 0; i < l->n; i++) {
		int lo = l->v[i].lo, hi = l->v[i].hi;

		if (i)
			lg_buf_puts(b, ", ");
		if (lo >= 0 && hi >= 0)
			lo == hi ? lg_buf_printf(b, "go1.%d", lo) : lg_buf_printf(b, "go1.%d-go1.%d", lo, hi);
		else if (lo >= 0)
			lg_buf_printf(b, "go1.%d and later", lo);
		else if (hi >= 0)
			lg_buf_printf(b, "up to go1.%d", hi);
		else
			lg_buf_puts(b, "every release");
		if (l->v[i].where)
			lg_buf_printf(b, " (with %s)", l->v[i].where);
	}
}

/* One line describing what the finding is (unescaped). */
static void what(struct lg_buf *b, const struct lg_finding *f)
{
	if (f->kind == LG_FINDING_LINKNAME) {
		lg_buf_printf(b, "linkname %s", f->localname ? f->localname : "?");
		if (f->target)
			lg_buf_printf(b, " -> %s", f->target);
		if (f->target_class)
			lg_buf_printf(b, " [%s]", f->target_class);
		if (f->vendored)
			lg_buf_printf(b, " (vendored: %s)", f->vendored);
	} else {
		lg_buf_printf(b, "checklinkname-off %s [%s]", f->spelling ? f->spelling : "?",
			      f->carrier ? f->carrier : "text");
		if (f->yaml_path)
			lg_buf_printf(b, " at %s", f->yaml_path);
	}
}

static void facts_line(struct lg_buf *b, const struct lg_finding *f)
{
	if (f->kind != LG_FINDING_LINKNAME)
		return;
	lg_buf_puts(b, "go releases: ");
	if (f->file.go_versions_known)
		put_ranges(b, &f->file.go_versions);
	else
		lg_buf_printf(b, "unknown (%s)", f->file.build_error ? f->file.build_error : "?");
	if (f->file.build_expr)
		lg_buf_printf(b, " (//go:build %s)", f->file.build_expr);
	if (f->fallback.known) {
		lg_buf_puts(b, "; fallback: ");
		lg_buf_puts(b, f->fallback.npaths ? f->fallback.paths[0] : "none");
		if (f->fallback.gaps.n) {
			lg_buf_puts(b, ", gaps ");
			put_ranges(b, &f->fallback.gaps);
		}
		if (f->fallback.overlaps.n) {
			lg_buf_puts(b, ", overlaps ");
			put_ranges(b, &f->fallback.overlaps);
		}
	}
	if (f->removal_expired > 0)
		lg_buf_printf(b, "; removal trigger go1.%d reached", f->removal_go);
}

static void put_escaped_line(struct lg_buf *out, const char *indent, const struct lg_buf *b)
{
	lg_buf_puts(out, indent);
	lg_escape(out, b->ptr, b->len);
	lg_buf_putc(out, '\n');
}

void lg_scan_text(struct lg_buf *out, const struct lg_scan *s)
{
	struct lg_buf b = LG_BUF_INIT;
	struct by_finding g;
	size_t i, k;

	lg_buf_init(&b);
	group(s, &g);
	lg_buf_puts(out, "linkgate scan of ");
	lg_escape_str(out, s->rev_name);
	lg_buf_printf(out, " (%.12s): %zu linkname%s, %zu disabling flag%s in %zu file%s; %zu error%s, %zu warning%s\n",
		      s->rev, s->nlinknames, s->nlinknames == 1 ? "" : "s", s->nflags, s->nflags == 1 ? "" : "s",
		      s->nfiles, s->nfiles == 1 ? "" : "s", s->verdict.nerrors, s->verdict.nerrors == 1 ? "" : "s", s->verdict.nwarnings,
		      s->verdict.nwarnings == 1 ? "" : "s");
	if (s->nunknown)
		lg_buf_printf(out, "%zu trailer rule check%s unknown: run scan --blame to judge them against the commits that added the lines\n",
			      s->nunknown, s->nunknown == 1 ? " is" : "s are");
	for (i = 0; i < s->findings.n; i++) {
		const struct lg_finding *f = s->findings.v[i];

		lg_buf_putc(out, '\n');
		lg_escape_str(out, f->path);
		lg_buf_printf(out, ":%u  ", f->line);
		lg_buf_clear(&b);
		what(&b, f);
		lg_escape(out, b.ptr, b.len);
		lg_buf_putc(out, '\n');
		lg_buf_clear(&b);
		facts_line(&b, f);
		if (b.len)
			put_escaped_line(out, "    ", &b);
		if (f->commit) {
			lg_buf_clear(&b);
			lg_buf_printf(&b, "added by %.12s %s", f->commit->id, f->commit->summary ? f->commit->summary : "");
			put_escaped_line(out, "    ", &b);
		}
		for (k = g.vstart[i]; k < g.vstart[i + 1]; k++) {
			const struct lg_violation *v = &s->verdict.v[g.vidx[k]];

			lg_buf_clear(&b);
			lg_buf_printf(&b, "[%s] %s: %s", v->rule, lg_severity_name(v->severity), v->message ? v->message : "");
			put_escaped_line(out, "    ", &b);
		}
		for (k = g.ustart[i]; k < g.ustart[i + 1]; k++)
			lg_buf_printf(out, "    [%s] unknown: needs the commit that added the line (scan --blame)\n",
				      s->unknown[g.uidx[k]].rule);
	}
	group_release(&g);
	lg_buf_release(&b);
}

/* Markdown cell text: escaped for terminals, then '|' and '`' and '<'
 * made inert, since the text came from the repository. */
static void md_cell(struct lg_buf *out, const char *s, size_t n)
{
	struct lg_buf e = LG_BUF_INIT;
	size_t i;

	lg_buf_init(&e);
	lg_escape(&e, s, n);
	for (i = 0; i < e.len; i++) {
		char c = e.ptr[i];

		if (c == '|' || c == '`' || c == '*' || c == '_' || c == '[' || c == ']' || c == '<' || c == '>')
			lg_buf_putc(out, '\\');
		lg_buf_putc(out, c);
	}
	lg_buf_release(&e);
}

void lg_scan_markdown(struct lg_buf *out, const struct lg_scan *s)
{
	struct lg_buf b = LG_BUF_INIT;
	struct by_finding g;
	size_t i, k;

	lg_buf_init(&b);
	lg_buf_puts(out, "### linkgate scan of ");
	md_cell(out, s->rev_name, strlen(s->rev_name));
	lg_buf_printf(out, " (%.12s)\n\n", s->rev);
	lg_buf_printf(out, "%zu linkname%s, %zu disabling flag%s; %zu errors, %zu warnings", s->nlinknames,
		      s->nlinknames == 1 ? "" : "s", s->nflags, s->nflags == 1 ? "" : "s",
		      s->verdict.nerrors, s->verdict.nwarnings);
	if (s->nunknown)
		lg_buf_printf(out, "; %zu trailer rule checks unknown (run `linkgate scan --blame`)", s->nunknown);
	lg_buf_puts(out, ".\n\n");
	if (!s->findings.n) {
		lg_buf_release(&b);
		return;
	}
	group(s, &g);
	lg_buf_puts(out, "| Location | Kind | What | Class / carrier | Go releases | Fallback | Failing rules |\n");
	lg_buf_puts(out, "|---|---|---|---|---|---|---|\n");
	for (i = 0; i < s->findings.n; i++) {
		const struct lg_finding *f = s->findings.v[i];
		bool any = false;

		lg_buf_puts(out, "| ");
		lg_buf_clear(&b);
		lg_buf_printf(&b, "%s:%u", f->path, f->line);
		md_cell(out, b.ptr, b.len);
		lg_buf_printf(out, " | %s | ", lg_finding_kind_name(f->kind));
		lg_buf_clear(&b);
		if (f->kind == LG_FINDING_LINKNAME)
			lg_buf_printf(&b, "%s%s%s", f->localname ? f->localname : "?", f->target ? " -> " : "",
				      f->target ? f->target : "");
		else
			lg_buf_printf(&b, "%s%s%s", f->spelling ? f->spelling : "?", f->yaml_path ? " at " : "",
				      f->yaml_path ? f->yaml_path : "");
		md_cell(out, b.ptr, b.len);
		lg_buf_puts(out, " | ");
		lg_buf_clear(&b);
		lg_buf_puts(&b, f->kind == LG_FINDING_LINKNAME ? (f->target_class ? f->target_class : "") :
								  (f->carrier ? f->carrier : ""));
		if (f->vendored)
			lg_buf_printf(&b, " (vendored: %s)", f->vendored);
		md_cell(out, b.ptr, b.len);
		lg_buf_puts(out, " | ");
		lg_buf_clear(&b);
		if (f->kind == LG_FINDING_LINKNAME) {
			if (f->file.go_versions_known)
				put_ranges(&b, &f->file.go_versions);
			else
				lg_buf_puts(&b, "unknown");
		}
		md_cell(out, b.ptr, b.len);
		lg_buf_puts(out, " | ");
		lg_buf_clear(&b);
		if (f->fallback.known) {
			lg_buf_puts(&b, f->fallback.npaths ? f->fallback.paths[0] : "none");
			if (f->fallback.gaps.n) {
				lg_buf_puts(&b, "; gaps ");
				put_ranges(&b, &f->fallback.gaps);
			}
		}
		md_cell(out, b.ptr, b.len);
		lg_buf_puts(out, " | ");
		for (k = g.vstart[i]; k < g.vstart[i + 1]; k++) {
			const struct lg_violation *v = &s->verdict.v[g.vidx[k]];

			lg_buf_printf(out, "%s`%s` (%s)", any ? ", " : "", v->rule, lg_severity_name(v->severity));
			any = true;
		}
		for (k = g.ustart[i]; k < g.ustart[i + 1]; k++) {
			lg_buf_printf(out, "%s`%s` (unknown)", any ? ", " : "", s->unknown[g.uidx[k]].rule);
			any = true;
		}
		lg_buf_puts(out, any ? " |\n" : "none |\n");
	}
	group_release(&g);
	lg_buf_release(&b);
}

static bool jappend_ok(json_t *arr, json_t *v)
{
	return arr && v && json_array_append_new(arr, v) == 0;
}

static bool jset_ok(json_t *o, const char *k, json_t *v)
{
	return o && v && json_object_set_new(o, k, v) == 0;
}

/* A JSON string for text that may not be UTF-8 (U+FFFD for bad bytes). */
static json_t *jtext(const char *s)
{
	struct lg_buf b = LG_BUF_INIT;
	json_t *v;
	size_t n;

	if (!s)
		return json_null();
	n = strlen(s);
	if (lg_utf8_valid(s, n))
		return json_stringn(s, n);
	lg_buf_init(&b);
	lg_utf8_replace_invalid(&b, s, n);
	v = json_stringn(b.ptr, b.len);
	lg_buf_release(&b);
	return v;
}

static int dump(struct lg_buf *out, json_t *root, bool ok)
{
	char *text;

	if (!ok || !root) {
		json_decref(root);
		return lg_error_set(LG_ERROR, "scan: out of memory building JSON");
	}
	text = json_dumps(root, JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return lg_error_set(LG_ERROR, "scan: cannot serialise JSON");
	lg_buf_puts(out, text);
	lg_buf_putc(out, '\n');
	free(text);
	return 0;
}

int lg_scan_json(struct lg_buf *out, const struct lg_scan *s)
{
	json_t *root = json_array();
	bool ok = root != NULL;
	struct by_finding g;
	size_t i, k;

	group(s, &g);
	for (i = 0; ok && i < s->findings.n; i++) {
		const struct lg_finding *f = s->findings.v[i];
		json_t *o = lg_report_finding_json(f), *viols = json_array();

		ok = o && viols;
		for (k = g.vstart[i]; ok && k < g.vstart[i + 1]; k++) {
			const struct lg_violation *v = &s->verdict.v[g.vidx[k]];
			json_t *j = json_object();

			ok = jset_ok(j, "rule", jtext(v->rule)) && jset_ok(j, "severity", json_string(lg_severity_name(v->severity))) &&
			     jset_ok(j, "status", json_string("fail")) && jset_ok(j, "message", jtext(v->message)) &&
			     jset_ok(j, "hint", jtext(v->hint)) && jappend_ok(viols, j);
		}
		for (k = g.ustart[i]; ok && k < g.ustart[i + 1]; k++) {
			const struct lg_unknown_rule *u = &s->unknown[g.uidx[k]];
			json_t *j = json_object();

			ok = jset_ok(j, "rule", json_string(u->rule)) &&
			     jset_ok(j, "severity", json_string(lg_severity_name(u->severity))) &&
			     jset_ok(j, "status", json_string("unknown")) &&
			     jset_ok(j, "message", json_string("needs the commit that added the line (run scan --blame)")) &&
			     jset_ok(j, "hint", json_null()) && jappend_ok(viols, j);
		}
		ok = ok && jset_ok(o, "violations", viols) && jappend_ok(root, o);
		if (!ok) {
			json_decref(o);
			json_decref(viols);
		}
	}
	group_release(&g);
	return dump(out, root, ok);
}

/* RFC 3986: a path as a relative URI reference (unreserved bytes and '/'
 * kept, everything else percent-encoded). */
static void uri_path(struct lg_buf *b, const char *path)
{
	const unsigned char *p = (const unsigned char *)path;

	for (; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		    *p == '.' || *p == '_' || *p == '~' || *p == '/')
			lg_buf_putc(b, (char)*p);
		else
			lg_buf_printf(b, "%%%02X", *p);
	}
}

/* FNV-1a, for SARIF's partialFingerprints: stable across runs, so a
 * code-scanning service can tell a known result from a new one. */
static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

int lg_scan_sarif(struct lg_buf *out, const struct lg_scan *s, const char *help_url)
{
	return lg_sarif_write(out, &s->verdict, s->rev, s->rev_name, help_url);
}

int lg_sarif_write(struct lg_buf *out, const struct lg_verdict *vd, const char *rev, const char *rev_name,
		   const char *help_url)
{
	json_t *root = json_object(), *runs = json_array(), *run = json_object(), *tool = json_object(),
	       *driver = json_object(), *rules = json_array(), *results = json_array();
	const char **ids = NULL;
	size_t nids = 0, i, k;
	bool ok = root && runs && run && tool && driver && rules && results;
	struct lg_buf b = LG_BUF_INIT;

	lg_buf_init(&b);
	ok = ok && jset_ok(root, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json")) &&
	     jset_ok(root, "version", json_string("2.1.0"));
	ok = ok && jset_ok(driver, "name", json_string("linkgate")) && jset_ok(driver, "version", json_string(PACKAGE_VERSION)) &&
	     jset_ok(driver, "semanticVersion", json_string(PACKAGE_VERSION));
	if (ok && help_url && *help_url)
		ok = jset_ok(driver, "informationUri", jtext(help_url));
	ids = lg_xcalloc(vd->n + 1, sizeof(*ids));
	for (i = 0; ok && i < vd->n; i++) {
		const struct lg_violation *v = &vd->v[i];
		const struct lg_finding *f = v->finding;
		json_t *r, *loc, *phys, *art, *region, *msg, *fp, *props;
		uint64_t h = 14695981039346656037ULL;

		for (k = 0; k < nids && strcmp(ids[k], v->rule); k++)
			;
		if (k == nids) {
			json_t *rd = json_object(), *sd = json_object(), *dc = json_object();

			ids[nids++] = v->rule;
			ok = jset_ok(rd, "id", jtext(v->rule)) && jset_ok(sd, "text", jtext(v->rule)) &&
			     jset_ok(rd, "shortDescription", sd) &&
			     jset_ok(dc, "level", json_string(v->severity == LG_SEVERITY_ERROR ? "error" : "warning")) &&
			     jset_ok(rd, "defaultConfiguration", dc) && jappend_ok(rules, rd);
		}
		r = json_object();
		msg = json_object();
		loc = json_object();
		phys = json_object();
		art = json_object();
		region = json_object();
		fp = json_object();
		props = json_object();
		lg_buf_clear(&b);
		uri_path(&b, f ? f->path : "");
		h = fnv1a(h, v->rule, strlen(v->rule));
		if (f) {
			h = fnv1a(h, f->path, strlen(f->path));
			h = fnv1a(h, f->text ? f->text : "", f->text ? f->text_len : 0);
		}
		ok = ok && jset_ok(r, "ruleId", jtext(v->rule)) && jset_ok(r, "ruleIndex", json_integer((json_int_t)k)) &&
		     jset_ok(r, "level", json_string(v->severity == LG_SEVERITY_ERROR ? "error" : "warning")) &&
		     jset_ok(msg, "text", jtext(v->message ? v->message : v->rule)) && jset_ok(r, "message", msg) &&
		     jset_ok(art, "uri", json_stringn(b.ptr, b.len)) && jset_ok(art, "uriBaseId", json_string("%SRCROOT%")) &&
		     jset_ok(phys, "artifactLocation", art) &&
		     jset_ok(region, "startLine", json_integer(f && f->line ? f->line : 1)) &&
		     jset_ok(phys, "region", region) && jset_ok(loc, "physicalLocation", phys);
		if (ok) {
			json_t *locs = json_array();

			ok = jappend_ok(locs, loc) && jset_ok(r, "locations", locs);
		}
		lg_buf_clear(&b);
		lg_buf_printf(&b, "%016llx", (unsigned long long)h);
		ok = ok && jset_ok(fp, "linkgate/v1", json_stringn(b.ptr, b.len)) && jset_ok(r, "partialFingerprints", fp);
		ok = ok && jset_ok(props, "hint", jtext(v->hint)) && jset_ok(props, "kind", json_string(f ? lg_finding_kind_name(f->kind) : "")) &&
		     jset_ok(r, "properties", props) && jappend_ok(results, r);
	}
	ok = ok && jset_ok(driver, "rules", rules) && jset_ok(tool, "driver", driver) && jset_ok(run, "tool", tool);
	if (ok) {
		/* versionControlProvenance would need a repositoryUri, which a
		 * server-side repository does not know: the revision goes in the
		 * run's property bag. */
		json_t *props = json_object();

		ok = jset_ok(props, "revision", json_string(rev)) && jset_ok(props, "revisionName", jtext(rev_name)) &&
		     jset_ok(run, "properties", props);
	}
	ok = ok && jset_ok(run, "results", results) && jappend_ok(runs, run) && jset_ok(root, "runs", runs);
	free(ids);
	lg_buf_release(&b);
	return dump(out, root, ok);
}
