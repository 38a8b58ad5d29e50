/*
 * godecl.h — the package-level func and var declarations of a Go file and
 * the shape of their signatures, read from golex.h's tokens.
 *
 * Used for two facts: which files of a package directory declare a
 * linkname's local name (the fallback), and whether a local declaration's
 * shape matches its target's in a Go source tree (target verification).
 *
 * This is not a Go parser: it follows brackets and Go's newline rule at
 * the top level, which is enough for declarations gofmt would accept. A
 * declaration it cannot read has shape_known false; nothing it reads can
 * make it fail or take more than linear time.
 *
 * Shape: parameter and result types as normalised text (tokens joined,
 * one space only between two words: "[]byte", "chan int",
 * "func(int)(bool,error)"), with a method's receiver as the first
 * parameter, since that is how a linknamed local function receives it.
 * Sizes are those of a 64-bit platform; named types have no known size.
 */
#ifndef LINKGATE_GODECL_H
#define LINKGATE_GODECL_H

#include "linkgate/common.h"

struct lg_godecl {
	char *name;             /* "fastrand"; methods "(*rtype).String" or "Value.String" */
	bool is_func;           /* else a var */
	bool has_body;
	unsigned line;
	bool shape_known;       /* params/results (or the var's type) were read */
	char **params;          /* func: receiver first; var: the one type */
	size_t nparams;
	char **results;
	size_t nresults;
};

struct lg_godecls {
	struct lg_godecl *v;
	size_t n;
	size_t alloc;
};

/* Appends the package-level func and var declarations of buf to out.
 * Never fails. */
void lg_godecls_scan(struct lg_godecls *out, const char *buf, size_t len);
void lg_godecls_release(struct lg_godecls *d);
/* The first declaration named name (exact), or NULL. Borrowed. */
const struct lg_godecl *lg_godecls_find(const struct lg_godecls *d, const char *name);

/* Size in bytes of a normalised type on a 64-bit platform, or -1 when it
 * depends on a named type. */
long lg_go_type_size(const char *type);

/* Compares a local declaration with its target's. Returns 1 when the
 * shapes match (counts, and sizes where both are known), 0 when they
 * differ, -1 when either shape is unknown. *detail (caller frees) says how
 * they differ, or notes types that differ only in name (a fact, not a
 * mismatch); NULL when there is nothing to say. */
int lg_godecl_shape_cmp(const struct lg_godecl *local, const struct lg_godecl *target, char **detail);

#endif
