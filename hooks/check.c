/*
 * check.c — `linkgate check`: evaluate commits in a clone exactly as a push
 * to a ref would be judged, for developers and CI. Known history is the
 * remote-tracking refs of --remote that map to protected refs, or --known.
 */
#include "linkgate/common.h"
#include "linkgate/buf.h"
#include "linkgate/error.h"
#include "linkgate/hook.h"
#include "linkgate/inventory.h"
#include "linkgate/repo.h"
#include "linkgate/report.h"

int lg_cmd_check(int argc, char **argv);

static int resolve(git_oid *out, git_repository *repo, const char *spec, bool peel)
{
	git_object *obj = NULL, *peeled = NULL;

	if (git_revparse_single(&obj, repo, spec) < 0)
		return lg_error_set(LG_EUSAGE, "cannot resolve '%s' to an object", spec);
	if (peel && git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		git_object_free(obj);
		return lg_error_set(LG_EUSAGE, "'%s' does not name a commit", spec);
	}
	*out = *git_object_id(peel ? peeled : obj);
	git_object_free(peeled);
	git_object_free(obj);
	return 0;
}

static char *default_ref(git_repository *repo)
{
	git_reference *head = NULL;
	char *ref;

	if (git_repository_head(&head, repo) == 0 && git_reference_is_branch(head))
		ref = lg_xstrdup(git_reference_name(head));
	else
		ref = lg_xstrdup("refs/heads/main");
	git_reference_free(head);
	return ref;
}

int lg_cmd_check(int argc, char **argv)
{
	const char *config = NULL, *format = "text", *remote = "origin", *known_rev = NULL, *range = NULL;
	char *ref = NULL;
	struct lg_config cfg;
	struct lg_report_opts opts;
	struct lg_push push;
	struct lg_run run;
	struct lg_buf out = LG_BUF_INIT, logb;
	git_repository *repo = NULL;
	git_oid oldid, newid, *known = NULL;
	size_t nknown = 0;
	char oldhex[GIT_OID_HEXSZ + 1], newhex[GIT_OID_HEXSZ + 1];
	bool have_run = false;
	enum lg_outcome outcome;
	int i, err, status = LG_EXIT_ACCEPT;

	lg_config_init_defaults(&cfg);
	lg_push_init(&push);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--config") && i + 1 < argc)
			config = argv[++i];
		else if (!strcmp(a, "--format") && i + 1 < argc)
			format = argv[++i];
		else if (!strcmp(a, "--remote") && i + 1 < argc)
			remote = argv[++i];
		else if (!strcmp(a, "--known") && i + 1 < argc)
			known_rev = argv[++i];
		else if (!strcmp(a, "--ref") && i + 1 < argc)
			ref = lg_xstrdup(argv[++i]);
		else if (a[0] == '-' || range) {
			err = lg_error_set(LG_EUSAGE, "check: unexpected argument '%s' (see linkgate help check)", a);
			goto error;
		} else
			range = a;
	}
	if (!range || (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "sarif"))) {
		err = lg_error_set(LG_EUSAGE, "usage: linkgate check [--format text|json|sarif] [--remote NAME|--known REV] [--ref REF] OLD..NEW|REV");
		goto error;
	}
	lg_repo_global_init(false);
	if ((err = lg_repo_open_path(&repo, ".")) < 0)
		goto error;
	if (git_repository_is_shallow(repo)) {
		err = lg_error_set(LG_EUSAGE, "this is a shallow clone; linkgate needs full history to know what is new (run: git fetch --unshallow)");
		goto error;
	}
	lg_config_release(&cfg);
	if ((err = lg_hook_load_config(&cfg, config, repo, git_repository_path(repo))) < 0)
		goto error;
	if (!ref)
		ref = default_ref(repo);

	{
		const char *dots = strstr(range, "..");

		if (dots) {
			char *left = lg_xstrndup(range, (size_t)(dots - range));

			err = resolve(&oldid, repo, *left ? left : "HEAD", true);
			free(left);
			if (err == 0)
				err = resolve(&newid, repo, *(dots + 2) ? dots + 2 : "HEAD", false);
		} else {
			git_oid_fromstr(&oldid, "0000000000000000000000000000000000000000");
			err = resolve(&newid, repo, range, false);
		}
		if (err < 0)
			goto error;
	}
	git_oid_tostr(oldhex, sizeof(oldhex), &oldid);
	git_oid_tostr(newhex, sizeof(newhex), &newid);
	if ((err = lg_push_add_update(&push, ref, oldhex, newhex)) < 0)
		goto error;
	push.pusher = lg_hook_pusher(&cfg);

	if (known_rev) {
		known = lg_xcalloc(2, sizeof(*known));
		if ((err = resolve(&known[0], repo, known_rev, true)) < 0)
			goto error;
		nknown = 1;
	} else if ((err = lg_walk_known_from_remote(&known, &nknown, repo, &cfg, remote)) < 0) {
		goto error;
	}
	if (!git_oid_is_zero(&oldid)) {
		known = lg_xrealloc(known, (nknown + 1) * sizeof(*known));
		known[nknown++] = oldid;
	}

	lg_run_init(&run, &cfg, repo, &push);
	have_run = true;
	if ((err = lg_run_evaluate(&run, known, nknown)) < 0)
		goto error;
	outcome = lg_run_outcome(&run);
	lg_hook_cli_report_opts(&opts, &cfg);
	if (!strcmp(format, "sarif")) {
		if ((err = lg_sarif_write(&out, &run.verdict, newhex, range, cfg.help_url)) < 0)
			goto error;
	} else if (!strcmp(format, "json")) {
		if ((err = lg_report_json(&out, outcome, &push, run.ref_verdicts, &run.verdict, &run.findings)) < 0)
			goto error;
		/* stdout stays one JSON document; the log goes beside it. */
		lg_buf_init(&logb);
		lg_run_report_log(&logb, &opts, &run);
		fwrite(logb.ptr, 1, logb.len, stderr);
		lg_buf_release(&logb);
	} else {
		lg_report_text(&out, &opts, outcome, &run.verdict, run.findings.n, run.set.n);
		lg_run_report_log(&out, &opts, &run);
	}
	fwrite(out.ptr, 1, out.len, stdout);
	status = outcome == LG_OUTCOME_REJECT ? LG_EXIT_POLICY : LG_EXIT_ACCEPT;
	goto done;
error:
	status = lg_hook_fail_cli(&cfg, err);
done:
	if (have_run)
		lg_run_release(&run);
	free(known);
	free(ref);
	lg_buf_release(&out);
	lg_push_release(&push);
	lg_config_release(&cfg);
	git_repository_free(repo);
	return status;
}
