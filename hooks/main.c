/*
 * main.c — the linkgate command: argument parsing, subcommand and argv[0]
 * dispatch, and the mapping of results to exit statuses. Everything that
 * decides lives in the library (hook.h and below).
 */
#include "linkgate/common.h"
#include "linkgate/audit.h"
#include "linkgate/buf.h"
#include "linkgate/bypass.h"
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
	"Hooks (git runs these; a link named pre-receive, update or pre-push works too):\n"
	"  pre-receive [--config FILE]                  decide a whole push (stdin: <old> <new> <ref> lines)\n"
	"  update [--config FILE] <ref> <old> <new>     decide one ref update\n"
	"  pre-push [--config FILE] <remote> <url>      on a developer's clone: the server's verdict before pushing\n"
	"\n"
	"Administration:\n"
	"  install [--config FILE] [--force|--chain] [--update] [--pre-push]\n"
	"          [--platform plain|gitolite|gitlab|gitea|ghes] DIR...\n"
	"                                               install the pre-receive (or update, or pre-push) hook\n"
	"  config check [--config FILE]                 validate the configuration and compile its policies\n"
	"  policy show [builtin:default|FILE]           print a policy's source\n"
	"  policy test [--now DATE] [DIR|FILE]          run policy unit tests (*.test.yml fixtures), TAP output\n"
	"\n"
	"Before pushing and in CI:\n"
	"  check [--config FILE] [--format text|json|sarif] [--remote NAME|--known REV] [--ref REF] OLD..NEW|REV\n"
	"                                               evaluate commits exactly as a push to REF would\n"
	"\n"
	"Inventory:\n"
	"  scan [--config FILE] [--format text|json|sarif|markdown] [--rev REV] [--blame] [PATH]\n"
	"                                               every linkname and disabling flag at REV (default HEAD),\n"
	"                                               with its facts and the rules it fails; exit 1 on errors\n"
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

/* Shared by pre-receive and update: the push is parsed; decide it, then
 * record the decision (audit log, metrics, syslog). */
static int run_hook(struct lg_push *push, const char *config_path, const char *hook)
{
	struct lg_bypass bypass;
	struct lg_audit_event ev;
	int64_t start_ms = lg_audit_now_ms();
	char *errmsg = NULL;
	bool cfg_ok = false;
	enum lg_outcome policy_outcome;
	struct lg_config cfg;
	struct lg_report_opts opts;
	struct lg_run run;
	struct lg_buf out = LG_BUF_INIT;
	git_repository *repo = NULL;
	bool have_cfg = false, have_run = false;
	enum lg_outcome outcome;
	int err, status;

	lg_config_init_defaults(&cfg);
	lg_bypass_init(&bypass);
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
	cfg_ok = true;
	lg_deadline_set_ms(cfg.limits.timeout_ms);
	push->pusher = lg_hook_pusher(&cfg);
	lg_bypass_decide(&bypass, &cfg, push);
	if ((err = lg_repo_check_tips(repo, push)) < 0)
		goto error;
	lg_run_init(&run, &cfg, repo, push);
	have_run = true;
	if ((err = lg_run_evaluate_hook(&run)) < 0)
		goto error;
	outcome = lg_run_outcome(&run);
	policy_outcome = outcome;
	/* Break-glass: the violations are still reported, and audited below. */
	if (outcome == LG_OUTCOME_REJECT && bypass.granted)
		outcome = LG_OUTCOME_WARN;
	if (outcome != LG_OUTCOME_ACCEPT || run.verdict.n)
		lg_report_text(&out, &opts, outcome, &run.verdict, run.findings.n, run.set.n);
	lg_run_report_log(&out, &opts, &run);
	lg_bypass_report(&out, &bypass, push->pusher, outcome != policy_outcome, opts.gitlab_web);
	emit(&out, stderr);
	status = outcome == LG_OUTCOME_REJECT ? LG_EXIT_POLICY : LG_EXIT_ACCEPT;
	goto record;

error:
	errmsg = lg_xstrdup(lg_error_last());
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
	policy_outcome = outcome = status == LG_EXIT_ACCEPT ? LG_OUTCOME_ACCEPT : LG_OUTCOME_REJECT;
record:
	if (cfg_ok) {
		memset(&ev, 0, sizeof(ev));
		ev.start_ms = start_ms;
		ev.hook = hook;
		ev.repository = git_repository_path(repo);
		ev.push = push;
		ev.outcome = outcome;
		ev.policy_outcome = policy_outcome;
		ev.mode = cfg.mode;
		ev.exit_status = status;
		ev.error = errmsg;
		ev.error_code = errmsg ? err : 0;
		ev.error_accepted = errmsg && status == LG_EXIT_ACCEPT;
		ev.bypass = &bypass;
		ev.bypass_used = outcome != policy_outcome;
		if (have_run) {
			ev.ref_verdicts = run.ref_verdicts;
			ev.vd = &run.verdict;
			ev.findings = &run.findings;
			ev.ncommits = run.set.n;
		}
		lg_buf_clear(&out);
		status = lg_audit_record(&out, &opts, &cfg, &ev);
		emit(&out, stderr);
	}
	if (have_run)
		lg_run_release(&run);
	lg_buf_release(&out);
	lg_config_release(&cfg);
	lg_bypass_release(&bypass);
	free(errmsg);
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

/* The hooks' options: --config FILE and --chained HOOK (a hook that ran
 * here before linkgate was installed with --chain, run first). */
static int parse_hook_opts(int argc, char **argv, int i, const char **config, const char **chained)
{
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			*config = argv[++i];
		else if (!strncmp(argv[i], "--config=", 9))
			*config = argv[i] + 9;
		else if (!strcmp(argv[i], "--chained") && i + 1 < argc)
			*chained = argv[++i];
		else
			break;
	}
	return i;
}

static int cmd_pre_receive(int argc, char **argv)
{
	const char *config = NULL;
	const char *chained = NULL;
	struct lg_push push;
	struct lg_buf in = LG_BUF_INIT;
	struct lg_report_opts opts;
	struct lg_config dflt;
	int i = parse_hook_opts(argc, argv, 1, &config, &chained), err, status;

	if (i != argc)
		return usage_error("pre-receive takes no arguments besides --config and --chained (got '%s')", argv[i]);
	lg_push_init(&push);
	if ((err = lg_buf_read_fd(&in, 0, MAX_HOOK_INPUT)) == 0 && chained &&
	    (status = lg_install_chain_first(chained, argv + i, argc - i, in.ptr, in.len)) != 0)
		goto done;
	if (err < 0 || (err = lg_push_parse_lines(&push, in.ptr, in.len)) < 0 ||
	    (err = lg_push_read_options(&push)) < 0) {
		lg_config_init_defaults(&dflt);
		lg_hook_report_opts(&opts, &dflt);
		status = fail(&opts, err, stderr);
		lg_config_release(&dflt);
	} else {
		status = run_hook(&push, config, "pre-receive");
	}
done:
	lg_buf_release(&in);
	lg_push_release(&push);
	return status;
}

static int cmd_update(int argc, char **argv)
{
	const char *config = NULL;
	const char *chained = NULL;
	struct lg_push push;
	struct lg_report_opts opts;
	struct lg_config dflt;
	int i = parse_hook_opts(argc, argv, 1, &config, &chained), err, status;

	if (argc - i != 3)
		return usage_error("update needs <ref> <old> <new>");
	if (chained && (status = lg_install_chain_first(chained, argv + i, argc - i, "", 0)) != 0)
		return status;
	lg_push_init(&push);
	if ((err = lg_push_add_update(&push, argv[i], argv[i + 1], argv[i + 2])) < 0) {
		lg_config_init_defaults(&dflt);
		lg_hook_report_opts(&opts, &dflt);
		status = fail(&opts, err, stderr);
		lg_config_release(&dflt);
	} else {
		status = run_hook(&push, config, "update");
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
		else if (!strcmp(argv[i], "--chain"))
			o.chain = true;
		else if (!strcmp(argv[i], "--pre-push"))
			o.pre_push = true;
		else if ((!strcmp(argv[i], "--platform") && i + 1 < argc) || !strncmp(argv[i], "--platform=", 11)) {
			const char *name = argv[i][10] == '=' ? argv[i] + 11 : argv[++i];

			if (lg_platform_parse(&o.platform, name) < 0)
				return usage_error("install: %s", lg_error_last());
		} else if (!strcmp(argv[i], "--config") && i + 1 < argc)
			config = argv[++i];
		else if (!strncmp(argv[i], "--config=", 9))
			config = argv[i] + 9;
		else
			return usage_error("install: unknown option '%s'", argv[i]);
	}
	if (o.force && o.chain)
		return usage_error("install: --force replaces a foreign hook and --chain keeps it; choose one");
	if (o.update && o.pre_push)
		return usage_error("install: --update and --pre-push install different hooks; choose one");
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
	o.uses_push_options = err == 0 && cfg.bypass.push_option[0] && cfg.bypass.allowed.n;
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

int lg_cmd_policy_test(int argc, char **argv);

static int cmd_policy(int argc, char **argv)
{
	struct lg_buf b = LG_BUF_INIT;
	const char *which;

	if (argc >= 2 && !strcmp(argv[1], "test"))
		return lg_cmd_policy_test(argc - 1, argv + 1);
	if (argc < 2 || strcmp(argv[1], "show"))
		return usage_error("usage: linkgate policy show [builtin:default|FILE] | policy test [--now DATE] [DIR]");
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
int lg_cmd_scan(int argc, char **argv);
int lg_cmd_pre_push(int argc, char **argv);

struct command {
	const char *name;
	int (*fn)(int, char **);
};

static const struct command commands[] = {
	{ "pre-receive", cmd_pre_receive },
	{ "update", cmd_update },
	{ "pre-push", lg_cmd_pre_push },
	{ "install", cmd_install },
	{ "check", lg_cmd_check },
	{ "scan", lg_cmd_scan },
	{ "config", cmd_config },
	{ "policy", cmd_policy },
};

int main(int argc, char **argv)
{
	const char *self = argc > 0 ? strrchr(argv[0], '/') : NULL;
	size_t i;

	self = self ? self + 1 : (argc > 0 ? argv[0] : "linkgate");
	/* Installed as a link named after the hook: act as that subcommand. */
	if (!strcmp(self, "pre-receive") || !strcmp(self, "update") || !strcmp(self, "pre-push"))
		for (i = 0; i < LG_ARRAY_SIZE(commands); i++)
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
