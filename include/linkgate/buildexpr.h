/*
 * buildexpr.h — build constraints evaluated over Go releases
 * (GO-RULES.md "Build constraints").
 *
 * A constraint is a //go:build expression (`||`, `&&`, `!`, parentheses,
 * tags; legacy +build lines arrive already translated, see gofacts.h) and
 * the implicit constraint of the file's name (`_linux`, `_amd64`,
 * `_linux_amd64`, before an optional `_test`). Parsing follows
 * go/build/constraint's grammar and messages; an expression of more than
 * LG_BEXPR_MAX_TOKENS tokens is refused as too complex, the bound
 * go/build/constraint has had since CVE-2024-34158, so parsing is linear
 * and its recursion bounded whatever the input.
 *
 * Evaluation: `go1.N` is true for Go 1.N and every later release. Every
 * other tag is quantified over, modelled as the go command sets it: one
 * GOOS (with `unix` and the android/linux, ios/darwin, illumos/solaris
 * implications), one GOARCH, one compiler (gc or gccgo), and every other
 * tag (cgo, ignore, custom tags) independently true or false. Only the
 * tags the constraints mention are enumerated, each unmentioned GOOS or
 * GOARCH standing for all the others. Releases are grouped into classes
 * between the go1.N breakpoints the constraints mention, so the work is
 * (assignments x classes x expression size), independent of how large N
 * is; past LG_BEXPR_MAX_WORK the evaluation is refused (unknown) rather
 * than slow.
 */
#ifndef LINKGATE_BUILDEXPR_H
#define LINKGATE_BUILDEXPR_H

#include "linkgate/buf.h"
#include "linkgate/common.h"
#include "linkgate/finding.h"

#define LG_BEXPR_MAX_TOKENS 1000
#define LG_BEXPR_MAX_FREE_TAGS 12
#define LG_BEXPR_MAX_WORK (1u << 22)

/* One constraint: expr may be NULL (no //go:build line); path gives the
 * implicit file-name constraint and may be NULL. */
struct lg_bconstraint {
	const char *expr;
	const char *path;
};

/* The truth of several constraints for every assignment of the other tags
 * and every class of releases. Class k covers the minors from class_lo[k]
 * to class_lo[k + 1] - 1; the last class is unbounded above. */
struct lg_bmatrix {
	size_t n;               /* constraints */
	size_t nassign;
	size_t nclass;
	int *class_lo;
	unsigned char *truth;   /* [constraint][assign][class] */
	struct lg_bmatrix_priv *priv;
};

/* Evaluates c[0..n). extra_breaks (may be NULL) are minors at which classes
 * must also start (e.g. go.mod's go line). Returns 0, or LG_ERROR with a
 * message ("<expr>: missing )", "... too complex", "too many build tags")
 * and *bad set to the index of the constraint that failed (n when the set
 * as a whole is too large). out is released by the caller in every case. */
int lg_bmatrix_eval(struct lg_bmatrix *out, size_t *bad, const struct lg_bconstraint *c, size_t n,
		    const int *extra_breaks, size_t nextra);
bool lg_bmatrix_get(const struct lg_bmatrix *m, size_t constraint, size_t assign, size_t cls);
/* Last minor of class cls, or LG_GO_OPEN for the last class. */
int lg_bmatrix_class_hi(const struct lg_bmatrix *m, size_t cls);
/* Appends a description of assignment a restricted to the tags mentioned,
 * e.g. "GOOS=windows, !cgo"; appends nothing when no other tag is
 * mentioned. */
void lg_bmatrix_describe(const struct lg_bmatrix *m, size_t a, struct lg_buf *out);
void lg_bmatrix_release(struct lg_bmatrix *m);

/* Turns a set of classes (flags[k] != 0) into merged closed intervals,
 * appended to out with where (may be NULL); the first class starts at
 * minor 0, so it is open below. */
void lg_bmatrix_ranges(const struct lg_bmatrix *m, const unsigned char *flags, struct lg_goranges *out,
		       const char *where);

/* The releases one constraint admits (some assignment of the other tags
 * makes it true), as merged intervals. Returns 0 or LG_ERROR (message
 * set, as lg_bmatrix_eval). */
int lg_build_go_versions(struct lg_goranges *out, const char *expr, const char *path);

/* The implicit constraint of a file name ("linux && amd64", "windows",
 * "arm64"), or NULL. Caller frees. */
char *lg_build_implicit(const char *path);

/* The minor N of a "go1.N" tag (N >= 1, no leading zero), or -1. */
int lg_build_go_tag(const char *s, size_t n);

#endif
