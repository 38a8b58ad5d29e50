/*
 * flags.h — the `checklinkname-off` detector (GO-RULES.md "-checklinkname").
 *
 * Detection is textual and says so: any `-checklinkname=V` or
 * `--checklinkname=V` with V one of 0 f F false FALSE False, word-bounded on
 * both sides, in any text file. It deliberately over-reports rather than
 * misses (it does not evaluate shell string-building or cmd/go's overriding);
 * look-alikes that do not switch the check off are never findings:
 * GODEBUG=checklinkname=0, =1/=t/=true, the bare flag, `-checklinkname 0`,
 * `no`/`off`, identifiers or build tags containing the word.
 *
 * The matcher is compiled once (PCRE2, JIT where available, match limits).
 */
#ifndef LINKGATE_FLAGS_H
#define LINKGATE_FLAGS_H

#include "linkgate/common.h"

/* The needle every disabling spelling contains; blobs without it are skipped. */
#define LG_FLAGS_NEEDLE "checklinkname"

struct lg_flag_hit {
	unsigned line;          /* 1-based */
	size_t line_off;        /* offset of the line in the buffer */
	size_t line_len;        /* without newline and one trailing CR */
	char *spelling;         /* exact bytes matched, e.g. "--checklinkname=false" */
};

struct lg_flag_hits {
	struct lg_flag_hit *v;
	size_t n;
	size_t alloc;
};

struct lg_flags;

/* Returns 0 or LG_ERROR (PCRE2 could not compile: a bug, message set). */
int lg_flags_new(struct lg_flags **out);
void lg_flags_free(struct lg_flags *fl);
/* Appends every disabling occurrence in buf to out (one hit per occurrence,
 * several may share a line). Returns 0, or LG_ELIMIT if PCRE2 hit a match
 * limit (never reported as "no match"). */
int lg_flags_scan(struct lg_flags *fl, struct lg_flag_hits *out, const char *buf, size_t len);
void lg_flag_hits_release(struct lg_flag_hits *h);

/* The carrier of a path, decided by file type (SPEC "What is detected"):
 * "makefile", "shell", "dockerfile", "yaml", "goreleaser", "bazel", "go",
 * "doc", or "text". Returns a static string. */
const char *lg_flags_carrier(const char *path);

#endif
