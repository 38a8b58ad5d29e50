/*
 * gofacts.h — analysing one .go file as the Go toolchain would: the
 * effective //go:linkname directives (GO-RULES.md, found with the lexer of
 * golex.h, never a regex over raw lines), the `// linkname rationale:`
 * blocks, and the file facts (package, unsafe import, build constraint).
 *
 * Analysis is linear in the input, never fails on hostile content
 * (unterminated comments or strings, NUL bytes, invalid UTF-8, huge lines):
 * what cannot be determined is marked unknown (-1 / NULL), and directives
 * found are always reported.
 */
#ifndef LINKGATE_GOFACTS_H
#define LINKGATE_GOFACTS_H

#include "linkgate/common.h"
#include "linkgate/finding.h"

#define LG_NO_RATIONALE ((size_t)-1)

/* One //go:linkname comment the compiler acts on (well formed or not). */
struct lg_directive {
	unsigned line;          /* 1-based line of the comment */
	char *text;             /* the whole line, without newline and one trailing CR */
	size_t text_len;
	char *localname;        /* NULL only when the directive has no fields at all */
	char *target;           /* NULL for the one-argument form or when malformed */
	char *malformed;        /* the compiler's message, NULL if accepted */
	size_t rationale;       /* index into lg_gofile.rationales, or LG_NO_RATIONALE */
};

struct lg_gofile {
	struct lg_directive *directives;
	size_t ndirectives;
	struct lg_rationale *rationales;
	size_t nrationales;
	struct lg_file_facts facts; /* is_test is left false: it depends on the path */
};

/* Analyses buf. Returns 0; out is filled and owned by the caller. */
int lg_gofile_analyze(struct lg_gofile *out, const char *buf, size_t len);
void lg_gofile_release(struct lg_gofile *g);

/* Splits a target into package and symbol at the last '.' that precedes the
 * symbol (handles "reflect.(*rtype).String", "runtime..init_task",
 * "github.com/a/b.c.F"). *pkg_out and *sym_out are NULL when there is no
 * dot (a C symbol). Caller frees both. */
void lg_linkname_split_target(const char *target, char **pkg_out, char **sym_out);

#endif
