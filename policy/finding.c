/* finding.c — lifecycle of the finding model (see finding.h). */
#include "linkgate/finding.h"

const char *lg_finding_kind_name(enum lg_finding_kind kind)
{
	return kind == LG_FINDING_LINKNAME ? "linkname" : "checklinkname-off";
}

void lg_commit_info_release(struct lg_commit_info *c)
{
	size_t i;

	if (!c)
		return;
	free(c->summary);
	free(c->message);
	free(c->author);
	free(c->committer);
	for (i = 0; i < c->ntrailers; i++) {
		free(c->trailers[i].key);
		free(c->trailers[i].value);
	}
	free(c->trailers);
	for (i = 0; i < c->nsignoffs; i++) {
		free(c->signoffs[i].value);
		free(c->signoffs[i].commit_id);
		free(c->signoffs[i].signer);
	}
	free(c->signoffs);
	free(c->signer);
	memset(c, 0, sizeof(*c));
}

void lg_rationale_release(struct lg_rationale *r)
{
	if (!r)
		return;
	free(r->why);
	free(r->measured_gain);
	free(r->target_source);
	free(r->removed_when);
	free(r->owner);
	memset(r, 0, sizeof(*r));
}

void lg_goranges_add(struct lg_goranges *l, int lo, int hi, const char *where)
{
	l->v = lg_xgrow(l->v, sizeof(*l->v), l->n + 1, &l->alloc);
	l->v[l->n].lo = lo;
	l->v[l->n].hi = hi;
	l->v[l->n].where = where ? lg_xstrdup(where) : NULL;
	l->n++;
}

void lg_goranges_release(struct lg_goranges *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].where);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char **copy_strv(char *const *v, size_t n)
{
	char **out = n ? lg_xcalloc(n, sizeof(*out)) : NULL;
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = lg_xstrdup(v[i]);
	return out;
}

void lg_ci_release(struct lg_ci *ci)
{
	free_strv(ci->versions, ci->nversions);
	free_strv(ci->files, ci->nfiles);
	free_strv(ci->errors, ci->nerrors);
	memset(ci, 0, sizeof(*ci));
}

void lg_ci_copy(struct lg_ci *dst, const struct lg_ci *src)
{
	dst->present = src->present;
	dst->tip = src->tip;
	dst->versions = copy_strv(src->versions, src->nversions);
	dst->nversions = src->nversions;
	dst->files = copy_strv(src->files, src->nfiles);
	dst->nfiles = src->nfiles;
	dst->errors = copy_strv(src->errors, src->nerrors);
	dst->nerrors = src->nerrors;
}

void lg_fallback_release(struct lg_fallback *fb)
{
	free(fb->error);
	free_strv(fb->paths, fb->npaths);
	lg_goranges_release(&fb->gaps);
	lg_goranges_release(&fb->overlaps);
	memset(fb, 0, sizeof(*fb));
}

void lg_file_facts_release(struct lg_file_facts *f)
{
	if (!f)
		return;
	free(f->package);
	free(f->build_expr);
	free(f->build_implicit);
	lg_goranges_release(&f->go_versions);
	free(f->build_error);
	free(f->import_path);
	free(f->module);
	free(f->gomod);
	free(f->gomod_error);
	memset(f, 0, sizeof(*f));
	f->module_go = -1;
	f->module_toolchain = -1;
}

size_t lg_finding_cut_len(const char *s, size_t n)
{
	size_t k = 0;

	if (n <= LG_FINDING_STR_MAX)
		return n;
	n = LG_FINDING_STR_MAX;
	while (k < 3 && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--, k++;
	return n;
}

char *lg_finding_strdup(const char *s)
{
	return s ? lg_xstrndup(s, lg_finding_cut_len(s, strlen(s))) : NULL;
}

struct lg_finding *lg_finding_new(enum lg_finding_kind kind)
{
	struct lg_finding *f = lg_xcalloc(1, sizeof(*f));

	f->kind = kind;
	f->file.imports_unsafe = -1;
	f->file.module_go = -1;
	f->file.module_toolchain = -1;
	f->removal_go = -1;
	f->removal_expired = -1;
	return f;
}

void lg_finding_free(struct lg_finding *f)
{
	size_t i;

	if (!f)
		return;
	free(f->path);
	free(f->text);
	free(f->localname);
	free(f->target);
	free(f->target_pkg);
	free(f->target_sym);
	free(f->malformed);
	free(f->vendored);
	lg_file_facts_release(&f->file);
	lg_rationale_release(&f->rationale);
	for (i = 0; i < f->nsiblings; i++) {
		free(f->siblings[i].localname);
		free(f->siblings[i].target);
	}
	free(f->siblings);
	lg_fallback_release(&f->fallback);
	for (i = 0; i < f->ntarget_check; i++) {
		free(f->target_check[i].version);
		free(f->target_check[i].detail);
		free(f->target_check[i].where);
	}
	free(f->target_check);
	lg_ci_release(&f->ci);
	free(f->yaml_path);
	free(f->spelling);
	free(f);
}

void lg_findings_init(struct lg_findings *l)
{
	memset(l, 0, sizeof(*l));
}

void lg_findings_add(struct lg_findings *l, struct lg_finding *f)
{
	l->v = lg_xgrow(l->v, sizeof(*l->v), l->n + 1, &l->alloc);
	l->v[l->n++] = f;
}

void lg_findings_release(struct lg_findings *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		lg_finding_free(l->v[i]);
	free(l->v);
	lg_findings_init(l);
}
