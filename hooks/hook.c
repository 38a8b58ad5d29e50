/* hook.c — the pipeline behind every command (see hook.h). */
#include "linkgate/hook.h"
#include "linkgate/added.h"
#include "linkgate/buf.h"
#include "linkgate/deadline.h"
#include "linkgate/error.h"
#include "linkgate/facts.h"
#include "linkgate/escape.h"
#include "linkgate/glob.h"
#include "linkgate/policy.h"
#include "linkgate/quarantine.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef LG_SYSCONFDIR
#define LG_SYSCONFDIR "/etc"
#endif

static int load_named(struct lg_config *cfg, const char *path, const char *how)
{
	int err;

	if (access(path, R_OK) < 0)
		return lg_error_set(LG_ECONFIG, "configuration %s (from %s) cannot be read: %s", path, how, strerror(errno));
	if ((err = lg_config_load_file(cfg, path)) < 0)
		return err;
	return 0;
}

int lg_hook_load_config(struct lg_config *cfg, const char *cli_path, git_repository *repo, const char *gitdir)
{
	const char *env = getenv("LINKGATE_CONFIG");
	char *path = NULL;
	int err = 0;

	lg_config_init_defaults(cfg);
	if (cli_path)
		return load_named(cfg, cli_path, "--config");
	if (env && *env)
		return load_named(cfg, env, "LINKGATE_CONFIG");
	if (repo) {
		git_config *gc = NULL;
		git_buf value = { 0 };

		if (git_repository_config_snapshot(&gc, repo) < 0)
			return lg_error_set_git(LG_ECONFIG, "cannot read git configuration");
		if (git_config_get_path(&value, gc, "linkgate.config") == 0) {
			path = lg_xstrdup(value.ptr);
			git_buf_dispose(&value);
		}
		git_config_free(gc);
		if (path) {
			err = load_named(cfg, path, "git config linkgate.config");
			free(path);
			return err;
		}
	}
	if (gitdir) {
		size_t n = strlen(gitdir);

		/* libgit2's repository path ends in '/'. */
		path = lg_xasprintf("%s%slinkgate.yml", gitdir, n && gitdir[n - 1] == '/' ? "" : "/");
		if (access(path, F_OK) == 0) {
			err = load_named(cfg, path, "$GIT_DIR/linkgate.yml");
			free(path);
			return err;
		}
		free(path);
	}
	path = lg_xasprintf("%s/linkgate/linkgate.yml", LG_SYSCONFDIR);
	if (access(path, F_OK) == 0)
		err = load_named(cfg, path, "the system configuration");
	free(path);
	return err;
}

void lg_run_init(struct lg_run *r, const struct lg_config *cfg, git_repository *repo, struct lg_push *push)
{
	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	r->repo = repo;
	r->push = push;
	lg_commitset_init(&r->set);
	r->set.signoff_key = cfg->trailers.signoff;
	lg_findings_init(&r->findings);
	lg_verdict_init(&r->verdict);
	r->ref_verdicts = lg_xcalloc(push->nupdates + 1, sizeof(*r->ref_verdicts));
	r->now = (int64_t)time(NULL);
}

void lg_run_release(struct lg_run *r)
{
	size_t i;

	for (i = 0; i < r->nlog; i++)
		free(r->log[i]);
	free(r->log);
	lg_verdict_release(&r->verdict);
	lg_findings_release(&r->findings);
	lg_commitset_release(&r->set);
	free(r->ref_verdicts);
	memset(r, 0, sizeof(*r));
}

/* The facts stage runs window by window inside detection, on the main
 * process's spare time while the blob reader works (added.h). */
struct detect_ctx {
	struct lg_run *r;
	struct lg_facts *fx;    /* created with the first finding */
	struct lg_added *a;     /* detection; its tree memo is shared */
};

static int facts_window(void *ctx, struct lg_findings *out, size_t from)
{
	struct detect_ctx *d = ctx;
	struct lg_findings part = { out->v + from, out->n - from, 0 };
	int err;

	if (!d->fx && (err = lg_facts_new(&d->fx, d->r->repo, d->r->cfg, lg_added_trees(d->a))) < 0)
		return err;
	return lg_facts_fill(d->fx, &part);
}

static int detect(struct lg_run *r)
{
	struct detect_ctx d = { r, NULL, NULL };
	int err;

	if ((err = lg_added_new(&d.a, r->repo, r->cfg)) < 0)
		return err;
	err = lg_added_run(d.a, &r->findings, &r->set, r->cfg->limits.max_findings, facts_window, &d);
	lg_facts_free(d.fx); /* before the memo it borrows */
	lg_added_free(d.a);
	return err;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Marks each update's verdict from the violations of the findings its
 * commits added. The refs with an error are sorted once and looked up per
 * update: a push of 100,000 refs with 10,000 violations must not cost
 * their product (it ran seconds past the deadline). */
static void mark_refs(struct lg_run *r)
{
	const char **bad = lg_xcalloc(r->verdict.n + 1, sizeof(*bad));
	size_t i, k, nbad = 0;

	for (k = 0; k < r->verdict.n; k++) {
		const struct lg_finding *f = r->verdict.v[k].finding;

		if (r->verdict.v[k].severity == LG_SEVERITY_ERROR && f && f->ref)
			bad[nbad++] = f->ref;
	}
	if (nbad)
		qsort(bad, nbad, sizeof(*bad), cmp_str);
	for (i = 0; i < r->push->nupdates; i++) {
		const char *ref = r->push->updates[i].ref;

		if (r->ref_verdicts[i])
			continue;
		r->ref_verdicts[i] = nbad && bsearch(&ref, bad, nbad, sizeof(*bad), cmp_str) ? "reject" : "accept";
	}
	free(bad);
}

/* The policies' lg.log lines outlive the policy: the report shows them,
 * also when the evaluation failed (they help find out why). */
static void keep_log(struct lg_run *r, const struct lg_policy *p)
{
	const char *const *lines;
	size_t i, n;

	lines = lg_policy_log_lines(p, &n);
	r->log = lg_xrealloc(r->log, (r->nlog + n + 1) * sizeof(*r->log));
	for (i = 0; i < n; i++)
		r->log[r->nlog++] = lg_xstrdup(lines[i]);
}

void lg_run_report_log(struct lg_buf *out, const struct lg_report_opts *opts, const struct lg_run *r)
{
	size_t i;

	for (i = 0; i < r->nlog; i++) {
		if (opts->gitlab_web)
			lg_buf_puts(out, "GL-HOOK-ERR: ");
		lg_buf_puts(out, "linkgate: policy log: ");
		lg_escape_str(out, r->log[i]);
		lg_buf_putc(out, '\n');
	}
}

/* With LINKGATE_DEBUG set, a line about how the decision was reached
 * (never anything from the push). */
static void debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void debug(const char *fmt, ...)
{
	va_list ap;

	if (!getenv("LINKGATE_DEBUG"))
		return;
	fputs("linkgate: debug: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The peeled new tips of the protected updates that are not deletions;
 * checks deletions against refs.deny_delete and marks skipped updates. */
static int protected_tips(struct lg_run *r, git_oid *tips, const char **refs, size_t *ntips)
{
	const struct lg_config *cfg = r->cfg;
	size_t i;
	int err;

	*ntips = 0;
	for (i = 0; i < r->push->nupdates; i++) {
		const struct lg_ref_update *u = &r->push->updates[i];

		if (!lg_walk_ref_protected(cfg, u->ref)) {
			r->ref_verdicts[i] = "skip";
			continue;
		}
		if (u->is_delete) {
			if (lg_glob_match_any(cfg->refs_deny_delete.v, cfg->refs_deny_delete.n, u->ref))
				return lg_error_set(LG_EREFUSED, "deleting %s is not allowed (refs.deny_delete)", u->ref);
			r->ref_verdicts[i] = "accept";
			continue;
		}
		if ((err = lg_walk_peel_tip(&tips[*ntips], r->repo, u)) < 0)
			return err;
		refs[(*ntips)++] = u->ref;
		if (!(i & 1023) && (err = lg_deadline_check()) < 0)
			return err;
	}
	return 0;
}

/* Walk, detect, and (only when there is a finding) run the policies. */
static int evaluate_tips(struct lg_run *r, const git_oid *tips, const char *const *refs, size_t ntips,
			 const git_oid *known, size_t nknown)
{
	const struct lg_config *cfg = r->cfg;
	struct lg_policy *policy = NULL;
	int err;

	if ((err = lg_walk_collect(&r->set, r->repo, tips, refs, ntips, known, nknown, cfg->limits.max_commits)) < 0)
		goto done;
	debug("%ld ms: walked %zu new commit%s", lg_deadline_elapsed_ms(), r->set.n, r->set.n == 1 ? "" : "s");
	if ((err = detect(r)) < 0)
		goto done;
	debug("%ld ms: %zu finding%s, with their facts", lg_deadline_elapsed_ms(), r->findings.n,
	      r->findings.n == 1 ? "" : "s");
	/* Policies, and Lua with them, start only when there is a finding. */
	if (r->findings.n) {
		if ((err = lg_commitset_load_info(&r->set, r->repo, cfg)) < 0)
			goto done;
		debug("%ld ms: commit info loaded", lg_deadline_elapsed_ms());
		if ((err = lg_policy_new(&policy, cfg)) < 0)
			goto done;
		err = lg_policy_eval(policy, &r->verdict, &r->findings, r->push, r->now);
		keep_log(r, policy);
		if (err < 0)
			goto done;
		debug("%ld ms: policies done, %zu violation%s", lg_deadline_elapsed_ms(), r->verdict.n,
		      r->verdict.n == 1 ? "" : "s");
	}
	mark_refs(r);
	if (getenv("LINKGATE_DEBUG")) {
		struct rusage self, kids;

		getrusage(RUSAGE_SELF, &self);
		getrusage(RUSAGE_CHILDREN, &kids);
		debug("peak RSS %ld KiB (largest child process %ld KiB)", self.ru_maxrss, kids.ru_maxrss);
	}
done:
	lg_policy_free(policy);
	return err;
}

int lg_run_evaluate(struct lg_run *r, const git_oid *known, size_t nknown)
{
	git_oid *tips = lg_xcalloc(r->push->nupdates + 1, sizeof(*tips));
	const char **refs = lg_xcalloc(r->push->nupdates + 1, sizeof(*refs));
	size_t ntips;
	int err;

	err = protected_tips(r, tips, refs, &ntips);
	if (!err)
		err = evaluate_tips(r, tips, refs, ntips, known, nknown);
	free(tips);
	free(refs);
	return err;
}

int lg_run_evaluate_hook(struct lg_run *r)
{
	git_oid *tips = lg_xcalloc(r->push->nupdates + 1, sizeof(*tips));
	git_oid *olds = lg_xcalloc(r->push->nupdates + 1, sizeof(*olds));
	const char **refs = lg_xcalloc(r->push->nupdates + 1, sizeof(*refs));
	git_oid *known = NULL;
	size_t ntips, nolds = 0, nknown = 0, i;
	int err;

	if ((err = protected_tips(r, tips, refs, &ntips)) < 0)
		goto done;
	for (i = 0; i < r->push->nupdates; i++) {
		const struct lg_ref_update *u = &r->push->updates[i];

		if (!u->is_create && lg_walk_ref_protected(r->cfg, u->ref) && git_oid_fromstr(&olds[nolds], u->old_id) == 0)
			nolds++;
	}
	/* The common push answers from the quarantine alone; otherwise every
	 * protected ref's tip is known history. */
	err = lg_quarantine_known_tips(&known, &nknown, r->repo, tips, ntips, olds, nolds, r->cfg->limits.max_commits);
	if (err > 0)
		debug("known history from the quarantine: %zu old tip%s", nknown, nknown == 1 ? "" : "s");
	if (err == 0) {
		err = lg_walk_known_from_refs(&known, &nknown, r->repo, r->cfg);
		debug("known history from the refs: %zu protected tip%s", nknown, nknown == 1 ? "" : "s");
	}
	if (err >= 0)
		err = evaluate_tips(r, tips, refs, ntips, known, nknown);
done:
	free(known);
	free(tips);
	free(olds);
	free(refs);
	return err;
}

enum lg_outcome lg_run_outcome(const struct lg_run *r)
{
	if (r->verdict.nerrors && r->cfg->mode == LG_MODE_ENFORCE)
		return LG_OUTCOME_REJECT;
	if (r->verdict.n && r->cfg->mode != LG_MODE_AUDIT)
		return LG_OUTCOME_WARN;
	return LG_OUTCOME_ACCEPT;
}

char *lg_hook_pusher(const struct lg_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->pusher_from.n; i++) {
		const char *v = getenv(cfg->pusher_from.v[i]);

		if (v && *v)
			return lg_xstrdup(v);
	}
	return NULL;
}

void lg_hook_report_opts(struct lg_report_opts *o, const struct lg_config *cfg)
{
	const char *proto = getenv("GL_PROTOCOL");

	memset(o, 0, sizeof(*o));
	o->max_lines = cfg->limits.max_output_lines;
	o->gitlab_web = proto && !strcmp(proto, "web");
	o->help_url = cfg->help_url;
	o->mode = cfg->mode;
}

void lg_hook_cli_report_opts(struct lg_report_opts *o, const struct lg_config *cfg)
{
	lg_hook_report_opts(o, cfg);
	o->gitlab_web = false;
}

int lg_hook_fail_cli(const struct lg_config *cfg, int code)
{
	struct lg_report_opts opts;
	struct lg_buf out = LG_BUF_INIT;

	lg_hook_cli_report_opts(&opts, cfg);
	lg_report_error(&out, &opts, lg_error_last());
	fwrite(out.ptr, 1, out.len, stderr);
	lg_buf_release(&out);
	return lg_error_exit_status(code);
}

bool lg_hook_error_acceptable(const struct lg_config *cfg, int code)
{
	return cfg->on_error == LG_ON_ERROR_ACCEPT && (code == LG_ETIMEOUT || code == LG_EAUDIT);
}
