/*
 * prepush.c — `linkgate pre-push <remote> <url>`: git's pre-push hook on a
 * developer's clone. It reads git's `<local ref> <local id> <remote ref>
 * <remote id>` lines and judges each update of a protected remote ref as
 * the server will: known history is the remote-tracking refs of <remote>
 * that map to protected refs (what the server has, as far as this clone
 * knows), plus the remote's current tips named in the input when they are
 * here. A rejection stops the push before anything is sent. No time limit
 * applies: on a developer's machine the verdict must not depend on speed.
 */
#include "linkgate/common.h"
#include "linkgate/buf.h"
#include "linkgate/error.h"
#include "linkgate/hook.h"
#include "linkgate/install.h"
#include "linkgate/repo.h"
#include "linkgate/report.h"

int lg_cmd_pre_push(int argc, char **argv);

#define MAX_PREPUSH_INPUT (64u << 20)

/* The remote's tip before the push, when this clone has it: the server
 * knows it, so what it reaches is not new. */
static void add_known_remote_tips(git_oid **known, size_t *nknown, git_repository *repo, const struct lg_push *push)
{
	git_odb *odb = NULL;
	size_t i;

	if (git_repository_odb(&odb, repo) < 0)
		return;
	for (i = 0; i < push->nupdates; i++) {
		const struct lg_ref_update *u = &push->updates[i];
		git_object *obj = NULL, *peeled = NULL;
		git_oid id;

		if (u->is_create || git_oid_fromstr(&id, u->old_id) < 0 || !git_odb_exists(odb, &id))
			continue;
		if (git_object_lookup(&obj, repo, &id, GIT_OBJECT_ANY) == 0 &&
		    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
			*known = lg_xrealloc(*known, (*nknown + 1) * sizeof(**known));
			(*known)[(*nknown)++] = *git_object_id(peeled);
		}
		git_object_free(peeled);
		git_object_free(obj);
	}
	git_odb_free(odb);
}

int lg_cmd_pre_push(int argc, char **argv)
{
	const char *config = NULL, *chained = NULL, *remote;
	struct lg_config cfg;
	struct lg_report_opts opts;
	struct lg_push push;
	struct lg_run run;
	struct lg_buf in = LG_BUF_INIT, out = LG_BUF_INIT;
	git_repository *repo = NULL;
	git_oid *known = NULL;
	size_t nknown = 0;
	bool have_run = false;
	enum lg_outcome outcome;
	int i, err, status = LG_EXIT_ACCEPT;

	lg_config_init_defaults(&cfg);
	lg_push_init(&push);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			config = argv[++i];
		else if (!strncmp(argv[i], "--config=", 9))
			config = argv[i] + 9;
		else if (!strcmp(argv[i], "--chained") && i + 1 < argc)
			chained = argv[++i];
		else
			break;
	}
	if (argc - i < 1 || argc - i > 2) {
		err = lg_error_set(LG_EUSAGE, "usage: linkgate pre-push [--config FILE] <remote> <url>");
		goto error;
	}
	remote = argv[i];
	if ((err = lg_buf_read_fd(&in, 0, MAX_PREPUSH_INPUT)) < 0)
		goto error;
	if (chained && (status = lg_install_chain_first(chained, argv + i, argc - i, in.ptr, in.len)) != 0)
		goto done;
	if ((err = lg_push_parse_prepush(&push, in.ptr, in.len)) < 0)
		goto error;
	lg_repo_global_init(false);
	if ((err = lg_repo_open_path(&repo, ".")) < 0)
		goto error;
	if (git_repository_is_shallow(repo)) {
		err = lg_error_set(LG_EUSAGE,
				   "this is a shallow clone, so linkgate cannot tell which commits are new; fetch the full history (git fetch --unshallow) and push again");
		goto error;
	}
	lg_config_release(&cfg);
	if ((err = lg_hook_load_config(&cfg, config, repo, git_repository_path(repo))) < 0)
		goto error;
	push.pusher = lg_hook_pusher(&cfg);
	if ((err = lg_walk_known_from_remote(&known, &nknown, repo, &cfg, remote)) < 0)
		goto error;
	add_known_remote_tips(&known, &nknown, repo, &push);

	lg_run_init(&run, &cfg, repo, &push);
	have_run = true;
	if ((err = lg_run_evaluate(&run, known, nknown)) < 0)
		goto error;
	outcome = lg_run_outcome(&run);
	lg_hook_cli_report_opts(&opts, &cfg);
	if (outcome != LG_OUTCOME_ACCEPT || run.verdict.n)
		lg_report_text(&out, &opts, outcome, &run.verdict, run.findings.n, run.set.n);
	lg_run_report_log(&out, &opts, &run);
	if (out.len)
		fwrite(out.ptr, 1, out.len, stderr);
	status = outcome == LG_OUTCOME_REJECT ? LG_EXIT_POLICY : LG_EXIT_ACCEPT;
	goto done;
error:
	status = lg_hook_fail_cli(&cfg, err);
done:
	if (have_run)
		lg_run_release(&run);
	free(known);
	lg_buf_release(&in);
	lg_buf_release(&out);
	lg_push_release(&push);
	lg_config_release(&cfg);
	git_repository_free(repo);
	return status;
}
