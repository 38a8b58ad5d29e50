/*
 * test-glob.c — git's wildmatch semantics under WM_PATHNAME, for ref and
 * path globs, and the guarantee that no pattern makes matching blow up.
 */
#include "linkgate/buf.h"
#include "linkgate/glob.h"
#include "tap.h"

#include <signal.h>
#include <unistd.h>

struct gcase {
	const char *pattern;
	const char *text;
	bool match;
};

static const struct gcase cases[] = {
	/* refs, the main use */
	{ "refs/heads/**", "refs/heads/main", true },
	{ "refs/heads/**", "refs/heads/a/b", true },
	{ "refs/heads/**", "refs/heads/", true },
	{ "refs/heads/**", "refs/heads", false },
	{ "refs/heads/**", "refs/headsx/main", false },
	{ "refs/heads/**", "refs/tags/v1", false },
	{ "refs/heads/*", "refs/heads/main", true },
	{ "refs/heads/*", "refs/heads/a/b", false },
	{ "refs/heads/release-*", "refs/heads/release-1.2", true },
	{ "refs/heads/release-*", "refs/heads/release/1.2", false },
	{ "refs/*/main", "refs/heads/main", true },
	{ "refs/*/main", "refs/heads/x/main", false },
	{ "refs/tags/v1.0", "refs/tags/v1.0", true },
	{ "refs/tags/v1.0", "refs/tags/v1x0", false },
	{ "refs/tags/v1.0", "refs/tags/v1.0.1", false },
	/* `**` as a whole component */
	{ "refs/**/main", "refs/main", true },
	{ "refs/**/main", "refs/heads/main", true },
	{ "refs/**/main", "refs/heads/x/main", true },
	{ "refs/**/main", "refs/heads/xmain", false },
	{ "**/main", "main", true },
	{ "**/main", "refs/heads/main", true },
	{ "**/main", "refs/heads/domain", false },
	{ "**", "", true },
	{ "**", "a/b/c", true },
	{ "a/**", "a", false },
	{ "a/**", "a/b/c", true },
	{ "a/**/b/**/c", "a/b/c", true },
	{ "a/**/b/**/c", "a/x/b/y/z/c", true },
	{ "a/**/**/b", "a/b", true },
	{ "a/***/b", "a/x/y/b", true },
	{ "**/testdata/**", "testdata/x.go", true },
	{ "**/testdata/**", "a/b/testdata/c/x.go", true },
	{ "**/testdata/**", "a/mytestdata/x.go", false },
	{ "vendor/**", "vendor/golang.org/x/sys/unix/asm.go", true },
	/* `**` inside a component is a plain star */
	{ "a**b", "axxb", true },
	{ "a**b", "a/b", false },
	{ "**a", "xa", true },
	{ "**a", "x/a", false },
	{ "a/**b", "a/xb", true },
	{ "a/**b", "a/x/b", false },
	/* `*` and `?` never cross '/' */
	{ "*", "", true },
	{ "*", "abc", true },
	{ "*", "a/b", false },
	{ "*.go", "x.go", true },
	{ "*.go", "a/x.go", false },
	{ "**/*.go", "x.go", true },
	{ "**/*.go", "a/b/x.go", true },
	{ "**/*_test.go", "pkg/x_test.go", true },
	{ "**/*_test.go", "pkg/x_test.go.orig", false },
	{ "a?c", "abc", true },
	{ "a?c", "a/c", false },
	{ "???", "ab", false },
	{ "*a*b", "xaybz", false },
	{ "*a*b", "xaybzb", true },
	/* bytes, not characters */
	{ "caf?", "caf\xc3\xa9", false },
	{ "caf??", "caf\xc3\xa9", true },
	/* classes */
	{ "[abc]", "b", true },
	{ "[abc]", "d", false },
	{ "[!abc]", "d", true },
	{ "[^abc]", "a", false },
	{ "[a-c]x", "bx", true },
	{ "[a-c]x", "dx", false },
	{ "[]]", "]", true },
	{ "[!]]", "a", true },
	{ "[!]]", "]", false },
	{ "[]-]", "-", true },
	{ "[a-]", "-", true },
	{ "[-a]", "-", true },
	{ "[a-c-e]", "-", true },
	{ "[a-c-e]", "d", false },
	{ "[\\]]", "]", true },
	{ "[\\-_]", "-", true },
	{ "[[:digit:]]", "7", true },
	{ "[[:alpha:]]", "7", false },
	{ "[[:upper:][:digit:]]", "Q", true },
	{ "[![:space:]]", " ", false },
	{ "[[:]x]", ":x]", true },
	{ "[[:]x]", "[x]", true },
	{ "a[/]b", "a/b", false },
	{ "a[!x]b", "a/b", false },
	{ "v[0-9].[0-9]*", "v1.20", true },
	/* escapes */
	{ "\\*", "*", true },
	{ "\\*", "a", false },
	{ "a\\?", "a?", true },
	{ "a\\?", "ab", false },
	{ "\\[x]", "[x]", true },
	{ "a\\\\b", "a\\b", true },
	{ "a/**\\/b", "a/x/b", true },
	{ "a/**\\/b", "a/b", false }, /* only an unescaped '/' lets `**` match no directory */
	/* invalid patterns match nothing, not even themselves */
	{ "[abc", "[abc", false },
	{ "[abc", "a", false },
	{ "abc\\", "abc\\", false },
	{ "abc\\", "abc", false },
	{ "[[:nope:]]", "a", false },
	/* the empty pattern */
	{ "", "", true },
	{ "", "a", false },
};

struct vcase {
	const char *pattern;
	const char *why; /* NULL: valid */
};

static const struct vcase valid_cases[] = {
	{ "refs/heads/**", NULL },
	{ "[]]", NULL },
	{ "[[:alpha:]x]", NULL },
	{ "[[:x]", NULL },
	{ "a\\*", NULL },
	{ "", NULL },
	{ "refs/[abc", "unterminated character class (missing ']')" },
	{ "[]", "unterminated character class (missing ']')" },
	{ "[!", "unterminated character class (missing ']')" },
	{ "[[:alpha:]", "unterminated character class (missing ']')" },
	{ "[a\\", "unterminated character class (missing ']')" },
	{ "x\\", "trailing backslash" },
	{ "[[:nope:]]", "unknown character class name in [:name:]" },
	{ "[[::]]", "unknown character class name in [:name:]" },
};

static void on_alarm(int sig)
{
	static const char msg[] = "Bail out! glob matching did not finish: backtracking blew up\n";
	ssize_t r = write(1, msg, sizeof(msg) - 1);

	(void)r;
	(void)sig;
	_exit(1);
}

int main(void)
{
	struct lg_buf text = LG_BUF_INIT, pat = LG_BUF_INIT;
	static char tags[] = "refs/tags/**", main_branch[] = "refs/heads/main";
	char *patterns[] = { tags, main_branch };
	const char *why;
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(cases); i++)
		tap_is_int(lg_glob_match(cases[i].pattern, cases[i].text), cases[i].match, "'%s' %s '%s'",
			   cases[i].pattern, cases[i].match ? "matches" : "does not match", cases[i].text);

	for (i = 0; i < LG_ARRAY_SIZE(valid_cases); i++) {
		const struct vcase *v = &valid_cases[i];

		why = NULL;
		tap_is_int(lg_glob_valid(v->pattern, &why), !v->why, "'%s' is %s", v->pattern,
			   v->why ? "invalid" : "valid");
		if (v->why)
			tap_is_str(why, v->why, "'%s': reason", v->pattern);
	}
	tap_ok(!lg_glob_valid(NULL, NULL), "NULL pattern is invalid (no reason asked)");
	tap_ok(!lg_glob_match(NULL, "a") && !lg_glob_match("a", NULL), "NULL never matches");

	tap_ok(lg_glob_match_any(patterns, 2, "refs/heads/main"), "match_any: second pattern");
	tap_ok(lg_glob_match_any(patterns, 2, "refs/tags/v1/rc"), "match_any: first pattern");
	tap_ok(!lg_glob_match_any(patterns, 2, "refs/heads/dev"), "match_any: none");
	tap_ok(!lg_glob_match_any(NULL, 0, "refs/heads/dev"), "match_any: empty list");

	/* Hostile inputs. A backtracking matcher needs time exponential in the
	 * number of stars here; this one is linear in the text per pattern
	 * token. The alarm turns a hang into a failure, it measures nothing. */
	signal(SIGALRM, on_alarm);
	alarm(60);
	lg_buf_init(&text);
	for (i = 0; i < 100000; i++)
		lg_buf_putc(&text, 'a');
	tap_ok(!lg_glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", text.ptr), "hostile stars finish (no match)");
	lg_buf_putc(&text, 'b');
	tap_ok(lg_glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", text.ptr), "hostile stars finish (match)");
	lg_buf_clear(&text);
	for (i = 0; i < 20000; i++)
		lg_buf_puts(&text, "a/");
	tap_ok(!lg_glob_match("**/**/**/**/**/**/**/**/**/**/**/**/x", text.ptr), "hostile ** finishes (no match)");
	lg_buf_puts(&text, "x");
	tap_ok(lg_glob_match("**/**/**/**/**/**/**/**/**/**/**/**/x", text.ptr), "hostile ** finishes (match)");
	lg_buf_init(&pat);
	for (i = 0; i < 2000; i++)
		lg_buf_puts(&pat, "*?");
	lg_buf_puts(&pat, "b");
	lg_buf_clear(&text);
	for (i = 0; i < 20000; i++)
		lg_buf_putc(&text, 'a');
	tap_ok(!lg_glob_match(pat.ptr, text.ptr), "long hostile pattern finishes");
	alarm(0);
	lg_buf_release(&text);
	lg_buf_release(&pat);
	return tap_done();
}
