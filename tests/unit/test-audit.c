/* test-audit.c — break-glass decisions, the audit line and its append,
 * the metrics file: parsed back, under concurrency, with hostile input. */
#include "linkgate/audit.h"
#include "linkgate/bypass.h"
#include "linkgate/error.h"
#include "linkgate/metrics.h"
#include "tap.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define ID1 "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0"
#define ZERO "0000000000000000000000000000000000000000"

static char tmpdir[] = "/tmp/lg-test-audit.XXXXXX";

static char *tmp_path(const char *name)
{
	return lg_xasprintf("%s/%s", tmpdir, name);
}

/* ---- bypass ---- */

static void bypass_config(struct lg_config *cfg, const char *option, const char *allowed)
{
	lg_config_init_defaults(cfg);
	free(cfg->bypass.push_option);
	cfg->bypass.push_option = lg_xstrdup(option);
	if (allowed) {
		lg_strlist_release(&cfg->bypass.allowed);
		cfg->bypass.allowed.v = lg_xcalloc(2, sizeof(char *));
		cfg->bypass.allowed.v[0] = lg_xstrdup(allowed);
		cfg->bypass.allowed.n = 1;
	}
	free(cfg->audit.log);
	cfg->audit.log = lg_xstrdup("/nonexistent/audit.log");
}

static void push_with(struct lg_push *p, const char *pusher, const char *opt1, const char *opt2)
{
	lg_push_init(p);
	p->pusher = pusher ? lg_xstrdup(pusher) : NULL;
	p->options = lg_xcalloc(3, sizeof(char *));
	if (opt1)
		p->options[p->noptions++] = lg_xstrdup(opt1);
	if (opt2)
		p->options[p->noptions++] = lg_xstrdup(opt2);
}

static void check_bypass(const char *name, const char *option, const char *allowed, const char *pusher,
			 const char *opt1, const char *opt2, bool requested, bool granted, const char *refusal_part)
{
	struct lg_config cfg;
	struct lg_push p;
	struct lg_bypass b;

	bypass_config(&cfg, option, allowed);
	push_with(&p, pusher, opt1, opt2);
	lg_bypass_decide(&b, &cfg, &p);
	tap_ok(b.requested == requested && b.granted == granted &&
		       (!refusal_part ? !b.refusal : b.refusal && strstr(b.refusal, refusal_part)),
	       "bypass: %s (requested %d granted %d refusal %s)", name, b.requested, b.granted,
	       b.refusal ? b.refusal : "none");
	lg_bypass_release(&b);
	lg_push_release(&p);
	lg_config_release(&cfg);
}

static void test_bypass(void)
{
	struct lg_config cfg;
	struct lg_push p;
	struct lg_bypass b;
	struct lg_buf out = LG_BUF_INIT, big = LG_BUF_INIT;
	size_t i;

	check_bypass("off without push_option", "", "pat", "pat", "linkgate.bypass=fire", NULL, false, false, NULL);
	check_bypass("off without allowed", "linkgate.bypass", NULL, "pat", "linkgate.bypass=fire", NULL, true, false,
		     "not enabled");
	check_bypass("granted to a listed pusher with a reason", "linkgate.bypass", "pat", "pat",
		     "linkgate.bypass=prod is down, INC-7", NULL, true, true, NULL);
	check_bypass("refused for an unlisted pusher", "linkgate.bypass", "pat", "mallory", "linkgate.bypass=trust me",
		     NULL, true, false, "not listed");
	check_bypass("refused for an unknown pusher", "linkgate.bypass", "pat", NULL, "linkgate.bypass=x", NULL, true,
		     false, "unknown");
	check_bypass("refused with an empty reason", "linkgate.bypass", "pat", "pat", "linkgate.bypass=", NULL, true,
		     false, "reason is mandatory");
	check_bypass("refused for a bare option", "linkgate.bypass", "pat", "pat", "linkgate.bypass", NULL, true, false,
		     "reason is mandatory");
	check_bypass("refused for blanks and control bytes only", "linkgate.bypass", "pat", "pat",
		     "linkgate.bypass= \t\x01\x7f ", NULL, true, false, "reason is mandatory");
	check_bypass("a longer option name is not the option", "linkgate.bypass", "pat", "pat",
		     "linkgate.bypassx=fire", NULL, false, false, NULL);
	check_bypass("a listed name must match exactly", "linkgate.bypass", "pat", "Pat", "linkgate.bypass=fire", NULL,
		     true, false, "not listed");
	check_bypass("the last occurrence counts", "linkgate.bypass", "pat", "pat", "linkgate.bypass=fire",
		     "linkgate.bypass=", true, false, "reason is mandatory");
	check_bypass("other options are ignored", "linkgate.bypass", "pat", "pat", "ci.skip", NULL, false, false, NULL);

	/* No audit trail, no break-glass. */
	bypass_config(&cfg, "linkgate.bypass", "pat");
	free(cfg.audit.log);
	cfg.audit.log = lg_xstrdup("");
	push_with(&p, "pat", "linkgate.bypass=fire", NULL);
	lg_bypass_decide(&b, &cfg, &p);
	tap_ok(!b.granted && b.refusal && strstr(b.refusal, "audit"), "bypass: refused without an audit trail");
	lg_bypass_release(&b);
	cfg.audit.syslog = true;
	lg_bypass_decide(&b, &cfg, &p);
	tap_ok(b.granted, "bypass: syslog is an audit trail");
	lg_bypass_release(&b);
	lg_push_release(&p);
	lg_config_release(&cfg);

	/* A 100 KB reason with control bytes is bounded and escaped. */
	bypass_config(&cfg, "linkgate.bypass", "pat");
	lg_buf_puts(&big, "linkgate.bypass=\x1b[2J\xe2\x80\xae");
	for (i = 0; i < 100 * 1024; i++)
		lg_buf_putc(&big, (char)('a' + i % 26));
	push_with(&p, "pat", big.ptr, NULL);
	lg_bypass_decide(&b, &cfg, &p);
	tap_ok(b.granted && strlen(b.reason) <= LG_BYPASS_MAX_REASON && b.reason_bytes == big.len - 16,
	       "bypass: a 100 KB reason is bounded (%zu of %zu bytes kept)", strlen(b.reason), b.reason_bytes);
	lg_bypass_report(&out, &b, "pat", true, false);
	tap_ok(!strchr(out.ptr, '\x1b') && strstr(out.ptr, "\\e[2J") && strstr(out.ptr, "\\u{202e}") &&
		       strstr(out.ptr, "bytes, cut") && out.len < 2 * LG_BYPASS_MAX_REASON,
	       "bypass: the report escapes and cuts the reason");
	tap_ok(out.len && out.ptr[out.len - 1] == '\n' && !memchr(out.ptr, '\n', out.len - 1),
	       "bypass: a granted bypass is one line");
	lg_buf_clear(&out);
	lg_bypass_report(&out, &b, "pat", true, true);
	tap_ok(!strncmp(out.ptr, "GL-HOOK-ERR: linkgate: BYPASS", 29), "bypass: GitLab prefix");
	lg_bypass_release(&b);
	lg_push_release(&p);

	push_with(&p, "mallory", "linkgate.bypass=x", NULL);
	lg_bypass_decide(&b, &cfg, &p);
	lg_buf_clear(&out);
	lg_bypass_report(&out, &b, "mallory", false, false);
	tap_ok(strstr(out.ptr, "linkgate: bypass refused: the pusher is not listed") &&
		       strstr(out.ptr, "git push -o linkgate.bypass=\"<reason>\""),
	       "bypass: a refusal says why and how");
	lg_bypass_release(&b);
	lg_push_release(&p);
	lg_config_release(&cfg);
	lg_buf_release(&out);
	lg_buf_release(&big);
}

/* ---- the audit line ---- */

static struct lg_commit_info commit1;

static struct lg_finding *make_finding(const char *target, const char *cls)
{
	struct lg_finding *f = lg_finding_new(LG_FINDING_LINKNAME);

	f->path = lg_xstrdup("rand/\xffrand.go");
	f->line = 5;
	f->text = lg_xstrdup("//go:linkname fastrand runtime.fastrand");
	f->text_len = strlen(f->text);
	f->ref = "refs/heads/main";
	f->commit = &commit1;
	f->localname = lg_xstrdup("fastrand");
	if (target) {
		const char *dot = strrchr(target, '.');

		f->target = lg_xstrdup(target);
		f->target_pkg = dot ? lg_xstrndup(target, (size_t)(dot - target)) : NULL;
		f->target_sym = lg_xstrdup(dot ? dot + 1 : target);
	}
	f->target_class = cls;
	return f;
}

struct fixture {
	struct lg_push push;
	struct lg_findings findings;
	struct lg_verdict vd;
	struct lg_bypass bypass;
	const char *ref_verdicts[2];
	struct lg_audit_event ev;
};

static void fixture_init(struct fixture *fx)
{
	memset(fx, 0, sizeof(*fx));
	lg_push_init(&fx->push);
	lg_push_add_update(&fx->push, "refs/heads/main", ZERO, ID1);
	fx->push.pusher = lg_xstrdup("pat\xff\"\n");
	fx->push.options = lg_xcalloc(2, sizeof(char *));
	fx->push.options[fx->push.noptions++] = lg_xstrdup("ci.skip=\x1b[31m");
	lg_findings_init(&fx->findings);
	lg_findings_add(&fx->findings, make_finding("runtime.fastrand", "runtime"));
	lg_findings_add(&fx->findings, make_finding("github.com/x/y.Z", "other-module"));
	lg_verdict_init(&fx->vd);
	lg_verdict_add(&fx->vd, fx->findings.v[0], "linkname.rationale", LG_SEVERITY_ERROR, "no rationale", "add one");
	lg_verdict_add(&fx->vd, fx->findings.v[0], "linkname.issue", LG_SEVERITY_ERROR, "no issue", NULL);
	lg_verdict_add(&fx->vd, fx->findings.v[1], "linkname.shared-constraint", LG_SEVERITY_WARNING, "shared", NULL);
	lg_bypass_init(&fx->bypass);
	fx->ref_verdicts[0] = "reject";
	fx->ev.start_ms = (int64_t)1767225600 * 1000 + 123;
	fx->ev.duration_ms = 42;
	fx->ev.hook = "pre-receive";
	fx->ev.repository = "/srv/git/m.git/";
	fx->ev.push = &fx->push;
	fx->ev.ref_verdicts = fx->ref_verdicts;
	fx->ev.outcome = LG_OUTCOME_REJECT;
	fx->ev.policy_outcome = LG_OUTCOME_REJECT;
	fx->ev.exit_status = 1;
	fx->ev.vd = &fx->vd;
	fx->ev.findings = &fx->findings;
	fx->ev.ncommits = 1;
	fx->ev.bypass = &fx->bypass;
}

static void fixture_release(struct fixture *fx)
{
	lg_verdict_release(&fx->vd);
	lg_findings_release(&fx->findings);
	lg_push_release(&fx->push);
	lg_bypass_release(&fx->bypass);
}

static const char *jstr(json_t *root, const char *a, const char *b)
{
	json_t *v = json_object_get(root, a);

	if (b)
		v = json_object_get(v, b);
	return json_string_value(v);
}

static void test_audit_line(void)
{
	struct fixture fx;
	struct lg_buf line = LG_BUF_INIT;
	json_error_t e;
	json_t *root, *f0;
	size_t i;
	bool ascii = true;
	static const char *const members[] = { "v", "time", "hook", "repository", "pusher", "client", "refs",
					       "push_options", "verdict", "policy_verdict", "mode", "exit", "error",
					       "audit_error", "bypass", "counts", "violations", "findings", "commits",
					       "duration_ms", "linkgate" };

	memcpy(commit1.id, ID1, sizeof(ID1));
	commit1.summary = lg_xstrdup("use fastrand");
	commit1.message = lg_xstrdup("use fastrand\n\nIssue: X-1\n");
	commit1.author = lg_xstrdup("A <a@example.com>");
	commit1.committer = lg_xstrdup("A <a@example.com>");
	fixture_init(&fx);
	fx.bypass.requested = true;
	fx.bypass.option = "linkgate.bypass";
	fx.bypass.reason = lg_xstrdup("fire \xc3\x28");
	fx.bypass.reason_bytes = 7;
	fx.bypass.refusal = "the pusher is not listed in bypass.allowed";

	tap_ok(lg_audit_format(&line, &fx.ev) == 0, "audit: a line is built");
	tap_ok(line.len && line.ptr[line.len - 1] == '\n' && !memchr(line.ptr, '\n', line.len - 1),
	       "audit: exactly one line");
	for (i = 0; i < line.len - 1; i++)
		if ((unsigned char)line.ptr[i] < 0x20 || (unsigned char)line.ptr[i] > 0x7e)
			ascii = false;
	tap_ok(ascii, "audit: the line is printable ASCII whatever the push held");
	root = json_loads(line.ptr, JSON_REJECT_DUPLICATES, &e);
	tap_ok(root && json_is_object(root), "audit: the line parses as a JSON object (%s)", root ? "ok" : e.text);
	for (i = 0; i < LG_ARRAY_SIZE(members); i++)
		tap_ok(json_object_get(root, members[i]) != NULL, "audit: member %s present", members[i]);
	tap_is_str(jstr(root, "time", NULL), "2026-01-01T00:00:00.123Z", "audit: time is UTC with milliseconds");
	tap_is_str(jstr(root, "repository", NULL), "/srv/git/m.git", "audit: repository without the trailing slash");
	tap_is_str(jstr(root, "pusher", NULL), "pat\xef\xbf\xbd\"\n", "audit: invalid UTF-8 in the pusher is U+FFFD");
	tap_is_str(jstr(root, "pusher_b64", NULL), "cGF0/yIK", "audit: and its raw bytes in pusher_b64");
	tap_is_str(jstr(root, "verdict", NULL), "reject", "audit: verdict");
	tap_is_str(json_string_value(json_object_get(json_array_get(json_object_get(root, "refs"), 0), "verdict")),
		   "reject", "audit: per-ref verdict");
	tap_is_str(json_string_value(json_object_get(json_array_get(json_object_get(root, "push_options"), 0), "value")),
		   "ci.skip=\x1b[31m", "audit: push options are kept (escaped by JSON)");
	tap_is_str(jstr(root, "bypass", "reason"), "fire \xef\xbf\xbd(", "audit: bypass reason");
	tap_ok(jstr(root, "bypass", "reason_b64") != NULL, "audit: bypass reason_b64 for invalid UTF-8");
	tap_is_str(jstr(root, "bypass", "refused"), "the pusher is not listed in bypass.allowed", "audit: bypass refusal");
	tap_is_int(json_integer_value(json_object_get(json_object_get(root, "counts"), "errors")), 2, "audit: counts");
	tap_is_int((long long)json_array_size(json_object_get(root, "violations")), 3, "audit: every violation");
	f0 = json_array_get(json_object_get(root, "findings"), 0);
	tap_is_str(json_string_value(json_object_get(f0, "commit")), ID1, "audit: a finding names its commit by id");
	tap_is_int((long long)json_array_size(json_object_get(f0, "rules")), 2, "audit: a finding lists its rule ids");
	tap_is_str(json_string_value(json_array_get(json_object_get(f0, "rules"), 0)), "linkname.rationale",
		   "audit: rule id");
	tap_ok(json_object_get(f0, "path_b64") != NULL, "audit: findings keep *_b64 for invalid UTF-8");
	tap_is_int((long long)json_array_size(json_object_get(root, "commits")), 1, "audit: each commit once");
	tap_is_str(json_string_value(json_object_get(json_array_get(json_object_get(root, "commits"), 0), "message")),
		   "use fastrand\n\nIssue: X-1\n", "audit: the commit's message");
	json_decref(root);

	/* A 100 KB push option is bounded in the line. */
	free(fx.push.options[0]);
	fx.push.options[0] = lg_xmalloc(100 * 1024 + 1);
	memset(fx.push.options[0], 'x', 100 * 1024);
	fx.push.options[0][100 * 1024] = '\0';
	lg_buf_clear(&line);
	lg_audit_format(&line, &fx.ev);
	root = json_loads(line.ptr, 0, &e);
	tap_ok(root && strlen(json_string_value(json_object_get(json_array_get(json_object_get(root, "push_options"), 0),
								   "value"))) == LG_AUDIT_MAX_OPTION &&
		       json_integer_value(json_object_get(json_array_get(json_object_get(root, "push_options"), 0),
							  "bytes")) == 100 * 1024,
	       "audit: a 100 KB push option is cut to %d bytes, its length kept", LG_AUDIT_MAX_OPTION);
	json_decref(root);

	/* The syslog summary is one line with every value quoted. */
	lg_buf_clear(&line);
	fx.ev.error = "boom \"quoted\"\nnext";
	lg_audit_summary(&line, &fx.ev);
	tap_ok(!strchr(line.ptr, '\n') && strstr(line.ptr, "pusher=\"pat\\xff\\\"\\n\"") &&
		       strstr(line.ptr, "error=\"boom \\\"quoted\\\"\\nnext\"") && !strncmp(line.ptr, "reject repo=", 12),
	       "audit: the syslog summary stays one line: %s", line.ptr);
	fx.ev.error = NULL;

	lg_buf_release(&line);
	fixture_release(&fx);
}

static void test_audit_append(void)
{
	char *log = tmp_path("audit.log"), *dirpath = tmp_path("no-such-dir/audit.log");
	struct lg_buf b = LG_BUF_INIT;
	int i, status, children_ok = 1;
	size_t lines = 0, k;
	bool all_ok = true;

	/* 20 writers, 50 long lines each: no line is torn or lost. */
	for (i = 0; i < 20; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			struct lg_buf line = LG_BUF_INIT;
			int n;

			for (n = 0; n < 50; n++) {
				lg_buf_clear(&line);
				lg_buf_printf(&line, "{\"writer\":%d,\"n\":%d,\"pad\":\"", i, n);
				for (k = 0; k < 5000; k++)
					lg_buf_putc(&line, (char)('a' + i));
				lg_buf_puts(&line, "\"}\n");
				if (lg_audit_append(log, line.ptr, line.len) < 0)
					_exit(1);
			}
			_exit(0);
		}
	}
	for (i = 0; i < 20; i++) {
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			children_ok = 0;
	}
	tap_ok(children_ok, "append: 20 concurrent writers succeeded");
	lg_buf_read_file(&b, log, 64u << 20);
	for (k = 0; k < b.len;) {
		const char *nl = memchr(b.ptr + k, '\n', b.len - k);
		json_error_t e;
		json_t *j;

		if (!nl) {
			all_ok = false;
			break;
		}
		j = json_loadb(b.ptr + k, (size_t)(nl - b.ptr - k), 0, &e);
		if (!j)
			all_ok = false;
		json_decref(j);
		lines++;
		k = (size_t)(nl - b.ptr) + 1;
	}
	tap_ok(all_ok && lines == 1000, "append: 1000 whole JSON lines (%zu)", lines);

	tap_ok(lg_audit_append(dirpath, "x\n", 2) == LG_EAUDIT && strstr(lg_error_last(), "no-such-dir"),
	       "append: an unwritable path is LG_EAUDIT naming it");
	tap_ok(lg_audit_append(tmpdir, "x\n", 2) == LG_EAUDIT, "append: a directory is LG_EAUDIT");
	lg_buf_release(&b);
	free(log);
	free(dirpath);
}

/* ---- metrics ---- */

static double metric(const char *path, const char *series)
{
	struct lg_buf b = LG_BUF_INIT;
	double v = -1;
	size_t len = strlen(series);
	const char *p;

	if (lg_buf_read_file(&b, path, 1 << 24) == 0) {
		for (p = b.ptr; (p = strstr(p, series)); p += len) {
			if ((p == b.ptr || p[-1] == '\n') && p[len] == ' ') {
				v = strtod(p + len + 1, NULL);
				break;
			}
		}
	}
	lg_buf_release(&b);
	return v;
}

static void test_metrics(void)
{
	char *path = tmp_path("linkgate.prom"), *bad = tmp_path("bad.prom");
	struct fixture fx;
	struct lg_buf b = LG_BUF_INIT;
	struct lg_finding *f;
	int i, status, children_ok = 1;

	lg_metrics_escape_label(&b, "a\\b\"c\nd\x01\xff\xe2\x80\xae");
	tap_is_str(b.ptr, "a\\\\b\\\"c\\nd\xef\xbf\xbd\xef\xbf\xbd\xe2\x80\xae",
		   "metrics: label values escaped; control and invalid bytes become U+FFFD");
	lg_buf_release(&b);

	f = make_finding("runtime.fastrand", "runtime");
	tap_is_str(lg_metrics_target_label(f), "runtime.fastrand", "metrics: a runtime target is its own label");
	lg_finding_free(f);
	f = make_finding("example.com/evil.Sym", "other-module");
	tap_is_str(lg_metrics_target_label(f), "other", "metrics: a module target is other");
	lg_finding_free(f);
	f = make_finding("example.com/evil.Sym", NULL);
	tap_is_str(lg_metrics_target_label(f), "other", "metrics: unclassified, a dotted first element is other");
	lg_finding_free(f);
	f = make_finding("internal/bytealg.IndexByte", NULL);
	tap_is_str(lg_metrics_target_label(f), "internal/bytealg.IndexByte", "metrics: unclassified std target");
	lg_finding_free(f);
	f = make_finding(NULL, "self");
	tap_is_str(lg_metrics_target_label(f), "none", "metrics: the one-argument form is none");
	lg_finding_free(f);

	fixture_init(&fx);
	tap_ok(lg_metrics_record(path, &fx.ev) == 0, "metrics: first record");
	tap_ok(lg_metrics_record(path, &fx.ev) == 0, "metrics: second record");
	tap_ok(metric(path, "linkgate_pushes_total{hook=\"pre-receive\"}") == 2, "metrics: pushes counted");
	tap_ok(metric(path, "linkgate_verdicts_total{verdict=\"reject\"}") == 2, "metrics: verdicts counted");
	tap_ok(metric(path, "linkgate_findings_total{kind=\"linkname\"}") == 4, "metrics: findings counted");
	tap_ok(metric(path, "linkgate_violations_total{rule=\"linkname.rationale\",severity=\"error\"}") == 2,
	       "metrics: violations by rule and severity");
	tap_ok(metric(path, "linkgate_linkname_targets_total{target=\"runtime.fastrand\"}") == 2 &&
		       metric(path, "linkgate_linkname_targets_total{target=\"other\"}") == 2,
	       "metrics: targets, the module one as other");
	tap_ok(metric(path, "linkgate_hook_duration_seconds_bucket{le=\"0.05\"}") == 2 &&
		       metric(path, "linkgate_hook_duration_seconds_count") == 2 &&
		       metric(path, "linkgate_hook_duration_seconds_sum") > 0.083 &&
		       metric(path, "linkgate_hook_duration_seconds_sum") < 0.085,
	       "metrics: the duration histogram");
	tap_ok(metric(path, "linkgate_last_push_timestamp_seconds") == 1767225600, "metrics: last push timestamp");

	/* A pusher cannot grow the series without bound. */
	for (i = 0; i < LG_METRICS_MAX_TARGETS + 20; i++) {
		char *t = lg_xasprintf("runtime.sym%d", i);

		free(fx.findings.v[0]->target);
		fx.findings.v[0]->target = t;
		lg_metrics_record(path, &fx.ev);
	}
	{
		struct lg_buf all = LG_BUF_INIT;
		size_t n = 0;
		const char *p;

		lg_buf_read_file(&all, path, 1 << 24);
		for (p = all.ptr; (p = strstr(p, "\nlinkgate_linkname_targets_total{")); p++)
			n++;
		tap_ok(n == LG_METRICS_MAX_TARGETS, "metrics: target series capped at %d (%zu)", LG_METRICS_MAX_TARGETS, n);
		lg_buf_release(&all);
	}

	/* 20 processes recording 10 pushes each lose nothing. */
	unlink(path);
	for (i = 0; i < 20; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			int n;

			for (n = 0; n < 10; n++)
				if (lg_metrics_record(path, &fx.ev) < 0)
					_exit(1);
			_exit(0);
		}
	}
	for (i = 0; i < 20; i++)
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			children_ok = 0;
	tap_ok(children_ok && metric(path, "linkgate_pushes_total{hook=\"pre-receive\"}") == 200 &&
		       metric(path, "linkgate_hook_duration_seconds_count") == 200,
	       "metrics: 20 concurrent writers, 200 pushes counted (%g)",
	       metric(path, "linkgate_pushes_total{hook=\"pre-receive\"}"));

	tap_ok(lg_metrics_count_error(path, "audit") == 0 && metric(path, "linkgate_errors_total{kind=\"audit\"}") == 1,
	       "metrics: an audit failure is counted");

	/* A file linkgate did not write is not silently overwritten. */
	{
		int fd = open(bad, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0) {
			if (write(fd, "node_load1 0.5\n", 15) != 15)
				tap_diag("short write");
			close(fd);
		}
	}
	tap_ok(lg_metrics_record(bad, &fx.ev) == LG_EAUDIT && strstr(lg_error_last(), "not written by linkgate"),
	       "metrics: a foreign file is refused");
	tap_ok(lg_metrics_record("/nonexistent-dir/x.prom", &fx.ev) == LG_EAUDIT, "metrics: an unwritable path fails");

	fixture_release(&fx);
	free(path);
	free(bad);
}

/* ---- configuration keys of this module ---- */

static void config_error(const char *yaml, const char *want)
{
	struct lg_config cfg;
	int err;

	lg_config_init_defaults(&cfg);
	err = lg_config_parse(&cfg, yaml, strlen(yaml), "t.yml");
	tap_ok(err == LG_ECONFIG && strstr(lg_error_last(), want), "config: %.*s -> %s (%s)", (int)strcspn(yaml, "\n"), yaml, want,
	       err ? lg_error_last() : "accepted");
	lg_config_release(&cfg);
}

static void test_config(void)
{
	struct lg_config cfg;
	const char *ok = "audit: {log: /var/log/linkgate/audit.log, metrics: /var/lib/prom/linkgate.prom}\n"
			 "bypass: {push_option: linkgate.bypass, allowed: [pat]}\n";

	lg_config_init_defaults(&cfg);
	tap_ok(lg_config_parse(&cfg, ok, strlen(ok), "t.yml") == 0, "config: absolute audit paths and an option name");
	lg_config_release(&cfg);
	config_error("audit: {log: audit.log}\n", "audit.log: \"audit.log\" must be an absolute path");
	config_error("audit: {metrics: ../m.prom}\n", "must be an absolute path");
	config_error("bypass: {push_option: \"a=b\"}\n", "is not a push option name");
	config_error("bypass: {push_option: \"a b\"}\n", "is not a push option name");
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_bypass();
	test_audit_line();
	test_audit_append();
	test_metrics();
	test_config();
	lg_commit_info_release(&commit1);
	tap_remove_dir(tmpdir);
	return tap_done();
}
