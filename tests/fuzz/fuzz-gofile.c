/*
 * fuzz-gofile.c — the Go lexer, the directive parser and the file facts
 * (lg_gofile_analyze) over any bytes.
 *
 * Properties: the lexer's tokens are in order, inside the buffer and never
 * overlap; analysis finds exactly the directives lg_directives_scan finds,
 * none in a buffer without the needle (added.c skips such blobs unread),
 * each with the bytes of its own line as text and served only by a
 * rationale block that starts before it.
 */
#include "fuzz.h"
#include "linkgate/directive.h"
#include "linkgate/gofacts.h"
#include "linkgate/golex.h"

static void check_lexer(const char *buf, size_t len)
{
	struct lg_golex lx;
	struct lg_gotok tok;
	size_t end = 0;
	unsigned line = 1, ntok = 0;

	lg_golex_init(&lx, buf, len);
	while (lg_golex_next(&lx, &tok)) {
		FUZZ_CHECK(tok.kind != LG_GOTOK_EOF && tok.len > 0, "token %u: kind %d len %zu", ntok, tok.kind, tok.len);
		FUZZ_CHECK(tok.off >= end && tok.off + tok.len <= len, "token %u at %zu+%zu after %zu", ntok, tok.off,
			   tok.len, end);
		FUZZ_CHECK(tok.line >= line && tok.end_line >= tok.line, "token %u lines %u-%u after %u", ntok, tok.line,
			   tok.end_line, line);
		FUZZ_CHECK(tok.line_off <= tok.off, "token %u line_off %zu > off %zu", ntok, tok.line_off, tok.off);
		end = tok.off + tok.len;
		line = tok.end_line;
		ntok++;
		FUZZ_CHECK(ntok <= len, "more tokens (%u) than bytes (%zu)", ntok, len);
	}
	FUZZ_CHECK(tok.kind == LG_GOTOK_EOF, "EOF kind");
	FUZZ_CHECK(!lg_golex_next(&lx, &tok) && tok.kind == LG_GOTOK_EOF, "EOF is sticky");
}

/* The bytes of 1-based line n: what a directive's text must be. */
static void line_bytes(const char *buf, size_t len, unsigned n, const char **s, size_t *slen)
{
	size_t pos = 0;
	const char *nl;

	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		pos = 3;
	while (--n && (nl = memchr(buf + pos, '\n', len - pos)))
		pos = (size_t)(nl - buf) + 1;
	FUZZ_CHECK(n == 0, "line beyond the input");
	nl = memchr(buf + pos, '\n', len - pos);
	*s = buf + pos;
	*slen = (nl ? (size_t)(nl - buf) : len) - pos;
	if (*slen && (*s)[*slen - 1] == '\r')
		(*slen)--;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct lg_gofile g;
	struct lg_directive *dv = NULL;
	size_t nd = 0, i;
	unsigned prev_line = 0;

	check_lexer(buf, size);
	FUZZ_CHECK(lg_gofile_analyze(&g, buf, size) == 0, "analysis failed");
	lg_directives_scan(&dv, &nd, buf, size);
	FUZZ_CHECK(nd == g.ndirectives, "scan found %zu, analysis %zu", nd, g.ndirectives);
	if (g.ndirectives)
		FUZZ_CHECK(memmem(buf, size, LG_DIRECTIVE_NEEDLE, strlen(LG_DIRECTIVE_NEEDLE)), "directive without the needle");
	for (i = 0; i < g.ndirectives; i++) {
		const struct lg_directive *d = &g.directives[i];
		const char *ls;
		size_t ll;

		FUZZ_CHECK(d->line > prev_line, "directive %zu on line %u after line %u", i, d->line, prev_line);
		prev_line = d->line;
		FUZZ_CHECK(d->line == dv[i].line && same_str(d->localname, dv[i].localname) &&
				   same_str(d->target, dv[i].target) && same_str(d->malformed, dv[i].malformed),
			   "directive %zu differs from the scan's", i);
		line_bytes(buf, size, d->line, &ls, &ll);
		FUZZ_CHECK(d->text && d->text_len == ll && !memcmp(d->text, ls, ll), "directive %zu text is not line %u", i,
			   d->line);
		FUZZ_CHECK(d->malformed || d->localname, "well-formed directive %zu without a local name", i);
		if (d->rationale != LG_NO_RATIONALE) {
			FUZZ_CHECK(d->rationale < g.nrationales, "rationale index %zu of %zu", d->rationale, g.nrationales);
			FUZZ_CHECK(g.rationales[d->rationale].line < d->line, "rationale on line %u serves line %u",
				   g.rationales[d->rationale].line, d->line);
		}
	}
	for (i = 1; i < g.nrationales; i++)
		FUZZ_CHECK(g.rationales[i].line > g.rationales[i - 1].line, "rationales out of order");
	FUZZ_CHECK(g.facts.imports_unsafe >= -1 && g.facts.imports_unsafe <= 1, "imports_unsafe %d", g.facts.imports_unsafe);
	FUZZ_CHECK(!g.facts.package || *g.facts.package, "empty package name");
	FUZZ_CHECK(!g.facts.build_expr || !strchr(g.facts.build_expr, '\n'), "newline in the build expression");
	lg_directives_free(dv, nd);
	lg_gofile_release(&g);
	return 0;
}
