/*
 * main.c — the linkgate command: argument parsing, subcommand and argv[0]
 * dispatch, and the mapping of results to exit statuses. Everything that
 * decides lives in the library (hook.h and below).
 */
#include "linkgate/common.h"
#include "linkgate/buf.h"
#include "linkgate/deadline.h"
#include "linkgate/embed.h"
#include "linkgate/error.h"
#include "linkgate/hook.h"
#include "linkgate/install.h"
#include "linkgate/policy.h"
#include "linkgate/repo.h"
#include "linkgate/report.h"

#include <lua.h>
#include <unistd.h>

#define MAX_HOOK_INPUT (64u << 20)

static const char usage_text[] =
	"usage: linkgate <command> [options]\n"
	"\n"
	"Hooks (git runs these; a link named pre-receive or update works too):\n"
	"  pre-receive [--config FILE]                  decide a whole push (stdin: <old> <new> <ref> lines)\n"
	"  update [--config FILE] <ref> <old> <new>     decide one ref update\n"
	"\n"
	"Administration:\n"
	"  install [--config FILE] [--force] [--update] DIR...\n"
	"                                               install the pre-receive (or update) hook into repositories\n"
	"  config check [--config FILE]                 validate the configuration and compile its policies\n"
	"  policy show [builtin:default|FILE]           print a policy's source\n"
	"\n"
	"Before pushing and in CI:\n"
	"  check [--config FILE] [--format text|json] [--remote NAME|--known REV] [--ref REF] OLD..NEW|REV\n"
	"                                               evaluate commits exactly as a push to REF would\n"
	"\n"
	"  --help, help COMMAND, --version\n"
	"\n"
	"Exit status: 0 accept, 1 policy violation, 2 configuration or usage error, 3 internal error or limit.\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("linkgate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(see linkgate --help)\n", stderr);
	return LG_EXIT_CONFIG;
}

/* Writes the pusher-facing buffer to stderr in one go. */
static void emit(const struct lg_buf *b, FILE *to)
{
	if (b->len)
		fwrite(b->ptr, 1, b->len, to);
	fflush(to);
}

static int fail(const struct lg_report_opts *opts, int code, FILE *to)
{
	struct lg_buf b = LG_BUF_INIT;

	lg_report_error(&b, opts, lg_error_last());
	emit(&b, to);
	lg_buf_release(&b);
	return lg_error_exit_status(code);
}

/* Shared by pre-receive and update: the push is parsed; decide it. */
static int run_hook(struct lg_push *push, const char *config_path)
{
	struct lg_config cfg;
	struct lg_report_opts opts;
	struct lg_run run;
	struct lg_buf out = LG_BUF_INIT;
	git_repository *repo = NULL;
	git_oid *known = NULL;
	size_t nknown = 0;
	bool have_cfg = false, have_run = false;
	enum lg_outcome outcome;
	int err, status;

	lg_config_init_defaults(&cfg);
	lg_hook_report_opts(&opts, &cfg);
	lg_repo_global_init(true);
	if (push->hexsz == 64) {
		err = lg_error_set(LG_EUNSUPPORTED,
				   "this push uses SHA-256 object ids, which this build of linkgate (libgit2 %d.%d) cannot read",
				   LIBGIT2_VER_MAJOR, LIBGIT2_VER_MINOR);
		goto error;
	}
	if ((err = lg_repo_open_hook(&repo)) < 0)
		goto error;
	lg_config_release(&cfg);
	err = lg_hook_load_config(&cfg, config_path, repo, git_repository_path(repo));
	have_cfg = true;
	lg_hook_report_opts(&opts, &cfg);
	if (err < 0)
		goto error;
	lg_deadline_set_ms(cfg.limits.timeout_ms);
	push->pusher = lg_hook_pusher(&cfg);
	if ((err = lg_repo_check_tips(repo, push)) < 0)
		goto error;
	if ((err = lg_walk_known_from_refs(&known, &nknown, repo, &cfg)) < 0)
		goto error;
	lg_run_init(&run, &cfg, repo, push);
	have_run = true;
	if ((err = lg_run_evaluate(&run, known, nknown)) < 0)
		goto error;
	outcome = lg_run_outcome(&run);
	if (outcome != LG_OUTCOME_ACCEPT || run.verdict.n)
		lg_report_text(&out, &opts, outcome, &run.verdict, run.findings.n, run.set.n);
	lg_run_report_log(&out, &opts, &run);
	emit(&out, stderr);
	status = outcome == LG_OUTCOME_REJECT ? LG_EXIT_POLICY : LG_EXIT_ACCEPT;
	goto done;

error:
	if (have_run) {
		lg_run_report_log(&out, &opts, &run);
		emit(&out, stderr);
		lg_buf_clear(&out);
	}
	if (have_cfg && lg_hook_error_acceptable(&cfg, err)) {
		lg_report_error_accepted(&out, &opts, lg_error_last());
		emit(&out, stderr);
		status = LG_EXIT_ACCEPT;
	} else {
		status = fail(&opts, err, stderr);
	}
done:
	if (have_run)
		lg_run_release(&run);
	free(known);
	lg_buf_release(&out);
	lg_config_release(&cfg);
	git_repository_free(repo);
	return status;
}

/* Parses a leading "--config FILE" / "--config=FILE"; returns argv index after it. */
static int parse_config_opt(int argc, char **argv, int i, const char **config)
{
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			*config = argv[++i];
		else if (!strncmp(argv[i], "--config=", 9))
			*config = argv[i] + 9;
		else
			break;
	}
	return i;
}

static int cmd_pre_receive(int argc, char **argv)
{
	const char *config = NULL;
	struct lg_push push;
	struct lg_buf in = LG_BUF_INIT;
	struct lg_report_opts opts;
	struct lg_config dflt;
	int i = parse_config_opt(argc, argv, 1, &config), err, status;

	if (i != argc)
		return usage_error("pre-receive takes no arguments besides --config (got '%s')", argv[i]);
	lg_push_init(&push);
	if ((err = lg_buf_read_fd(&in, 0, MAX_HOOK_INPUT)) < 0 || (err = lg_push_parse_lines(&push, in.ptr, in.len)) < 0 ||
	    (err = lg_push_read_options(&push)) < 0) {
		lg_config_init_defaults(&dflt);
		lg_hook_report_opts(&opts, &dflt);
		status = fail(&opts, err, stderr);
		lg_config_release(&dflt);
	} else {
		status = run_hook(&push, config);
	}
	lg_buf_release(&in);
	lg_push_release(&push);
	return status;
}

static int cmd_update(int argc, char **argv)
{
	const char *config = NULL;
	struct lg_push push;
	struct lg_report_opts opts;
	struct lg_config dflt;
	int i = parse_config_opt(argc, argv, 1, &config), err, status;

	if (argc - i != 3)
		return usage_error("update needs <ref> <old> <new>");
	lg_push_init(&push);
	if ((err = lg_push_add_update(&push, argv[i], argv[i + 1], argv[i + 2])) < 0) {
		lg_config_init_defaults(&dflt);
		lg_hook_report_opts(&opts, &dflt);
		status = fail(&opts, err, stderr);
		lg_config_release(&dflt);
	} else {
		status = run_hook(&push, config);
	}
	lg_push_release(&push);
	return status;
}

static char *absolute(const char *path)
{
	char *r = realpath(path, NULL);

	return r ? r : lg_xstrdup(path);
}

static int cmd_install(int argc, char **argv)
{
	struct lg_install_opts o;
	struct lg_config cfg;
	struct lg_policy *policy = NULL;
	char *binary, *config = NULL;
	int i, err, status = LG_EXIT_ACCEPT, first;

	memset(&o, 0, sizeof(o));
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--force"))
			o.force = true;
		else if (!strcmp(argv[i], "--update"))
			o.update = true;
		else if (!strcmp(argv[i], "--config") && i + 1 < argc)
			config = argv[++i];
		else if (!strncmp(argv[i], "--config=", 9))
			config = argv[i] + 9;
		else
			return usage_error("install: unknown option '%s'", argv[i]);
	}
	if (i == argc)
		return usage_error("install needs at least one repository");
	first = i;
	lg_repo_global_init(false);
	binary = absolute("/proc/self/exe");
	o.binary = binary;
	if (config)
		config = absolute(config);
	o.config = config;

	/* The configuration is checked before anything is written, so an
	 * install never leaves a hook that rejects every push. */
	err = lg_hook_load_config(&cfg, config, NULL, NULL);
	if (err == 0)
		err = lg_policy_new(&policy, &cfg);
	lg_policy_free(policy);
	lg_config_release(&cfg);
	if (err < 0) {
		fprintf(stderr, "linkgate: install refused: %s\n", lg_error_last());
		status = LG_EXIT_CONFIG;
		goto done;
	}
	for (i = first; i < argc; i++) {
		if ((err = lg_install_repo(&o, argv[i], stdout)) < 0) {
			fprintf(stderr, "linkgate: install into %s refused: %s\n", argv[i], lg_error_last());
			status = LG_EXIT_CONFIG;
		}
	}
done:
	free(binary);
	free(config);
	return status;
}

static int cmd_config(int argc, char **argv)
{
	const char *config = NULL;
	struct lg_config cfg;
	struct lg_policy *policy = NULL;
	git_repository *repo = NULL;
	int i, err;

	if (argc < 2 || strcmp(argv[1], "check"))
		return usage_error("usage: linkgate config check [--config FILE]");
	i = parse_config_opt(argc, argv, 2, &config);
	if (i != argc)
		return usage_error("config check: unexpected argument '%s'", argv[i]);
	lg_repo_global_init(false);
	if (!config)
		lg_repo_open_path(&repo, ".");
	lg_error_clear();
	err = lg_hook_load_config(&cfg, config, repo, repo ? git_repository_path(repo) : NULL);
	if (err == 0)
		err = lg_policy_new(&policy, &cfg);
	if (err < 0) {
		fprintf(stderr, "linkgate: %s\n", lg_error_last());
	} else {
		printf("# linkgate configuration from %s; every policy compiled\n", cfg.source);
		lg_config_dump(&cfg, stdout);
	}
	lg_policy_free(policy);
	lg_config_release(&cfg);
	git_repository_free(repo);
	return err < 0 ? LG_EXIT_CONFIG : LG_EXIT_ACCEPT;
}

static int cmd_policy(int argc, char **argv)
{
	struct lg_buf b = LG_BUF_INIT;
	const char *which;

	if (argc < 2 || strcmp(argv[1], "show"))
		return usage_error("usage: linkgate policy show [builtin:default|FILE]");
	which = argc > 2 ? argv[2] : "builtin:default";
	if (!strcmp(which, "builtin:default")) {
		fwrite(lg_default_policy, 1, lg_default_policy_len, stdout);
		return LG_EXIT_ACCEPT;
	}
	if (lg_buf_read_file(&b, which, 16u << 20) < 0) {
		fprintf(stderr, "linkgate: %s\n", lg_error_last());
		return LG_EXIT_CONFIG;
	}
	fwrite(b.ptr, 1, b.len, stdout);
	lg_buf_release(&b);
	return LG_EXIT_ACCEPT;
}

int lg_cmd_check(int argc, char **argv);

struct command {
	const char *name;
	int (*fn)(int, char **);
};

static const struct command commands[] = {
	{ "pre-receive", cmd_pre_receive },
	{ "update", cmd_update },
	{ "install", cmd_install },
	{ "check", lg_cmd_check },
	{ "config", cmd_config },
	{ "policy", cmd_policy },
};

int main(int argc, char **argv)
{
	const char *self = argc > 0 ? strrchr(argv[0], '/') : NULL;
	size_t i;

	self = self ? self + 1 : (argc > 0 ? argv[0] : "linkgate");
	/* Installed as a link named after the hook: act as that subcommand. */
	for (i = 0; i < 2; i++)
		if (!strcmp(self, commands[i].name))
			return commands[i].fn(argc, argv);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? LG_EXIT_CONFIG : LG_EXIT_ACCEPT;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("linkgate %s (libgit2 %d.%d.%d, %s)\n", PACKAGE_VERSION, LIBGIT2_VER_MAJOR, LIBGIT2_VER_MINOR,
		       LIBGIT2_VER_REVISION, LUA_RELEASE);
		return LG_EXIT_ACCEPT;
	}
	if (!strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return LG_EXIT_ACCEPT;
	}
	for (i = 0; i < LG_ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return usage_error("unknown command '%s'", argv[1]);
}
