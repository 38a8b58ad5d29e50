/*
 * test-trailers.c — commit trailers parsed like `git interpret-trailers
 * --parse`. The expectations of the table were produced by git 2.39 on the
 * same messages; when that git is installed, the test asks it again so the
 * table cannot drift from what it claims.
 */
#include "linkgate/buf.h"
#include "linkgate/trailers.h"
#include "tap.h"

#include <unistd.h>

struct tcase {
	const char *name;
	const char *msg;
	const char *want;  /* "key: value\n" per trailer, as git prints them */
	bool git;          /* git 2.39 gives the same (false: a documented difference) */
};

static const struct tcase cases[] = {
	{ "empty message",
	  "",
	  "", true },
	{ "title only",
	  "Title only",
	  "", true },
	{ "title with newline only",
	  "Title only\n",
	  "", true },
	{ "one trailer",
	  "Title\n\nIssue: X-1\n",
	  "Issue: X-1\n", true },
	{ "body then trailers",
	  "Title\n\nBody text.\n\nIssue: X-1\nOwner: a@b\n",
	  "Issue: X-1\nOwner: a@b\n", true },
	{ "trailer-like title paragraph",
	  "Title\nIssue: X-1\n",
	  "", true },
	{ "a lone trailer line is the title",
	  "Issue: X-1\n",
	  "", true },
	{ "mixed paragraph without git trailer",
	  "Title\n\nBody\nIssue: X-1\n",
	  "", true },
	{ "25% rule met with Signed-off-by",
	  "Title\n\nBody line one\nBody line two\nSigned-off-by: A <a@b>\n",
	  "Signed-off-by: A <a@b>\n", true },
	{ "25% rule not met",
	  "Title\n\nb1\nb2\nb3\nb4\nSigned-off-by: A <a@b>\n",
	  "", true },
	{ "25% rule with two trailers",
	  "Title\n\nb1\nb2\nb3\nIssue: 1\nSigned-off-by: A <a@b>\n",
	  "Issue: 1\nSigned-off-by: A <a@b>\n", true },
	{ "exactly 25%",
	  "Title\n\nSigned-off-by: a\nsome text\nmore\nmore2\n",
	  "Signed-off-by: a\n", true },
	{ "cherry-pick line counts but is not output",
	  "Title\n\nIssue: X-1\n(cherry picked from commit abc)\n",
	  "Issue: X-1\n", true },
	{ "cherry-pick line recognises a mixed block",
	  "Title\n\nsome text\nIssue: X-1\n(cherry picked from commit abc)\n",
	  "Issue: X-1\n", true },
	{ "continuation lines are folded",
	  "Title\n\nOwner: a\n  b\n\tc\nIssue: 1\n",
	  "Owner: a b c\nIssue: 1\n", true },
	{ "continuation before any trailer",
	  "Title\n\n  cont\nIssue: 1\n",
	  "", true },
	{ "trailing comment lines",
	  "Title\n\nIssue: 1\n# Please enter the commit message\n#\n",
	  "Issue: 1\n", true },
	{ "comment inside the block",
	  "Title\n\nIssue: 1\n# c\nOwner: x\n",
	  "Issue: 1\nOwner: x\n", true },
	{ "patch divider",
	  "Title\n\nIssue: 1\n---\n diff --git a/x b/x\nFoo: bar\n",
	  "Issue: 1\n", true },
	{ "patch divider with trailing space",
	  "Title\n\nIssue: 1\n--- \nFoo: bar\n",
	  "Issue: 1\n", true },
	{ "dashes then text is not a divider",
	  "Title\n\nIssue: 1\n---x\n",
	  "", true },
	{ "dashes at the very end without newline",
	  "Title\n\nIssue: 1\n---",
	  "", true },
	{ "divider in the title",
	  "--- Title\n\nIssue: 1\n",
	  "", true },
	{ "blanks before the colon",
	  "Title\n\nIssue  : X\nKey\t: v\n",
	  "Issue: X\nKey: v\n", true },
	{ "space inside the key",
	  "Title\n\nBad Key: x\n",
	  "", true },
	{ "no space after colon",
	  "Title\n\nKey:value\n",
	  "Key: value\n", true },
	{ "empty value",
	  "Title\n\nKey:\n",
	  "Key: \n", true },
	{ "CRLF line endings",
	  "Title\r\n\r\nIssue: 1\r\nOwner: a\r\n",
	  "Issue: 1\nOwner: a\n", true },
	{ "trailing blank lines",
	  "Title\n\nIssue: 1\n\n\n",
	  "Issue: 1\n", true },
	{ "whitespace-only last line",
	  "Title\n\nIssue: 1\n  \n",
	  "Issue: 1\n", true },
	{ "bytes that are not UTF-8",
	  "Title\n\nOwner: \377\376 x\n",
	  "Owner: \377\376 x\n", true },
	{ "repeated key",
	  "Title\n\nIssue: 1\nIssue: 2\n",
	  "Issue: 1\nIssue: 2\n", true },
	{ "key case kept",
	  "Title\n\nsigned-off-by: x\n",
	  "signed-off-by: x\n", true },
	{ "leading blank line: empty title",
	  "\nIssue: 1\n",
	  "Issue: 1\n", true },
	{ "old Conflicts block is ignored",
	  "Title\n\nIssue: 1\n\nConflicts:\n\ta.c\n\tb.c\n",
	  "Issue: 1\n", true },
	{ "scissors line",
	  "Title\n\nIssue: 1\n# ------------------------ >8 ------------------------\ndiff\nFoo: bar\n",
	  "Issue: 1\n", true },
	{ "no newline at the end",
	  "Title\n\nIssue: 1",
	  "Issue: 1\n", true },
	{ "value holding colons",
	  "Title\n\nRef: http://x/y:z\n",
	  "Ref: http://x/y:z\n", true },
	{ "Signed-off-by without space",
	  "Title\n\nSigned-off-by:a\n",
	  "Signed-off-by: a\n", true },
	{ "dash as a key",
	  "Title\n\n-: x\n",
	  "-: x\n", true },
	{ "missing key",
	  "Title\n\n:x\n",
	  "", true },
	{ "non-ASCII key",
	  "Title\n\nK\303\251y: v\n",
	  "", true },
	{ "value spaces are trimmed",
	  "Title\n\nKey:   spaced out   \n",
	  "Key: spaced out\n", true },
	{ "comment lines in the title",
	  "# c\nTitle\n# d\n\nIssue: 1\n",
	  "Issue: 1\n", true },
	{ "only comments",
	  "# a\n\n# b\n",
	  "", true },
	{ "folded value with blank continuation",
	  "Title\n\nOwner: a\n   \n  b\n",
	  "", true },
	/* Differences from git, both deliberate (see trailers.c). git keeps
	 * the CR of a folded CRLF line ("a\r b") ... */
	{ "CRLF continuation folds like LF",
	  "Title\r\n\r\nOwner: a\r\n b\r\n",
	  "Owner: a b\n", false },
	/* ... and git 2.39 never returns on a scissors line after a divider. */
	{ "scissors line after a divider",
	  "Title\n\nIssue: 1\n---\nx\n# ------------------------ >8 ------------------------\n",
	  "Issue: 1\n", false },
};

static char *format(const struct lg_trailer *t, size_t n)
{
	struct lg_buf b = LG_BUF_INIT;
	size_t i;

	lg_buf_init(&b);
	for (i = 0; i < n; i++)
		lg_buf_printf(&b, "%s: %s\n", t[i].key, t[i].value);
	return lg_buf_detach(&b, NULL);
}

/* What the installed git says, or NULL if it cannot be asked. */
static char *ask_git(const char *msg)
{
	char path[] = "lg-trailers-XXXXXX";
	struct lg_buf out = LG_BUF_INIT;
	char *cmd = NULL, *result = NULL;
	size_t len = strlen(msg);
	FILE *f = NULL;
	int fd;

	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	if (write(fd, msg, len) != (ssize_t)len) {
		close(fd);
		goto done;
	}
	close(fd);
	/* No configuration at all (trailer.* settings would change the
	 * result), and no repository: git would chdir to its top level. */
	cmd = lg_xasprintf("GIT_DIR=/nonexistent GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null "
			   "HOME=/nonexistent git interpret-trailers --parse <%s", path);
	f = popen(cmd, "r");
	if (!f)
		goto done;
	lg_buf_init(&out);
	if (lg_buf_read_fd(&out, fileno(f), 1 << 20) == 0 && pclose(f) == 0)
		result = lg_buf_detach(&out, NULL);
	else
		result = NULL;
	f = NULL;
done:
	if (f)
		pclose(f);
	lg_buf_release(&out);
	free(cmd);
	unlink(path);
	return result;
}

static bool have_git_239(void)
{
	char line[128] = "";
	FILE *f = popen("git --version 2>/dev/null", "r");

	if (!f)
		return false;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	pclose(f);
	return !strncmp(line, "git version 2.39.", 17);
}

int main(void)
{
	struct lg_trailer *t;
	size_t n, i;
	bool git = have_git_239();
	char *got, *big;
	struct lg_buf b = LG_BUF_INIT;

	for (i = 0; i < LG_ARRAY_SIZE(cases); i++) {
		tap_is_int(lg_trailers_parse(&t, &n, cases[i].msg), 0, "%s: parses", cases[i].name);
		got = format(t, n);
		tap_is_str(got, cases[i].want, "%s", cases[i].name);
		free(got);
		lg_trailers_free(t, n);
	}

	if (!git)
		tap_diag("git 2.39 not found: the table is not re-checked against it");
	for (i = 0; git && i < LG_ARRAY_SIZE(cases); i++) {
		if (!cases[i].git)
			continue;
		got = ask_git(cases[i].msg);
		tap_is_str(got, cases[i].want, "git 2.39 agrees: %s", cases[i].name);
		free(got);
	}

	lg_trailers_parse(&t, &n, "Title\n\nIssue: A-1\nsigned-off-by: x\nIssue: A-2\n");
	tap_is_str(lg_trailer_get(t, n, "issue"), "A-1", "lookup is case-insensitive and returns the first");
	tap_is_str(lg_trailer_get(t, n, "Signed-Off-By"), "x", "lookup ignores the case of the key as written");
	tap_is_str(lg_trailer_get(t, n, "Owner"), NULL, "missing key gives NULL");
	tap_is_str(lg_trailer_get(t, n, "Issu"), NULL, "a prefix is not a match");
	lg_trailers_free(t, n);

	tap_is_int(lg_trailers_parse(&t, &n, NULL), 0, "NULL message parses");
	tap_ok(!t && !n, "NULL message has no trailers");
	lg_trailers_free(NULL, 0);

	/* A long message: one pass, no quadratic walk. */
	lg_buf_init(&b);
	lg_buf_puts(&b, "Title\n\n");
	for (i = 0; i < 200000; i++)
		lg_buf_puts(&b, "body line that is not a trailer\n");
	lg_buf_puts(&b, "\nIssue: X-9\n");
	for (i = 0; i < 100000; i++)
		lg_buf_puts(&b, " folded\n");
	big = lg_buf_detach(&b, NULL);
	lg_trailers_parse(&t, &n, big);
	tap_is_int((long long)n, 1, "long message: one trailer");
	tap_ok(n == 1 && !strncmp(t[0].value, "X-9 folded folded", 17) && strlen(t[0].value) == 3 + 7 * 100000,
	       "long message: continuations folded");
	lg_trailers_free(t, n);
	free(big);
	return tap_done();
}
