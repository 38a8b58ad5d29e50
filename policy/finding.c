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

void lg_file_facts_release(struct lg_file_facts *f)
{
	if (!f)
		return;
	free(f->package);
	free(f->build_expr);
	memset(f, 0, sizeof(*f));
}

struct lg_finding *lg_finding_new(enum lg_finding_kind kind)
{
	struct lg_finding *f = lg_xcalloc(1, sizeof(*f));

	f->kind = kind;
	f->file.imports_unsafe = -1;
	return f;
}

void lg_finding_free(struct lg_finding *f)
{
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
