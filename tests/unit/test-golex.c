/* test-golex.c — the Go lexer subset: token kinds and ranges, lines, the
 * compiler's "first on its line" flag, unterminated literals and hostile
 * inputs. */
#include "linkgate/buf.h"
#include "linkgate/golex.h"
#include "tap.h"

static char kind_letter(enum lg_gotok_kind k)
{
	switch (k) {
	case LG_GOTOK_LINE_COMMENT: return 'L';
	case LG_GOTOK_BLOCK_COMMENT: return 'B';
	case LG_GOTOK_STRING: return 'S';
	case LG_GOTOK_RAW_STRING: return 'R';
	case LG_GOTOK_RUNE: return 'Q';
	case LG_GOTOK_IDENT: return 'I';
	case LG_GOTOK_OTHER: return 'O';
	case LG_GOTOK_EOF: break;
	}
	return 'E';
}

static void put_escaped(struct lg_buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '\n': lg_buf_puts(b, "\\n"); break;
		case '\r': lg_buf_puts(b, "\\r"); break;
		case '\t': lg_buf_puts(b, "\\t"); break;
		case '\f': lg_buf_puts(b, "\\f"); break;
		case '\v': lg_buf_puts(b, "\\v"); break;
		case '\0': lg_buf_puts(b, "\\0"); break;
		default: lg_buf_putc(b, s[i]);
		}
	}
}

/*
 * Tokens as "<kind><line>[^][!]=<text>" joined by " | ": '^' marks a token
 * first on its line (scanner.blank), '!' an unterminated literal or comment.
 */
static char *dump(const char *src, size_t len)
{
	struct lg_buf b = LG_BUF_INIT;
	struct lg_golex lx;
	struct lg_gotok t;

	lg_buf_init(&b);
	lg_golex_init(&lx, src, len);
	while (lg_golex_next(&lx, &t)) {
		if (b.len)
			lg_buf_puts(&b, " | ");
		lg_buf_printf(&b, "%c%u%s%s=", kind_letter(t.kind), t.line, t.blank ? "^" : "",
			      t.unterminated ? "!" : "");
		put_escaped(&b, src + t.off, t.len);
	}
	return lg_buf_detach(&b, NULL);
}

struct lex_case {
	const char *name;
	const char *src;
	size_t len;             /* 0: strlen(src) */
	const char *want;
};

#define N(s) s, sizeof(s) - 1

static const struct lex_case cases[] = {
	{ "package clause", "package p", 0, "I1^=package | I1=p" },
	{ "line comments on their own lines", "//a\n//b", 0, "L1^=//a | L2^=//b" },
	{ "comment after code is not first on its line", "x //a", 0, "I1^=x | L1=//a" },
	{ "comment after a block comment is not first", "/* c */ //a", 0, "B1^=/* c */ | L1=//a" },
	{ "empty block comment before a line comment", "/**///a", 0, "B1^=/**/ | L1=//a" },
	{ "indentation keeps a comment first", "  \t//a", 0, "L1^=//a" },
	{ "CR is white space", "\r//a", 0, "L1^=//a" },
	{ "CRLF lines; the CR stays in the comment", "//a\r\nb", 0, "L1^=//a\\r | I2^=b" },
	{ "multi-line block comment then comment on its last line", "/* a\nb */ //c", 0,
	  "B1^=/* a\\nb */ | L2=//c" },
	{ "multi-line block comment then comment on the next line", "/* a\nb */\n//c", 0,
	  "B1^=/* a\\nb */ | L3^=//c" },
	{ "block comment inside a line", "a /* x */ b", 0, "I1^=a | B1=/* x */ | I1=b" },
	{ "code after a line comment starts a new line", "x //a\ny", 0, "I1^=x | L1=//a | I2^=y" },
	{ "raw string spans lines and hides comments", "`raw\n//x` //c\n//d", 0,
	  "R1^=`raw\\n//x` | L2=//c | L3^=//d" },
	{ "escaped quote inside a string", "\"a\\\"b//\" //c", 0, "S1^=\"a\\\"b//\" | L1=//c" },
	{ "unterminated string ends at the newline", "\"abc\n//c", 0, "S1^!=\"abc | L2^=//c" },
	{ "backslash does not escape the newline", "\"a\\\n//c", 0, "S1^!=\"a\\ | L2^=//c" },
	{ "string with escaped backslash at the end", "\"a\\\\\" //c", 0, "S1^=\"a\\\\\" | L1=//c" },
	{ "runes, escaped quote, comment-like rune", "'a' '\\'' '//x'", 0,
	  "Q1^='a' | Q1='\\'' | Q1='//x'" },
	{ "unterminated rune ends at the newline", "'abc\n//c", 0, "Q1^!='abc | L2^=//c" },
	{ "slash-star-slash does not close", "/*/ x */ y", 0, "B1^=/*/ x */ | I1=y" },
	{ "unterminated block comment", "/* x\n//y", 0, "B1^!=/* x\\n//y" },
	{ "unterminated raw string", "`abc\n//y", 0, "R1^!=`abc\\n//y" },
	{ "form feed is not white space", "\f//c", 0, "O1^=\\f | L1=//c" },
	{ "vertical tab is not white space", "\v//c", 0, "O1^=\\v | L1=//c" },
	{ "operators around a slash", "a/b /= c", 0, "I1^=a | O1=/ | I1=b | O1=/ | O1== | I1=c" },
	{ "number with letters and dots", "123abc.5 x", 0, "O1^=123abc.5 | I1=x" },
	{ "NUL between tokens is skipped", N("a\0b"), "I1^=a | I1=b" },
	{ "NUL at the start of a line", N("x\n\0//c"), "I1^=x | L2^=//c" },
	{ "invalid UTF-8 counts as identifier bytes", "\xff\xfe //c", 0, "I1^=\xff\xfe | L1=//c" },
	{ "blank lines are counted", "\n\n  x", 0, "I3^=x" },
	{ "lines inside a raw string are counted", "`a\nb\nc` x\ny", 0, "R1^=`a\\nb\\nc` | I3=x | I4^=y" },
	{ "BOM is skipped and the comment is first", "\xef\xbb\xbf//c", 0, "L1^=//c" },
	{ "BOM then code", "\xef\xbb\xbfx //c", 0, "I1^=x | L1=//c" },
	{ "BOM only", "\xef\xbb\xbf", 0, "" },
	{ "BOM later in the file is not skipped", "x \xef\xbb\xbf", 0, "I1^=x | I1=\xef\xbb\xbf" },
	{ "empty input", "", 0, "" },
	{ "only white space", " \t\r\n\n", 0, "" },
	{ "slash at the very end", "a /", 0, "I1^=a | O1=/" },
	{ "quote at the very end", "a \"", 0, "I1^=a | S1!=\"" },
	{ "backquote at the very end", "a `", 0, "I1^=a | R1!=`" },
	{ "backslash at the very end of a string", "\"\\", 0, "S1^!=\"\\" },
	{ "comment opener at the very end", "/*", 0, "B1^!=/*" },
	{ "star at the very end of a block comment", "/* *", 0, "B1^!=/* *" },
	{ "line comment at the very end", "//", 0, "L1^=//" },
};

static void test_cases(void)
{
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(cases); i++) {
		const struct lex_case *c = &cases[i];
		char *got = dump(c->src, c->len ? c->len : strlen(c->src));

		tap_is_str(got, c->want, "%s", c->name);
		free(got);
	}
}

static void test_positions(void)
{
	static const char src[] = "package p\n\n/* a\n b */ x := `r\n` //go:x\n\t//c\r\n";
	struct lg_golex lx;
	struct lg_gotok t;
	int i;

	lg_golex_init(&lx, src, sizeof(src) - 1);
	for (i = 0; i < 3; i++)
		lg_golex_next(&lx, &t);
	tap_ok(t.kind == LG_GOTOK_BLOCK_COMMENT && t.off == 11 && t.len == 10, "block comment byte range");
	tap_ok(t.line == 3 && t.end_line == 4 && t.line_off == 11, "block comment lines and line start");
	tap_ok(t.blank, "block comment first on its line");
	lg_golex_next(&lx, &t);
	tap_ok(t.kind == LG_GOTOK_IDENT && t.line == 4 && t.line_off == 16 && !t.blank,
	       "identifier after a multi-line comment: its line starts inside the comment");
	lg_golex_next(&lx, &t);
	lg_golex_next(&lx, &t);
	lg_golex_next(&lx, &t);
	tap_ok(t.kind == LG_GOTOK_RAW_STRING && t.line == 4 && t.end_line == 5, "raw string lines");
	lg_golex_next(&lx, &t);
	tap_ok(t.kind == LG_GOTOK_LINE_COMMENT && t.line == 5 && !t.blank && t.line_off == 30 &&
	       t.off == 32 && t.len == 6, "comment after a raw string ends on its line");
	lg_golex_next(&lx, &t);
	tap_ok(t.kind == LG_GOTOK_LINE_COMMENT && t.line == 6 && t.blank && t.off == 40 && t.len == 4 &&
	       t.line_off == 39, "indented comment with a CR");
	tap_ok(!lg_golex_next(&lx, &t) && t.kind == LG_GOTOK_EOF && t.len == 0 && t.off == sizeof(src) - 1,
	       "end of input");
	tap_ok(!lg_golex_next(&lx, &t) && t.kind == LG_GOTOK_EOF, "end of input again");

	lg_golex_init(&lx, "\xef\xbb\xbf//go:linkname a b", 20);
	lg_golex_next(&lx, &t);
	tap_ok(t.off == 3 && t.line_off == 3 && t.line == 1 && t.blank, "BOM: comment starts at byte 3, line 1");

	lg_golex_init(&lx, NULL, 5);
	tap_ok(!lg_golex_next(&lx, &t) && t.kind == LG_GOTOK_EOF, "NULL buffer is empty");
}

static void test_space(void)
{
	static const struct {
		const char *s;
		size_t want;
	} sp[] = {
		{ " ", 1 }, { "\t", 1 }, { "\n", 1 }, { "\v", 1 }, { "\f", 1 }, { "\r", 1 },
		{ "\xc2\x85", 2 }, { "\xc2\xa0", 2 }, { "\xe1\x9a\x80", 3 }, { "\xe2\x80\x80", 3 },
		{ "\xe2\x80\x8a", 3 }, { "\xe2\x80\xa8", 3 }, { "\xe2\x80\xa9", 3 }, { "\xe2\x80\xaf", 3 },
		{ "\xe2\x81\x9f", 3 }, { "\xe3\x80\x80", 3 },
		{ "a", 0 }, { "\xc2", 0 }, { "\x85", 0 }, { "\xa0", 0 }, { "\xe2\x80\x8b", 0 },
		{ "\xe2\x80", 0 }, { "\xc2\xa1", 0 }, { "\xe3\x80\x81", 0 }, { "\xef\xbb\xbf", 0 },
		{ "\x1c", 0 }, { "\xe2\x80\xae", 0 },
	};
	const char *s;
	size_t i, n;

	for (i = 0; i < LG_ARRAY_SIZE(sp); i++)
		tap_is_int((long long)lg_go_space_len(sp[i].s, strlen(sp[i].s)), (long long)sp[i].want,
			   "space length of sequence %zu", i);
	tap_is_int((long long)lg_go_space_len("\xc2\xa0", 1), 0, "truncated NBSP is not space");

	s = "\xc2\xa0 a b\xe3\x80\x80\t";
	n = strlen(s);
	lg_go_trim_space(&s, &n);
	tap_ok(n == 3 && !memcmp(s, "a b", 3), "TrimSpace drops Unicode space at both ends");
	s = "\xe2\x80\x80";
	n = strlen(s);
	lg_go_trim_space(&s, &n);
	tap_ok(n == 0, "TrimSpace of white space only is empty");
	s = "a\xe2\xc2\xa0";
	n = strlen(s);
	lg_go_trim_space(&s, &n);
	tap_ok(n == 2, "TrimSpace: NBSP after an invalid byte is still space");
	tap_is_int((long long)lg_go_space_len_before("x\xe2\x80\x89", 4), 3, "space before the end");
	tap_is_int((long long)lg_go_space_len_before("x\x80\x80", 3), 0, "continuation bytes alone");
}

static size_t count_tokens(const char *src, size_t len, struct lg_gotok *last, size_t *nblank)
{
	struct lg_golex lx;
	struct lg_gotok t;
	size_t n = 0;

	if (nblank)
		*nblank = 0;
	lg_golex_init(&lx, src, len);
	while (lg_golex_next(&lx, &t)) {
		n++;
		if (nblank && t.blank)
			(*nblank)++;
		if (last)
			*last = t;
	}
	return n;
}

static char *repeat(const char *unit, size_t times, const char *tail, size_t *len_out)
{
	size_t ul = strlen(unit), tl = strlen(tail), i;
	char *p = lg_xmalloc(ul * times + tl + 1);

	for (i = 0; i < times; i++)
		memcpy(p + i * ul, unit, ul);
	memcpy(p + ul * times, tail, tl + 1);
	*len_out = ul * times + tl;
	return p;
}

/* Hostile inputs: correctness only; a quadratic lexer would not finish. */
static void test_pathological(void)
{
	struct lg_gotok last;
	size_t len, n, nblank;
	char *p;

	p = repeat("/* ", 1000000, "", &len);
	n = count_tokens(p, len, &last, NULL);
	tap_ok(n == 1 && last.kind == LG_GOTOK_BLOCK_COMMENT && last.unterminated && last.len == len,
	       "a million \"/* \" are one unterminated comment");
	free(p);

	/* Glued together, "/" "*" "/" "*" "/" closes: comments alternate with a stray star. */
	p = repeat("/*", 1000000, "", &len);
	n = count_tokens(p, len, &last, NULL);
	tap_ok(n == 666667 && last.kind == LG_GOTOK_BLOCK_COMMENT && last.unterminated && last.len == 2,
	       "a million glued /* lex as Go does");
	free(p);

	p = repeat("/**/", 1000000, "", &len);
	tap_is_int((long long)count_tokens(p, len, NULL, &nblank), 1000000, "a million /**/ are a million comments");
	tap_is_int((long long)nblank, 1, "only the first of them is first on the line");
	free(p);

	p = repeat("x", 10 * 1024 * 1024, "\n//c", &len);
	n = count_tokens(p, len, &last, NULL);
	tap_ok(n == 2 && last.kind == LG_GOTOK_LINE_COMMENT && last.line == 2 && last.blank,
	       "a 10 MB identifier line, then a comment");
	free(p);

	p = repeat("a", 10 * 1024 * 1024, "\ny", &len);
	p[0] = '/';
	p[1] = '/';
	n = count_tokens(p, len, &last, NULL);
	tap_ok(n == 2 && last.kind == LG_GOTOK_IDENT && last.line == 2, "a 10 MB line comment");
	free(p);

	p = repeat("\\", 10 * 1024 * 1024, "", &len);
	p[0] = '"';
	n = count_tokens(p, len, &last, NULL);
	tap_ok(n == 1 && last.kind == LG_GOTOK_STRING && last.unterminated, "a 10 MB string of backslashes");
	free(p);

	p = repeat(" /* x */ \"s\" 'r' `q` //c\n", 200000, "z", &len);
	n = count_tokens(p, len, &last, &nblank);
	tap_ok(n == 1000001 && last.line == 200001 && last.blank, "200000 lines of mixed tokens");
	tap_is_int((long long)nblank, 200001, "one first token per line");
	free(p);

	p = repeat("\n", 1000000, "x", &len);
	n = count_tokens(p, len, &last, NULL);
	tap_ok(n == 1 && last.line == 1000001, "a million newlines");
	free(p);

	p = repeat("`\n", 500000, "", &len);
	n = count_tokens(p, len, &last, NULL);
	tap_ok(n == 250000 && last.kind == LG_GOTOK_RAW_STRING && last.end_line == 500000,
	       "raw strings spanning half a million lines");
	free(p);

	p = lg_xcalloc(1, 1024 * 1024 + 2);
	p[1024 * 1024] = 'x';
	n = count_tokens(p, 1024 * 1024 + 1, &last, NULL);
	tap_ok(n == 1 && last.kind == LG_GOTOK_IDENT && last.off == 1024 * 1024 && last.blank,
	       "a megabyte of NUL bytes, then a token");
	free(p);

	p = repeat("(", 1000000, "", &len);
	tap_is_int((long long)count_tokens(p, len, NULL, NULL), 1000000, "a million open parentheses");
	free(p);

	p = repeat("'", 1000001, "", &len);
	tap_is_int((long long)count_tokens(p, len, NULL, NULL), 500001, "a million quotes pair up as runes");
	free(p);
}

/* Invariants over random inputs made of the bytes that matter. */
static void test_random(void)
{
	static const char alphabet[] = "/*\"'`\\\n\r\t x;\0\xef\xbb\xbf\xc2\xa0";
	uint32_t seed = 12345;
	char src[256];
	int round, bad = 0;

	for (round = 0; round < 20000 && !bad; round++) {
		struct lg_golex lx;
		struct lg_gotok t;
		size_t len, i, prev_end = 0, nl, bom;
		unsigned line;

		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % sizeof(src);
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			src[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		bom = len >= 3 && !memcmp(src, "\xef\xbb\xbf", 3) ? 3 : 0;
		lg_golex_init(&lx, src, len);
		while (lg_golex_next(&lx, &t)) {
			for (line = 1, nl = 0, i = 0; i < t.off; i++)
				if (src[i] == '\n') {
					line++;
					nl = i + 1;
				}
			if (t.len == 0 || t.off < prev_end || t.off + t.len > len || t.line != line ||
			    t.line_off != (nl ? nl : bom) ||
			    (t.kind == LG_GOTOK_LINE_COMMENT && memchr(src + t.off, '\n', t.len)) ||
			    ((t.kind == LG_GOTOK_LINE_COMMENT || t.kind == LG_GOTOK_BLOCK_COMMENT) &&
			     (t.len < 2 || src[t.off] != '/'))) {
				bad = 1;
				tap_diag("round %d: bad token at %zu", round, t.off);
				break;
			}
			prev_end = t.off + t.len;
		}
	}
	tap_ok(!bad, "random inputs: ordered, in bounds, lines and line starts right");
}

int main(void)
{
	test_cases();
	test_positions();
	test_space();
	test_pathological();
	test_random();
	return tap_done();
}
