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
 * Word bounds: the byte before the dashes is not [A-Za-z0-9_-] (so
 * `---checklinkname=0` and `x-checklinkname=0` are not flags), and the value
 * is not followed by [A-Za-z0-9_] (so `=00`, `=false_x`, `=Falsey` are not).
 * Matching is on bytes, never UTF-8, so NUL bytes and invalid UTF-8 in a
 * blob are harmless. Lines end at LF; one CR before it is not part of the
 * line. Only the lines holding the needle are searched, so a large blob
 * without it costs one memmem().
 *
 * The matcher is compiled once (PCRE2, JIT where available, match limits).
 * An lg_flags holds its own match data: use one per thread.
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
	size_t match_off;       /* offset of the spelling in the buffer */
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

/* An empty hit list (same as zero-filling the struct). */
void lg_flag_hits_init(struct lg_flag_hits *h);

/* Overrides PCRE2's limits for this matcher (defaults: LG_FLAGS_MATCH_LIMIT,
 * LG_FLAGS_DEPTH_LIMIT, LG_FLAGS_HEAP_LIMIT_KIB). A value of 0 keeps the
 * current one. The JIT honours only the match limit. Meant for tests that
 * check a limit hit is an error. */
#define LG_FLAGS_MATCH_LIMIT 100000u
#define LG_FLAGS_DEPTH_LIMIT 1000u
#define LG_FLAGS_HEAP_LIMIT_KIB 1024u
void lg_flags_set_limits(struct lg_flags *fl, uint32_t match_limit, uint32_t depth_limit, uint32_t heap_limit_kib);
/* Uses PCRE2's JIT (the default, when it compiled) or the interpreter, which
 * honours every limit; for tests and for platforms where the JIT misbehaves. */
void lg_flags_set_jit(struct lg_flags *fl, bool on);

/* The carrier of a path, decided by file type (SPEC "What is detected"):
 * "makefile", "shell", "dockerfile", "yaml", "goreleaser", "bazel", "go",
 * "doc", or "text". Returns a static string.
 *
 * Decided on the basename, first rule that applies:
 *   makefile   Makefile, GNUmakefile, makefile; *.mk, *.mak
 *   goreleaser .goreleaser.yml/.yaml, goreleaser.yml/.yaml
 *   dockerfile Dockerfile, dockerfile, Containerfile, Dockerfile.*,
 *              Containerfile.*, *.Dockerfile, *.dockerfile
 *   bazel      BUILD, BUILD.bazel, WORKSPACE, WORKSPACE.bazel, MODULE.bazel,
 *              *.bzl, *.bazel, .bazelrc, *.bazelrc
 *   shell      *.sh, *.bash, *.zsh, *.ksh, *.envrc (.envrc itself), and the
 *              start-up files .profile .bashrc .bash_profile .bash_login
 *              .zshrc .zshenv .zprofile .kshrc
 *   yaml       *.yml, *.yaml
 *   go         *.go
 *   doc        *.md *.markdown *.txt *.rst *.adoc *.asciidoc; README,
 *              CHANGELOG, NOTES without an extension
 *   text       anything else
 * Names the tools themselves look up (make, docker/podman, Bazel,
 * goreleaser, go) and the code suffixes are matched case-sensitively, as
 * those tools do: `build` is not a Bazel file, `x.GO` is not Go. Doc
 * suffixes and names are matched ignoring ASCII case, because nothing reads
 * them but people (README.MD is Markdown to every forge). A bare extension
 * (`.sh`, `.md`) counts as the extension.
 */
const char *lg_flags_carrier(const char *path);

#endif
