/* test-directive.c — which comments are //go:linkname directives and what
 * the compiler makes of them (GO-RULES.md "//go:linkname directives"):
 * every rule has cases that must be found and cases that must not. */
#include "linkgate/directive.h"
#include "tap.h"

#define MISPLACED LG_DIRECTIVE_MISPLACED
#define USAGE LG_DIRECTIVE_USAGE

struct want {
	unsigned line;
	const char *local;
	const char *target;
	const char *malformed;
	const char *text;       /* NULL: not checked */
};

struct dcase {
	const char *name;
	const char *src;
	size_t len;             /* 0: strlen(src) */
	size_t n;               /* directives expected */
	struct want w[3];
};

#define NUL_SRC "x\n\0\0//go:linkname a b\n"
#define NONE(name, src) { name, src, 0, 0, { { 0, NULL, NULL, NULL, NULL } } }

static const struct dcase cases[] = {
	/* "//" then exactly "go:" — no space, no case folding. */
	{ "plain", "//go:linkname fastrand runtime.fastrand\n", 0, 1,
	  { { 1, "fastrand", "runtime.fastrand", NULL, "//go:linkname fastrand runtime.fastrand" } } },
	NONE("space after //", "// go:linkname fastrand runtime.fastrand\n"),
	NONE("capital Go:", "//Go:linkname fastrand runtime.fastrand\n"),
	NONE("upper case", "//GO:LINKNAME fastrand runtime.fastrand\n"),
	NONE("space after go:", "//go: linkname a b\n"),
	NONE("three slashes", "///go:linkname a b\n"),
	NONE("comment quoting a directive", "// //go:linkname a b\n"),
	NONE("longer verb", "//go:linknamed a b\n"),
	NONE("no slashes", "go:linkname a b\n"),

	/* Block comments, strings and runes are never directives. */
	NONE("block comment", "/*go:linkname a b*/\n"),
	NONE("block comment with a space", "/* go:linkname a b */\n"),
	NONE("directive line inside a block comment", "/*\n//go:linkname a b\n*/\n"),
	NONE("inside an interpreted string", "var s = \"//go:linkname a b\"\n"),
	NONE("inside a raw string at column 1", "var s = `\n//go:linkname a b\n`\n"),
	NONE("inside a rune", "var r = '//go:linkname a b'\n"),
	NONE("inside an unterminated block comment", "/* x\n//go:linkname a b\n"),
	NONE("inside an unterminated raw string", "var s = `x\n//go:linkname a b\n"),
	{ "after a raw string closes", "var s = `\n//go:linkname x y\n`\n//go:linkname a b\n", 0, 1,
	  { { 4, "a", "b", NULL, NULL } } },
	{ "after a string with an escaped quote", "var s = \"\\\"\"\n//go:linkname a b\n", 0, 1,
	  { { 2, "a", "b", NULL, NULL } } },
	{ "an unterminated string ends at its newline", "s := \"abc\n//go:linkname a b\n", 0, 1,
	  { { 2, "a", "b", NULL, NULL } } },
	{ "an unterminated rune ends at its newline", "r := 'a\n//go:linkname a b\n", 0, 1,
	  { { 2, "a", "b", NULL, NULL } } },

	/* Leading white space is fine; code or a block comment before it is not. */
	{ "indented with spaces", "func f() {\n    //go:linkname a b\n}\n", 0, 1,
	  { { 2, "a", "b", NULL, "    //go:linkname a b" } } },
	{ "indented with tabs", "\t\t//go:linkname a b\n", 0, 1,
	  { { 1, "a", "b", NULL, "\t\t//go:linkname a b" } } },
	{ "after code", "var x int //go:linkname a b\n", 0, 1,
	  { { 1, "a", "b", MISPLACED, "var x int //go:linkname a b" } } },
	{ "after a string", "x := \"s\" //go:linkname a b\n", 0, 1, { { 1, "a", "b", MISPLACED, NULL } } },
	{ "after a block comment", "/* c */ //go:linkname a b\n", 0, 1,
	  { { 1, "a", "b", MISPLACED, "/* c */ //go:linkname a b" } } },
	{ "glued to an empty block comment", "/**///go:linkname a b\n", 0, 1, { { 1, "a", "b", MISPLACED, NULL } } },
	{ "after a multi-line block comment ending on its line", "/* c\n */ //go:linkname a b\n", 0, 1,
	  { { 2, "a", "b", MISPLACED, " */ //go:linkname a b" } } },
	{ "after a raw string ending on its line", "s := `\n` //go:linkname a b\n", 0, 1,
	  { { 2, "a", "b", MISPLACED, NULL } } },
	{ "after a form feed (not white space in Go)", "\f//go:linkname a b\n", 0, 1,
	  { { 1, "a", "b", MISPLACED, NULL } } },
	{ "misplaced is checked before the field count", "x //go:linkname a b c d\n", 0, 1,
	  { { 1, "a", "b", MISPLACED, NULL } } },
	{ "misplaced one-argument form", "x //go:linkname a\n", 0, 1, { { 1, "a", NULL, MISPLACED, NULL } } },
	{ "a block comment on the line before does not matter", "/* c */\n//go:linkname a b\n", 0, 1,
	  { { 2, "a", "b", NULL, NULL } } },
	{ "after a BOM", "\xef\xbb\xbf//go:linkname a b\n", 0, 1, { { 1, "a", "b", NULL, "//go:linkname a b" } } },
	{ "after NUL bytes at the line start", NUL_SRC, sizeof(NUL_SRC) - 1, 1, { { 2, "a", "b", NULL, NULL } } },

	/* One trailing CR is dropped. */
	{ "CRLF", "package p\r\n//go:linkname a runtime.b\r\nfunc a()\r\n", 0, 1,
	  { { 2, "a", "runtime.b", NULL, "//go:linkname a runtime.b" } } },
	{ "CRLF one-argument form", "//go:linkname a\r\n", 0, 1, { { 1, "a", NULL, NULL, "//go:linkname a" } } },
	{ "CRLF with only a space", "//go:linkname \r\n", 0, 1, { { 1, NULL, NULL, USAGE, "//go:linkname " } } },
	{ "two CRs: the second is white space", "//go:linkname a b\r\r\n", 0, 1,
	  { { 1, "a", "b", NULL, "//go:linkname a b\r" } } },
	NONE("CRLF with nothing after the verb", "//go:linkname\r\n"),
	{ "CRLF misplaced", "x //go:linkname a b\r\n", 0, 1,
	  { { 1, "a", "b", MISPLACED, "x //go:linkname a b" } } },

	/* "go:linkname" then exactly one ASCII space. */
	NONE("nothing after the verb", "//go:linkname\n"),
	NONE("nothing after the verb at EOF", "//go:linkname"),
	NONE("tab after the verb", "//go:linkname\ta b\n"),
	NONE("NBSP after the verb", "//go:linkname\xc2\xa0" "a b\n"),
	NONE("vertical tab after the verb", "//go:linkname\va b\n"),
	{ "only spaces after the verb: one field", "//go:linkname   \n", 0, 1, { { 1, NULL, NULL, USAGE, NULL } } },
	{ "only one space after the verb", "//go:linkname ", 0, 1, { { 1, NULL, NULL, USAGE, NULL } } },
	{ "one-argument form", "//go:linkname a\n", 0, 1, { { 1, "a", NULL, NULL, NULL } } },
	{ "runs of spaces and tabs between fields", "//go:linkname   a \t b  \n", 0, 1, { { 1, "a", "b", NULL, NULL } } },
	{ "tab after the first space", "//go:linkname \ta\tb\n", 0, 1, { { 1, "a", "b", NULL, NULL } } },
	{ "four fields", "//go:linkname a b c\n", 0, 1, { { 1, "a", "b", USAGE, NULL } } },
	{ "many fields", "//go:linkname a b c d e f g\n", 0, 1, { { 1, "a", "b", USAGE, NULL } } },
	{ "trailing // comment", "//go:linkname a runtime.b // see issue 1\n", 0, 1,
	  { { 1, "a", "runtime.b", USAGE, NULL } } },
	{ "trailing // comment on the one-argument form", "//go:linkname a // x\n", 0, 1,
	  { { 1, "a", "//", USAGE, NULL } } },
	{ "a glued //x is just a third field", "//go:linkname a //x\n", 0, 1, { { 1, "a", "//x", NULL, NULL } } },

	/* Fields split on Unicode white space; invalid UTF-8 is not space. */
	{ "NBSP separates fields", "//go:linkname a\xc2\xa0runtime.b\n", 0, 1, { { 1, "a", "runtime.b", NULL, NULL } } },
	{ "U+3000 separates fields", "//go:linkname a\xe3\x80\x80" "b\n", 0, 1, { { 1, "a", "b", NULL, NULL } } },
	{ "U+2028 separates fields", "//go:linkname a\xe2\x80\xa8" "b\n", 0, 1, { { 1, "a", "b", NULL, NULL } } },
	{ "U+0085 separates fields", "//go:linkname a\xc2\x85" "b\n", 0, 1, { { 1, "a", "b", NULL, NULL } } },
	{ "U+205F separates fields", "//go:linkname a\xe2\x81\x9f" "b\n", 0, 1, { { 1, "a", "b", NULL, NULL } } },
	{ "vertical tab and form feed separate fields", "//go:linkname a\vb\fc\n", 0, 1, { { 1, "a", "b", USAGE, NULL } } },
	{ "Unicode space makes a fourth field", "//go:linkname a b\xe2\x80\x83" "c\n", 0, 1,
	  { { 1, "a", "b", USAGE, NULL } } },
	{ "trailing Unicode space is not a field", "//go:linkname a b\xe2\x80\x83\n", 0, 1,
	  { { 1, "a", "b", NULL, NULL } } },
	{ "invalid UTF-8 is not space", "//go:linkname a\xff" "b c\n", 0, 1, { { 1, "a\xff" "b", "c", NULL, NULL } } },
	{ "a lone 0x85 is not space", "//go:linkname a\x85" "b c\n", 0, 1, { { 1, "a\x85" "b", "c", NULL, NULL } } },
	{ "a truncated NBSP is not space", "//go:linkname a\xc2 b\n", 0, 1, { { 1, "a\xc2", "b", NULL, NULL } } },
	{ "zero-width space is not space", "//go:linkname a\xe2\x80\x8b" "b\n", 0, 1,
	  { { 1, "a\xe2\x80\x8b" "b", NULL, NULL, NULL } } },

	/* Position in the file does not matter. */
	{ "anywhere in the file", "//go:linkname a b\npackage p\nfunc f() {\n\t//go:linkname c d\n}\n//go:linkname e\n",
	  0, 3, { { 1, "a", "b", NULL, NULL }, { 4, "c", "d", NULL, NULL }, { 6, "e", NULL, NULL, NULL } } },
	{ "at the end without a newline", "package p\n\n//go:linkname a b", 0, 1, { { 3, "a", "b", NULL, NULL } } },

	/* Targets of every shape are kept verbatim. */
	{ "runtime target", "//go:linkname f runtime.fastrand\n", 0, 1, { { 1, "f", "runtime.fastrand", NULL, NULL } } },
	{ "method target", "//go:linkname f reflect.(*rtype).String\n", 0, 1,
	  { { 1, "f", "reflect.(*rtype).String", NULL, NULL } } },
	{ "double-dot target", "//go:linkname f runtime..init_task\n", 0, 1,
	  { { 1, "f", "runtime..init_task", NULL, NULL } } },
	{ "C symbol target", "//go:linkname f _cgo_init\n", 0, 1, { { 1, "f", "_cgo_init", NULL, NULL } } },
	{ "module path target", "//go:linkname f github.com/x/y.T.M\n", 0, 1,
	  { { 1, "f", "github.com/x/y.T.M", NULL, NULL } } },
	{ "generic instance target", "//go:linkname f sync/atomic.(*Pointer[go.shape.int]).Load\n", 0, 1,
	  { { 1, "f", "sync/atomic.(*Pointer[go.shape.int]).Load", NULL, NULL } } },
	{ "escaped path target", "//go:linkname f gopkg.in/yaml%2ev3.Marshal\n", 0, 1,
	  { { 1, "f", "gopkg.in/yaml%2ev3.Marshal", NULL, NULL } } },
};

static void check_case(const struct dcase *c)
{
	struct lg_directive *v;
	size_t n, i, len = c->len ? c->len : strlen(c->src);

	lg_directives_scan(&v, &n, c->src, len);
	if (!tap_is_int((long long)n, (long long)c->n, "%s: directive count", c->name)) {
		lg_directives_free(v, n);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct want *w = &c->w[i];

		tap_ok(v[i].line == w->line && v[i].rationale == LG_NO_RATIONALE, "%s: #%zu line %u", c->name, i,
		       w->line);
		tap_is_str(v[i].localname, w->local, "%s: #%zu localname", c->name, i);
		tap_is_str(v[i].target, w->target, "%s: #%zu target", c->name, i);
		tap_is_str(v[i].malformed, w->malformed, "%s: #%zu malformed", c->name, i);
		if (w->text)
			tap_ok(v[i].text_len == strlen(w->text) && !memcmp(v[i].text, w->text, v[i].text_len),
			       "%s: #%zu text", c->name, i);
	}
	lg_directives_free(v, n);
}

static void test_is_linkname(void)
{
	tap_ok(lg_directive_is_linkname("//go:linkname a", 15), "is_linkname: plain");
	tap_ok(lg_directive_is_linkname("//go:linkname ", 14), "is_linkname: only the space");
	tap_ok(!lg_directive_is_linkname("//go:linkname", 13), "is_linkname: nothing after the verb");
	tap_ok(!lg_directive_is_linkname("//go:linkname\r", 14), "is_linkname: CR after the verb");
	tap_ok(!lg_directive_is_linkname("//go:linkname\t", 14), "is_linkname: tab after the verb");
	tap_ok(!lg_directive_is_linkname("/*go:linkname a", 15), "is_linkname: block comment");
	tap_ok(!lg_directive_is_linkname("//go:link", 9), "is_linkname: short");
}

static void test_parse_token(void)
{
	static const char src[] = "x := 1\n\t//go:linkname a b\n";
	struct lg_directive d;
	struct lg_golex lx;
	struct lg_gotok t;
	bool got = false;

	lg_golex_init(&lx, src, sizeof(src) - 1);
	while (lg_golex_next(&lx, &t)) {
		if (t.kind == LG_GOTOK_IDENT)
			tap_ok(!lg_directive_parse(&d, src, sizeof(src) - 1, &t), "parse: an identifier is no directive");
		if (t.kind == LG_GOTOK_LINE_COMMENT)
			got = lg_directive_parse(&d, src, sizeof(src) - 1, &t);
	}
	tap_ok(got && d.line == 2 && d.text_len == 18 && !strcmp(d.text, "\t//go:linkname a b") && !d.malformed,
	       "parse: one token");
	lg_directive_release(&d);
	tap_ok(!d.text && d.rationale == LG_NO_RATIONALE, "release resets the directive");
	lg_directive_release(NULL);
}

static void test_hostile(void)
{
	struct lg_directive *v;
	size_t n, len = 4 * 1024 * 1024, i;
	char *p = lg_xmalloc(len);

	/* One directive with millions of fields on one line. */
	memcpy(p, "//go:linkname ", 14);
	for (i = 14; i < len; i++)
		p[i] = (i & 1) ? ' ' : 'x';
	lg_directives_scan(&v, &n, p, len);
	tap_ok(n == 1 && v[0].malformed && !strcmp(v[0].malformed, USAGE) && !strcmp(v[0].localname, "x"),
	       "a directive with two million fields");
	lg_directives_free(v, n);

	/* A directive on every line. */
	for (i = 0; i + 20 <= len; i += 20)
		memcpy(p + i, "//go:linkname a b\r\n ", 20);
	lg_directives_scan(&v, &n, p, i);
	tap_ok(n == i / 20 && v[n - 1].line == n && !v[n - 1].malformed && !strcmp(v[n - 1].target, "b"),
	       "a directive on each of 200000 lines");
	lg_directives_free(v, n);

	/* Directives hidden in one unterminated raw string. */
	p[0] = '`';
	lg_directives_scan(&v, &n, p, i);
	tap_ok(n == 0 && !v, "an unterminated raw string hides everything after it");
	lg_directives_free(v, n);
	free(p);

	lg_directives_scan(&v, &n, NULL, 0);
	tap_ok(n == 0 && !v, "empty input");
}

int main(void)
{
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(cases); i++)
		check_case(&cases[i]);
	test_is_linkname();
	test_parse_token();
	test_hostile();
	return tap_done();
}
