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
 * The exact shape of lg_report_text() (counts are pluralised: "1 error",
 * "2 errors"; <counts> lists the non-zero ones of "E errors, W warnings"):
 *
 *   linkgate: push rejected: N violations of policy (<counts>) in K commits
 *   <blank>
 *   <id12> <path>:<line>  [<rule>] error
 *       <message>
 *       hint: <first hint line>
 *       hint: <second hint line>
 *   <id12> <path>:<line>  [<rule>] warning
 *       <message>
 *   linkgate: ... and M more violations not shown
 *   <blank>
 *   linkgate: checked C commits and F findings: <E> errors, <W> warnings; fix the errors and push again
 *   linkgate: help: <help_url>
 *
 * The verdict line depends on outcome:
 *   LG_OUTCOME_REJECT  "linkgate: push rejected: N violations of policy (<counts>) in K commits"
 *   LG_OUTCOME_WARN    "linkgate: policy violations found (mode: <mode>, push accepted)"
 *   LG_OUTCOME_ACCEPT  "linkgate: push accepted with <counts>", or with no
 *                      violation "linkgate: push accepted: no policy violations"
 *                      (then only the summary and help lines follow)
 * K counts the distinct commits that carry a violation; the summary's C and F
 * are the caller's ncommits and nfindings (what was checked). The summary ends
 * in "; fix the errors and push again" only when the push is rejected.
 *
 * Blocks: errors first, then warnings, otherwise in verdict order. <id12> is
 * the first 12 hex digits of the commit id ("------------" when unknown);
 * ":<line>" is left out when the line is 0; a violation without a finding
 * shows "(push)" for the location. The message is one line (its newlines
 * are escaped); a hint keeps its line breaks, one "    hint: " line per
 * line, a final newline ignored. Path, rule, message, hint and help_url all go
 * through lg_escape().
 *
 * The cap: with max_lines > 0 the output has at most
 * max(max_lines, LG_REPORT_MIN_LINES) lines. Blocks are shown whole, in
 * order, while they fit; the first one that does not fit and all after it
 * are counted in the "... and M more" line. Only the very first block may
 * be shown in part (its hint cut, ending in "    hint: ... (H more hint
 * lines not shown)") so that a huge hint cannot hide every violation.
 *
 * JSON is built with jansson; strings that are not valid UTF-8 are written
 * with U+FFFD replacements and the raw bytes kept, base64, in a parallel
 * "<field>_b64" member.
 */
#ifndef LINKGATE_REPORT_H
#define LINKGATE_REPORT_H

#include <jansson.h>

#include "linkgate/buf.h"
#include "linkgate/config.h"
#include "linkgate/finding.h"
#include "linkgate/push.h"
#include "linkgate/verdict.h"

enum lg_outcome { LG_OUTCOME_ACCEPT, LG_OUTCOME_REJECT, LG_OUTCOME_WARN };

/* The fewest lines a capped report is cut to: verdict, blank, a first block's
 * header, message and cut-hint line, "and M more", blank, summary, help. */
#define LG_REPORT_MIN_LINES 9

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

/* `check --format json`: the object of SPEC "What the pusher sees",
 * pretty-printed with only ASCII (JSON \u escapes for the rest, so no
 * control character reaches a terminal), followed by a newline:
 *   {"verdict": "accept|reject|warn",
 *    "refs": [{"ref", "old", "new", "verdict"}],
 *    "violations": [{"rule", "severity", "commit", "path", "line", "message",
 *                    "hint", "finding": {...}}],
 *    "findings": [{...}]}
 * refs come from push (none when push is NULL); ref_verdicts, when not NULL,
 * is parallel to push->updates, and a missing entry is JSON null.
 * Violations keep verdict order; "commit" is the full id, "hint" null when
 * absent. Returns 0 or LG_ERROR (out of memory in jansson). */
int lg_report_json(struct lg_buf *out, enum lg_outcome outcome, const struct lg_push *push,
		   const char *const *ref_verdicts, const struct lg_verdict *vd,
		   const struct lg_findings *findings);

/* "accept", "reject" or "warn". */
const char *lg_outcome_name(enum lg_outcome o);

/* One finding as JSON, with every field of the finding model under SPEC's
 * names: kind, path, line, text, ref, commit {id, summary, message, author,
 * committer, time, trailers [{key, value}], signature {present, verified,
 * signer}, signoffs [{value, commit, verified, signer}]}; for linkname:
 * localname, target, target_pkg, target_sym, target_class, malformed,
 * vendored, file {package, is_test, imports_unsafe (true, false or null when
 * unknown), import_path, module, gomod, gomod_error, module_go,
 * module_toolchain, build {expr, misplaced, legacy, implicit, go_versions
 * ([[lo, hi]...], null for an open end; null when unknown), error}},
 * rationale (null when absent, else {why, measured_gain, target_source,
 * removed_when, owner, line, removal_go, expired}), siblings ([{line,
 * localname, target}]), fallback ({path, paths, gaps, overlaps as
 * [{lo, hi, where}], error}), target_check ([{go, version, exists,
 * shape_ok, detail, where}]), ci ({versions, tip, files, errors}) — each
 * null while unknown (facts.h); for checklinkname-off: carrier, yaml_path,
 * spelling. A NULL string or a missing
 * commit is null. A string that is not valid UTF-8 is written with each
 * invalid byte replaced by U+FFFD, and its raw bytes base64-encoded in a
 * sibling "<field>_b64" member. Returns a new reference the caller must
 * json_decref(), or NULL when jansson runs out of memory (message set). */
json_t *lg_report_finding_json(const struct lg_finding *f);

/* Standard base64 (RFC 4648, with padding) of data[0..len), appended to out. */
void lg_base64_encode(struct lg_buf *out, const void *data, size_t len);

#endif
