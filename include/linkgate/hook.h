/*
 * hook.h — wiring the pipeline together for the commands: push → commits →
 * added lines → findings → policies → verdict (the report is written by the
 * caller). The entry points in main.c parse argv/stdin and call these;
 * everything that decides lives here or below.
 */
#ifndef LINKGATE_HOOK_H
#define LINKGATE_HOOK_H

#include "linkgate/common.h"
#include "linkgate/config.h"
#include "linkgate/finding.h"
#include "linkgate/push.h"
#include "linkgate/report.h"
#include "linkgate/verdict.h"
#include "linkgate/walk.h"

#include <git2.h>

/* Finds and loads the configuration in SPEC's lookup order: cli_path,
 * $LINKGATE_CONFIG, git config linkgate.config (repo may be NULL),
 * $GIT_DIR/linkgate.yml (gitdir may be NULL), <sysconfdir>/linkgate/linkgate.yml,
 * else the embedded defaults. A path named explicitly (the first three)
 * must exist. Returns 0 or LG_ECONFIG. */
int lg_hook_load_config(struct lg_config *cfg, const char *cli_path, git_repository *repo, const char *gitdir);

/* Everything one evaluation owns. */
struct lg_run {
	const struct lg_config *cfg;
	git_repository *repo;
	struct lg_push *push;
	struct lg_commitset set;
	struct lg_findings findings;
	struct lg_verdict verdict;
	const char **ref_verdicts;   /* per update: "accept", "reject", "skip" (static strings) */
	int64_t now;                 /* epoch seconds for lg.now() */
	char **log;                  /* lg.log lines of the policies, raw (owned) */
	size_t nlog;
};

void lg_run_init(struct lg_run *r, const struct lg_config *cfg, git_repository *repo, struct lg_push *push);
void lg_run_release(struct lg_run *r);

/* Evaluates the push: the updates of protected refs are walked against the
 * known tips; deletions are checked against refs.deny_delete. Fills
 * findings and verdict. Returns 0 (the verdict decides) or a negative code
 * (the push must be rejected for that reason, unless on_error says so). */
int lg_run_evaluate(struct lg_run *r, const git_oid *known, size_t nknown);

/* Appends the policies' lg.log lines to out, each escaped and prefixed
 * "linkgate: policy log: " (and "GL-HOOK-ERR: " for GitLab's web UI). */
void lg_run_report_log(struct lg_buf *out, const struct lg_report_opts *opts, const struct lg_run *r);

/* The same for a hook: known history is found without listing the refs
 * when git's quarantine shows the push is new on top of the updated refs'
 * old tips (quarantine.h), else it is every protected ref's tip. */
int lg_run_evaluate_hook(struct lg_run *r);

/* What happens to the push given the verdict and cfg->mode. */
enum lg_outcome lg_run_outcome(const struct lg_run *r);

/* The pusher: the first variable of cfg->pusher_from that is set and not
 * empty, or NULL. Caller frees. */
char *lg_hook_pusher(const struct lg_config *cfg);

/* Report options from cfg and the environment (GL_PROTOCOL=web). */
void lg_hook_report_opts(struct lg_report_opts *o, const struct lg_config *cfg);

/* The same for commands run by people and CI (check, pre-push, scan):
 * never GitLab's web prefix, which is for a hook's output only. */
void lg_hook_cli_report_opts(struct lg_report_opts *o, const struct lg_config *cfg);

/* For commands run by people and CI (check, pre-push, scan): prints the
 * last error as one escaped line on stderr and returns the exit status for
 * code. */
int lg_hook_fail_cli(const struct lg_config *cfg, int code);

/* Whether on_error: accept covers this error code (SPEC: the time limit and
 * audit/metrics write failures only). */
bool lg_hook_error_acceptable(const struct lg_config *cfg, int code);

#endif
