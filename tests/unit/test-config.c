/*
 * test-config.c — linkgate.yml: every key read, every kind of mistake refused
 * with its exact file:line:column, and the dump reading back as the same
 * configuration.
 */
#include "linkgate/buf.h"
#include "linkgate/config.h"
#include "linkgate/error.h"
#include "tap.h"

struct ecase {
	const char *yaml;
	const char *want; /* the whole message */
};

/* Inputs are parsed as file "t.yml". */
static const struct ecase errors[] = {
	{ "limits:\n  timeout_ms: 5s\n",
	  "t.yml:2:15: limits.timeout_ms: expected an integer, got \"5s\"" },
	{ "limits:\n  timeout_ms: 0x10\n",
	  "t.yml:2:15: limits.timeout_ms: expected an integer, got \"0x10\"" },
	{ "limits:\n  timeout_ms: 0o10\n",
	  "t.yml:2:15: limits.timeout_ms: expected an integer, got \"0o10\"" },
	{ "limits:\n  timeout_ms: 010\n",
	  "t.yml:2:15: limits.timeout_ms: expected an integer, got \"010\"; leading zeros are not allowed (YAML 1.1 reads them as octal)" },
	{ "limits:\n  timeout_ms: 1e3\n",
	  "t.yml:2:15: limits.timeout_ms: expected an integer, got \"1e3\"" },
	{ "limits:\n  timeout_ms: 1_000\n",
	  "t.yml:2:15: limits.timeout_ms: expected an integer, got \"1_000\"" },
	{ "limits:\n  timeout_ms: .inf\n",
	  "t.yml:2:15: limits.timeout_ms: expected an integer, got \".inf\"" },
	{ "limits:\n  timeout_ms: 4000.0\n",
	  "t.yml:2:15: limits.timeout_ms: expected an integer, got \"4000.0\"" },
	{ "limits:\n  timeout_ms: \"4000\"\n",
	  "t.yml:2:15: limits.timeout_ms: expected an integer, got the string \"4000\"; remove the quotes" },
	{ "limits:\n  timeout_ms: '4000'\n",
	  "t.yml:2:15: limits.timeout_ms: expected an integer, got the string \"4000\"; remove the quotes" },
	{ "limits:\n  timeout_ms: 0\n",
	  "t.yml:2:15: limits.timeout_ms: must be at least 1, got 0" },
	{ "limits:\n  max_commits: -1\n",
	  "t.yml:2:16: limits.max_commits: must be at least 1, got -1" },
	{ "limits:\n  max_output_lines:\n",
	  "t.yml:2:20: limits.max_output_lines: expected an integer, got an empty value" },
	{ "limits:\n  lua_memory_mb: 2000000\n",
	  "t.yml:2:18: limits.lua_memory_mb: must be at most 1048576, got 2000000" },
	{ "limits:\n  max_findings: 99999999999999999999\n",
	  "t.yml:2:17: limits.max_findings: expected an integer, got \"99999999999999999999\", which is out of range" },
	{ "limits:\n  max_blob_mb: [64]\n",
	  "t.yml:2:16: limits.max_blob_mb: expected an integer, got a sequence" },
	{ "removal: {max_days: 0}\n",
	  "t.yml:1:21: removal.max_days: must be at least 1, got 0" },
	{ "audit: {syslog: yes}\n",
	  "t.yml:1:17: audit.syslog: expected true or false, got \"yes\"; write true or false" },
	{ "audit: {syslog: No}\n",
	  "t.yml:1:17: audit.syslog: expected true or false, got \"No\"; write true or false" },
	{ "audit: {syslog: ON}\n",
	  "t.yml:1:17: audit.syslog: expected true or false, got \"ON\"; write true or false" },
	{ "audit: {syslog: off}\n",
	  "t.yml:1:17: audit.syslog: expected true or false, got \"off\"; write true or false" },
	{ "audit: {syslog: y}\n",
	  "t.yml:1:17: audit.syslog: expected true or false, got \"y\"; write true or false" },
	{ "audit: {syslog: True}\n",
	  "t.yml:1:17: audit.syslog: expected true or false, got \"True\"; write true or false" },
	{ "audit: {syslog: \"true\"}\n",
	  "t.yml:1:17: audit.syslog: expected true or false, got the string \"true\"; remove the quotes" },
	{ "audit: {syslog: 1}\n",
	  "t.yml:1:17: audit.syslog: expected true or false, got \"1\"" },
	{ "audit: {syslog: }\n",
	  "t.yml:1:17: audit.syslog: expected true or false, got an empty value" },
	{ "help_url: ~\n",
	  "t.yml:1:11: help_url: expected a string, got plain ~, which YAML reads as null; write \"~\" if you mean the text" },
	{ "help_url: null\n",
	  "t.yml:1:11: help_url: expected a string, got plain null, which YAML reads as null; write \"null\" if you mean the text" },
	{ "help_url: NULL\n",
	  "t.yml:1:11: help_url: expected a string, got plain NULL, which YAML reads as null; write \"NULL\" if you mean the text" },
	{ "help_url:\n",
	  "t.yml:1:10: help_url: expected a string, got an empty value (null); write \"\" for an empty string" },
	{ "help_url: yes\n",
	  "t.yml:1:11: help_url: expected a string, got plain yes, which YAML reads as a boolean; write \"yes\" if you mean the text" },
	{ "help_url: Off\n",
	  "t.yml:1:11: help_url: expected a string, got plain Off, which YAML reads as a boolean; write \"Off\" if you mean the text" },
	{ "help_url: true\n",
	  "t.yml:1:11: help_url: expected a string, got plain true, which YAML reads as a boolean; write \"true\" if you mean the text" },
	{ "help_url: 42\n",
	  "t.yml:1:11: help_url: expected a string, got plain 42, which YAML reads as a number; write \"42\" if you mean the text" },
	{ "help_url: -1.5\n",
	  "t.yml:1:11: help_url: expected a string, got plain -1.5, which YAML reads as a number; write \"-1.5\" if you mean the text" },
	{ "help_url: 0x1F\n",
	  "t.yml:1:11: help_url: expected a string, got plain 0x1F, which YAML reads as a number; write \"0x1F\" if you mean the text" },
	{ "help_url: 12:30\n",
	  "t.yml:1:11: help_url: expected a string, got plain 12:30, which YAML reads as a number; write \"12:30\" if you mean the text" },
	{ "help_url: [a]\n",
	  "t.yml:1:11: help_url: expected a string, got a sequence" },
	{ "help_url: {a: b}\n",
	  "t.yml:1:11: help_url: expected a string, got a mapping" },
	{ "mode: strict\n",
	  "t.yml:1:7: mode: expected enforce, warn or audit, got \"strict\"" },
	{ "mode: [warn]\n",
	  "t.yml:1:7: mode: expected enforce, warn or audit, got a sequence" },
	{ "scope: all\n",
	  "t.yml:1:8: scope: expected commit or push, got \"all\"" },
	{ "on_error: off\n",
	  "t.yml:1:11: on_error: expected reject or accept, got \"off\"" },
	{ "signoff:\n  verify: ssh\n",
	  "t.yml:2:3: signoff: verify: ssh needs allowed_signers (an ssh-keygen allowed signers file)" },
	{ "signoff: {verify: ssh, allowed_signers: /nonexistent/allowed_signers}\n",
	  "t.yml:1:10: signoff: allowed_signers \"/nonexistent/allowed_signers\" cannot be read: No such file or "
	  "directory" },
	{ "signoff: {verify: ssh, allowed_signers: /}\n",
	  "t.yml:1:10: signoff: allowed_signers \"/\" is not a file" },
	{ "signoff:\n  verify: gpg\n",
	  "t.yml:2:11: signoff.verify: expected trailer, pusher or ssh, got \"gpg\"" },
	{ "rules:\n  linkname.ci-matrix: no\n",
	  "t.yml:2:23: rules.\"linkname.ci-matrix\": expected off, error or warning, got \"no\"" },
	{ "rules:\n  \"\": off\n",
	  "t.yml:2:3: rules.\"\": a rule id must not be empty" },
	{ "nope: 1\n",
	  "t.yml:1:1: nope: unknown key" },
	{ "limits:\n  timeout: 5\n",
	  "t.yml:2:3: limits.timeout: unknown key" },
	{ "policies:\n  - {path: x.lua, mod: warn}\n",
	  "t.yml:2:19: policies[0].mod: unknown key" },
	{ "signoff:\n  team:\n    - {user: a, name: b}\n",
	  "t.yml:3:17: signoff.team[0].name: unknown key" },
	{ "mode: warn\nscope: push\nmode: audit\n",
	  "t.yml:3:1: mode: duplicate key (first at line 1, column 1)" },
	{ "limits:\n  timeout_ms: 1\n  timeout_ms: 2\n",
	  "t.yml:3:3: limits.timeout_ms: duplicate key (first at line 2, column 3)" },
	{ "\"mode\": warn\nmode: audit\n",
	  "t.yml:2:1: mode: duplicate key (first at line 1, column 1)" },
	{ "params:\n  a:\n    b: 1\n    c: 2\n    b: 3\n",
	  "t.yml:5:5: params.a.b: duplicate key (first at line 3, column 5)" },
	{ "rules: {x: off, y: error, x: warning}\n",
	  "t.yml:1:27: rules.x: duplicate key (first at line 1, column 9)" },
	{ "signoff: {team: [{user: a, user: b}]}\n",
	  "t.yml:1:28: signoff.team[0].user: duplicate key (first at line 1, column 19)" },
	{ "mode: &m warn\n",
	  "t.yml:1:7: mode: anchors are not allowed (&m)" },
	{ "params: {a: *x}\n",
	  "t.yml:1:13: params.a: aliases are not allowed (*x); write the value out" },
	{ "params: [&a 1]\n",
	  "t.yml:1:9: params: expected a mapping, got a sequence" },
	{ "mode: !!str warn\n",
	  "t.yml:1:7: mode: explicit tags are not allowed (tag:yaml.org,2002:str)" },
	{ "params: !foo {}\n",
	  "t.yml:1:9: params: explicit tags are not allowed (!foo)" },
	{ "params: {a: !!binary aGk=}\n",
	  "t.yml:1:13: params.a: explicit tags are not allowed (tag:yaml.org,2002:binary)" },
	{ "mode: warn\n---\nmode: audit\n",
	  "t.yml:2:1: multiple documents are not allowed" },
	{ "mode: warn\n...\n---\n",
	  "t.yml:3:1: multiple documents are not allowed" },
	{ "limits:\n\ttimeout_ms: 5\n",
	  "t.yml:2:1: invalid YAML: found character that cannot start any token (a tab: YAML indentation must use spaces)" },
	{ "owners:\n  -\t\"x\"\n",
	  "t.yml:2:4: invalid YAML: found character that cannot start any token (a tab: YAML indentation must use spaces)" },
	{ "mode: \"warn\n",
	  "t.yml:2:1: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 1, column 7)" },
	{ "refs: {include: [a\n",
	  "t.yml:2:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 17)" },
	{ "mode: warn\n  scope: push\n",
	  "t.yml:1:7: mode: expected enforce, warn or audit, got \"warn scope\"" },
	{ "mode: \"\377\"\n",
	  "t.yml:1:8: invalid YAML: invalid leading UTF-8 octet (byte 0xFF)" },
	{ "help_url: \"\001\"\n",
	  "t.yml:1:12: invalid YAML: control characters are not allowed (byte 0x01)" },
	{ "- a\n",
	  "t.yml:1:1: expected a mapping at the top level, got a sequence" },
	{ "just a string\n",
	  "t.yml:1:1: expected a mapping at the top level, got \"just a string\"" },
	{ "issue_pattern: \"(abc\"\n",
	  "t.yml:1:16: issue_pattern: invalid regular expression at offset 4: missing closing parenthesis" },
	{ "owners: [\"ok\", \"[z-a]\"]\n",
	  "t.yml:1:16: owners[1]: invalid regular expression at offset 3: range out of order in character class" },
	{ "refs:\n  include: [\"refs/[x\"]\n",
	  "t.yml:2:13: refs.include[0]: invalid glob \"refs/[x\": unterminated character class (missing ']')" },
	{ "paths: {exclude: [\"a\\\\\"]}\n",
	  "t.yml:1:19: paths.exclude[0]: invalid glob \"a\\\\\": trailing backslash" },
	{ "refs: {deny_delete: [\"[[:nope:]]\"]}\n",
	  "t.yml:1:22: refs.deny_delete[0]: invalid glob \"[[:nope:]]\": unknown character class name in [:name:]" },
	{ "refs: {exclude: [\"\"]}\n",
	  "t.yml:1:18: refs.exclude[0]: must not be empty" },
	{ "trailers: {issue: \"Is sue\"}\n",
	  "t.yml:1:19: trailers.issue: \"Is sue\" is not a trailer key (letters, digits and '-' only)" },
	{ "trailers: {owner: \"\"}\n",
	  "t.yml:1:19: trailers.owner: \"\" is not a trailer key (letters, digits and '-' only)" },
	{ "pusher: {from: [GL-USER]}\n",
	  "t.yml:1:17: pusher.from[0]: \"GL-USER\" is not an environment variable name" },
	{ "pusher: {from: [\"1X\"]}\n",
	  "t.yml:1:17: pusher.from[0]: \"1X\" is not an environment variable name" },
	{ "policies: [builtin:foo]\n",
	  "t.yml:1:12: policies[0]: unknown built-in policy \"builtin:foo\" (there is only builtin:default)" },
	{ "policies: [{mode: warn}]\n",
	  "t.yml:1:12: policies[0]: a policy needs a path" },
	{ "policies: [[a]]\n",
	  "t.yml:1:12: policies[0]: expected a string or a mapping with path and mode, got a sequence" },
	{ "policies: [\"\"]\n",
	  "t.yml:1:12: policies[0]: must not be empty" },
	{ "policies:\n  - path: x.lua\n    mode: loud\n",
	  "t.yml:3:11: policies[0].mode: expected enforce, warn or audit, got \"loud\"" },
	{ "signoff: {team: [{}]}\n",
	  "t.yml:1:18: signoff.team[0]: a team member needs at least one of user, email and principal" },
	{ "signoff: {team: [[x]]}\n",
	  "t.yml:1:18: signoff.team[0]: expected a string or a mapping with user, email and principal, got a sequence" },
	{ "signoff: {team: [\"\"]}\n",
	  "t.yml:1:18: signoff.team[0]: must not be empty" },
	{ "signoff: {team: [{user: 1}]}\n",
	  "t.yml:1:25: signoff.team[0].user: expected a string, got plain 1, which YAML reads as a number; write \"1\" if you mean the text" },
	{ "params: {<<: {a: 1}}\n",
	  "t.yml:1:10: params.<<: merge keys (<<) are not allowed" },
	{ "? [a]\n: b\n",
	  "t.yml:1:3: keys must be strings, got a sequence" },
	{ "limits:\n",
	  "t.yml:1:8: limits: expected a mapping, got an empty value; write {} for an empty one" },
	{ "owners:\n",
	  "t.yml:1:8: owners: expected a sequence, got an empty value; write [] for an empty one" },
	{ "owners: \"^x\"\n",
	  "t.yml:1:9: owners: expected a sequence, got \"^x\"" },
	{ "params: []\n",
	  "t.yml:1:9: params: expected a mapping, got a sequence" },
	{ "rules: [a]\n",
	  "t.yml:1:8: rules: expected a mapping, got a sequence" },
	{ "go_source: [1.21]\n",
	  "t.yml:1:13: go_source[0]: expected a string, got plain 1.21, which YAML reads as a number; write \"1.21\" if you mean the text" },
	{ "bypass: {allowed: [\"\"]}\n",
	  "t.yml:1:20: bypass.allowed[0]: must not be empty" },
	{ "help_url: \"a\\0b\"\n",
	  "t.yml:1:11: help_url: NUL bytes are not allowed" },
	{ "params: {a: [&x 1]}\n",
	  "t.yml:1:14: params.a[0]: anchors are not allowed (&x)" },
	{ "params: {a: 1, b: {c: [1, {d: 2, d: 3}]}}\n",
	  "t.yml:1:34: params.b.c[1].d: duplicate key (first at line 1, column 28)" },
};

/* The data directory, from the test environment or relative to the build
 * directory. Owned by the caller. */
static char *data_path(const char *name)
{
	const char *src = getenv("LG_SRCDIR");

	return lg_xasprintf("%s/tests/data/config/%s", src && *src ? src : "..", name);
}

static int parse(struct lg_config *cfg, const char *yaml)
{
	lg_config_init_defaults(cfg);
	return lg_config_parse(cfg, yaml, strlen(yaml), "t.yml");
}

/* The dump without its "# source:" line. Owned by the caller. */
static char *dump_body(const struct lg_config *cfg)
{
	struct lg_buf b = LG_BUF_INIT;
	char *s, *nl;

	lg_buf_init(&b);
	lg_config_dump_buf(cfg, &b);
	nl = strchr(b.ptr, '\n');
	s = lg_xstrdup(nl ? nl + 1 : b.ptr);
	lg_buf_release(&b);
	return s;
}

static struct lg_buf name_buf = LG_BUF_INIT;

/* A test name for a YAML input: one line, control bytes escaped. Borrowed
 * until the next call. */
static const char *one_line(const char *s)
{
	struct lg_buf *b = &name_buf;

	lg_buf_clear(b);
	for (; *s; s++) {
		if (*s == '\n')
			lg_buf_puts(b, "\\n");
		else if (*s == '\t')
			lg_buf_puts(b, "\\t");
		else if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			lg_buf_printf(b, "\\x%02x", (unsigned char)*s);
		else
			lg_buf_putc(b, *s);
	}
	return b->ptr;
}

static void test_errors(void)
{
	struct lg_config cfg;
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(errors); i++) {
		int err = parse(&cfg, errors[i].yaml);

		if (tap_is_int(err, LG_ECONFIG, "refused: %s", one_line(errors[i].yaml)))
			tap_is_str(lg_error_last(), errors[i].want, "message: %s", one_line(errors[i].yaml));
		else
			tap_ok(false, "message: %s", one_line(errors[i].yaml));
		lg_config_release(&cfg);
	}

	/* A raw NUL byte, which a C string literal table cannot hold. */
	lg_config_init_defaults(&cfg);
	tap_is_int(lg_config_parse(&cfg, "help_url: \"a\0b\"\n", 16, "t.yml"), LG_ECONFIG, "raw NUL refused");
	tap_is_str(lg_error_last(), "t.yml:1:13: invalid YAML: control characters are not allowed (byte 0x00)",
		   "raw NUL: message");
	lg_config_release(&cfg);
}

static void test_files(void)
{
	struct lg_config cfg, dflt;
	char *path, *want, *a, *b;

	lg_config_init_defaults(&dflt);
	a = dump_body(&dflt);

	path = data_path("spec-example.yml");
	lg_config_init_defaults(&cfg);
	tap_is_int(lg_config_load_file(&cfg, path), 0, "SPEC's example parses");
	tap_is_str(cfg.source, path, "source names the file");
	b = dump_body(&cfg);
	tap_is_str(b, a, "SPEC's example is exactly the embedded defaults");
	free(b);
	lg_config_release(&cfg);
	free(path);

	path = data_path("billion-laughs.yml");
	want = lg_xasprintf("%s:4:6: params.a: anchors are not allowed (&a)", path);
	lg_config_init_defaults(&cfg);
	tap_is_int(lg_config_load_file(&cfg, path), LG_ECONFIG, "billion laughs refused");
	tap_is_str(lg_error_last(), want, "billion laughs: refused at the first anchor");
	lg_config_release(&cfg);
	free(want);
	free(path);

	path = data_path("tab-indent.yml");
	want = lg_xasprintf("%s:4:1: invalid YAML: found a tab character that violates indentation "
			    "(while scanning a plain scalar at line 3, column 15)", path);
	lg_config_init_defaults(&cfg);
	tap_is_int(lg_config_load_file(&cfg, path), LG_ECONFIG, "tab indentation refused");
	tap_is_str(lg_error_last(), want, "tab indentation: message");
	lg_config_release(&cfg);
	free(want);
	free(path);

	lg_config_init_defaults(&cfg);
	tap_is_int(lg_config_load_file(&cfg, "/nonexistent/linkgate.yml"), LG_ECONFIG, "missing file is a config error");
	tap_ok(!strncmp(lg_error_last(), "cannot read configuration: ", 27), "missing file: message");
	lg_config_release(&cfg);

	lg_config_release(&dflt);
	free(a);
}

static void test_empty(void)
{
	static const char *const inputs[] = { "", "\n\n", "# only a comment\n", "---\n", "--- # empty\n...\n" };
	struct lg_config cfg, dflt;
	char *a, *b;
	size_t i;

	lg_config_init_defaults(&dflt);
	a = dump_body(&dflt);
	for (i = 0; i < LG_ARRAY_SIZE(inputs); i++) {
		tap_is_int(parse(&cfg, inputs[i]), 0, "empty document parses: %s", one_line(inputs[i]));
		b = dump_body(&cfg);
		tap_is_str(b, a, "empty document keeps the defaults: %s", one_line(inputs[i]));
		tap_is_str(cfg.source, "t.yml", "empty document still names its source");
		free(b);
		lg_config_release(&cfg);
	}
	lg_config_init_defaults(&cfg);
	tap_is_int(lg_config_parse(&cfg, NULL, 0, "t.yml"), 0, "NULL buffer is an empty document");
	lg_config_release(&cfg);
	lg_config_release(&dflt);
	free(a);
}

static const struct lg_value *param(const struct lg_value *map, const char *key)
{
	size_t i;

	for (i = 0; map->type == LG_VALUE_MAP && i < map->nitems; i++)
		if (!strcmp(map->keys[i], key))
			return &map->items[i];
	return NULL;
}

static void test_full(void)
{
	struct lg_config cfg;
	const struct lg_value *v;
	char *path = data_path("full.yml");

	lg_config_init_defaults(&cfg);
	if (!tap_is_int(lg_config_load_file(&cfg, path), 0, "every key parses"))
		tap_diag("%s", lg_error_last());
	tap_is_int(cfg.mode, LG_MODE_WARN, "mode");
	tap_is_int(cfg.scope, LG_SCOPE_PUSH, "scope");
	tap_is_int((long long)cfg.npolicies, 3, "policies: three");
	if (cfg.npolicies == 3) {
		tap_ok(!strcmp(cfg.policies[0].path, "builtin:default") && !cfg.policies[0].has_mode,
		       "policies[0]: builtin, no mode");
		tap_ok(!strcmp(cfg.policies[1].path, "/etc/linkgate/acme.lua") && cfg.policies[1].has_mode &&
			       cfg.policies[1].mode == LG_MODE_AUDIT,
		       "policies[1]: path and mode");
		tap_ok(!strcmp(cfg.policies[2].path, "policies/extra.lua") && !cfg.policies[2].has_mode,
		       "policies[2]: a path string");
	}
	tap_is_int((long long)cfg.nrules, 3, "rules: three");
	tap_is_int(lg_config_rule_setting(&cfg, "linkname.ci-matrix", LG_RULE_ERROR), LG_RULE_OFF, "rules: plain off");
	tap_is_int(lg_config_rule_setting(&cfg, "linkname.measured-gain", LG_RULE_ERROR), LG_RULE_WARNING,
		   "rules: warning");
	tap_is_int(lg_config_rule_setting(&cfg, "checklinkname.mention", LG_RULE_WARNING), LG_RULE_ERROR,
		   "rules: error");
	tap_is_int(lg_config_rule_setting(&cfg, "linkname.owner", LG_RULE_WARNING), LG_RULE_WARNING,
		   "rules: default when not named");

	tap_is_int(cfg.params.type, LG_VALUE_MAP, "params: a mapping");
	tap_is_int((long long)cfg.params.nitems, 12, "params: every key");
	v = param(&cfg.params, "team_alias");
	tap_ok(v && v->type == LG_VALUE_STRING && !strcmp(v->s, "@acme-platform"), "params: quoted string");
	v = param(&cfg.params, "max");
	tap_ok(v && v->type == LG_VALUE_INT && v->i == 3, "params: integer");
	v = param(&cfg.params, "negative");
	tap_ok(v && v->type == LG_VALUE_INT && v->i == -7, "params: negative integer");
	v = param(&cfg.params, "strict");
	tap_ok(v && v->type == LG_VALUE_BOOL && v->b, "params: boolean");
	v = param(&cfg.params, "nothing");
	tap_ok(v && v->type == LG_VALUE_NULL, "params: ~ is null");
	v = param(&cfg.params, "empty");
	tap_ok(v && v->type == LG_VALUE_NULL, "params: empty is null");
	v = param(&cfg.params, "list");
	tap_ok(v && v->type == LG_VALUE_SEQ && v->nitems == 4 && v->items[0].type == LG_VALUE_STRING &&
		       v->items[1].type == LG_VALUE_INT && v->items[2].type == LG_VALUE_BOOL && !v->items[2].b &&
		       v->items[3].type == LG_VALUE_NULL,
	       "params: sequence of mixed scalars");
	v = param(&cfg.params, "nested");
	v = v ? param(v, "deep") : NULL;
	v = v ? param(v, "deeper") : NULL;
	tap_ok(v && v->type == LG_VALUE_STRING && !strcmp(v->s, "x"), "params: nested mappings");
	v = param(&cfg.params, "quoted_number");
	tap_ok(v && v->type == LG_VALUE_STRING && !strcmp(v->s, "12"), "params: a quoted number is a string");
	v = param(&cfg.params, "float_is_string");
	tap_ok(v && v->type == LG_VALUE_STRING && !strcmp(v->s, "1.5"), "params: a float is a string");
	v = param(&cfg.params, "yes_is_string");
	tap_ok(v && v->type == LG_VALUE_STRING && !strcmp(v->s, "yes"), "params: yes is a string (YAML 1.2)");
	v = param(&cfg.params, "text");
	tap_ok(v && v->type == LG_VALUE_STRING && !strcmp(v->s, "two\nlines\n"), "params: block scalar");

	tap_ok(cfg.refs_include.n == 2 && !strcmp(cfg.refs_include.v[1], "refs/tags/v*") && !cfg.refs_include.v[2],
	       "refs.include (NULL-terminated)");
	tap_ok(cfg.refs_exclude.n == 1 && !strcmp(cfg.refs_exclude.v[0], "refs/heads/review/**"), "refs.exclude");
	tap_ok(cfg.refs_deny_delete.n == 2 && !strcmp(cfg.refs_deny_delete.v[0], "refs/heads/main"),
	       "refs.deny_delete");
	tap_ok(cfg.paths_exclude.n == 2 && !strcmp(cfg.paths_exclude.v[1], "**/testdata/**"), "paths.exclude");
	tap_is_str(cfg.trailers.issue, "Ticket", "trailers.issue");
	tap_is_str(cfg.trailers.owner, "Code-Owner", "trailers.owner");
	tap_is_str(cfg.trailers.remove_by, "Expires", "trailers.remove_by");
	tap_is_str(cfg.trailers.signoff, "Platform-Approval", "trailers.signoff");
	tap_is_str(cfg.issue_pattern, "^ACME-[0-9]+$", "issue_pattern");
	tap_ok(cfg.owners.n == 2 && !strcmp(cfg.owners.v[1], "@example\\.com$"), "owners");
	tap_is_int((long long)cfg.signoff.nteam, 3, "signoff.team: three");
	if (cfg.signoff.nteam == 3) {
		const struct lg_team_member *t = cfg.signoff.team;

		tap_ok(!strcmp(t[0].user, "alice") && !strcmp(t[0].email, "alice") && !strcmp(t[0].principal, "alice"),
		       "team: a string may match as user, e-mail or principal");
		tap_ok(!strcmp(t[1].user, "bob") && !strcmp(t[1].email, "bob@example.com") && !t[1].principal,
		       "team: user and email");
		tap_ok(!t[2].user && !t[2].email && !strcmp(t[2].principal, "carol@ACME"), "team: principal only");
	}
	tap_is_int(cfg.signoff.verify, LG_VERIFY_TRAILER, "signoff.verify");
	tap_is_str(cfg.signoff.allowed_signers, "/etc/ssh/allowed_signers", "signoff.allowed_signers");
	tap_ok(cfg.pusher_from.n == 2 && !strcmp(cfg.pusher_from.v[1], "MY_PUSHER"), "pusher.from");
	tap_is_int(cfg.removal_max_days, 30, "removal.max_days");
	tap_ok(cfg.go_source.n == 2 && !strcmp(cfg.go_source.v[0], "/usr/lib/go-1.21"), "go_source");
	tap_is_int(cfg.limits.timeout_ms, 9000, "limits.timeout_ms");
	tap_is_int(cfg.limits.lua_memory_mb, 32, "limits.lua_memory_mb");
	tap_is_int(cfg.limits.lua_instructions, 1000000, "limits.lua_instructions");
	tap_is_int(cfg.limits.max_commits, 500, "limits.max_commits");
	tap_is_int(cfg.limits.max_blob_mb, 8, "limits.max_blob_mb");
	tap_is_int(cfg.limits.max_findings, 100, "limits.max_findings");
	tap_is_int(cfg.limits.max_output_lines, 50, "limits.max_output_lines");
	tap_is_int(cfg.on_error, LG_ON_ERROR_ACCEPT, "on_error");
	tap_is_str(cfg.bypass.push_option, "linkgate.bypass", "bypass.push_option");
	tap_ok(cfg.bypass.allowed.n == 2 && !strcmp(cfg.bypass.allowed.v[1], "bob"), "bypass.allowed");
	tap_is_str(cfg.audit.log, "/var/log/linkgate/audit.jsonl", "audit.log");
	tap_ok(cfg.audit.syslog, "audit.syslog");
	tap_is_str(cfg.audit.metrics, "/var/lib/node_exporter/linkgate.prom", "audit.metrics");
	tap_is_str(cfg.help_url, "https://wiki.example.com/linkgate", "help_url");
	lg_config_release(&cfg);
	free(path);
}

static void test_overlay(void)
{
	struct lg_config cfg;

	tap_is_int(parse(&cfg, "refs: {exclude: [\"refs/heads/wip/**\"]}\nlimits: {timeout_ms: 5}\n"), 0,
		   "overlay parses");
	tap_ok(cfg.refs_include.n == 2 && !strcmp(cfg.refs_include.v[0], "refs/heads/**"),
	       "nested mappings merge: refs.include keeps its default");
	tap_ok(cfg.refs_exclude.n == 1, "refs.exclude set");
	tap_ok(cfg.limits.timeout_ms == 5 && cfg.limits.max_commits == 100000, "limits merge key by key");
	lg_config_release(&cfg);

	tap_is_int(parse(&cfg, "refs: {include: [\"refs/heads/main\"]}\npusher: {from: []}\npolicies: []\n"), 0,
		   "lists replace");
	tap_ok(cfg.refs_include.n == 1 && !strcmp(cfg.refs_include.v[0], "refs/heads/main"),
	       "a list replaces the default whole");
	tap_ok(cfg.pusher_from.n == 0 && cfg.pusher_from.v && !cfg.pusher_from.v[0], "an empty list empties it");
	tap_is_int((long long)cfg.npolicies, 0, "policies: [] empties the list");
	lg_config_release(&cfg);

	tap_is_int(parse(&cfg, "mode: \"audit\"\nscope: 'push'\nrules: {\"a.b\": \"warning\"}\n"), 0,
		   "quoted enum values are fine");
	tap_ok(cfg.mode == LG_MODE_AUDIT && cfg.scope == LG_SCOPE_PUSH, "quoted enums read");
	tap_is_int(lg_config_rule_setting(&cfg, "a.b", LG_RULE_OFF), LG_RULE_WARNING, "quoted rule setting");
	lg_config_release(&cfg);

	tap_is_int(parse(&cfg, "limits: {timeout_ms: +25, max_commits: 9223372036854775807}\n"), 0,
		   "signed and large integers");
	tap_ok(cfg.limits.timeout_ms == 25 && cfg.limits.max_commits == LONG_MAX, "integers read");
	lg_config_release(&cfg);

	/* Keys that look like other types are still just keys. */
	tap_is_int(parse(&cfg, "params: {yes: 1, 2: two, ~: null, \"\": empty}\n"), 0, "odd params keys");
	tap_ok(cfg.params.nitems == 4 && !strcmp(cfg.params.keys[0], "yes") && !strcmp(cfg.params.keys[1], "2") &&
		       !strcmp(cfg.params.keys[3], ""),
	       "params keys keep their text");
	lg_config_release(&cfg);
}

/* Builds `params:` with the given depth of nested sequences under a. */
static char *nested(int seqs)
{
	struct lg_buf b = LG_BUF_INIT;
	int i;

	lg_buf_init(&b);
	lg_buf_puts(&b, "params: {a: ");
	for (i = 0; i < seqs; i++)
		lg_buf_putc(&b, '[');
	for (i = 0; i < seqs; i++)
		lg_buf_putc(&b, ']');
	lg_buf_puts(&b, "}\n");
	return lg_buf_detach(&b, NULL);
}

static void test_limits(void)
{
	struct lg_config cfg;
	struct lg_buf b = LG_BUF_INIT;
	char *yaml;
	int i;

	/* root mapping + params mapping + 62 sequences = 64 levels */
	yaml = nested(62);
	tap_is_int(parse(&cfg, yaml), 0, "64 levels of nesting are fine");
	lg_config_release(&cfg);
	free(yaml);
	yaml = nested(63);
	tap_is_int(parse(&cfg, yaml), LG_ECONFIG, "65 levels are refused");
	lg_buf_init(&b);
	lg_buf_puts(&b, "t.yml:1:75: params.a");
	for (i = 0; i < 62; i++)
		lg_buf_puts(&b, "[0]");
	lg_buf_puts(&b, ": nesting is deeper than 64 levels");
	tap_is_str(lg_error_last(), b.ptr, "depth: message at the 65th level");
	lg_buf_release(&b);
	lg_config_release(&cfg);
	free(yaml);
	yaml = nested(100000);
	tap_is_int(parse(&cfg, yaml), LG_ECONFIG, "100000 levels are refused early");
	lg_config_release(&cfg);
	free(yaml);

	/* Many keys: duplicate detection must not be quadratic. */
	lg_buf_init(&b);
	lg_buf_puts(&b, "params:\n");
	for (i = 0; i < 50000; i++)
		lg_buf_printf(&b, "  k%d: %d\n", i, i);
	tap_is_int(parse(&cfg, b.ptr), 0, "50000 params keys parse");
	tap_is_int((long long)cfg.params.nitems, 50000, "50000 params keys kept");
	lg_config_release(&cfg);
	lg_buf_puts(&b, "  k123: again\n");
	tap_is_int(parse(&cfg, b.ptr), LG_ECONFIG, "a duplicate among 50000 keys is found");
	tap_is_str(lg_error_last(), "t.yml:50002:3: params.k123: duplicate key (first at line 125, column 3)",
		   "duplicate among many: positions");
	lg_config_release(&cfg);
	lg_buf_release(&b);
}

static void test_round_trip(void)
{
	struct lg_config a, b;
	struct lg_buf out = LG_BUF_INIT;
	char *path = data_path("full.yml"), *da, *db;
	static const char tricky[] =
		"help_url: \"quote \\\" backslash \\\\ tab \\t nl \\n esc \\e nul-free \\u202E bidi caf\\u00e9 \\U0001F600 "
		"nel \\N ls \\L bom \\uFEFF del \\x7F c1 \\x85\"\n"
		"params:\n"
		"  \"key with: colon\": \"# not a comment\"\n"
		"  \"\\x01 control key\": [\"- dash\", \"[bracket\", \"{brace\", \"*star\", \"&amp\", \"!bang\", \"%pct\", \"@at\"]\n"
		"  yes: \"yes\"\n"
		"  \"~\": \"~\"\n"
		"  \"\": \"\"\n"
		"  empty_map: {}\n"
		"  empty_list: []\n"
		"  deep: [[[{a: [1, -2, true, null, \"3\"]}]]]\n"
		"signoff: {team: [\"x\", {email: \"e@x\"}, {user: u, principal: p}]}\n"
		"policies: [{path: \"a b.lua\", mode: enforce}, \"builtin:default\"]\n"
		"rules: {\"odd \\\"rule\\\"\": off}\n";

	lg_config_init_defaults(&a);
	lg_config_load_file(&a, path);
	lg_buf_init(&out);
	lg_config_dump_buf(&a, &out);
	lg_config_init_defaults(&b);
	if (!tap_is_int(lg_config_parse(&b, out.ptr, out.len, "dump.yml"), 0, "full.yml: the dump parses back"))
		tap_diag("%s", lg_error_last());
	da = dump_body(&a);
	db = dump_body(&b);
	tap_is_str(db, da, "full.yml: dump, parse, dump gives the same text");
	tap_is_str(b.params.items[11].s, "two\nlines\n", "full.yml: a multi-line string survives");
	free(da);
	free(db);
	lg_config_release(&a);
	lg_config_release(&b);
	lg_buf_clear(&out);

	tap_is_int(parse(&a, tricky), 0, "tricky strings parse");
	lg_config_dump_buf(&a, &out);
	lg_config_init_defaults(&b);
	if (!tap_is_int(lg_config_parse(&b, out.ptr, out.len, "dump.yml"), 0, "tricky strings: the dump parses back"))
		tap_diag("%s\n%s", lg_error_last(), out.ptr);
	tap_is_str(b.help_url, a.help_url, "tricky strings: help_url survives byte for byte");
	tap_ok(b.params.nitems == a.params.nitems && !strcmp(b.params.keys[1], "\001 control key"),
	       "tricky strings: params keys survive");
	tap_ok(b.signoff.nteam == 3 && !b.signoff.team[1].user && !strcmp(b.signoff.team[1].email, "e@x") &&
		       !strcmp(b.signoff.team[2].principal, "p") && !b.signoff.team[2].email,
	       "tricky strings: team members survive");
	tap_ok(b.nrules == 1 && !strcmp(b.rules[0].id, "odd \"rule\"") && b.rules[0].setting == LG_RULE_OFF,
	       "tricky strings: rule ids survive");
	da = dump_body(&a);
	db = dump_body(&b);
	tap_is_str(db, da, "tricky strings: dump, parse, dump gives the same text");
	tap_ok(!strchr(out.ptr, '\x1b') && !strstr(out.ptr, "\xe2\x80\xae") && !strstr(out.ptr, "\xc2\x85"),
	       "tricky strings: no raw ESC, bidi override or NEL in the dump");
	free(da);
	free(db);
	lg_config_release(&a);
	lg_config_release(&b);
	lg_buf_clear(&out);

	/* Bytes that are not UTF-8 cannot come from YAML; a struct built in
	 * code may hold them, and the dump must still be valid YAML. */
	lg_config_init_defaults(&a);
	free(a.help_url);
	a.help_url = lg_xstrdup("\xff\xfe\x80ok");
	lg_config_dump_buf(&a, &out);
	tap_ok(strstr(out.ptr, "help_url: \"\\xFF\\xFE\\x80ok\"\n") != NULL, "invalid UTF-8 is escaped byte by byte");
	lg_config_init_defaults(&b);
	tap_is_int(lg_config_parse(&b, out.ptr, out.len, "dump.yml"), 0, "invalid UTF-8: the dump is valid YAML");
	tap_is_str(b.help_url, "\xc3\xbf\xc3\xbe\xc2\x80ok", "invalid UTF-8: \\xHH reads back as U+00HH");
	lg_config_release(&a);
	lg_config_release(&b);
	lg_buf_clear(&out);

	/* The FILE* variant prints the same. */
	{
		FILE *f = tmpfile();
		char got[65536];
		size_t n = 0;

		lg_config_init_defaults(&a);
		lg_config_dump_buf(&a, &out);
		if (f) {
			lg_config_dump(&a, f);
			rewind(f);
			n = fread(got, 1, sizeof(got) - 1, f);
			fclose(f);
		}
		got[n] = '\0';
		tap_is_str(got, out.ptr, "lg_config_dump prints what lg_config_dump_buf builds");
		tap_ok(!strncmp(out.ptr, "# source: \"builtin\"\n", 20), "dump starts with its source");
		lg_config_release(&a);
	}
	lg_buf_release(&out);
	free(path);
}

/* verify: ssh with a file that exists: accepted, a relative path resolved
 * against the configuration file's directory. */
static void test_ssh(void)
{
	struct lg_config cfg;
	char *file = data_path("linkgate.yml"), *want = data_path("full.yml");
	const char *yaml = "signoff: {verify: ssh, allowed_signers: full.yml}\n";
	int err;

	lg_config_init_defaults(&cfg);
	err = lg_config_parse(&cfg, yaml, strlen(yaml), file);
	if (!tap_is_int(err, 0, "verify: ssh with a readable allowed_signers"))
		tap_diag("%s", lg_error_last());
	tap_is_int(cfg.signoff.verify, LG_VERIFY_SSH, "signoff.verify: ssh");
	tap_is_str(cfg.signoff.allowed_signers, want, "a relative allowed_signers is relative to the configuration");
	lg_config_release(&cfg);
	free(file);
	free(want);
}

int main(void)
{
	test_empty();
	test_ssh();
	test_files();
	test_full();
	test_overlay();
	test_errors();
	test_limits();
	test_round_trip();
	lg_buf_release(&name_buf);
	return tap_done();
}
