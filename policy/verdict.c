/* verdict.c — violations collected from the policies (see verdict.h). */
#include "linkgate/verdict.h"

void lg_verdict_init(struct lg_verdict *vd)
{
	memset(vd, 0, sizeof(*vd));
}

void lg_verdict_release(struct lg_verdict *vd)
{
	size_t i;

	for (i = 0; i < vd->n; i++) {
		free(vd->v[i].rule);
		free(vd->v[i].message);
		free(vd->v[i].hint);
	}
	free(vd->v);
	lg_verdict_init(vd);
}

void lg_verdict_add(struct lg_verdict *vd, const struct lg_finding *f, const char *rule,
		    enum lg_severity sev, const char *message, const char *hint)
{
	struct lg_violation *v;

	vd->v = lg_xgrow(vd->v, sizeof(*vd->v), vd->n + 1, &vd->alloc);
	v = &vd->v[vd->n++];
	v->rule = lg_xstrdup(rule);
	v->severity = sev;
	v->message = lg_xstrdup(message ? message : "");
	v->hint = hint ? lg_xstrdup(hint) : NULL;
	v->finding = f;
	if (sev == LG_SEVERITY_ERROR)
		vd->nerrors++;
	else
		vd->nwarnings++;
}

const char *lg_severity_name(enum lg_severity s)
{
	return s == LG_SEVERITY_ERROR ? "error" : "warning";
}
