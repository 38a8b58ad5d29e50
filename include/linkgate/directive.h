/*
 * directive.h — which `//` comments are //go:linkname directives, and what
 * the compiler makes of them (GO-RULES.md "//go:linkname directives"; the
 * compiler's noder is the model).
 *
 * A line comment is a linkname directive exactly when its text after `//`
 * (one trailing CR dropped) starts with `go:linkname ` — one ASCII space.
 * `//go:linkname` alone, or with a tab after it, is a comment the compiler
 * ignores. Block comments and anything inside literals never are (the lexer
 * of golex.h decides that). The text is split like Go's strings.Fields
 * (Unicode white space; invalid UTF-8 is not space):
 *   - not first on its line (code or a block comment before it):
 *     malformed "misplaced compiler directive" (checked first);
 *   - other than 2 or 3 fields: malformed
 *     "usage: //go:linkname localname [linkname]";
 *   - else well formed, the one-argument form having no target.
 * localname and target are filled from the second and third fields whenever
 * they exist, malformed or not. text is the directive's whole line (code
 * before the comment included, a BOM on line 1 excluded) without its
 * newline and one trailing CR. Fields are byte strings: a NUL byte inside
 * one (the compiler rejects such files) cuts the C string short.
 */
#ifndef LINKGATE_DIRECTIVE_H
#define LINKGATE_DIRECTIVE_H

#include "linkgate/common.h"
#include "linkgate/golex.h"
#include "linkgate/gofacts.h"

/* The bytes every linkname directive contains: a buffer without them holds none. */
#define LG_DIRECTIVE_NEEDLE "go:linkname"

#define LG_DIRECTIVE_MISPLACED "misplaced compiler directive"
#define LG_DIRECTIVE_USAGE "usage: //go:linkname localname [linkname]"

/* True if the line comment text (starting with "//", without its newline)
 * is a linkname directive, well formed or not. */
bool lg_directive_is_linkname(const char *comment, size_t len);

/* If tok (a token lexed from buf, len) is a linkname directive, fills *out
 * (owned by the caller, release with lg_directive_release(); rationale is
 * LG_NO_RATIONALE) and returns true; else returns false and leaves *out
 * untouched. */
bool lg_directive_parse(struct lg_directive *out, const char *buf, size_t len, const struct lg_gotok *tok);
void lg_directive_release(struct lg_directive *d);

/* Every linkname directive of buf, in file order, without the file facts:
 * for callers that compare directive sets and need nothing else. *out is
 * an owned array of *nout directives (NULL when none); free it with
 * lg_directives_free(). Returns 0. */
int lg_directives_scan(struct lg_directive **out, size_t *nout, const char *buf, size_t len);
void lg_directives_free(struct lg_directive *v, size_t n);

#endif
