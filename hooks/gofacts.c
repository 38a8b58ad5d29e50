/* gofacts.c — one .go file analysed as the Go toolchain would (see gofacts.h). */
#include "linkgate/gofacts.h"
#include "linkgate/buf.h"
#include "linkgate/directive.h"
#include "linkgate/golex.h"

static bool has_prefix(const char *s, size_t n, const char *pre)
{
	size_t k = strlen(pre);

	return n >= k && !memcmp(s, pre, k);
}

/* The offset of the first "*" "/" in s, or n. */
static size_t find_star_slash(const char *s, size_t n)
{
	const char *star;
	size_t i = 0;

	while (i < n && (star = memchr(s + i, '*', n - i))) {
		i = (size_t)(star - s) + 1;
		if (i < n && s[i] == '/')
			return i - 1;
	}
	return n;
}

static bool only_space(const char *s, size_t n)
{
	size_t k;

	while (n && (k = lg_go_space_len(s, n)) > 0) {
		s += k;
		n -= k;
	}
	return !n;
}

/*
 * constraint.IsGoBuild (splitGoBuild) on one line without its newline:
 * "//go:build" followed by white space or nothing. *expr gets the trimmed
 * expression.
 */
static bool is_go_build(const char *s, size_t n, const char **expr, size_t *expr_len)
{
	const char *t;
	size_t rn, tn;

	if (!has_prefix(s, n, "//go:build"))
		return false;
	lg_go_trim_space(&s, &n);
	t = s + 10;
	rn = tn = n - 10;
	lg_go_trim_space(&t, &tn);
	if (tn == rn && rn)
		return false;
	*expr = t;
	*expr_len = tn;
	return true;
}

/* The header as go/build's parseFileHeader reads it. */
struct header {
	size_t start;           /* after a BOM */
	size_t end;             /* // +build lines count only before this offset */
	size_t stop;            /* start of the line with the first non-comment text, or len */
	const char *gobuild;    /* the first //go:build expression */
	size_t gobuild_len;
	unsigned ngobuild;
};

static void parse_header(struct header *h, const char *buf, size_t len)
{
	size_t pos, ls, k;
	bool ended = false, in_star = false;

	memset(h, 0, sizeof(*h));
	/* go/build drops a leading BOM before it reads the header. */
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		h->start = 3;
	h->end = h->start;
	h->stop = len;
	pos = h->start;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		const char *s, *expr;
		size_t n, expr_len;

		ls = pos;
		s = buf + ls;
		n = (nl ? (size_t)(nl - buf) : len) - ls;
		pos = nl ? (size_t)(nl - buf) + 1 : len;
		lg_go_trim_space(&s, &n);
		if (!n && !ended) {
			h->end = pos;
			continue;
		}
		if (!has_prefix(s, n, "//"))
			ended = true;
		if (!in_star && is_go_build(s, n, &expr, &expr_len)) {
			if (!h->ngobuild) {
				h->gobuild = expr;
				h->gobuild_len = expr_len;
			}
			if (h->ngobuild < UINT_MAX)
				h->ngobuild++;
		}
		while (n) {
			if (in_star) {
				k = find_star_slash(s, n);
				if (k == n)
					break;
				in_star = false;
				s += k + 2;
				n -= k + 2;
				lg_go_trim_space(&s, &n);
				continue;
			}
			if (has_prefix(s, n, "//"))
				break;
			if (has_prefix(s, n, "/*")) {
				in_star = true;
				s += 2;
				n -= 2;
				lg_go_trim_space(&s, &n);
				continue;
			}
			h->stop = ls;
			return;
		}
	}
}

/* A valid UTF-8 rune at s, its length, or 0. */
static size_t utf8_rune_len(const unsigned char *s, size_t n)
{
	uint32_t r;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	r = s[0] & (0x7f >> len);
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		r = (r << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && r < 0x800) || (len == 4 && (r < 0x10000 || r > 0x10ffff)) ||
	    (r >= 0xd800 && r <= 0xdfff))
		return 0;
	return len;
}

/*
 * constraint's isValidTag: letters, digits, '_' and '.'.
 * NEEDSWORK: Go asks unicode.IsLetter/IsDigit for non-ASCII runes; without
 * Unicode tables every valid non-ASCII rune is taken as a letter. Should
 * symbols such as U+2192 in a +build tag become "ignore" as Go makes them?
 */
static bool valid_tag(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	if (!n)
		return false;
	while (i < n) {
		if (p[i] >= 0x80) {
			if (!(k = utf8_rune_len(p + i, n - i)))
				return false;
			i += k;
			continue;
		}
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
		      (p[i] >= '0' && p[i] <= '9') || p[i] == '_' || p[i] == '.'))
			return false;
		i++;
	}
	return true;
}

/* The next strings.Fields field of s from *pos: 1 and the field, or 0 at the end. */
static size_t next_field(const char *s, size_t n, size_t *pos, const char **f, size_t *flen)
{
	size_t i = *pos, k, start;

	while (i < n && (k = lg_go_space_len(s + i, n - i)) > 0)
		i += k;
	if (i >= n) {
		*pos = n;
		return 0;
	}
	start = i;
	while (i < n && !lg_go_space_len(s + i, n - i))
		i++;
	*f = s + start;
	*flen = i - start;
	*pos = i;
	return 1;
}

static size_t count_byte(const char *s, size_t n, char c)
{
	size_t count = 0;
	const char *p;

	while (n && (p = memchr(s, c, n))) {
		count++;
		n -= (size_t)(p - s) + 1;
		s = p + 1;
	}
	return count;
}

static void put_plus_lit(struct lg_buf *out, const char *lit, size_t n)
{
	if ((n >= 2 && lit[0] == '!' && lit[1] == '!') || (n == 1 && lit[0] == '!')) {
		lg_buf_puts(out, "ignore");
		return;
	}
	if (n && lit[0] == '!') {
		lg_buf_putc(out, '!');
		lit++;
		n--;
	}
	if (valid_tag(lit, n))
		lg_buf_put(out, lit, n);
	else
		lg_buf_puts(out, "ignore");
}

/*
 * One "+build" expression (parsePlusBuildExpr) written in //go:build syntax.
 * Returns false when go/build rejects it (more than 100 operators); *is_or
 * says whether the result is an || at the top.
 */
static bool plus_build_expr(struct lg_buf *out, const char *s, size_t n, bool *is_or)
{
	const char *f, *lit, *comma;
	size_t flen, pos = 0, nclauses = 0, size = 0, rest, ll;

	while (next_field(s, n, &pos, &f, &flen)) {
		size += count_byte(f, flen, ',');
		if (nclauses++)
			size++;
	}
	if (size > 100)
		return false;
	*is_or = nclauses > 1;
	if (!nclauses) {
		lg_buf_puts(out, "ignore");
		return true;
	}
	pos = 0;
	nclauses = 0;
	while (next_field(s, n, &pos, &f, &flen)) {
		bool wrap = *is_or && memchr(f, ',', flen);

		if (nclauses++)
			lg_buf_puts(out, " || ");
		if (wrap)
			lg_buf_putc(out, '(');
		lit = f;
		rest = flen;
		for (;;) {
			comma = memchr(lit, ',', rest);
			ll = comma ? (size_t)(comma - lit) : rest;
			put_plus_lit(out, lit, ll);
			if (!comma)
				break;
			lg_buf_puts(out, " && ");
			rest -= ll + 1;
			lit = comma + 1;
		}
		if (wrap)
			lg_buf_putc(out, ')');
	}
	return true;
}

/* constraint's splitPlusBuild on a trimmed line. */
static bool is_plus_build(const char *s, size_t n, const char **expr, size_t *expr_len)
{
	const char *t;
	size_t tn;

	if (!has_prefix(s, n, "//"))
		return false;
	s += 2;
	n -= 2;
	lg_go_trim_space(&s, &n);
	if (!has_prefix(s, n, "+build"))
		return false;
	s += 6;
	n -= 6;
	t = s;
	tn = n;
	lg_go_trim_space(&t, &tn);
	if (tn == n && n)
		return false;
	*expr = t;
	*expr_len = tn;
	return true;
}

/* The // +build lines of the header, &&-ed, or NULL when none counts. */
static char *plus_build_lines(const struct header *h, const char *buf)
{
	struct lg_buf all = LG_BUF_INIT, one = LG_BUF_INIT;
	size_t pos = h->start, nlines = 0;
	char *first = NULL, *ret = NULL;
	bool first_or = false;

	while (pos < h->end) {
		const char *nl = memchr(buf + pos, '\n', h->end - pos);
		const char *s = buf + pos, *expr;
		size_t n = (nl ? (size_t)(nl - buf) : h->end) - pos, expr_len;
		bool is_or;

		pos = nl ? (size_t)(nl - buf) + 1 : h->end;
		lg_go_trim_space(&s, &n);
		if (!is_plus_build(s, n, &expr, &expr_len))
			continue;
		lg_buf_clear(&one);
		if (!plus_build_expr(&one, expr, expr_len, &is_or))
			continue;
		/* and(x, y).String() parenthesises an || operand. */
		if (++nlines == 1) {
			first = lg_xstrndup(one.ptr, one.len);
			first_or = is_or;
			continue;
		}
		if (nlines == 2)
			lg_buf_printf(&all, first_or ? "(%s)" : "%s", first);
		lg_buf_printf(&all, is_or ? " && (%s)" : " && %s", one.ptr);
	}
	if (nlines == 1) {
		ret = first;
		first = NULL;
	} else if (nlines > 1) {
		ret = lg_buf_detach(&all, NULL);
	}
	free(first);
	lg_buf_release(&all);
	lg_buf_release(&one);
	return ret;
}

static void build_facts(struct lg_gofile *g, const struct header *h, const char *buf)
{
	g->build_lines = h->ngobuild;
	if (h->ngobuild) {
		g->facts.build_expr = lg_xstrndup(h->gobuild, h->gobuild_len);
		return;
	}
	g->facts.build_expr = plus_build_lines(h, buf);
	g->build_legacy = g->facts.build_expr != NULL;
}

/* A //go:build comment token that the header did not take: Go ignores it. */
static bool is_misplaced_go_build(const struct header *h, const char *buf, const struct lg_gotok *tok)
{
	const char *expr;
	size_t expr_len;

	if (!is_go_build(buf + tok->off, tok->len, &expr, &expr_len))
		return false;
	return !(tok->off < h->stop && only_space(buf + tok->line_off, tok->off - tok->line_off));
}

/* ---- package clause and imports ---- */

enum imp_state {
	IMP_PACKAGE,            /* expecting the package keyword */
	IMP_NAME,               /* expecting the package name */
	IMP_DECLS,              /* between import declarations */
	IMP_IMPORT,             /* after "import" */
	IMP_SPEC,               /* expecting an import spec (name or path) */
	IMP_PATH,               /* expecting an import path after a name */
	IMP_DONE,
};

struct imports {
	enum imp_state state;
	bool in_group;
	bool found;
	int result;             /* what imports_unsafe becomes once done */
};

static bool is_keyword(const char *s, size_t n)
{
	static const char *const kw[] = {
		"break", "case", "chan", "const", "continue", "default", "defer", "else",
		"fallthrough", "for", "func", "go", "goto", "if", "import", "interface",
		"map", "package", "range", "return", "select", "struct", "switch", "type", "var",
	};
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(kw); i++)
		if (strlen(kw[i]) == n && !memcmp(kw[i], s, n))
			return true;
	return false;
}

static bool tok_is(const char *buf, const struct lg_gotok *tok, const char *s)
{
	return tok->len == strlen(s) && !memcmp(buf + tok->off, s, tok->len);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Appends the UTF-8 encoding of r (valid: not a surrogate, <= U+10FFFF). */
static void put_utf8(struct lg_buf *b, uint32_t r)
{
	if (r < 0x80) {
		lg_buf_putc(b, (char)r);
	} else if (r < 0x800) {
		lg_buf_putc(b, (char)(0xc0 | (r >> 6)));
		lg_buf_putc(b, (char)(0x80 | (r & 0x3f)));
	} else if (r < 0x10000) {
		lg_buf_putc(b, (char)(0xe0 | (r >> 12)));
		lg_buf_putc(b, (char)(0x80 | ((r >> 6) & 0x3f)));
		lg_buf_putc(b, (char)(0x80 | (r & 0x3f)));
	} else {
		lg_buf_putc(b, (char)(0xf0 | (r >> 18)));
		lg_buf_putc(b, (char)(0x80 | ((r >> 12) & 0x3f)));
		lg_buf_putc(b, (char)(0x80 | ((r >> 6) & 0x3f)));
		lg_buf_putc(b, (char)(0x80 | (r & 0x3f)));
	}
}

/*
 * The value of an interpreted string literal (quotes included), as
 * strconv.Unquote computes it. Returns false for a literal the compiler
 * rejects (an unknown or out-of-range escape).
 */
static bool unquote_interpreted(struct lg_buf *out, const char *s, size_t n)
{
	size_t i, end = n - 1, digits, k;
	uint32_t r;
	int base, d;
	char c;

	for (i = 1; i < end; i++) {
		if (s[i] != '\\') {
			lg_buf_putc(out, s[i]);
			continue;
		}
		if (++i >= end)
			return false;
		c = s[i];
		switch (c) {
		case 'a': lg_buf_putc(out, '\a'); continue;
		case 'b': lg_buf_putc(out, '\b'); continue;
		case 'f': lg_buf_putc(out, '\f'); continue;
		case 'n': lg_buf_putc(out, '\n'); continue;
		case 'r': lg_buf_putc(out, '\r'); continue;
		case 't': lg_buf_putc(out, '\t'); continue;
		case 'v': lg_buf_putc(out, '\v'); continue;
		case '\\': lg_buf_putc(out, '\\'); continue;
		case '"': lg_buf_putc(out, '"'); continue;
		case 'x': digits = 2; break;
		case 'u': digits = 4; break;
		case 'U': digits = 8; break;
		default:
			if (c < '0' || c > '7')
				return false;
			digits = 3;
			break;
		}
		base = digits == 3 ? 8 : 16;
		if (base == 16)
			i++;
		r = 0;
		for (k = 0; k < digits; k++, i++) {
			if (i >= end || (d = hexval(s[i])) < 0 || d >= base)
				return false;
			r = r * (uint32_t)base + (uint32_t)d;
		}
		i--;
		if (c == 'x' || base == 8) {
			if (r > 255)
				return false;
			lg_buf_putc(out, (char)r);
		} else {
			if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff))
				return false;
			put_utf8(out, r);
		}
	}
	return true;
}

/* Whether an import path token names "unsafe": 1, 0, or -1 when the
 * literal is broken. */
static int path_is_unsafe(const char *buf, const struct lg_gotok *tok)
{
	struct lg_buf v = LG_BUF_INIT;
	const char *s = buf + tok->off;
	size_t i;
	int ret;

	if (tok->unterminated)
		return -1;
	if (tok->kind == LG_GOTOK_RAW_STRING) {
		/* Carriage returns are dropped from raw string values. */
		for (i = 1; i + 1 < tok->len; i++)
			if (s[i] != '\r')
				lg_buf_putc(&v, s[i]);
		ret = 1;
	} else {
		ret = unquote_interpreted(&v, s, tok->len) ? 1 : -1;
	}
	if (ret == 1)
		ret = v.len == 6 && !memcmp(v.ptr, "unsafe", 6);
	lg_buf_release(&v);
	return ret;
}

static void imports_fail(struct imports *im)
{
	im->result = im->found ? 1 : -1;
	im->state = IMP_DONE;
}

/*
 * Follows SourceFile = PackageClause ";" { ImportDecl ";" } ... over the
 * non-comment tokens; newlines need no tokens of their own here because
 * nothing in this part of the grammar depends on them.
 */
static void imports_feed(struct imports *im, struct lg_gofile *g, const char *buf, const struct lg_gotok *tok)
{
	bool semi = tok->kind == LG_GOTOK_OTHER && tok_is(buf, tok, ";");
	int r;

	switch (im->state) {
	case IMP_PACKAGE:
		if (tok->kind == LG_GOTOK_IDENT && tok_is(buf, tok, "package"))
			im->state = IMP_NAME;
		else
			imports_fail(im);
		return;
	case IMP_NAME:
		if (tok->kind == LG_GOTOK_IDENT && !is_keyword(buf + tok->off, tok->len)) {
			g->facts.package = lg_xstrndup(buf + tok->off, tok->len);
			im->state = IMP_DECLS;
		} else {
			imports_fail(im);
		}
		return;
	case IMP_DECLS:
		if (semi)
			return;
		if (tok->kind == LG_GOTOK_IDENT && tok_is(buf, tok, "import")) {
			im->state = IMP_IMPORT;
			return;
		}
		im->result = im->found ? 1 : 0;
		im->state = IMP_DONE;
		return;
	case IMP_IMPORT:
		if (tok->kind == LG_GOTOK_OTHER && tok_is(buf, tok, "(")) {
			im->in_group = true;
			im->state = IMP_SPEC;
			return;
		}
		im->in_group = false;
		im->state = IMP_SPEC;
		break;
	case IMP_SPEC:
	case IMP_PATH:
	case IMP_DONE:
		break;
	}

	if (im->state == IMP_SPEC && im->in_group) {
		if (semi)
			return;
		if (tok->kind == LG_GOTOK_OTHER && tok_is(buf, tok, ")")) {
			im->in_group = false;
			im->state = IMP_DECLS;
			return;
		}
	}
	if (im->state == IMP_SPEC &&
	    ((tok->kind == LG_GOTOK_IDENT && !is_keyword(buf + tok->off, tok->len)) ||
	     (tok->kind == LG_GOTOK_OTHER && tok_is(buf, tok, ".")))) {
		im->state = IMP_PATH;
		return;
	}
	if (im->state == IMP_SPEC || im->state == IMP_PATH) {
		if (tok->kind != LG_GOTOK_STRING && tok->kind != LG_GOTOK_RAW_STRING) {
			imports_fail(im);
			return;
		}
		r = path_is_unsafe(buf, tok);
		if (r < 0) {
			imports_fail(im);
			return;
		}
		if (r)
			im->found = true;
		im->state = im->in_group ? IMP_SPEC : IMP_DECLS;
	}
}

static void imports_end(struct imports *im)
{
	if (im->state == IMP_DONE)
		return;
	if (im->state == IMP_DECLS)
		im->result = im->found ? 1 : 0;
	else
		imports_fail(im);
	im->state = IMP_DONE;
}

/* ---- rationale blocks ---- */

enum { F_WHY, F_GAIN, F_SOURCE, F_REMOVED, F_OWNER, F_COUNT };

static const char *const rationale_keys[F_COUNT] = {
	"why", "measured gain", "target source", "removed when", "owner",
};

struct rationale_block {
	bool open;
	unsigned last_line;
	int field;              /* the field continuation lines extend, or -1 */
	struct lg_buf val[F_COUNT];
	struct lg_rationale r;
};

static bool lower_eq(char a, char b)
{
	if (a >= 'A' && a <= 'Z')
		a = (char)(a - 'A' + 'a');
	return a == b;
}

/*
 * Matches s against words (lowercase, single spaces between words),
 * any case, each space matching a run of spaces, tabs, '_' or '-', then
 * optional spaces and a colon. Returns the offset after the colon, or 0.
 */
static size_t match_key(const char *s, size_t n, const char *words)
{
	size_t i = 0, run;

	for (; *words; words++) {
		if (*words == ' ') {
			for (run = 0; i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '_' || s[i] == '-'); i++)
				run++;
			if (!run)
				return 0;
			continue;
		}
		if (i >= n || !lower_eq(s[i], *words))
			return 0;
		i++;
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < n && s[i] == ':' ? i + 1 : 0;
}

/* go/ast's isDirective on the text after "//". */
static bool is_directive_text(const char *s, size_t n)
{
	const char *colon;
	size_t c, i;

	if (has_prefix(s, n, "line ") || has_prefix(s, n, "extern ") || has_prefix(s, n, "export "))
		return true;
	colon = memchr(s, ':', n);
	if (!colon)
		return false;
	c = (size_t)(colon - s);
	if (!c || c + 1 >= n)
		return false;
	for (i = 0; i <= c + 1; i++) {
		if (i == c)
			continue;
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
			return false;
	}
	return true;
}

static void block_close(struct rationale_block *rb, struct lg_gofile *g, size_t *alloc)
{
	char **dst[F_COUNT];
	int i;

	if (!rb->open)
		return;
	dst[F_WHY] = &rb->r.why;
	dst[F_GAIN] = &rb->r.measured_gain;
	dst[F_SOURCE] = &rb->r.target_source;
	dst[F_REMOVED] = &rb->r.removed_when;
	dst[F_OWNER] = &rb->r.owner;
	for (i = 0; i < F_COUNT; i++) {
		/* Policies get C strings: a value is cut at a NUL byte (Go
		 * rejects such files anyway) and trimmed again, so "owner: \0x"
		 * is a missing owner, not an empty one. */
		const char *v = rb->val[i].ptr;
		size_t n = v ? strnlen(v, rb->val[i].len) : 0;

		lg_go_trim_space(&v, &n);
		if (n)
			*dst[i] = lg_xstrndup(v, n);
		lg_buf_release(&rb->val[i]);
	}
	g->rationales = lg_xgrow(g->rationales, sizeof(*g->rationales), g->nrationales + 1, alloc);
	g->rationales[g->nrationales++] = rb->r;
	memset(&rb->r, 0, sizeof(rb->r));
	rb->open = false;
}

static void block_append(struct lg_buf *b, const char *s, size_t n)
{
	if (!n)
		return;
	if (b->len)
		lg_buf_putc(b, ' ');
	lg_buf_put(b, s, n);
}

static void rationale_comment(struct rationale_block *rb, struct lg_gofile *g, size_t *alloc,
			      const char *buf, const struct lg_gotok *tok)
{
	const char *raw = buf + tok->off + 2, *s = raw;
	size_t raw_len = tok->len - 2, n, k;
	bool follows = rb->open && tok->blank && rb->last_line < UINT_MAX && tok->line == rb->last_line + 1;
	int i;

	if (raw_len && raw[raw_len - 1] == '\r')
		raw_len--;
	n = raw_len;
	lg_go_trim_space(&s, &n);

	if (tok->blank && match_key(s, n, "linkname rationale")) {
		block_close(rb, g, alloc);
		rb->open = true;
		rb->field = -1;
		rb->last_line = tok->line;
		rb->r.present = true;
		rb->r.line = tok->line;
		return;
	}
	if (!follows) {
		block_close(rb, g, alloc);
		return;
	}
	rb->last_line = tok->line;
	for (i = 0; i < F_COUNT; i++) {
		if ((k = match_key(s, n, rationale_keys[i])) > 0) {
			const char *v = s + k;
			size_t vn = n - k;

			lg_go_trim_space(&v, &vn);
			block_append(&rb->val[i], v, vn);
			rb->field = i;
			return;
		}
	}
	if (is_directive_text(raw, raw_len)) {
		block_close(rb, g, alloc);
		return;
	}
	if (rb->field >= 0)
		block_append(&rb->val[rb->field], s, n);
}

/* Each directive gets the nearest block that starts before it. */
static void assign_rationales(struct lg_gofile *g)
{
	size_t d, r = 0;
	size_t cur = LG_NO_RATIONALE;

	for (d = 0; d < g->ndirectives; d++) {
		while (r < g->nrationales && g->rationales[r].line < g->directives[d].line)
			cur = r++;
		g->directives[d].rationale = cur;
	}
}

int lg_gofile_analyze(struct lg_gofile *out, const char *buf, size_t len)
{
	struct header h;
	struct imports im = { IMP_PACKAGE, false, false, -1 };
	struct rationale_block rb;
	struct lg_golex lx;
	struct lg_gotok tok;
	size_t dalloc = 0, ralloc = 0;
	int i;

	memset(out, 0, sizeof(*out));
	out->facts.imports_unsafe = -1;
	if (!buf)
		len = 0;
	memset(&rb, 0, sizeof(rb));
	for (i = 0; i < F_COUNT; i++)
		lg_buf_init(&rb.val[i]);

	parse_header(&h, buf, len);
	build_facts(out, &h, buf);

	lg_golex_init(&lx, buf, len);
	while (lg_golex_next(&lx, &tok)) {
		struct lg_directive d;

		if (tok.kind == LG_GOTOK_BLOCK_COMMENT) {
			block_close(&rb, out, &ralloc);
			continue;
		}
		if (tok.kind != LG_GOTOK_LINE_COMMENT) {
			block_close(&rb, out, &ralloc);
			if (im.state != IMP_DONE)
				imports_feed(&im, out, buf, &tok);
			continue;
		}
		rationale_comment(&rb, out, &ralloc, buf, &tok);
		if (lg_directive_parse(&d, buf, len, &tok)) {
			out->directives = lg_xgrow(out->directives, sizeof(*out->directives),
						   out->ndirectives + 1, &dalloc);
			out->directives[out->ndirectives++] = d;
		}
		if (!out->facts.build_misplaced && is_misplaced_go_build(&h, buf, &tok))
			out->facts.build_misplaced = true;
	}
	block_close(&rb, out, &ralloc);
	imports_end(&im);
	out->facts.imports_unsafe = im.result;
	assign_rationales(out);
	return 0;
}

void lg_gofile_release(struct lg_gofile *g)
{
	size_t i;

	if (!g)
		return;
	lg_directives_free(g->directives, g->ndirectives);
	for (i = 0; i < g->nrationales; i++)
		lg_rationale_release(&g->rationales[i]);
	free(g->rationales);
	lg_file_facts_release(&g->facts);
	memset(g, 0, sizeof(*g));
}

void lg_linkname_split_target(const char *target, char **pkg_out, char **sym_out)
{
	size_t end, slash = 0, i;
	const char *dot;

	*pkg_out = NULL;
	*sym_out = NULL;
	if (!target)
		return;
	/* An import path never holds '(' or '['; the symbol part may. */
	end = strcspn(target, "([");
	for (i = 0; i < end; i++)
		if (target[i] == '/')
			slash = i + 1;
	dot = memchr(target + slash, '.', end - slash);
	if (!dot || dot == target)
		return;
	*pkg_out = lg_xstrndup(target, (size_t)(dot - target));
	*sym_out = lg_xstrdup(dot + 1);
}

struct lg_finding *lg_gofile_finding(const struct lg_gofile *g, size_t i, const char *path)
{
	const struct lg_directive *d = &g->directives[i];
	struct lg_finding *f = lg_finding_new(LG_FINDING_LINKNAME);
	size_t plen = strlen(path);

	f->path = lg_xstrdup(path);
	f->line = d->line;
	f->text_len = d->text ? lg_finding_cut_len(d->text, d->text_len) : 0;
	f->text = lg_xstrndup(d->text ? d->text : "", f->text_len);
	f->localname = lg_finding_strdup(d->localname);
	f->target = lg_finding_strdup(d->target);
	if (d->target)
		lg_linkname_split_target(d->target, &f->target_pkg, &f->target_sym);
	f->malformed = lg_finding_strdup(d->malformed);
	f->file.package = lg_finding_strdup(g->facts.package);
	f->file.is_test = plen >= 8 && !strcmp(path + plen - 8, "_test.go");
	f->file.imports_unsafe = g->facts.imports_unsafe;
	f->file.build_expr = lg_finding_strdup(g->facts.build_expr);
	f->file.build_misplaced = g->facts.build_misplaced;
	if (d->rationale != LG_NO_RATIONALE) {
		const struct lg_rationale *r = &g->rationales[d->rationale];

		f->rationale.present = r->present;
		f->rationale.line = r->line;
		f->rationale.why = lg_finding_strdup(r->why);
		f->rationale.measured_gain = lg_finding_strdup(r->measured_gain);
		f->rationale.target_source = lg_finding_strdup(r->target_source);
		f->rationale.removed_when = lg_finding_strdup(r->removed_when);
		f->rationale.owner = lg_finding_strdup(r->owner);
	}
	return f;
}
