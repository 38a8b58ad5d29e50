/* test-report.c — what the pusher reads, and the JSON report parsed back. */
#include "linkgate/report.h"
#include "linkgate/escape.h"
#include "tap.h"

#define ID1 "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0"
#define ID2 "bbbbbbbbbbbbcccccccccccccccccccccccccccc"
#define ZERO "0000000000000000000000000000000000000000"

static struct lg_commit_info c1, c2;

static void setup_commits(void)
{
	memcpy(c1.id, ID1, sizeof(ID1));
	c1.summary = lg_xstrdup("Speed up rand");
	c1.message = lg_xstrdup("Speed up rand\n\nIssue: ABC-1\n");
	c1.author = lg_xstrdup("Ann <ann@example.com>");
	c1.committer = lg_xstrdup("Ann <ann@example.com>");
	c1.time = 1700000000;
	c1.ntrailers = 1;
	c1.trailers = lg_xcalloc(1, sizeof(*c1.trailers));
	c1.trailers[0].key = lg_xstrdup("Issue");
	c1.trailers[0].value = lg_xstrdup("ABC-1");
	c1.signed_ = true;
	c1.signature_verified = false;

	memcpy(c2.id, ID2, sizeof(ID2));
	c2.summary = lg_xstrdup("Build without the check");
	c2.message = lg_xstrdup("Build without the check\n");
	c2.author = lg_xstrdup("Bob <bob@example.com>");
	c2.committer = lg_xstrdup("Bob <bob@example.com>");
}

static struct lg_finding *linkname_finding(const char *path, unsigned line, const struct lg_commit_info *c)
{
	struct lg_finding *f = lg_finding_new(LG_FINDING_LINKNAME);

	f->path = lg_xstrdup(path);
	f->line = line;
	f->text = lg_xstrdup("//go:linkname fastrand runtime.fastrand");
	f->text_len = strlen(f->text);
	f->ref = "refs/heads/main";
	f->commit = c;
	f->localname = lg_xstrdup("fastrand");
	f->target = lg_xstrdup("runtime.fastrand");
	f->target_pkg = lg_xstrdup("runtime");
	f->target_sym = lg_xstrdup("fastrand");
	f->target_class = "runtime";
	f->file.package = lg_xstrdup("fast");
	f->file.build_expr = lg_xstrdup("go1.21 && !go1.23");
	return f;
}

static struct lg_finding *flag_finding(const char *path, unsigned line, const struct lg_commit_info *c)
{
	struct lg_finding *f = lg_finding_new(LG_FINDING_CHECKLINKNAME_OFF);

	f->path = lg_xstrdup(path);
	f->line = line;
	f->text = lg_xstrdup("LDFLAGS := -checklinkname=0");
	f->text_len = strlen(f->text);
	f->ref = "refs/heads/main";
	f->commit = c;
	f->carrier = "makefile";
	f->spelling = lg_xstrdup("-checklinkname=0");
	return f;
}

/* Splits out into lines; returns the count. Lines live in out's buffer. */
static size_t split_lines(struct lg_buf *out, char **lines, size_t max)
{
	size_t n = 0, start = 0, i;

	for (i = 0; i < out->len; i++)
		if (out->ptr[i] == '\n') {
			out->ptr[i] = '\0';
			if (n < max)
				lines[n] = out->ptr + start;
			n++;
			start = i + 1;
		}
	return n;
}

static bool ends_with_newline(const struct lg_buf *b)
{
	return b->len && b->ptr[b->len - 1] == '\n';
}

static void test_small_verdict(void)
{
	static const char *const want[] = {
		"linkgate: push rejected: 3 violations of policy (2 errors, 1 warning) in 2 commits",
		"",
		"a1b2c3d4e5f6 internal/fast/rand.go:14  [linkname.rationale] error",
		"    no rationale block precedes the directive",
		"    hint: add above the directive:",
		"    hint: // linkname rationale:",
		"    hint:",
		"    hint: //   why: ...",
		"bbbbbbbbbbbb Makefile:3  [checklinkname.issue] error",
		"    the commit carries no Issue trailer",
		"    hint: add a trailer such as: Issue: ABC-123",
		"a1b2c3d4e5f6 internal/fast/rand.go:14  [linkname.shared-constraint] warning",
		"    2 linknames share one version constraint",
		"",
		"linkgate: checked 2 commits and 2 findings: 2 errors, 1 warning; fix the errors and push again",
		"linkgate: help: https://wiki.example.com/linkgate",
	};
	struct lg_report_opts opts = { 200, false, "https://wiki.example.com/linkgate", LG_MODE_ENFORCE };
	struct lg_finding *f1 = linkname_finding("internal/fast/rand.go", 14, &c1);
	struct lg_finding *f2 = flag_finding("Makefile", 3, &c2);
	struct lg_buf out = LG_BUF_INIT;
	struct lg_verdict vd;
	char *lines[64];
	size_t n, i;

	lg_verdict_init(&vd);
	/* The warning comes first in verdict order: the report lists errors first. */
	lg_verdict_add(&vd, f1, "linkname.shared-constraint", LG_SEVERITY_WARNING,
		       "2 linknames share one version constraint", NULL);
	lg_verdict_add(&vd, f1, "linkname.rationale", LG_SEVERITY_ERROR, "no rationale block precedes the directive",
		       "add above the directive:\n// linkname rationale:\n\n//   why: ...\n");
	lg_verdict_add(&vd, f2, "checklinkname.issue", LG_SEVERITY_ERROR, "the commit carries no Issue trailer",
		       "add a trailer such as: Issue: ABC-123");

	lg_buf_init(&out);
	lg_report_text(&out, &opts, LG_OUTCOME_REJECT, &vd, 2, 2);
	tap_ok(ends_with_newline(&out), "text: ends with a newline");
	n = split_lines(&out, lines, LG_ARRAY_SIZE(lines));
	tap_is_int((long long)n, (long long)LG_ARRAY_SIZE(want), "text: small verdict has the expected line count");
	for (i = 0; i < LG_ARRAY_SIZE(want) && i < n; i++)
		tap_is_str(lines[i], want[i], "text: small verdict line %zu", i + 1);
	lg_buf_release(&out);

	/* GitLab: the same lines, every one prefixed. */
	opts.gitlab_web = true;
	lg_buf_init(&out);
	lg_report_text(&out, &opts, LG_OUTCOME_REJECT, &vd, 2, 2);
	n = split_lines(&out, lines, LG_ARRAY_SIZE(lines));
	{
		bool all = n == LG_ARRAY_SIZE(want);

		for (i = 0; all && i < n; i++) {
			if (*want[i])
				all = !strncmp(lines[i], "GL-HOOK-ERR: ", 13) && !strcmp(lines[i] + 13, want[i]);
			else
				all = !strcmp(lines[i], "GL-HOOK-ERR:");
		}
		tap_ok(all, "text: gitlab_web prefixes every line with GL-HOOK-ERR:");
	}
	lg_buf_release(&out);
	opts.gitlab_web = false;

	/* mode warn */
	opts.mode = LG_MODE_WARN;
	opts.help_url = NULL;
	lg_buf_init(&out);
	lg_report_text(&out, &opts, LG_OUTCOME_WARN, &vd, 2, 2);
	n = split_lines(&out, lines, LG_ARRAY_SIZE(lines));
	tap_is_str(n ? lines[0] : NULL, "linkgate: policy violations found (mode: warn, push accepted)",
		   "text: warn mode verdict line");
	tap_is_str(n ? lines[n - 1] : NULL, "linkgate: checked 2 commits and 2 findings: 2 errors, 1 warning",
		   "text: warn mode summary has no 'fix and push again', no help line");
	lg_buf_release(&out);
	lg_verdict_release(&vd);

	/* accepted with a warning */
	opts.mode = LG_MODE_ENFORCE;
	lg_verdict_init(&vd);
	lg_verdict_add(&vd, f1, "linkname.ci-matrix", LG_SEVERITY_WARNING, "CI does not build go1.22", NULL);
	lg_buf_init(&out);
	lg_report_text(&out, &opts, LG_OUTCOME_ACCEPT, &vd, 1, 1);
	n = split_lines(&out, lines, LG_ARRAY_SIZE(lines));
	tap_is_str(n ? lines[0] : NULL, "linkgate: push accepted with 1 warning", "text: accepted-with-warning verdict line");
	tap_is_int((long long)n, 6, "text: accepted with one warning: 6 lines");
	lg_buf_release(&out);
	lg_verdict_release(&vd);

	/* accepted, nothing to say */
	lg_verdict_init(&vd);
	lg_buf_init(&out);
	lg_report_text(&out, &opts, LG_OUTCOME_ACCEPT, &vd, 0, 5);
	tap_is_str(out.ptr, "linkgate: push accepted: no policy violations\n"
			    "linkgate: checked 5 commits and 0 findings: 0 errors, 0 warnings\n",
		   "text: clean push");
	lg_buf_release(&out);
	lg_verdict_release(&vd);

	lg_finding_free(f1);
	lg_finding_free(f2);
}

static size_t count_prefix(char **lines, size_t n, const char *prefix)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (!strncmp(lines[i], prefix, strlen(prefix)))
			k++;
	return k;
}

static void test_cap(void)
{
	struct lg_report_opts opts = { 20, false, NULL, LG_MODE_ENFORCE };
	struct lg_finding *f = flag_finding("Makefile", 3, &c2);
	struct lg_buf out = LG_BUF_INIT, hint = LG_BUF_INIT;
	struct lg_verdict vd;
	char *lines[1024];
	size_t n, i;

	lg_verdict_init(&vd);
	for (i = 0; i < 30; i++) {
		char msg[32];

		snprintf(msg, sizeof(msg), "violation %zu", i);
		lg_verdict_add(&vd, f, "checklinkname.issue", i % 2 ? LG_SEVERITY_WARNING : LG_SEVERITY_ERROR, msg, NULL);
	}

	lg_buf_init(&out);
	lg_report_text(&out, &opts, LG_OUTCOME_REJECT, &vd, 1, 1);
	n = split_lines(&out, lines, LG_ARRAY_SIZE(lines));
	tap_ok(n <= 20, "cap: 30 violations within max_lines 20 (%zu lines)", n);
	tap_is_int((long long)count_prefix(lines, n, "bbbbbbbbbbbb "), 7, "cap: 7 blocks fit");
	tap_is_str(n >= 3 ? lines[n - 3] : NULL, "linkgate: ... and 23 more violations not shown",
		   "cap: the 'and N more' line counts the rest");
	tap_is_str(n ? lines[n - 1] : NULL,
		   "linkgate: checked 1 commit and 1 finding: 15 errors, 15 warnings; fix the errors and push again",
		   "cap: the summary is still shown");
	tap_is_str(n > 3 ? lines[3] : NULL, "    violation 0", "cap: errors come first");
	tap_is_str(n > 5 ? lines[5] : NULL, "    violation 2", "cap: errors keep their order");
	lg_buf_release(&out);

	/* Unlimited. */
	opts.max_lines = 0;
	lg_buf_init(&out);
	lg_report_text(&out, &opts, LG_OUTCOME_REJECT, &vd, 1, 1);
	n = split_lines(&out, lines, LG_ARRAY_SIZE(lines));
	tap_is_int((long long)count_prefix(lines, n, "bbbbbbbbbbbb "), 30, "cap: max_lines 0 shows everything");
	tap_is_int((long long)count_prefix(lines, n, "linkgate: ... and"), 0, "cap: no 'and N more' when all fit");
	tap_is_str(n > 33 ? lines[33] : NULL, "    violation 1", "cap: warnings follow errors");
	tap_is_str(n > 61 ? lines[61] : NULL, "    violation 29", "cap: warnings keep their order");
	lg_buf_release(&out);

	/* A cap below the minimum is raised to it, never to silence. */
	opts.max_lines = 1;
	opts.help_url = "https://h";
	lg_buf_init(&out);
	lg_report_text(&out, &opts, LG_OUTCOME_REJECT, &vd, 1, 1);
	n = split_lines(&out, lines, LG_ARRAY_SIZE(lines));
	tap_ok(n <= LG_REPORT_MIN_LINES, "cap: max_lines 1 is raised to LG_REPORT_MIN_LINES (%zu lines)", n);
	tap_is_int((long long)count_prefix(lines, n, "bbbbbbbbbbbb "), 1, "cap: tiny cap still shows one violation");
	tap_is_int((long long)count_prefix(lines, n, "linkgate: ... and 29 more violations not shown"), 1,
		   "cap: tiny cap says 29 more");
	lg_buf_release(&out);
	lg_verdict_release(&vd);

	/* One violation with a hint longer than the cap: cut, and said so. */
	for (i = 0; i < 300; i++)
		lg_buf_printf(&hint, "line %zu\n", i);
	lg_verdict_init(&vd);
	lg_verdict_add(&vd, f, "linkname.rationale", LG_SEVERITY_ERROR, "big hint", hint.ptr);
	lg_verdict_add(&vd, f, "linkname.issue", LG_SEVERITY_ERROR, "second", NULL);
	opts.max_lines = 20;
	opts.help_url = NULL;
	lg_buf_init(&out);
	lg_report_text(&out, &opts, LG_OUTCOME_REJECT, &vd, 1, 1);
	n = split_lines(&out, lines, LG_ARRAY_SIZE(lines));
	tap_is_int((long long)n, 20, "cap: a huge hint is cut to the cap");
	tap_is_int((long long)count_prefix(lines, n, "    hint: line "), 12, "cap: 12 hint lines shown");
	tap_is_str(n > 16 ? lines[16] : NULL, "    hint: ... (288 more hint lines not shown)", "cap: the cut is announced");
	tap_is_str(n > 17 ? lines[17] : NULL, "linkgate: ... and 1 more violation not shown",
		   "cap: the second violation is counted");
	lg_buf_release(&out);
	lg_buf_release(&hint);
	lg_verdict_release(&vd);
	lg_finding_free(f);
}

/* No byte of a report may be a control character other than the line feeds
 * that end lines; everything else must be valid UTF-8. */
static bool terminal_safe(const struct lg_buf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->ptr[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f)
			return false;
	}
	return lg_utf8_valid(b->ptr, b->len) && !strstr(b->ptr, "\xe2\x80\xae") && !strstr(b->ptr, "\xc2\x9b");
}

static void test_hostile(void)
{
	struct lg_report_opts opts = { 200, false, "https://x/\x1b]8;;evil\x07", LG_MODE_ENFORCE };
	struct lg_finding *f = flag_finding("evil\x1b[2J\xe2\x80\xae.go\nremote: fake \xff", 7, &c2);
	struct lg_buf out = LG_BUF_INIT;
	struct lg_verdict vd;
	char *lines[32];
	size_t n;

	lg_verdict_init(&vd);
	lg_verdict_add(&vd, f, "acme.\rrule", LG_SEVERITY_ERROR, "owner \x1b[31mroot\x1b[0m\nremote: accepted\xc2\x9b",
		       "write:\n\x1b[1mbold\x1b[0m\r\n\\e not an escape");
	lg_buf_init(&out);
	lg_report_text(&out, &opts, LG_OUTCOME_REJECT, &vd, 1, 1);
	tap_ok(terminal_safe(&out), "hostile: report holds no control byte, C1, bidi mark or invalid UTF-8");
	n = split_lines(&out, lines, LG_ARRAY_SIZE(lines));
	tap_is_int((long long)n, 10, "hostile: newlines in path and message do not add lines");
	tap_is_str(n > 2 ? lines[2] : NULL,
		   "bbbbbbbbbbbb evil\\e[2J\\u{202e}.go\\nremote: fake \\xff:7  [acme.\\rrule] error",
		   "hostile: path and rule escaped");
	tap_is_str(n > 3 ? lines[3] : NULL, "    owner \\e[31mroot\\e[0m\\nremote: accepted\\u{009b}",
		   "hostile: message escaped on one line");
	tap_is_str(n > 4 ? lines[4] : NULL, "    hint: write:", "hostile: hint line 1");
	tap_is_str(n > 5 ? lines[5] : NULL, "    hint: \\e[1mbold\\e[0m\\r", "hostile: hint line 2 escaped, CR shown");
	tap_is_str(n > 6 ? lines[6] : NULL, "    hint: \\\\e not an escape", "hostile: backslash doubled in hint");
	tap_is_str(n ? lines[n - 1] : NULL, "linkgate: help: https://x/\\e]8;;evil\\a", "hostile: help_url escaped");
	lg_buf_release(&out);
	lg_verdict_release(&vd);
	lg_finding_free(f);
}

static void test_errors(void)
{
	struct lg_report_opts opts = { 200, false, NULL, LG_MODE_ENFORCE };
	struct lg_buf out = LG_BUF_INIT;

	lg_buf_init(&out);
	lg_report_error(&out, &opts, "cannot read object 1234: missing\n\x1b[2Jremote: ok");
	tap_is_str(out.ptr, "linkgate: push rejected: cannot read object 1234: missing\\n\\e[2Jremote: ok\n",
		   "error: one escaped line");
	lg_buf_clear(&out);
	lg_report_error_accepted(&out, &opts, "time limit of 4000 ms reached");
	tap_is_str(out.ptr,
		   "linkgate: warning: time limit of 4000 ms reached; push accepted because on_error is accept\n",
		   "error: accepted on error");
	lg_buf_clear(&out);
	opts.gitlab_web = true;
	lg_report_error(&out, &opts, NULL);
	tap_is_str(out.ptr, "GL-HOOK-ERR: linkgate: push rejected: unknown error\n", "error: GitLab prefix, NULL reason");
	lg_buf_release(&out);
}

static void test_base64(void)
{
	static const char *const vec[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	struct lg_buf out = LG_BUF_INIT;
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(vec); i++) {
		lg_buf_init(&out);
		lg_base64_encode(&out, vec[i][0], strlen(vec[i][0]));
		tap_is_str(out.ptr, vec[i][1], "base64: RFC 4648 vector '%s'", vec[i][0]);
		lg_buf_release(&out);
	}
	lg_buf_init(&out);
	lg_base64_encode(&out, "\xff\xfe\0\x01", 4);
	tap_is_str(out.ptr, "//4AAQ==", "base64: high bytes and NUL");
	lg_buf_release(&out);
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void test_json(void)
{
	struct lg_finding *f1 = linkname_finding("bad\xff\xfe.go", 14, &c1);
	struct lg_finding *f2 = flag_finding("Makefile", 3, &c2);
	const char *ref_verdicts[] = { "reject" };
	struct lg_buf out = LG_BUF_INIT;
	struct lg_findings all;
	struct lg_verdict vd;
	struct lg_push push;
	json_error_t jerr;
	json_t *root, *v, *fj, *x;
	size_t i;
	bool ascii = true;

	f1->rationale.present = true;
	f1->rationale.line = 10;
	f1->rationale.why = lg_xstrdup("hot path");
	f1->rationale.owner = lg_xstrdup("@acme-runtime");
	f1->file.imports_unsafe = 1;
	f2->file.imports_unsafe = -1;
	lg_findings_init(&all);
	lg_findings_add(&all, f1);
	lg_findings_add(&all, f2);
	lg_verdict_init(&vd);
	lg_verdict_add(&vd, f1, "linkname.issue", LG_SEVERITY_ERROR, "no issue", "fix \xc3(x)");
	lg_verdict_add(&vd, f2, "checklinkname.remove-by", LG_SEVERITY_WARNING, "soon", NULL);
	lg_push_init(&push);
	tap_is_int(lg_push_add_update(&push, "refs/heads/main", ZERO, ID1), 0, "json: push set up");

	lg_buf_init(&out);
	tap_is_int(lg_report_json(&out, LG_OUTCOME_REJECT, &push, ref_verdicts, &vd, &all), 0, "json: built");
	for (i = 0; i < out.len; i++)
		if ((unsigned char)out.ptr[i] >= 0x80)
			ascii = false;
	tap_ok(ascii, "json: output is ASCII only");
	root = json_loadb(out.ptr, out.len, 0, &jerr);
	if (!tap_ok(root != NULL, "json: parses back")) {
		tap_diag("%s at %d:%d", jerr.text, jerr.line, jerr.column);
		goto done;
	}
	tap_is_str(jstr(root, "verdict"), "reject", "json: verdict");
	v = json_array_get(json_object_get(root, "refs"), 0);
	tap_is_str(jstr(v, "ref"), "refs/heads/main", "json: refs[0].ref");
	tap_is_str(jstr(v, "old"), ZERO, "json: refs[0].old");
	tap_is_str(jstr(v, "new"), ID1, "json: refs[0].new");
	tap_is_str(jstr(v, "verdict"), "reject", "json: refs[0].verdict");

	tap_is_int((long long)json_array_size(json_object_get(root, "violations")), 2, "json: 2 violations");
	v = json_array_get(json_object_get(root, "violations"), 0);
	tap_is_str(jstr(v, "rule"), "linkname.issue", "json: violation rule");
	tap_is_str(jstr(v, "severity"), "error", "json: violation severity");
	tap_is_str(jstr(v, "commit"), ID1, "json: violation commit is the full id");
	tap_is_str(jstr(v, "path"), "bad\xef\xbf\xbd\xef\xbf\xbd.go", "json: violation path with U+FFFD");
	tap_is_str(jstr(v, "path_b64"), "YmFk//4uZ28=", "json: violation path_b64 keeps the raw bytes");
	tap_is_int(json_integer_value(json_object_get(v, "line")), 14, "json: violation line");
	tap_is_str(jstr(v, "message"), "no issue", "json: violation message");
	tap_is_str(jstr(v, "hint"), "fix \xef\xbf\xbd(x)", "json: invalid hint replaced");
	tap_is_str(jstr(v, "hint_b64"), "Zml4IMMoeCk=", "json: hint_b64");
	tap_ok(json_is_object(json_object_get(v, "finding")), "json: violation embeds its finding");
	v = json_array_get(json_object_get(root, "violations"), 1);
	tap_ok(json_is_null(json_object_get(v, "hint")), "json: absent hint is null");
	tap_ok(json_object_get(v, "hint_b64") == NULL, "json: no _b64 for valid strings");

	tap_is_int((long long)json_array_size(json_object_get(root, "findings")), 2, "json: 2 findings");
	fj = json_array_get(json_object_get(root, "findings"), 0);
	tap_is_str(jstr(fj, "kind"), "linkname", "json: finding kind");
	tap_is_str(jstr(fj, "path"), "bad\xef\xbf\xbd\xef\xbf\xbd.go", "json: finding path with U+FFFD");
	tap_is_str(jstr(fj, "path_b64"), "YmFk//4uZ28=", "json: finding path_b64");
	tap_is_int(json_integer_value(json_object_get(fj, "line")), 14, "json: finding line");
	tap_is_str(jstr(fj, "text"), "//go:linkname fastrand runtime.fastrand", "json: finding text");
	tap_is_str(jstr(fj, "ref"), "refs/heads/main", "json: finding ref");
	tap_is_str(jstr(fj, "localname"), "fastrand", "json: localname");
	tap_is_str(jstr(fj, "target"), "runtime.fastrand", "json: target");
	tap_is_str(jstr(fj, "target_pkg"), "runtime", "json: target_pkg");
	tap_is_str(jstr(fj, "target_sym"), "fastrand", "json: target_sym");
	tap_is_str(jstr(fj, "target_class"), "runtime", "json: target_class");
	tap_ok(json_is_null(json_object_get(fj, "malformed")), "json: malformed null");
	tap_ok(json_is_null(json_object_get(fj, "vendored")), "json: vendored null");
	tap_ok(json_object_get(fj, "spelling") == NULL, "json: linkname has no flag fields");
	x = json_object_get(fj, "commit");
	tap_is_str(jstr(x, "id"), ID1, "json: commit.id");
	tap_is_str(jstr(x, "summary"), "Speed up rand", "json: commit.summary");
	tap_is_str(jstr(x, "message"), "Speed up rand\n\nIssue: ABC-1\n", "json: commit.message");
	tap_is_str(jstr(x, "author"), "Ann <ann@example.com>", "json: commit.author");
	tap_is_str(jstr(x, "committer"), "Ann <ann@example.com>", "json: commit.committer");
	tap_is_str(jstr(json_array_get(json_object_get(x, "trailers"), 0), "key"), "Issue", "json: trailer key");
	tap_is_str(jstr(json_array_get(json_object_get(x, "trailers"), 0), "value"), "ABC-1", "json: trailer value");
	tap_ok(json_is_true(json_object_get(json_object_get(x, "signature"), "present")), "json: signature.present");
	tap_ok(json_is_false(json_object_get(json_object_get(x, "signature"), "verified")), "json: signature.verified");
	tap_ok(json_is_null(json_object_get(json_object_get(x, "signature"), "signer")), "json: signature.signer null");
	x = json_object_get(fj, "file");
	tap_is_str(jstr(x, "package"), "fast", "json: file.package");
	tap_ok(json_is_false(json_object_get(x, "is_test")), "json: file.is_test");
	tap_ok(json_is_true(json_object_get(x, "imports_unsafe")), "json: file.imports_unsafe true");
	tap_is_str(jstr(json_object_get(x, "build"), "expr"), "go1.21 && !go1.23", "json: file.build.expr");
	tap_ok(json_is_false(json_object_get(json_object_get(x, "build"), "misplaced")), "json: file.build.misplaced");
	x = json_object_get(fj, "rationale");
	tap_is_str(jstr(x, "why"), "hot path", "json: rationale.why");
	tap_is_str(jstr(x, "owner"), "@acme-runtime", "json: rationale.owner");
	tap_ok(json_is_null(json_object_get(x, "measured_gain")), "json: rationale.measured_gain null");
	tap_is_int(json_integer_value(json_object_get(x, "line")), 10, "json: rationale.line");

	fj = json_array_get(json_object_get(root, "findings"), 1);
	tap_is_str(jstr(fj, "kind"), "checklinkname-off", "json: flag kind");
	tap_is_str(jstr(fj, "carrier"), "makefile", "json: carrier");
	tap_is_str(jstr(fj, "spelling"), "-checklinkname=0", "json: spelling");
	tap_ok(json_is_null(json_object_get(fj, "yaml_path")), "json: yaml_path null");
	tap_ok(json_object_get(fj, "localname") == NULL, "json: flag has no linkname fields");
	json_decref(root);

	/* The public per-finding builder. */
	f2->file.imports_unsafe = -1;
	f1->rationale.present = false;
	fj = lg_report_finding_json(f1);
	tap_ok(fj && json_is_null(json_object_get(fj, "rationale")), "finding json: absent rationale is null");
	tap_ok(fj && json_is_true(json_object_get(json_object_get(fj, "file"), "imports_unsafe")),
	       "finding json: imports_unsafe");
	json_decref(fj);
	f1->file.imports_unsafe = -1;
	f1->commit = NULL;
	fj = lg_report_finding_json(f1);
	tap_ok(fj && json_is_null(json_object_get(json_object_get(fj, "file"), "imports_unsafe")),
	       "finding json: unknown imports_unsafe is null");
	tap_ok(fj && json_is_null(json_object_get(fj, "commit")), "finding json: missing commit is null");
	json_decref(fj);

	/* NUL inside the text survives (text_len is authoritative). */
	free(f2->text);
	f2->text = lg_xstrndup("a\0b", 3);
	f2->text_len = 3;
	fj = lg_report_finding_json(f2);
	tap_ok(fj && json_string_length(json_object_get(fj, "text")) == 3, "finding json: NUL kept in text");
	json_decref(fj);

done:
	lg_buf_release(&out);
	lg_push_release(&push);
	lg_verdict_release(&vd);
	lg_findings_release(&all);
}

static void test_json_empty(void)
{
	struct lg_buf out = LG_BUF_INIT;
	struct lg_verdict vd;
	json_t *root;

	lg_verdict_init(&vd);
	lg_buf_init(&out);
	tap_is_int(lg_report_json(&out, LG_OUTCOME_ACCEPT, NULL, NULL, &vd, NULL), 0, "json: empty report built");
	root = json_loads(out.ptr, 0, NULL);
	tap_ok(root && !strcmp(jstr(root, "verdict"), "accept") && json_array_size(json_object_get(root, "refs")) == 0 &&
		       json_array_size(json_object_get(root, "findings")) == 0,
	       "json: empty report has verdict and empty arrays");
	json_decref(root);
	lg_buf_release(&out);
	tap_is_str(lg_outcome_name(LG_OUTCOME_WARN), "warn", "outcome name warn");
}

int main(void)
{
	setup_commits();
	test_small_verdict();
	test_cap();
	test_hostile();
	test_errors();
	test_base64();
	test_json();
	test_json_empty();
	lg_commit_info_release(&c1);
	lg_commit_info_release(&c2);
	return tap_done();
}
