/*
 * finding.h — the finding model that policies see (SPEC "What a policy
 * sees"). A finding is one linkname directive or one disabling
 * -checklinkname flag that a push adds.
 *
 * Strings are NUL-terminated byte strings exactly as they came from the push:
 * they may hold bytes that are not valid UTF-8 (escaping happens only when
 * text is shown). A finding owns its strings; it borrows its commit (owned by
 * the commit set) and its ref name.
 */
#ifndef LINKGATE_FINDING_H
#define LINKGATE_FINDING_H

#include "linkgate/common.h"

enum lg_finding_kind {
	LG_FINDING_LINKNAME,
	LG_FINDING_CHECKLINKNAME_OFF,
};

/* Returns "linkname" or "checklinkname-off". */
const char *lg_finding_kind_name(enum lg_finding_kind kind);

struct lg_trailer {
	char *key;
	char *value;
};

/* A Platform-Signoff trailer that covers a commit, and the commit carrying it. */
struct lg_signoff {
	char *value;      /* "Name <email>" as written */
	char *commit_id;  /* full hex id of the commit that carries the trailer */
	bool verified;    /* ssh mode: the carrying commit's signature verified */
	char *signer;     /* ssh mode: the principal that signed, or NULL */
};

struct lg_commit_info {
	char id[65];            /* full hex id (40 or 64 digits) */
	char *summary;          /* first line of the message */
	char *message;          /* whole message, raw */
	char *author;           /* "Name <email>" */
	char *committer;        /* "Name <email>" */
	int64_t time;           /* committer time, epoch seconds */
	struct lg_trailer *trailers;
	size_t ntrailers;
	/* Sign-off trailers that cover this commit: its own and those of every
	 * new commit of the same push that reaches it (SPEC "Sign-off"). */
	struct lg_signoff *signoffs;
	size_t nsignoffs;
	bool signed_;           /* the commit object carries a gpgsig header */
	bool signature_verified;
	char *signer;
};

void lg_commit_info_release(struct lg_commit_info *c);

/* The `// linkname rationale:` block that precedes a directive. Fields not
 * present in the block are NULL. */
struct lg_rationale {
	bool present;
	unsigned line;          /* line of the `linkname rationale:` comment */
	char *why;
	char *measured_gain;
	char *target_source;
	char *removed_when;
	char *owner;
};

/* A closed interval of Go 1.x minor releases: {20, 22} is go1.20 to
 * go1.22. LG_GO_OPEN at either end means unbounded on that side. `where`
 * (gaps and overlaps only) says under which other build tags it happens,
 * e.g. "GOOS=windows", or NULL when it happens whatever they are. */
#define LG_GO_OPEN (-1)
struct lg_gorange {
	int lo, hi;
	char *where;
};

struct lg_goranges {
	struct lg_gorange *v;
	size_t n;
	size_t alloc;
};

void lg_goranges_add(struct lg_goranges *l, int lo, int hi, const char *where);
void lg_goranges_release(struct lg_goranges *l);

/* Facts of the .go file that holds a linkname. Tri-state ints: 1 yes, 0 no,
 * -1 unknown (the file could not be analysed far enough). Minors are -1
 * when unknown. */
struct lg_file_facts {
	char *package;          /* NULL if no package clause was found */
	bool is_test;           /* name ends in _test.go */
	int imports_unsafe;
	char *build_expr;       /* the //go:build expression (or legacy +build lines joined), NULL if none */
	bool build_misplaced;   /* a //go:build after the package clause (Go ignores it) */
	/* Filled by the facts stage (facts.h): */
	bool build_legacy;      /* build_expr was translated from // +build lines */
	char *build_implicit;   /* the file name's constraint, e.g. "linux && amd64", or NULL */
	bool go_versions_known; /* go_versions holds the answer (else build_error says why) */
	struct lg_goranges go_versions; /* releases the constraint admits, other tags quantified over */
	char *build_error;      /* why the constraint cannot be evaluated (Go rejects the file), or NULL */
	char *import_path;      /* the package's import path, when the module is known */
	char *module;           /* module path of the nearest go.mod (or the vendored module) */
	char *gomod;            /* path of that go.mod in the tree, or NULL */
	char *gomod_error;      /* why go.mod could not be read, or NULL */
	int module_go;          /* minor of go.mod's go line, -1 if none or unknown */
	int module_toolchain;   /* minor of go.mod's toolchain line, -1 if none or unknown */
};

/* Another linkname of the same file (which shares its build constraint). */
struct lg_sibling {
	unsigned line;
	char *localname;
	char *target;           /* NULL for the one-argument form */
};

/* The files that provide a linkname's local name for the Go releases, in
 * the same package directory at the same commit. */
struct lg_fallback {
	bool known;             /* computed (else error may say why, or the finding has no local name) */
	char *error;            /* why it could not be computed, or NULL */
	char **paths;           /* the other files that declare the name, by path */
	size_t npaths;
	struct lg_goranges gaps;     /* releases (at or above go.mod's go line) no file provides it for */
	struct lg_goranges overlaps; /* releases more than one file provides it for */
};

/* The target looked up in one Go release's source tree (go_source). */
struct lg_target_check {
	int go;                 /* the minor release */
	char *version;          /* e.g. "go1.22.3", from the tree's VERSION file */
	int exists;             /* 1, 0, or -1 when it cannot be told */
	int shape_ok;           /* 1, 0, or -1 when either declaration could not be read */
	char *detail;           /* how the shapes differ (or differ only in type names), or NULL */
	char *where;            /* "src/runtime/stubs.go:123" of the target's declaration, or NULL */
};

/* The Go versions the repository's CI configuration builds with. */
struct lg_ci {
	bool present;           /* some CI file (GitHub Actions workflow, .gitlab-ci.yml) exists */
	char **versions;        /* as resolved from the files: "1.22", "1.23.x", "stable", "tip" */
	size_t nversions;
	bool tip;
	char **files;           /* the CI files read */
	size_t nfiles;
	char **errors;          /* "path: message" for files that could not be read */
	size_t nerrors;
};

void lg_ci_release(struct lg_ci *ci);
void lg_ci_copy(struct lg_ci *dst, const struct lg_ci *src);
void lg_fallback_release(struct lg_fallback *fb);

struct lg_finding {
	enum lg_finding_kind kind;
	char *path;             /* path in the tree */
	unsigned line;          /* 1-based */
	char *text;             /* the line, without its newline or trailing CR */
	size_t text_len;
	const char *ref;        /* borrowed: the ref update that brought it */
	const struct lg_commit_info *commit; /* borrowed from the commit set */

	/* kind == LG_FINDING_LINKNAME */
	char *localname;
	char *target;           /* NULL for the one-argument form */
	char *target_pkg;       /* e.g. "runtime", "reflect"; NULL if no target or no dot */
	char *target_sym;       /* e.g. "fastrand", "(*rtype).String" */
	const char *target_class; /* static string, SPEC "target_class"; NULL until classified */
	char *malformed;        /* the compiler's message, NULL if well formed */
	char *vendored;         /* module path when under vendor/, else NULL */
	struct lg_file_facts file;
	struct lg_rationale rationale;

	/* Facts of the tree the finding is judged in (facts.h); for linkname. */
	int removal_go;         /* the go1.N minor "removed when" names, -1 if none */
	int removal_expired;    /* 1: go.mod's go or toolchain line has reached it; 0 no; -1 unknown */
	bool siblings_known;
	struct lg_sibling *siblings; /* the file's other linknames sharing its constraint (at most 100) */
	size_t nsiblings;
	struct lg_fallback fallback;
	bool target_check_known; /* go_source is configured and the target could be looked up */
	struct lg_target_check *target_check; /* one per admitted release with a source tree */
	size_t ntarget_check;
	struct lg_ci ci;

	/* kind == LG_FINDING_CHECKLINKNAME_OFF */
	const char *carrier;    /* static string: makefile, shell, dockerfile, yaml, ... */
	char *yaml_path;        /* NULL unless the carrier is YAML and the path is known */
	char *spelling;         /* the exact bytes matched, e.g. "-checklinkname=0" */
};

/* Strings copied into a finding from pushed content are capped (policies
 * read at most 4 KiB of any of them): a 1 MB rationale repeated over
 * thousands of directives must not cost gigabytes. */
#define LG_FINDING_STR_MAX 8192

/* n cut to LG_FINDING_STR_MAX bytes, backed off to a UTF-8 boundary. */
size_t lg_finding_cut_len(const char *s, size_t n);
/* A capped copy of s, or NULL for NULL. */
char *lg_finding_strdup(const char *s);

struct lg_finding *lg_finding_new(enum lg_finding_kind kind);
void lg_finding_free(struct lg_finding *f);
void lg_rationale_release(struct lg_rationale *r);
void lg_file_facts_release(struct lg_file_facts *f);

/* A growable list of owned findings. */
struct lg_findings {
	struct lg_finding **v;
	size_t n;
	size_t alloc;
};

void lg_findings_init(struct lg_findings *l);
void lg_findings_add(struct lg_findings *l, struct lg_finding *f); /* takes ownership */
void lg_findings_release(struct lg_findings *l);

#endif
