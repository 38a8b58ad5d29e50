/* golex.c — the Go lexer subset (see golex.h). */
#include "linkgate/golex.h"

size_t lg_go_space_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!n)
		return 0;
	switch (p[0]) {
	case ' ': case '\t': case '\n': case '\v': case '\f': case '\r':
		return 1;
	case 0xc2: /* U+0085, U+00A0 */
		return n >= 2 && (p[1] == 0x85 || p[1] == 0xa0) ? 2 : 0;
	case 0xe1: /* U+1680 */
		return n >= 3 && p[1] == 0x9a && p[2] == 0x80 ? 3 : 0;
	case 0xe2:
		if (n < 3)
			return 0;
		if (p[1] == 0x80 && ((p[2] >= 0x80 && p[2] <= 0x8a) || /* U+2000-U+200A */
				     p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf))
			return 3;
		return p[1] == 0x81 && p[2] == 0x9f ? 3 : 0; /* U+205F */
	case 0xe3: /* U+3000 */
		return n >= 3 && p[1] == 0x80 && p[2] == 0x80 ? 3 : 0;
	}
	return 0;
}

size_t lg_go_space_len_before(const char *s, size_t n)
{
	/*
	 * Go decodes the last rune from its start byte. Every white-space
	 * sequence begins with a start byte and continues with continuation
	 * bytes, so matching the longest sequence that ends here gives the
	 * same answer as decoding backwards.
	 */
	if (n >= 1 && lg_go_space_len(s + n - 1, 1) == 1)
		return 1;
	if (n >= 2 && lg_go_space_len(s + n - 2, 2) == 2)
		return 2;
	if (n >= 3 && lg_go_space_len(s + n - 3, 3) == 3)
		return 3;
	return 0;
}

void lg_go_trim_space(const char **s, size_t *n)
{
	size_t k;

	while (*n && (k = lg_go_space_len(*s, *n)) > 0) {
		*s += k;
		*n -= k;
	}
	while (*n && (k = lg_go_space_len_before(*s, *n)) > 0)
		*n -= k;
}

void lg_golex_init(struct lg_golex *lx, const char *buf, size_t len)
{
	lx->buf = buf;
	lx->len = buf ? len : 0;
	lx->pos = 0;
	lx->line_off = 0;
	lx->line = 1;
	/* The compiler skips a BOM before anything else, without a column. */
	if (lx->len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		lx->pos = lx->line_off = 3;
}

static void newline_at(struct lg_golex *lx, size_t nl)
{
	if (lx->line < UINT_MAX)
		lx->line++;
	lx->line_off = nl + 1;
}

/* Accounts for the newlines in [from, to). */
static void count_lines(struct lg_golex *lx, size_t from, size_t to)
{
	const char *nl;

	while (from < to && (nl = memchr(lx->buf + from, '\n', to - from))) {
		from = (size_t)(nl - lx->buf);
		newline_at(lx, from);
		from++;
	}
}

static bool is_ident_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c >= 0x80;
}

/*
 * Interpreted strings and runes: a backslash takes the next byte along
 * unless it is a newline, which ends the literal as in the compiler (its
 * escape() never consumes a newline). Returns the end offset.
 */
static size_t scan_quoted(struct lg_golex *lx, size_t i, char quote, bool *unterminated)
{
	const char *b = lx->buf;
	size_t n = lx->len;

	for (i++; i < n; i++) {
		if (b[i] == quote) {
			*unterminated = false;
			return i + 1;
		}
		if (b[i] == '\n')
			break;
		if (b[i] == '\\' && i + 1 < n && b[i + 1] != '\n')
			i++;
	}
	*unterminated = true;
	return i;
}

static size_t scan_block_comment(struct lg_golex *lx, size_t i, bool *unterminated)
{
	const char *b = lx->buf;
	size_t n = lx->len;
	const char *star;

	/* "/ * /" does not close: the search starts after the opener. */
	i += 2;
	while (i < n && (star = memchr(b + i, '*', n - i))) {
		i = (size_t)(star - b) + 1;
		if (i < n && b[i] == '/') {
			*unterminated = false;
			return i + 1;
		}
	}
	*unterminated = true;
	return n;
}

static size_t scan_raw_string(struct lg_golex *lx, size_t i, bool *unterminated)
{
	const char *q = memchr(lx->buf + i + 1, '`', lx->len - i - 1);

	*unterminated = !q;
	return q ? (size_t)(q - lx->buf) + 1 : lx->len;
}

bool lg_golex_next(struct lg_golex *lx, struct lg_gotok *tok)
{
	const char *b = lx->buf;
	size_t n = lx->len;
	size_t i = lx->pos, end;
	unsigned start_line = lx->line;
	bool start_bol = lx->pos == lx->line_off;
	unsigned char c;

	for (; i < n; i++) {
		c = (unsigned char)b[i];
		if (c == '\n')
			newline_at(lx, i);
		else if (c != ' ' && c != '\t' && c != '\r' && c != '\0')
			break;
	}

	memset(tok, 0, sizeof(*tok));
	tok->off = i;
	tok->line = tok->end_line = lx->line;
	tok->line_off = lx->line_off;
	tok->blank = lx->line > start_line || start_bol;
	if (i >= n) {
		lx->pos = n;
		tok->kind = LG_GOTOK_EOF;
		return false;
	}

	c = (unsigned char)b[i];
	if (c == '/' && i + 1 < n && b[i + 1] == '/') {
		const char *nl = memchr(b + i, '\n', n - i);

		tok->kind = LG_GOTOK_LINE_COMMENT;
		end = nl ? (size_t)(nl - b) : n;
	} else if (c == '/' && i + 1 < n && b[i + 1] == '*') {
		tok->kind = LG_GOTOK_BLOCK_COMMENT;
		end = scan_block_comment(lx, i, &tok->unterminated);
		count_lines(lx, i, end);
	} else if (c == '"') {
		tok->kind = LG_GOTOK_STRING;
		end = scan_quoted(lx, i, '"', &tok->unterminated);
	} else if (c == '\'') {
		tok->kind = LG_GOTOK_RUNE;
		end = scan_quoted(lx, i, '\'', &tok->unterminated);
	} else if (c == '`') {
		tok->kind = LG_GOTOK_RAW_STRING;
		end = scan_raw_string(lx, i, &tok->unterminated);
		count_lines(lx, i, end);
	} else if (c >= '0' && c <= '9') {
		tok->kind = LG_GOTOK_OTHER;
		for (end = i + 1; end < n && (is_ident_byte((unsigned char)b[end]) || b[end] == '.'); end++)
			;
	} else if (is_ident_byte(c)) {
		tok->kind = LG_GOTOK_IDENT;
		for (end = i + 1; end < n && is_ident_byte((unsigned char)b[end]); end++)
			;
	} else {
		tok->kind = LG_GOTOK_OTHER;
		end = i + 1;
	}

	tok->len = end - i;
	tok->end_line = lx->line;
	lx->pos = end;
	return true;
}
