/*
 * report.h — turning a verdict into what people and programs read:
 * the pusher's text (stderr lines that git shows as `remote:`), and JSON for
 * `linkgate check --format json` (SPEC "What the pusher sees").
 *
 * Text output: a verdict line, one block per violation (short commit id,
 * path:line, rule id, message, a hint), a summary line and help_url. Every
 * byte from the push is escaped (escape.h). Output is capped at max_lines
 * lines with an "and N more" line. With gitlab_web every line is prefixed
 * "GL-HOOK-ERR: ".
 *
 * JSON is built with jansson; strings that are not valid UTF-8 are written
 * with U+FFFD replacements and the raw bytes kept, base64, in a parallel
 * "<field>_b64" member.
 */
#ifndef LINKGATE_REPORT_H
#define LINKGATE_REPORT_H

#include "linkgate/buf.h"
#include "linkgate/config.h"
#include "linkgate/finding.h"
#include "linkgate/push.h"
#include "linkgate/verdict.h"

enum lg_outcome { LG_OUTCOME_ACCEPT, LG_OUTCOME_REJECT, LG_OUTCOME_WARN };

struct lg_report_opts {
	long max_lines;         /* limits.max_output_lines; <= 0 means unlimited */
	bool gitlab_web;        /* GL_PROTOCOL=web */
	const char *help_url;   /* may be NULL or "" */
	enum lg_mode mode;
};

/* The pusher's text for a decided push. outcome is what happens to the push. */
void lg_report_text(struct lg_buf *out, const struct lg_report_opts *opts, enum lg_outcome outcome,
		    const struct lg_verdict *vd, size_t nfindings, size_t ncommits);
/* One line for a push that failed before a verdict: "linkgate: push rejected: <reason>"
 * (reason escaped), prefixed for GitLab when needed. */
void lg_report_error(struct lg_buf *out, const struct lg_report_opts *opts, const char *reason);
/* A logged accept on error (on_error: accept). */
void lg_report_error_accepted(struct lg_buf *out, const struct lg_report_opts *opts, const char *reason);

/* `check --format json`: the object of SPEC "What the pusher sees".
 * Returns 0 or LG_ERROR. */
int lg_report_json(struct lg_buf *out, enum lg_outcome outcome, const struct lg_push *push,
		   const char *const *ref_verdicts, const struct lg_verdict *vd,
		   const struct lg_findings *findings);

const char *lg_outcome_name(enum lg_outcome o);

#endif
