/*
 * verdict.h — what the policies decided: violations of rules by findings,
 * and the push's overall outcome.
 */
#ifndef LINKGATE_VERDICT_H
#define LINKGATE_VERDICT_H

#include "linkgate/common.h"
#include "linkgate/finding.h"

enum lg_severity { LG_SEVERITY_ERROR, LG_SEVERITY_WARNING };

struct lg_violation {
	char *rule;             /* rule id, e.g. "linkname.rationale" */
	enum lg_severity severity;
	char *message;
	char *hint;             /* may be NULL */
	const struct lg_finding *finding; /* borrowed */
};

struct lg_verdict {
	struct lg_violation *v;
	size_t n;
	size_t alloc;
	size_t nerrors;
	size_t nwarnings;
};

void lg_verdict_init(struct lg_verdict *vd);
void lg_verdict_release(struct lg_verdict *vd);
/* Copies rule, message and hint. */
void lg_verdict_add(struct lg_verdict *vd, const struct lg_finding *f, const char *rule,
		    enum lg_severity sev, const char *message, const char *hint);
const char *lg_severity_name(enum lg_severity s);

#endif
