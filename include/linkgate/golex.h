/*
 * golex.h — the part of Go's lexical grammar that decides what is a comment,
 * a string or code, following the compiler's scanner
 * (cmd/compile/internal/syntax) rather than a regex over lines.
 *
 * The lexer yields every token: comments (line and block), interpreted and
 * raw strings, rune literals, identifiers (keywords included) and "other"
 * (numbers, operators, punctuation, stray bytes). Each token carries its
 * byte range, the 1-based line it starts on, and `blank`: whether it is the
 * first token on its line as the compiler's scanner.blank computes it — the
 * token starts on a later line than where white-space skipping after the
 * previous token began, or that skipping began at column 1. So a `//`
 * comment after code or after a `/ * * /` comment on the same line is not
 * blank (the compiler says "misplaced compiler directive").
 *
 * Invariants: white space is space, tab, CR and newline, as in Go (form feed
 * and vertical tab are not: they are stray "other" bytes). A UTF-8 BOM at the
 * very start is skipped and is not part of line 1. A NUL byte between tokens
 * is skipped like white space (the compiler rejects such files anyway).
 * Line comments stop before their newline; interpreted strings and runes
 * stop before a newline when unterminated; block comments and raw strings
 * run to the end of the input when unterminated. Every byte is looked at a
 * bounded number of times, so lexing is linear on any input; nothing
 * recurses and nothing allocates.
 */
#ifndef LINKGATE_GOLEX_H
#define LINKGATE_GOLEX_H

#include "linkgate/common.h"

enum lg_gotok_kind {
	LG_GOTOK_EOF = 0,
	LG_GOTOK_LINE_COMMENT,  /* "//" up to, not including, the newline (a trailing CR is kept) */
	LG_GOTOK_BLOCK_COMMENT, /* "/" "*" ... "*" "/" */
	LG_GOTOK_STRING,        /* "..." */
	LG_GOTOK_RAW_STRING,    /* `...`, may span lines */
	LG_GOTOK_RUNE,          /* '...' */
	LG_GOTOK_IDENT,         /* identifiers and keywords; any byte >= 0x80 counts as a letter */
	LG_GOTOK_OTHER,         /* a number (digits and the letters, '_' and '.' after them) or one other byte */
};

struct lg_gotok {
	enum lg_gotok_kind kind;
	size_t off;             /* first byte of the token in the buffer */
	size_t len;             /* bytes; 0 only for LG_GOTOK_EOF */
	size_t line_off;        /* offset of the first byte of the token's first line */
	unsigned line;          /* 1-based line of the first byte */
	unsigned end_line;      /* line of the last byte (differs for multi-line tokens) */
	bool blank;             /* first token on its line (scanner.blank) */
	bool unterminated;      /* string, rune, raw string or block comment not closed */
};

/* The lexer's state; treat as opaque. It borrows the buffer. */
struct lg_golex {
	const char *buf;
	size_t len;
	size_t pos;
	size_t line_off;
	unsigned line;
};

/* Starts lexing buf (which may hold any bytes). */
void lg_golex_init(struct lg_golex *lx, const char *buf, size_t len);
/* Fills tok with the next token and returns true; at the end of the input
 * fills an LG_GOTOK_EOF token and returns false (again on every call). */
bool lg_golex_next(struct lg_golex *lx, struct lg_gotok *tok);

/* Go's unicode.IsSpace for the rune that starts at s (n bytes available):
 * the byte length of that white-space rune (1 to 3), or 0 when it is not
 * white space. Invalid UTF-8 is never white space. The set is Go's:
 * \t \n \v \f \r space U+0085 U+00A0 U+1680 U+2000-U+200A U+2028 U+2029
 * U+202F U+205F U+3000. */
size_t lg_go_space_len(const char *s, size_t n);
/* The byte length of the white-space rune that ends at s + n, or 0. */
size_t lg_go_space_len_before(const char *s, size_t n);
/* strings.TrimSpace: narrows [*s, *s + *n) to drop leading and trailing
 * Unicode white space. */
void lg_go_trim_space(const char **s, size_t *n);

#endif
