/*
 * inventory.h — `linkgate scan`: every linkname directive and disabling
 * -checklinkname flag present at a revision, with its facts (facts.h) and
 * the policy rules each fails, for admins and compliance (SPEC
 * "Commands").
 *
 * The tree is walked once; a blob is read and searched for the needles,
 * and only blobs holding one are lexed, exactly as the hooks detect (Go
 * files where the go command builds them, flags in every text file and in
 * Go files, symlinked .go files with their in-tree target's content,
 * paths.exclude honoured, submodules not entered). Findings have no commit
 * unless `blame` finds, for each line, the commit that last changed it
 * (the commit that added the directive or flag as it is now): rules about
 * commit trailers are then judged instead of being "unknown".
 *
 * Output formats: text (for people), json (SPEC: an array of findings with
 * the finding model's fields plus `violations`), markdown (a table to
 * paste into a review) and sarif (2.1.0, for code-scanning upload).
 */
#ifndef LINKGATE_INVENTORY_H
#define LINKGATE_INVENTORY_H

#include "linkgate/buf.h"
#include "linkgate/common.h"
#include "linkgate/config.h"
#include "linkgate/finding.h"
#include "linkgate/verdict.h"

#include <git2.h>

struct lg_scan_opts {
	const char *rev;        /* a revision; NULL is HEAD */
	const char *prefix;     /* only paths under this directory ("a/b"), or NULL */
	bool blame;
	int64_t now;            /* epoch seconds for lg.now() */
};

/* A rule that could not be judged: it needs the commit (no --blame). */
struct lg_unknown_rule {
	const struct lg_finding *finding;
	const char *rule;       /* static */
	enum lg_severity severity;
};

struct lg_scan {
	char rev[65];           /* full id of the commit scanned */
	char *rev_name;         /* as asked for ("HEAD") */
	struct lg_findings findings; /* sorted by path, then line */
	struct lg_verdict verdict;
	struct lg_unknown_rule *unknown;
	size_t nunknown, unknown_alloc;
	struct lg_commit_info **commits; /* blamed commits, owned */
	size_t ncommits, commits_alloc;
	size_t nfiles;          /* blobs looked at */
	size_t nlinknames, nflags;
	bool blamed;
};

void lg_scan_init(struct lg_scan *s);
void lg_scan_release(struct lg_scan *s);

/* Scans the revision: detection, facts, blame (if asked) and the
 * configured policies. Returns 0 (the verdict decides), LG_EUSAGE (the
 * revision does not name a commit), LG_ELIMIT (limits.max_findings, or a
 * blob over limits.max_blob_mb that holds a needle), LG_ECONFIG (a policy
 * or go_source tree), or another negative code. */
int lg_scan_run(struct lg_scan *s, git_repository *repo, const struct lg_config *cfg, const struct lg_scan_opts *o);

/* The violations of the error severity (what makes scan exit 1). */
size_t lg_scan_errors(const struct lg_scan *s);

/* Writers. Everything that came from the repository is escaped (text,
 * markdown) or JSON-encoded with U+FFFD and *_b64 (json, sarif). json and
 * sarif return 0 or LG_ERROR (jansson ran out of memory). */
void lg_scan_text(struct lg_buf *out, const struct lg_scan *s);
void lg_scan_markdown(struct lg_buf *out, const struct lg_scan *s);
int lg_scan_json(struct lg_buf *out, const struct lg_scan *s);
int lg_scan_sarif(struct lg_buf *out, const struct lg_scan *s, const char *help_url);
/* SARIF 2.1.0 for any verdict (scan's, and `check --format sarif`): one
 * result per violation, the revision in the run's properties. */
int lg_sarif_write(struct lg_buf *out, const struct lg_verdict *vd, const char *rev, const char *rev_name,
		   const char *help_url);

#endif
