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

/* Facts of the .go file that holds a linkname. Tri-state ints: 1 yes, 0 no,
 * -1 unknown (the file could not be analysed far enough). */
struct lg_file_facts {
	char *package;          /* NULL if no package clause was found */
	bool is_test;           /* name ends in _test.go */
	int imports_unsafe;
	char *build_expr;       /* the //go:build expression (or legacy +build lines joined), NULL if none */
	bool build_misplaced;   /* a //go:build after the package clause (Go ignores it) */
};

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

	/* kind == LG_FINDING_CHECKLINKNAME_OFF */
	const char *carrier;    /* static string: makefile, shell, dockerfile, yaml, ... */
	char *yaml_path;        /* NULL unless the carrier is YAML and the path is known */
	char *spelling;         /* the exact bytes matched, e.g. "-checklinkname=0" */
};

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
