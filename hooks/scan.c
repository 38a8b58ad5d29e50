/*
 * scan.c — `linkgate scan`: the inventory of every linkname and disabling
 * flag at a revision (inventory.h does the work). PATH is the repository,
 * bare or not (default: the current directory); a directory inside a work
 * tree limits the inventory to that directory.
 */
#include "linkgate/common.h"
#include "linkgate/buf.h"
#include "linkgate/error.h"
#include "linkgate/hook.h"
#include "linkgate/inventory.h"
#include "linkgate/repo.h"
#include "linkgate/report.h"

#include <time.h>

int lg_cmd_scan(int argc, char **argv);

#define SCAN_USAGE "usage: linkgate scan [--config FILE] [--format text|json|sarif|markdown] [--rev REV] [--blame] [PATH]"

/* The directory path of dir inside repo's work tree ("a/b"), "" for the
 * top, or NULL when dir is not inside it (a bare repository, a git dir). */
static char *work_prefix(git_repository *repo, const char *dir)
{
	const char *wd = git_repository_workdir(repo);
	char *real_wd = NULL, *real_dir = NULL, *ret = NULL;
	size_t n;

	if (!wd)
		return NULL;
	real_wd = realpath(wd, NULL);
	real_dir = realpath(dir, NULL);
	if (!real_wd || !real_dir)
		goto done;
	n = strlen(real_wd);
	while (n > 1 && real_wd[n - 1] == '/')
		real_wd[--n] = '\0';
	if (!strncmp(real_dir, real_wd, n) && (real_dir[n] == '/' || real_dir[n] == '\0'))
		ret = lg_xstrdup(real_dir[n] == '/' ? real_dir + n + 1 : "");
done:
	free(real_wd);
	free(real_dir);
	return ret;
}

int lg_cmd_scan(int argc, char **argv)
{
	const char *config = NULL, *format = "text", *path = NULL;
	struct lg_scan_opts o;
	struct lg_config cfg;
	struct lg_scan s;
	struct lg_buf out = LG_BUF_INIT;
	git_repository *repo = NULL;
	char *prefix = NULL;
	int i, err, status;

	memset(&o, 0, sizeof(o));
	lg_config_init_defaults(&cfg);
	lg_scan_init(&s);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--config") && i + 1 < argc)
			config = argv[++i];
		else if (!strncmp(a, "--config=", 9))
			config = a + 9;
		else if (!strcmp(a, "--format") && i + 1 < argc)
			format = argv[++i];
		else if (!strncmp(a, "--format=", 9))
			format = a + 9;
		else if (!strcmp(a, "--rev") && i + 1 < argc)
			o.rev = argv[++i];
		else if (!strncmp(a, "--rev=", 6))
			o.rev = a + 6;
		else if (!strcmp(a, "--blame"))
			o.blame = true;
		else if (a[0] == '-' || path) {
			err = lg_error_set(LG_EUSAGE, "scan: unexpected argument '%s' (" SCAN_USAGE ")", a);
			goto error;
		} else
			path = a;
	}
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "sarif") && strcmp(format, "markdown")) {
		err = lg_error_set(LG_EUSAGE, "scan: unknown format '%s' (" SCAN_USAGE ")", format);
		goto error;
	}
	lg_repo_global_init(false);
	if ((err = lg_repo_open_path(&repo, path ? path : ".")) < 0)
		goto error;
	lg_config_release(&cfg);
	if ((err = lg_hook_load_config(&cfg, config, repo, git_repository_path(repo))) < 0)
		goto error;
	/* A directory inside the work tree limits the inventory to it; run
	 * from the top (or on a bare repository) it covers everything. */
	if (path && (prefix = work_prefix(repo, path)) != NULL && *prefix)
		o.prefix = prefix;
	o.now = (int64_t)time(NULL);
	if ((err = lg_scan_run(&s, repo, &cfg, &o)) < 0)
		goto error;
	if (!strcmp(format, "json"))
		err = lg_scan_json(&out, &s);
	else if (!strcmp(format, "sarif"))
		err = lg_scan_sarif(&out, &s, cfg.help_url);
	else if (!strcmp(format, "markdown"))
		lg_scan_markdown(&out, &s);
	else
		lg_scan_text(&out, &s);
	if (err < 0)
		goto error;
	fwrite(out.ptr, 1, out.len, stdout);
	fflush(stdout);
	status = lg_scan_errors(&s) ? LG_EXIT_POLICY : LG_EXIT_ACCEPT;
	goto done;
error:
	status = lg_hook_fail_cli(&cfg, err);
done:
	lg_scan_release(&s);
	free(prefix);
	lg_buf_release(&out);
	lg_config_release(&cfg);
	git_repository_free(repo);
	return status;
}
