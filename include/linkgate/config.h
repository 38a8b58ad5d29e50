/*
 * config.h — linkgate.yml parsed into a validated struct (SPEC
 * "Configuration").
 *
 * Parsing is strict: unknown keys, wrong types, duplicate keys, aliases and
 * anchors, tags, tabs in indentation and YAML 1.1 coercions (`yes`, `0x10`,
 * `5s` where a number is expected) are LG_ECONFIG errors whose message starts
 * with `file:line:column: `. Every regex in the file (issue_pattern, owners)
 * is compiled once at load time to catch errors early.
 *
 * lg_config_init_defaults() fills the embedded defaults; parsing overlays a
 * file on them. The struct owns all its strings.
 *
 * A key present in the file replaces the default: lists are replaced whole,
 * nested mappings (refs, limits, ...) merge key by key. Where a string is
 * expected, a plain scalar that YAML could read as null, a boolean or a
 * number (`~`, `yes`, `off`, `42`, `1.5`) must be quoted; a boolean is plain
 * `true` or `false`; an integer is plain decimal digits. Limits and
 * removal.max_days must be positive (and stay below bounds that keep unit
 * conversions from overflowing). Nesting is limited to 64 levels.
 * `signoff.verify: ssh` is refused for now.
 *
 * Every error message has the form `FILE:LINE:COLUMN: KEY.PATH: what`, with
 * 1-based positions of the offending node, e.g.
 * `linkgate.yml:7:15: limits.timeout_ms: expected an integer, got "5s"`.
 * YAML syntax errors have no key path: `FILE:LINE:COLUMN: invalid YAML: ...`.
 */
#ifndef LINKGATE_CONFIG_H
#define LINKGATE_CONFIG_H

#include "linkgate/common.h"

enum lg_mode { LG_MODE_ENFORCE, LG_MODE_WARN, LG_MODE_AUDIT };
enum lg_scope { LG_SCOPE_COMMIT, LG_SCOPE_PUSH };
enum lg_verify { LG_VERIFY_TRAILER, LG_VERIFY_PUSHER, LG_VERIFY_SSH };
enum lg_on_error { LG_ON_ERROR_REJECT, LG_ON_ERROR_ACCEPT };
enum lg_rule_setting { LG_RULE_OFF, LG_RULE_ERROR, LG_RULE_WARNING };

struct lg_strlist {
	char **v;
	size_t n;
};

/* A free-form YAML value (params:). Scalars keep their text; the `is_*`
 * decisions follow YAML 1.2 core schema: plain true/false, null/~, and
 * decimal integers are typed, everything else is a string. */
enum lg_value_type { LG_VALUE_NULL, LG_VALUE_BOOL, LG_VALUE_INT, LG_VALUE_STRING, LG_VALUE_SEQ, LG_VALUE_MAP };
struct lg_value {
	enum lg_value_type type;
	bool b;
	long long i;
	char *s;                  /* STRING */
	char **keys;              /* MAP: keys[i] names items[i] */
	struct lg_value *items;   /* SEQ and MAP */
	size_t nitems;
};

struct lg_policy_ref {
	char *path;               /* "builtin:default" or a file path */
	bool has_mode;
	enum lg_mode mode;
};

struct lg_rule_override {
	char *id;
	enum lg_rule_setting setting;
};

struct lg_team_member {
	char *user;               /* any of the three may be NULL */
	char *email;
	char *principal;
};

struct lg_limits {
	long timeout_ms;
	long lua_memory_mb;
	long lua_instructions;
	long max_commits;
	long max_blob_mb;
	long max_findings;
	long max_output_lines;
};

struct lg_config {
	char *source;             /* the file it came from, or "builtin" */
	enum lg_mode mode;
	enum lg_scope scope;
	struct lg_policy_ref *policies;
	size_t npolicies;
	struct lg_rule_override *rules;
	size_t nrules;
	struct lg_value params;   /* MAP (empty by default) */
	struct lg_strlist refs_include;
	struct lg_strlist refs_exclude;
	struct lg_strlist refs_deny_delete;
	struct lg_strlist paths_exclude;
	struct {
		char *issue, *owner, *remove_by, *signoff;
	} trailers;
	char *issue_pattern;
	struct lg_strlist owners;
	struct {
		struct lg_team_member *team;
		size_t nteam;
		enum lg_verify verify;
		char *allowed_signers;
	} signoff;
	struct lg_strlist pusher_from;
	long removal_max_days;
	struct lg_strlist go_source;
	struct lg_limits limits;
	enum lg_on_error on_error;
	struct {
		char *push_option;
		struct lg_strlist allowed;
	} bypass;
	struct {
		char *log;
		bool syslog;
		char *metrics;
	} audit;
	char *help_url;
};

/* Fills cfg with the embedded defaults (SPEC's example values). */
void lg_config_init_defaults(struct lg_config *cfg);
/* Overlays the YAML document in buf on cfg (which holds defaults). filename is
 * used in messages and stored as cfg->source. Returns 0 or LG_ECONFIG. On
 * error cfg may hold part of the overlay; it stays valid to release. */
int lg_config_parse(struct lg_config *cfg, const char *buf, size_t len, const char *filename);
/* Reads and parses a file. Returns 0, LG_ECONFIG (also for an unreadable file). */
int lg_config_load_file(struct lg_config *cfg, const char *path);
void lg_config_release(struct lg_config *cfg);

/* The effective setting of a rule: the override in rules:, else dflt. */
enum lg_rule_setting lg_config_rule_setting(const struct lg_config *cfg, const char *id, enum lg_rule_setting dflt);

/* Prints the effective configuration as YAML (for `config check`): every
 * key, strings double-quoted, a `# source:` comment first. The output parses
 * back (lg_config_parse) to the same configuration. */
void lg_config_dump(const struct lg_config *cfg, FILE *out);
struct lg_buf;
/* The same, appended to out. */
void lg_config_dump_buf(const struct lg_config *cfg, struct lg_buf *out);

const char *lg_mode_name(enum lg_mode m);
const char *lg_verify_name(enum lg_verify v);

void lg_value_release(struct lg_value *v);
void lg_strlist_release(struct lg_strlist *l);

#endif
