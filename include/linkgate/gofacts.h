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
 *
 * Package and imports follow the compiler's grammar over the lexer's
 * tokens: facts.package is the name after a leading `package` keyword
 * (NULL when the file does not start with a package clause, or names a
 * keyword). facts.imports_unsafe is 1 when an import declaration of the
 * leading import section (single or grouped; unnamed or named `_`, `.` or
 * an identifier) has the path "unsafe" as Go reads the literal
 * (interpreted with escapes, or raw without CRs); 0 when the section ended
 * (at another declaration or the end of the file) without one; -1 when
 * there is no package clause or the section could not be parsed
 * (unterminated group or literal, a bad escape, no path).
 *
 * Build constraints follow go/build: only the file header counts (the
 * leading run of blank lines, `//` and block comments before the first
 * other text, read line by line as parseFileHeader does).
 *   - A header line `//go:build EXPR` (constraint.IsGoBuild) gives
 *     facts.build_expr = EXPR, trimmed ("" for a bare `//go:build`). With
 *     several, the first is kept and build_lines counts them all (go/build
 *     rejects such a file: "multiple //go:build comments").
 *   - Without one, legacy `// +build` lines count only when a blank line
 *     follows them before the first non-`//` line. They are stored
 *     translated into //go:build syntax, as `go fix` writes it, so callers
 *     parse one grammar: space is ||, comma is &&, several lines are &&-ed,
 *     sub-expressions are parenthesised like constraint.Expr.String()
 *     ("linux,amd64 darwin" -> "(linux && amd64) || darwin"; with a second
 *     line "go1.20" -> "((linux && amd64) || darwin) && go1.20").
 *     build_legacy says the expression came from +build lines. Tags that
 *     go/build treats as invalid become "ignore", as constraint.Parse
 *     does, and a line with more than 100 operators is skipped, as
 *     go/build does.
 *   - facts.build_misplaced: some `//` comment that IsGoBuild holds lies
 *     outside the header's line starts (after the package clause, or behind
 *     code or a block comment): Go ignores it.
 *
 * Rationale blocks: a `//` comment standing first on its line whose text is
 * `linkname rationale:` (any case; spaces, tabs, '_' or '-' between the
 * words; space allowed before the colon; text after the colon ignored)
 * opens a block; it goes on over `//` comments each first on the very next
 * line. In it, `why:`, `measured gain:`, `target source:`, `removed when:`
 * and `owner:` (any case; spaces, '_' and '-' interchangeable between
 * words; space allowed before the colon) start fields; other comment text
 * continues the last field (joined with one space; ignored before the
 * first field); a key seen again appends to its value the same way. A
 * directive-shaped comment (`//go:linkname ...`, `//nolint:x`, go/ast's
 * rule) ends the block, as does a block comment, any other token, a
 * comment that is not first on its line, or a blank line.
 * Values are cut at a NUL byte and trimmed; an empty value is NULL. Each
 * directive is served by the nearest block that starts before it.
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
	char *target;           /* the third field; NULL for the one-argument form (or fewer fields) */
	char *malformed;        /* the compiler's message, NULL if accepted */
	size_t rationale;       /* index into lg_gofile.rationales, or LG_NO_RATIONALE */
};

struct lg_gofile {
	struct lg_directive *directives;
	size_t ndirectives;
	struct lg_rationale *rationales;
	size_t nrationales;
	struct lg_file_facts facts; /* is_test is left false: it depends on the path */
	unsigned build_lines;   /* //go:build lines in the header (>1: go/build rejects the file) */
	bool build_legacy;      /* facts.build_expr was translated from // +build lines */
};

/* Analyses buf (any bytes; NULL with len 0 is an empty file). Returns 0;
 * out is filled and owned by the caller, who releases it with
 * lg_gofile_release(). Directives are in file order, rationales too. */
int lg_gofile_analyze(struct lg_gofile *out, const char *buf, size_t len);
void lg_gofile_release(struct lg_gofile *g);

/* A new finding for directive i of g at path: the directive's fields, the
 * file facts (is_test from the path) and its rationale block, with every
 * string capped (finding.h). Tree facts are the caller's (facts.h). */
struct lg_finding *lg_gofile_finding(const struct lg_gofile *g, size_t i, const char *path);

/* Splits a target into package and symbol at the last '.' that precedes the
 * symbol (handles "reflect.(*rtype).String", "runtime..init_task",
 * "github.com/a/b.c.F"). *pkg_out and *sym_out are NULL when there is no
 * dot (a C symbol). Caller frees both.
 * The package is everything up to the first '.' after the last '/' that
 * comes before any '(' or '[' (so type arguments such as
 * "p.F[example.com/q.T]" do not move the split): "github.com/a/b.c.F" ->
 * ("github.com/a/b", "c.F"). No '.' there, or nothing before it
 * ("(*T).M", ".x"), gives NULL for both. The package is returned as
 * written: a linker-escaped path ("gopkg.in/yaml%2ev3") is not unescaped. */
void lg_linkname_split_target(const char *target, char **pkg_out, char **sym_out);

#endif
