/*
 * test-policy.c — the policy engine, the Lua sandbox, the linkgate module
 * and the embedded default policy.
 *
 * Findings and commits are built in C as the hook builds them. Sandbox
 * escapes and limits are small policy files under tests/data/policy/, one
 * per route, loaded through a configuration as an admin would.
 */
#include "tap.h"

#include "linkgate/common.h"
#include "linkgate/buf.h"
#include "linkgate/config.h"
#include "linkgate/deadline.h"
#include "linkgate/embed.h"
#include "linkgate/error.h"
#include "linkgate/policy.h"

#include <time.h>
#include <unistd.h>

#define NOW 1718452800 /* 2024-06-15 12:00:00 UTC */
#define COMMIT_ID "0123456789abcdef0123456789abcdef01234567"
#define MERGE_ID "89abcdef0123456789abcdef0123456789abcdef"

static const char *srcdir;

static char *data_path(const char *name)
{
	return lg_xasprintf("%s/tests/data/policy/%s", srcdir, name);
}

static void set(char **field, const char *v)
{
	free(*field);
	*field = v ? lg_xstrdup(v) : NULL;
}

/* --- configurations --- */

static void cfg_base(struct lg_config *c)
{
	lg_config_init_defaults(c);
	c->signoff.team = lg_xcalloc(2, sizeof(*c->signoff.team));
	c->signoff.team[0].user = lg_xstrdup("alice");
	c->signoff.team[0].email = lg_xstrdup("alice@example.com");
	c->signoff.team[0].principal = lg_xstrdup("alice@example.com");
	c->signoff.team[1].user = lg_xstrdup("bob");
	c->signoff.nteam = 2;
}

static void cfg_clear_policies(struct lg_config *c)
{
	size_t i;

	for (i = 0; i < c->npolicies; i++)
		free(c->policies[i].path);
	free(c->policies);
	c->policies = NULL;
	c->npolicies = 0;
}

/* Adds a policy: "builtin:..." as is, else a file of tests/data/policy. */
static void cfg_add_policy(struct lg_config *c, const char *name)
{
	struct lg_policy_ref *r;

	c->policies = lg_xrealloc(c->policies, (c->npolicies + 1) * sizeof(*c->policies));
	r = &c->policies[c->npolicies++];
	memset(r, 0, sizeof(*r));
	r->path = strncmp(name, "builtin:", 8) ? data_path(name) : lg_xstrdup(name);
}

static void cfg_only(struct lg_config *c, const char *name)
{
	cfg_clear_policies(c);
	cfg_add_policy(c, name);
}

static void cfg_owners(struct lg_config *c, const char *pattern)
{
	lg_strlist_release(&c->owners);
	c->owners.v = lg_xcalloc(2, sizeof(char *));
	c->owners.v[0] = lg_xstrdup(pattern);
	c->owners.n = 1;
}

static void cfg_rule(struct lg_config *c, const char *id, enum lg_rule_setting s)
{
	c->rules = lg_xrealloc(c->rules, (c->nrules + 1) * sizeof(*c->rules));
	c->rules[c->nrules].id = lg_xstrdup(id);
	c->rules[c->nrules].setting = s;
	c->nrules++;
}

static void cfg_no_team(struct lg_config *c)
{
	size_t i;

	for (i = 0; i < c->signoff.nteam; i++) {
		free(c->signoff.team[i].user);
		free(c->signoff.team[i].email);
		free(c->signoff.team[i].principal);
	}
	free(c->signoff.team);
	c->signoff.team = NULL;
	c->signoff.nteam = 0;
}

/* --- commits and findings --- */

static void set_trailer(struct lg_commit_info *c, const char *key, const char *value)
{
	size_t i;

	for (i = 0; i < c->ntrailers; i++) {
		if (!strcmp(c->trailers[i].key, key)) {
			set(&c->trailers[i].value, value);
			return;
		}
	}
	c->trailers = lg_xrealloc(c->trailers, (c->ntrailers + 1) * sizeof(*c->trailers));
	c->trailers[c->ntrailers].key = lg_xstrdup(key);
	c->trailers[c->ntrailers].value = lg_xstrdup(value);
	c->ntrailers++;
}

static void drop_trailer(struct lg_commit_info *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->ntrailers; i++) {
		if (!strcmp(c->trailers[i].key, key)) {
			free(c->trailers[i].key);
			free(c->trailers[i].value);
			memmove(&c->trailers[i], &c->trailers[i + 1], (c->ntrailers - i - 1) * sizeof(*c->trailers));
			c->ntrailers--;
			return;
		}
	}
}

static void clear_signoffs(struct lg_commit_info *c)
{
	size_t i;

	for (i = 0; i < c->nsignoffs; i++) {
		free(c->signoffs[i].value);
		free(c->signoffs[i].commit_id);
		free(c->signoffs[i].signer);
	}
	free(c->signoffs);
	c->signoffs = NULL;
	c->nsignoffs = 0;
}

static void add_signoff(struct lg_commit_info *c, const char *value, const char *id, bool verified, const char *signer)
{
	struct lg_signoff *s;

	c->signoffs = lg_xrealloc(c->signoffs, (c->nsignoffs + 1) * sizeof(*c->signoffs));
	s = &c->signoffs[c->nsignoffs++];
	s->value = lg_xstrdup(value);
	s->commit_id = lg_xstrdup(id);
	s->verified = verified;
	s->signer = signer ? lg_xstrdup(signer) : NULL;
}

static void commit_good(struct lg_commit_info *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->id, COMMIT_ID, sizeof(COMMIT_ID));
	c->summary = lg_xstrdup("fast: read the monotonic clock without allocating");
	c->message = lg_xstrdup("fast: read the monotonic clock without allocating\n\n"
				"Issue: PROJ-123\nOwner: team-runtime\nRemove-By: 2024-09-01\n"
				"Platform-Signoff: Alice <alice@example.com>\n");
	c->author = lg_xstrdup("Carol <carol@example.com>");
	c->committer = lg_xstrdup("Carol <carol@example.com>");
	c->time = NOW - 3600;
	set_trailer(c, "Issue", "PROJ-123");
	set_trailer(c, "Owner", "team-runtime");
	set_trailer(c, "Remove-By", "2024-09-01");
	set_trailer(c, "Platform-Signoff", "Alice <alice@example.com>");
	add_signoff(c, "Alice <alice@example.com>", COMMIT_ID, true, "alice@example.com");
	c->signed_ = true;
	c->signature_verified = true;
	c->signer = lg_xstrdup("alice@example.com");
}

static struct lg_finding *linkname_good(const struct lg_commit_info *c)
{
	struct lg_finding *f = lg_finding_new(LG_FINDING_LINKNAME);

	f->path = lg_xstrdup("internal/fast/clock.go");
	f->line = 14;
	f->text = lg_xstrdup("//go:linkname nanotime runtime.nanotime");
	f->text_len = strlen(f->text);
	f->ref = "refs/heads/main";
	f->commit = c;
	f->localname = lg_xstrdup("nanotime");
	f->target = lg_xstrdup("runtime.nanotime");
	f->target_pkg = lg_xstrdup("runtime");
	f->target_sym = lg_xstrdup("nanotime");
	f->target_class = "runtime";
	f->file.package = lg_xstrdup("fast");
	f->file.imports_unsafe = 1;
	f->file.build_expr = lg_xstrdup("go1.21 && !go1.24");
	f->rationale.present = true;
	f->rationale.line = 8;
	f->rationale.why = lg_xstrdup("time.Now allocates on this path; we need the raw monotonic clock");
	f->rationale.measured_gain = lg_xstrdup("35ns/op and 1 alloc/op less in BenchmarkStamp");
	f->rationale.target_source =
		lg_xstrdup("https://go.googlesource.com/go/+/refs/tags/go1.22.0/src/runtime/time_nofake.go");
	f->rationale.removed_when = lg_xstrdup("go1.25 exports a monotonic clock reading");
	f->rationale.owner = lg_xstrdup("team-runtime");
	return f;
}

static struct lg_finding *flag_good(const struct lg_commit_info *c)
{
	struct lg_finding *f = lg_finding_new(LG_FINDING_CHECKLINKNAME_OFF);

	f->path = lg_xstrdup("Makefile");
	f->line = 3;
	f->text = lg_xstrdup("\tgo build -ldflags=-checklinkname=0 ./...");
	f->text_len = strlen(f->text);
	f->ref = "refs/heads/main";
	f->commit = c;
	f->carrier = "makefile";
	f->spelling = lg_xstrdup("-checklinkname=0");
	return f;
}

/* --- running --- */

/* Evaluates one finding; the verdict borrows f. */
static int eval_one(const struct lg_config *cfg, struct lg_finding *f, const char *pusher, struct lg_verdict *vd)
{
	struct lg_finding *one[1] = { f };
	struct lg_findings list = { one, 1, 1 };
	struct lg_policy *p = NULL;
	struct lg_push push;
	int err;

	lg_push_init(&push);
	push.pusher = pusher ? lg_xstrdup(pusher) : NULL;
	err = lg_policy_new(&p, cfg);
	if (!err)
		err = lg_policy_eval(p, vd, &list, &push, NOW);
	lg_policy_free(p);
	lg_push_release(&push);
	return err;
}

static const struct lg_violation *viol(const struct lg_verdict *vd, const char *rule)
{
	size_t i;

	for (i = 0; i < vd->n; i++)
		if (!strcmp(vd->v[i].rule, rule))
			return &vd->v[i];
	return NULL;
}

static void dump(const struct lg_verdict *vd)
{
	size_t i;

	for (i = 0; i < vd->n; i++)
		tap_diag("  %s %s: %s | hint: %s", vd->v[i].rule, lg_severity_name(vd->v[i].severity),
			 vd->v[i].message, vd->v[i].hint ? vd->v[i].hint : "(none)");
}

enum expect { PASS, ERR, WARN };

static void check_violation(const struct lg_verdict *vd, const char *rule, enum expect e, const char *needle,
			    const char *hint, const char *name)
{
	const struct lg_violation *v = viol(vd, rule);
	bool ok;

	if (e == PASS) {
		ok = tap_ok(!v, "%s: %s passes", name, rule);
	} else {
		ok = tap_ok(v && v->severity == (e == ERR ? LG_SEVERITY_ERROR : LG_SEVERITY_WARNING) &&
				    (!needle || strstr(v->message, needle)) &&
				    (!hint || (v->hint && strstr(v->hint, hint))),
			    "%s: %s fails as %s%s%s", name, rule, e == ERR ? "error" : "warning",
			    needle ? " quoting " : "", needle ? needle : "");
	}
	if (!ok) {
		tap_diag("want message containing: %s; hint containing: %s", needle ? needle : "-", hint ? hint : "-");
		dump(vd);
	}
}

/* --- the default policy, rule by rule --- */

struct env {
	struct lg_config *cfg;
	struct lg_commit_info *c;
	struct lg_finding *f;
	const char *pusher;
};

typedef void (*mutator)(struct env *e);

struct dcase {
	const char *name;
	enum lg_finding_kind kind;
	mutator mutate;
	const char *rule;
	enum expect expect;
	const char *needle;
	const char *hint;
};

static void m_malformed(struct env *e)
{
	set(&e->f->malformed, "usage: //go:linkname localname [linkname]");
}
static void m_vendor(struct env *e)
{
	set(&e->f->path, "vendor/github.com/x/y/z.go");
	set(&e->f->vendored, "github.com/x/y");
	e->f->rationale.present = false;
	e->f->file.imports_unsafe = 0;
	drop_trailer(e->c, "Issue");
}
static void m_vendor_malformed(struct env *e)
{
	m_vendor(e);
	m_malformed(e);
}
static void m_vendor_path(struct env *e)
{
	set(&e->f->path, "third_party/vendor/a/b/c.go");
}
static void m_no_rationale(struct env *e)
{
	lg_rationale_release(&e->f->rationale);
}
static void m_rationale_missing(struct env *e)
{
	set(&e->f->rationale.measured_gain, NULL);
	set(&e->f->rationale.owner, "  ");
}
static void m_owners(struct env *e)
{
	cfg_owners(e->cfg, "^team-");
}
static void m_owner_bad(struct env *e)
{
	cfg_owners(e->cfg, "^team-");
	set(&e->f->rationale.owner, "bob");
}
static void m_owner_missing(struct env *e)
{
	cfg_owners(e->cfg, "^team-");
	set(&e->f->rationale.owner, NULL);
}
static void m_rw_later(struct env *e)
{
	set(&e->f->rationale.removed_when, "later, once Go has an API");
}
static void m_rw_todo(struct env *e)
{
	set(&e->f->rationale.removed_when, "TODO: go1.25");
}
static void m_rw_vague(struct env *e)
{
	set(&e->f->rationale.removed_when, "when the API is stable");
}
static void m_rw_issue(struct env *e)
{
	set(&e->f->rationale.removed_when, "PROJ-77 is fixed");
}
static void m_rw_url(struct env *e)
{
	set(&e->f->rationale.removed_when, "https://github.com/golang/go/issues/67401 lands");
}
static void m_rw_hash(struct env *e)
{
	set(&e->f->rationale.removed_when, "upstream (#42) is merged");
}
static void m_rw_latest(struct env *e)
{
	set(&e->f->rationale.removed_when, "the latest release after go1.25");
}
static void m_gain_faster(struct env *e)
{
	set(&e->f->rationale.measured_gain, "faster");
}
static void m_gain_goversion(struct env *e)
{
	set(&e->f->rationale.measured_gain, "needed since go1.21");
}
static void m_gain_na(struct env *e)
{
	set(&e->f->rationale.measured_gain, "n/a");
}
static void m_gain_hex(struct env *e)
{
	set(&e->f->rationale.measured_gain, "0x10");
}
static void m_gain_pct(struct env *e)
{
	set(&e->f->rationale.measured_gain, "12% fewer cycles");
}
static void m_gain_micro(struct env *e)
{
	set(&e->f->rationale.measured_gain, "1.5 \xc2\xb5s per call");
}
static void m_gain_x(struct env *e)
{
	set(&e->f->rationale.measured_gain, "2x throughput");
}
static void m_gain_functional(struct env *e)
{
	set(&e->f->rationale.measured_gain, "n/a: functional (no exported API reads the monotonic clock)");
}
static void m_gain_allocs(struct env *e)
{
	set(&e->f->rationale.measured_gain, "saves 3 allocs/op");
}
static void m_unsafe_no(struct env *e)
{
	e->f->file.imports_unsafe = 0;
}
static void m_unsafe_unknown(struct env *e)
{
	e->f->file.imports_unsafe = -1;
}
static void m_misplaced(struct env *e)
{
	e->f->file.build_misplaced = true;
}
static void m_misplaced_other(struct env *e)
{
	e->f->file.build_misplaced = true;
	e->f->target_class = "other-module";
}
static void m_std_exported(struct env *e)
{
	set(&e->f->target, "strings.Index");
	set(&e->f->target_pkg, "strings");
	set(&e->f->target_sym, "Index");
	e->f->target_class = "std-exported";
}
static void m_test_only(struct env *e)
{
	set(&e->f->path, "internal/fast/clock_test.go");
	e->f->file.is_test = true;
	set(&e->f->target, "example.com/m/internal/fast.secret");
	set(&e->f->target_pkg, "example.com/m/internal/fast");
	set(&e->f->target_sym, "secret");
	e->f->target_class = "same-module";
}
static void m_test_other_pkg(struct env *e)
{
	m_test_only(e);
	set(&e->f->target_pkg, "example.com/m/internal/other");
	set(&e->f->target, "example.com/m/internal/other.secret");
}
static void m_same_module_not_test(struct env *e)
{
	m_test_only(e);
	set(&e->f->path, "internal/fast/clock.go");
	e->f->file.is_test = false;
}
static void m_no_issue(struct env *e)
{
	drop_trailer(e->c, "Issue");
}
static void m_bad_issue(struct env *e)
{
	set_trailer(e->c, "Issue", "soon");
}
static void m_issue_lower(struct env *e)
{
	drop_trailer(e->c, "Issue");
	set_trailer(e->c, "issue", "#42");
}
static void m_no_commit(struct env *e)
{
	e->f->commit = NULL;
}
static void m_team_empty(struct env *e)
{
	cfg_no_team(e->cfg);
}
static void m_no_signoff(struct env *e)
{
	clear_signoffs(e->c);
	drop_trailer(e->c, "Platform-Signoff");
}
static void m_signoff_stranger(struct env *e)
{
	clear_signoffs(e->c);
	add_signoff(e->c, "Mallory <mallory@example.com>", COMMIT_ID, true, "mallory@example.com");
}
static void m_pusher_stranger(struct env *e)
{
	e->pusher = "mallory";
}
static void m_pusher_unknown(struct env *e)
{
	e->pusher = NULL;
}
static void m_signoff_user(struct env *e)
{
	clear_signoffs(e->c);
	add_signoff(e->c, "bob <bob@elsewhere.org>", COMMIT_ID, false, NULL);
	e->pusher = "bob";
}
static void m_signoff_email_case(struct env *e)
{
	clear_signoffs(e->c);
	add_signoff(e->c, "A. Liddell <ALICE@Example.COM>", COMMIT_ID, false, NULL);
	e->pusher = "alice@example.com";
}
static void m_verify_trailer(struct env *e)
{
	e->cfg->signoff.verify = LG_VERIFY_TRAILER;
	e->pusher = NULL;
}
static void m_verify_ssh(struct env *e)
{
	e->cfg->signoff.verify = LG_VERIFY_SSH;
	e->pusher = NULL;
}
static void m_verify_ssh_unverified(struct env *e)
{
	m_verify_ssh(e);
	clear_signoffs(e->c);
	add_signoff(e->c, "Alice <alice@example.com>", COMMIT_ID, false, NULL);
}
static void m_verify_ssh_other_signer(struct env *e)
{
	/* Bob's trailer on a commit that Alice's key signed. */
	m_verify_ssh(e);
	clear_signoffs(e->c);
	add_signoff(e->c, "bob", COMMIT_ID, true, "alice@example.com");
}
static void m_verify_ssh_stranger_signer(struct env *e)
{
	m_verify_ssh(e);
	clear_signoffs(e->c);
	add_signoff(e->c, "Alice <alice@example.com>", COMMIT_ID, true, "mallory@example.com");
}
static void m_signoff_from_merge(struct env *e)
{
	m_no_signoff(e);
	add_signoff(e->c, "alice@example.com", MERGE_ID, true, "alice@example.com");
}
static void m_signoff_trailer_only(struct env *e)
{
	/* A fixture without the hook's list: the commit's own trailer counts. */
	clear_signoffs(e->c);
	e->cfg->signoff.verify = LG_VERIFY_TRAILER;
}
static void m_rule_warning(struct env *e)
{
	set(&e->f->rationale.measured_gain, "faster");
	cfg_rule(e->cfg, "linkname.measured-gain", LG_RULE_WARNING);
}
static void m_rule_off(struct env *e)
{
	set(&e->f->rationale.measured_gain, "faster");
	cfg_rule(e->cfg, "linkname.measured-gain", LG_RULE_OFF);
}
static void m_policy_warn(struct env *e)
{
	drop_trailer(e->c, "Issue");
	e->cfg->policies[0].has_mode = true;
	e->cfg->policies[0].mode = LG_MODE_WARN;
}
static void m_policy_audit(struct env *e)
{
	drop_trailer(e->c, "Issue");
	e->cfg->policies[0].has_mode = true;
	e->cfg->policies[0].mode = LG_MODE_AUDIT;
}
static void m_f_owners(struct env *e)
{
	cfg_owners(e->cfg, "^team-");
}
static void m_f_no_owner(struct env *e)
{
	drop_trailer(e->c, "Owner");
}
static void m_f_owner_bad(struct env *e)
{
	cfg_owners(e->cfg, "^team-");
	set_trailer(e->c, "Owner", "bob");
}
static void m_f_no_removeby(struct env *e)
{
	drop_trailer(e->c, "Remove-By");
}
static void m_f_removeby_text(struct env *e)
{
	set_trailer(e->c, "Remove-By", "next year");
}
static void m_f_removeby_past(struct env *e)
{
	set_trailer(e->c, "Remove-By", "2024-06-01");
}
static void m_f_removeby_today(struct env *e)
{
	set_trailer(e->c, "Remove-By", "2024-06-15");
}
static void m_f_removeby_far(struct env *e)
{
	set_trailer(e->c, "Remove-By", "2024-12-13");
}
static void m_f_removeby_edge(struct env *e)
{
	set_trailer(e->c, "Remove-By", "2024-12-12");
}
static void m_f_removeby_tomorrow(struct env *e)
{
	set_trailer(e->c, "Remove-By", "2024-06-16");
}
static void m_f_removeby_invalid_date(struct env *e)
{
	set_trailer(e->c, "Remove-By", "2024-09-31");
}
static void m_f_doc(struct env *e)
{
	set(&e->f->path, "docs/BUILD.md");
	e->f->carrier = "doc";
	drop_trailer(e->c, "Issue");
	drop_trailer(e->c, "Owner");
	drop_trailer(e->c, "Remove-By");
	m_no_signoff(e);
}
static void m_f_vendor(struct env *e)
{
	set(&e->f->path, "vendor/github.com/x/y/Makefile");
	drop_trailer(e->c, "Issue");
	m_no_signoff(e);
}

static const struct dcase default_cases[] = {
	{ "malformed directive", LG_FINDING_LINKNAME, m_malformed, "linkname.malformed", ERR,
	  "usage: //go:linkname localname [linkname]", "one space after go:linkname" },
	{ "well-formed directive", LG_FINDING_LINKNAME, NULL, "linkname.malformed", PASS, NULL, NULL },
	{ "malformed under vendor/", LG_FINDING_LINKNAME, m_vendor_malformed, "linkname.malformed", ERR, "usage", NULL },

	{ "no rationale block", LG_FINDING_LINKNAME, m_no_rationale, "linkname.rationale", ERR,
	  "no `// linkname rationale:` block precedes '//go:linkname nanotime runtime.nanotime'",
	  "//   measured gain: <" },
	{ "rationale lacks fields", LG_FINDING_LINKNAME, m_rationale_missing, "linkname.rationale", ERR,
	  "at line 8 lacks: measured gain, owner", "//   owner: <" },
	{ "complete rationale", LG_FINDING_LINKNAME, NULL, "linkname.rationale", PASS, NULL, NULL },

	{ "owner matches owners", LG_FINDING_LINKNAME, m_owners, "linkname.owner", PASS, NULL, NULL },
	{ "owner outside owners", LG_FINDING_LINKNAME, m_owner_bad, "linkname.owner", ERR,
	  "owner 'bob' matches none of the owners patterns '^team-'", "owner:" },
	{ "owner missing (rationale reports it)", LG_FINDING_LINKNAME, m_owner_missing, "linkname.owner", PASS, NULL,
	  NULL },
	{ "any owner with empty owners", LG_FINDING_LINKNAME, NULL, "linkname.owner", PASS, NULL, NULL },

	{ "removed when: later", LG_FINDING_LINKNAME, m_rw_later, "linkname.removal-trigger", ERR,
	  "'later, once Go has an API' is vague: it says 'later'", "removed when: go1.25" },
	{ "removed when: TODO", LG_FINDING_LINKNAME, m_rw_todo, "linkname.removal-trigger", ERR, "it says 'todo'",
	  NULL },
	{ "removed when: no trigger", LG_FINDING_LINKNAME, m_rw_vague, "linkname.removal-trigger", ERR,
	  "'when the API is stable' names no Go version (go1.N), issue or URL", "PROJ-123" },
	{ "removed when: go1.N", LG_FINDING_LINKNAME, NULL, "linkname.removal-trigger", PASS, NULL, NULL },
	{ "removed when: issue key", LG_FINDING_LINKNAME, m_rw_issue, "linkname.removal-trigger", PASS, NULL, NULL },
	{ "removed when: URL", LG_FINDING_LINKNAME, m_rw_url, "linkname.removal-trigger", PASS, NULL, NULL },
	{ "removed when: (#42)", LG_FINDING_LINKNAME, m_rw_hash, "linkname.removal-trigger", PASS, NULL, NULL },
	{ "removed when: 'latest' is not 'later'", LG_FINDING_LINKNAME, m_rw_latest, "linkname.removal-trigger", PASS,
	  NULL, NULL },

	{ "gain: no number", LG_FINDING_LINKNAME, m_gain_faster, "linkname.measured-gain", ERR,
	  "measured gain 'faster' is not a measurement", "n/a: functional (" },
	{ "gain: a Go version is not a number", LG_FINDING_LINKNAME, m_gain_goversion, "linkname.measured-gain", ERR,
	  "'needed since go1.21'", NULL },
	{ "gain: bare n/a", LG_FINDING_LINKNAME, m_gain_na, "linkname.measured-gain", ERR, "'n/a'", NULL },
	{ "gain: hex literal", LG_FINDING_LINKNAME, m_gain_hex, "linkname.measured-gain", ERR, "'0x10'", NULL },
	{ "gain: ns/op", LG_FINDING_LINKNAME, NULL, "linkname.measured-gain", PASS, NULL, NULL },
	{ "gain: percent", LG_FINDING_LINKNAME, m_gain_pct, "linkname.measured-gain", PASS, NULL, NULL },
	{ "gain: microseconds", LG_FINDING_LINKNAME, m_gain_micro, "linkname.measured-gain", PASS, NULL, NULL },
	{ "gain: factor", LG_FINDING_LINKNAME, m_gain_x, "linkname.measured-gain", PASS, NULL, NULL },
	{ "gain: allocs/op", LG_FINDING_LINKNAME, m_gain_allocs, "linkname.measured-gain", PASS, NULL, NULL },
	{ "gain: n/a: functional (reason)", LG_FINDING_LINKNAME, m_gain_functional, "linkname.measured-gain", PASS,
	  NULL, NULL },

	{ "no unsafe import", LG_FINDING_LINKNAME, m_unsafe_no, "linkname.unsafe-import", ERR,
	  "'internal/fast/clock.go' does not import \"unsafe\"", "import _ \"unsafe\"" },
	{ "unsafe import unknown", LG_FINDING_LINKNAME, m_unsafe_unknown, "linkname.unsafe-import", ERR,
	  "could not determine whether", "import _ \"unsafe\"" },
	{ "imports unsafe", LG_FINDING_LINKNAME, NULL, "linkname.unsafe-import", PASS, NULL, NULL },

	{ "misplaced //go:build", LG_FINDING_LINKNAME, m_misplaced, "linkname.build-constraint", ERR,
	  "after the package clause", "//go:build go1.21 && !go1.24" },
	{ "misplaced //go:build, other-module target", LG_FINDING_LINKNAME, m_misplaced_other,
	  "linkname.build-constraint", PASS, NULL, NULL },
	{ "build constraint without go_versions yet", LG_FINDING_LINKNAME, NULL, "linkname.build-constraint", PASS,
	  NULL, NULL },
	{ "fallback without the fact", LG_FINDING_LINKNAME, NULL, "linkname.fallback", PASS, NULL, NULL },
	{ "target-exists without go_source", LG_FINDING_LINKNAME, NULL, "linkname.target-exists", PASS, NULL, NULL },
	{ "signature without go_source", LG_FINDING_LINKNAME, NULL, "linkname.signature", PASS, NULL, NULL },
	{ "shared-constraint without siblings", LG_FINDING_LINKNAME, NULL, "linkname.shared-constraint", PASS, NULL,
	  NULL },
	{ "ci-matrix without the CI fact", LG_FINDING_LINKNAME, NULL, "linkname.ci-matrix", PASS, NULL, NULL },

	{ "exported std target", LG_FINDING_LINKNAME, m_std_exported, "linkname.std-exported", ERR,
	  "target 'strings.Index' is an exported standard-library symbol", "import \"strings\"" },
	{ "runtime target", LG_FINDING_LINKNAME, NULL, "linkname.std-exported", PASS, NULL, NULL },

	{ "test linkname into the package under test", LG_FINDING_LINKNAME, m_test_only, "linkname.test-only", ERR,
	  "'internal/fast/clock_test.go' reaches into the package under test", "export_test.go" },
	{ "test linkname into another package", LG_FINDING_LINKNAME, m_test_other_pkg, "linkname.test-only", PASS,
	  NULL, NULL },
	{ "same-module linkname outside tests", LG_FINDING_LINKNAME, m_same_module_not_test, "linkname.test-only",
	  PASS, NULL, NULL },

	{ "vendored linkname", LG_FINDING_LINKNAME, m_vendor, "linkname.vendored", WARN,
	  "(module 'github.com/x/y')", NULL },
	{ "vendored: rationale does not apply", LG_FINDING_LINKNAME, m_vendor, "linkname.rationale", PASS, NULL, NULL },
	{ "vendored: unsafe-import does not apply", LG_FINDING_LINKNAME, m_vendor, "linkname.unsafe-import", PASS,
	  NULL, NULL },
	{ "vendored: issue does not apply", LG_FINDING_LINKNAME, m_vendor, "linkname.issue", PASS, NULL, NULL },
	{ "nested vendor/ without module", LG_FINDING_LINKNAME, m_vendor_path, "linkname.vendored", WARN,
	  "package 'a/b' (module not known)", NULL },
	{ "not vendored", LG_FINDING_LINKNAME, NULL, "linkname.vendored", PASS, NULL, NULL },

	{ "no Issue trailer", LG_FINDING_LINKNAME, m_no_issue, "linkname.issue", ERR,
	  "commit 0123456789ab has no \"Issue:\" trailer", "Issue: PROJ-123" },
	{ "Issue trailer not matching", LG_FINDING_LINKNAME, m_bad_issue, "linkname.issue", ERR,
	  "Issue trailer 'soon' does not match issue_pattern", "Issue: PROJ-123" },
	{ "issue trailer, other case", LG_FINDING_LINKNAME, m_issue_lower, "linkname.issue", PASS, NULL, NULL },
	{ "no commit (scan)", LG_FINDING_LINKNAME, m_no_commit, "linkname.issue", PASS, NULL, NULL },
	{ "no commit (scan)", LG_FINDING_LINKNAME, m_no_commit, "linkname.signoff", PASS, NULL, NULL },

	{ "empty team", LG_FINDING_LINKNAME, m_team_empty, "linkname.signoff", ERR, "signoff.team is empty",
	  "signoff:\n  team:" },
	{ "no sign-off", LG_FINDING_LINKNAME, m_no_signoff, "linkname.signoff", ERR,
	  "no Platform-Signoff trailer covers commit 0123456789ab", "Platform-Signoff: Name <email>" },
	{ "sign-off by a stranger", LG_FINDING_LINKNAME, m_signoff_stranger, "linkname.signoff", ERR,
	  "Platform-Signoff 'Mallory <mallory@example.com>' names no member of signoff.team", "alice <alice@example.com>" },
	{ "pusher not in the team", LG_FINDING_LINKNAME, m_pusher_stranger, "linkname.signoff", ERR,
	  "pusher 'mallory' is not a member of signoff.team", NULL },
	{ "pusher unknown", LG_FINDING_LINKNAME, m_pusher_unknown, "linkname.signoff", ERR, "the pusher is unknown",
	  NULL },
	{ "sign-off naming a member's user", LG_FINDING_LINKNAME, m_signoff_user, "linkname.signoff", PASS, NULL, NULL },
	{ "sign-off e-mail in another case", LG_FINDING_LINKNAME, m_signoff_email_case, "linkname.signoff", PASS, NULL,
	  NULL },
	{ "verify: trailer", LG_FINDING_LINKNAME, m_verify_trailer, "linkname.signoff", PASS, NULL, NULL },
	{ "verify: ssh, signed by a member", LG_FINDING_LINKNAME, m_verify_ssh, "linkname.signoff", PASS, NULL, NULL },
	{ "verify: ssh, not signed", LG_FINDING_LINKNAME, m_verify_ssh_unverified, "linkname.signoff", ERR,
	  "SSH signature by a team member's principal", "signoff.allowed_signers" },
	{ "verify: ssh, another member's trailer", LG_FINDING_LINKNAME, m_verify_ssh_other_signer, "linkname.signoff",
	  ERR, "'bob' is signed by 'alice@example.com', who is not the team member it names", "their own SSH key" },
	{ "verify: ssh, signed by a stranger", LG_FINDING_LINKNAME, m_verify_ssh_stranger_signer, "linkname.signoff",
	  ERR, "is signed by 'mallory@example.com'", "signoff.allowed_signers" },
	{ "sign-off carried by a merge", LG_FINDING_LINKNAME, m_signoff_from_merge, "linkname.signoff", PASS, NULL,
	  NULL },
	{ "sign-off from the trailers of a fixture", LG_FINDING_LINKNAME, m_signoff_trailer_only, "linkname.signoff",
	  PASS, NULL, NULL },

	{ "override to warning", LG_FINDING_LINKNAME, m_rule_warning, "linkname.measured-gain", WARN, "'faster'", NULL },
	{ "override to off", LG_FINDING_LINKNAME, m_rule_off, "linkname.measured-gain", PASS, NULL, NULL },
	{ "policy in warn mode", LG_FINDING_LINKNAME, m_policy_warn, "linkname.issue", WARN, "no \"Issue:\" trailer",
	  NULL },

	{ "policy in audit mode (as warn)", LG_FINDING_LINKNAME, m_policy_audit, "linkname.issue", WARN,
	  "no \"Issue:\" trailer", NULL },

	{ "flag: no Issue trailer", LG_FINDING_CHECKLINKNAME_OFF, m_no_issue, "checklinkname.issue", ERR,
	  "has no \"Issue:\" trailer", "Issue: PROJ-123" },
	{ "flag: Issue trailer", LG_FINDING_CHECKLINKNAME_OFF, NULL, "checklinkname.issue", PASS, NULL, NULL },
	{ "flag: no Owner trailer", LG_FINDING_CHECKLINKNAME_OFF, m_f_no_owner, "checklinkname.owner", ERR,
	  "has no \"Owner:\" trailer for '-checklinkname=0'", "Owner: <team>" },
	{ "flag: Owner outside owners", LG_FINDING_CHECKLINKNAME_OFF, m_f_owner_bad, "checklinkname.owner", ERR,
	  "Owner trailer 'bob' matches none of the owners patterns '^team-'", NULL },
	{ "flag: Owner matches owners", LG_FINDING_CHECKLINKNAME_OFF, m_f_owners, "checklinkname.owner", PASS, NULL,
	  NULL },
	{ "flag: no Remove-By", LG_FINDING_CHECKLINKNAME_OFF, m_f_no_removeby, "checklinkname.remove-by", ERR,
	  "has no \"Remove-By:\" trailer", "Remove-By: 2024-09-13" },
	{ "flag: Remove-By not a date", LG_FINDING_CHECKLINKNAME_OFF, m_f_removeby_text, "checklinkname.remove-by",
	  ERR, "Remove-By 'next year' is not a date (YYYY-MM-DD)", NULL },
	{ "flag: Remove-By not a calendar date", LG_FINDING_CHECKLINKNAME_OFF, m_f_removeby_invalid_date,
	  "checklinkname.remove-by", ERR, "'2024-09-31' is not a date", NULL },
	{ "flag: Remove-By in the past", LG_FINDING_CHECKLINKNAME_OFF, m_f_removeby_past, "checklinkname.remove-by",
	  ERR, "Remove-By '2024-06-01' is not after today (2024-06-15)", NULL },
	{ "flag: Remove-By today", LG_FINDING_CHECKLINKNAME_OFF, m_f_removeby_today, "checklinkname.remove-by", ERR,
	  "is not after today", NULL },
	{ "flag: Remove-By too far", LG_FINDING_CHECKLINKNAME_OFF, m_f_removeby_far, "checklinkname.remove-by", ERR,
	  "'2024-12-13' is more than removal.max_days (180) days away", NULL },
	{ "flag: Remove-By at max_days", LG_FINDING_CHECKLINKNAME_OFF, m_f_removeby_edge, "checklinkname.remove-by",
	  PASS, NULL, NULL },
	{ "flag: Remove-By tomorrow", LG_FINDING_CHECKLINKNAME_OFF, m_f_removeby_tomorrow, "checklinkname.remove-by",
	  PASS, NULL, NULL },
	{ "flag: no sign-off", LG_FINDING_CHECKLINKNAME_OFF, m_no_signoff, "checklinkname.signoff", ERR,
	  "no Platform-Signoff trailer covers commit", NULL },
	{ "flag: signed off", LG_FINDING_CHECKLINKNAME_OFF, NULL, "checklinkname.signoff", PASS, NULL, NULL },
	{ "flag: empty team", LG_FINDING_CHECKLINKNAME_OFF, m_team_empty, "checklinkname.signoff", ERR,
	  "signoff.team is empty", NULL },
	{ "doc carrier", LG_FINDING_CHECKLINKNAME_OFF, m_f_doc, "checklinkname.mention", WARN,
	  "documentation tells readers to switch off the linker's linkname check ('-checklinkname=0')", NULL },
	{ "doc carrier: issue does not apply", LG_FINDING_CHECKLINKNAME_OFF, m_f_doc, "checklinkname.issue", PASS,
	  NULL, NULL },
	{ "doc carrier: owner does not apply", LG_FINDING_CHECKLINKNAME_OFF, m_f_doc, "checklinkname.owner", PASS,
	  NULL, NULL },
	{ "doc carrier: remove-by does not apply", LG_FINDING_CHECKLINKNAME_OFF, m_f_doc, "checklinkname.remove-by",
	  PASS, NULL, NULL },
	{ "doc carrier: signoff does not apply", LG_FINDING_CHECKLINKNAME_OFF, m_f_doc, "checklinkname.signoff", PASS,
	  NULL, NULL },
	{ "makefile carrier", LG_FINDING_CHECKLINKNAME_OFF, NULL, "checklinkname.mention", PASS, NULL, NULL },
	{ "flag under vendor/", LG_FINDING_CHECKLINKNAME_OFF, m_f_vendor, "checklinkname.issue", PASS, NULL, NULL },
	{ "flag under vendor/", LG_FINDING_CHECKLINKNAME_OFF, m_f_vendor, "checklinkname.signoff", PASS, NULL, NULL },
};

static void test_default_cases(void)
{
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(default_cases); i++) {
		const struct dcase *dc = &default_cases[i];
		struct lg_config cfg;
		struct lg_commit_info c;
		struct lg_verdict vd;
		struct env e;
		int err;

		cfg_base(&cfg);
		commit_good(&c);
		lg_verdict_init(&vd);
		e.cfg = &cfg;
		e.c = &c;
		e.f = dc->kind == LG_FINDING_LINKNAME ? linkname_good(&c) : flag_good(&c);
		e.pusher = "alice";
		if (dc->mutate)
			dc->mutate(&e);
		err = eval_one(&cfg, e.f, e.pusher, &vd);
		if (!tap_is_int(err, 0, "%s: evaluates", dc->name))
			tap_diag("%s", lg_error_last());
		check_violation(&vd, dc->rule, dc->expect, dc->needle, dc->hint, dc->name);
		lg_verdict_release(&vd);
		lg_finding_free(e.f);
		lg_commit_info_release(&c);
		lg_config_release(&cfg);
	}
}

/* The complete finding and commit pass every default rule. */
static void test_default_clean(void)
{
	static const enum lg_finding_kind kinds[] = { LG_FINDING_LINKNAME, LG_FINDING_CHECKLINKNAME_OFF };
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(kinds); i++) {
		struct lg_config cfg;
		struct lg_commit_info c;
		struct lg_verdict vd;
		struct lg_finding *f;
		int err;

		cfg_base(&cfg);
		commit_good(&c);
		lg_verdict_init(&vd);
		f = kinds[i] == LG_FINDING_LINKNAME ? linkname_good(&c) : flag_good(&c);
		err = eval_one(&cfg, f, "alice", &vd);
		tap_is_int(err, 0, "clean %s finding evaluates", lg_finding_kind_name(kinds[i]));
		if (!tap_is_int((long long)vd.n, 0, "clean %s finding passes every default rule",
				lg_finding_kind_name(kinds[i])))
			dump(&vd);
		lg_verdict_release(&vd);
		lg_finding_free(f);
		lg_commit_info_release(&c);
		lg_config_release(&cfg);
	}
}

/* Every rule id of SPEC's default table is registered with its severity:
 * switching each off through rules: must be accepted. */
static void test_default_rule_ids(void)
{
	static const char *const ids[] = {
		"linkname.malformed", "linkname.rationale", "linkname.owner", "linkname.removal-trigger",
		"linkname.measured-gain", "linkname.unsafe-import", "linkname.build-constraint", "linkname.fallback",
		"linkname.target-exists", "linkname.signature", "linkname.std-exported", "linkname.test-only",
		"linkname.shared-constraint", "linkname.ci-matrix", "linkname.vendored", "linkname.issue",
		"linkname.signoff", "checklinkname.issue", "checklinkname.owner", "checklinkname.remove-by",
		"checklinkname.signoff", "checklinkname.mention",
	};
	struct lg_config cfg;
	struct lg_policy *p = NULL;
	size_t i;
	int err;

	cfg_base(&cfg);
	for (i = 0; i < LG_ARRAY_SIZE(ids); i++)
		cfg_rule(&cfg, ids[i], LG_RULE_OFF);
	err = lg_policy_new(&p, &cfg);
	if (!tap_is_int(err, 0, "every rule id of SPEC's default table exists"))
		tap_diag("%s", lg_error_last());
	lg_policy_free(p);
	lg_config_release(&cfg);

	cfg_base(&cfg);
	cfg_rule(&cfg, "linkname.no-such-rule", LG_RULE_WARNING);
	p = NULL;
	err = lg_policy_new(&p, &cfg);
	tap_is_int(err, LG_ECONFIG, "an override naming an unknown rule is a configuration error");
	tap_is_str(lg_error_last(), "rules: no loaded policy defines rule 'linkname.no-such-rule'",
		   "the message names the rule");
	lg_policy_free(p);
	lg_config_release(&cfg);
}

/* Rules that read tree facts, run on findings carrying those facts. */
static void test_default_facts(void)
{
	static const struct {
		const char *scenario;
		enum expect expect;
		const char *needle;
	} cases[] = {
		{ "bc-upper-open", ERR, "the build constraint 'go1.21' admits go1.21 and later: it has no upper bound" },
		{ "bc-lower-open", ERR, "admits up to go1.23: it has no lower bound" },
		{ "bc-lower-gomod", PASS, NULL },
		{ "bc-none", ERR, "the file has no //go:build constraint" },
		{ "bc-bounded", PASS, NULL },
		{ "bc-other-module", PASS, NULL },
		{ "fb-gap", ERR, "no file provides 'nanotime' for go1.24 and later" },
		{ "fb-overlap", ERR, "'internal/fast/clock.go' and 'clock_old.go' both provide 'nanotime' for go1.22" },
		{ "fb-ok", PASS, NULL },
		{ "te-missing", ERR, "target 'runtime.nanotime' does not exist in go1.23" },
		{ "te-ok", PASS, NULL },
		{ "sig-mismatch", ERR, "'nanotime' does not match the shape of 'runtime.nanotime' in go1.22: 2 results" },
		{ "sig-ok", PASS, NULL },
		{ "sc-shared", WARN, "1 other linkname shares the constraint 'go1.21 && !go1.24' with this one: "
				     "'runtime.cputicks'" },
		{ "sc-alone", PASS, NULL },
		{ "ci-missing", WARN, "the CI matrices do not build a Go version outside it, tip" },
		{ "ci-ok", PASS, NULL },
		{ "ci-absent", PASS, NULL },
		{ "bc-error", ERR, "the build constraint 'go1.21 &&' cannot be evaluated: parsing //go:build line: "
				   "unexpected end of expression" },
		{ "bc-unknown", PASS, NULL },
		{ "fb-error", ERR, "could not work out which files provide 'nanotime': x.go: parsing //go:build line" },
		{ "fb-gap-where", ERR, "no file provides 'nanotime' for go1.21-go1.23 (with GOOS=windows) "
				       "(fallback 'clock_old.go' does not cover them)" },
		{ "sc-not-version", PASS, NULL },
		{ "re-expired", WARN, "removed when names go1.23, and 'go.mod' already requires it (its go line is go1.24)" },
		{ "re-not-expired", PASS, NULL },
	};
	struct lg_config cfg;
	struct lg_commit_info c;
	struct lg_verdict vd;
	struct lg_finding *f;
	size_t i;
	int err;

	cfg_base(&cfg);
	cfg_only(&cfg, "default-facts.lua");
	cfg.params.type = LG_VALUE_MAP;
	cfg.params.keys = lg_xcalloc(1, sizeof(char *));
	cfg.params.items = lg_xcalloc(1, sizeof(struct lg_value));
	cfg.params.keys[0] = lg_xstrdup("default_source");
	cfg.params.items[0].type = LG_VALUE_STRING;
	cfg.params.items[0].s = lg_xstrndup(lg_default_policy, lg_default_policy_len);
	cfg.params.nitems = 1;
	commit_good(&c);
	lg_verdict_init(&vd);
	f = linkname_good(&c);
	err = eval_one(&cfg, f, "alice", &vd);
	if (!tap_is_int(err, 0, "default rules run with detector facts"))
		tap_diag("%s", lg_error_last());
	for (i = 0; i < LG_ARRAY_SIZE(cases); i++) {
		char *id = lg_xasprintf("facts.%s", cases[i].scenario);

		check_violation(&vd, id, cases[i].expect, cases[i].needle, NULL, cases[i].scenario);
		free(id);
	}
	lg_verdict_release(&vd);
	lg_finding_free(f);
	lg_commit_info_release(&c);
	lg_config_release(&cfg);
}

/* --- sandbox escapes and limits --- */

struct outcome {
	int err;
	char *msg;              /* lg_error_last() on failure */
	struct lg_verdict vd;
	struct lg_finding *f;
	struct lg_commit_info c;
};

/* Loads the policy files (NULL-terminated) with limits tightened for
 * tests and evaluates one good linkname finding. */
static void run_files(struct outcome *o, long instructions, long memory_mb, const char *const *files)
{
	struct lg_config cfg;
	size_t i;

	memset(o, 0, sizeof(*o));
	cfg_base(&cfg);
	cfg_clear_policies(&cfg);
	for (i = 0; files[i]; i++)
		cfg_add_policy(&cfg, files[i]);
	cfg.limits.lua_instructions = instructions;
	cfg.limits.lua_memory_mb = memory_mb;
	commit_good(&o->c);
	o->f = linkname_good(&o->c);
	lg_verdict_init(&o->vd);
	o->err = eval_one(&cfg, o->f, "alice", &o->vd);
	o->msg = lg_xstrdup(o->err ? lg_error_last() : "");
	lg_config_release(&cfg);
}

static void run_file(struct outcome *o, const char *file)
{
	const char *files[] = { file, NULL };

	run_files(o, 2000000, 16, files);
}

static void outcome_release(struct outcome *o)
{
	lg_verdict_release(&o->vd);
	lg_finding_free(o->f);
	lg_commit_info_release(&o->c);
	free(o->msg);
}

static void expect_error(const char *name, const char *file, int code, const char *needle)
{
	struct outcome o;

	run_file(&o, file);
	if (!tap_ok(o.err == code && strstr(o.msg, needle), "%s: %s fails with %d, '%s'", name, file, code, needle))
		tap_diag("got %d: %s", o.err, o.msg);
	outcome_release(&o);
}

static void test_escapes(void)
{
	struct outcome o;
	const struct lg_violation *v;

	expect_error("os", "escape-os.lua", LG_ERROR, "attempt to index a nil value (global 'os')");
	tap_ok(access("/tmp/linkgate-escape-os", F_OK) != 0, "os: nothing ran");
	expect_error("io", "escape-io.lua", LG_ERROR, "attempt to index a nil value (global 'io')");
	expect_error("require \"os\"", "escape-require.lua", LG_ERROR,
		     "module 'os' not found: policies can only require \"linkgate\"");
	expect_error("package", "escape-package.lua", LG_ERROR, "attempt to index a nil value (global 'package')");
	expect_error("debug", "escape-debug.lua", LG_ERROR, "attempt to index a nil value (global 'debug')");
	expect_error("string.dump", "escape-string-dump.lua", LG_ERROR, "attempt to call a nil value (field 'dump')");
	expect_error("collectgarbage", "escape-collectgarbage.lua", LG_ERROR,
		     "attempt to call a nil value (global 'collectgarbage')");
	expect_error("dofile", "escape-dofile.lua", LG_ERROR, "attempt to call a nil value (global 'dofile')");
	expect_error("loadfile", "escape-loadfile.lua", LG_ERROR, "attempt to call a nil value (global 'loadfile')");
	expect_error("print", "escape-print.lua", LG_ERROR, "attempt to call a nil value (global 'print')");
	expect_error("__gc finalizer", "escape-gc.lua", LG_ERROR, "__gc metamethods are not allowed in policies");
	expect_error("lg.rule after loading", "late-rule.lua", LG_ERROR,
		     "lg.rule: rules can only be registered while the policy loads");

	run_file(&o, "escape-toplevel.lua");
	tap_ok(o.err == LG_ECONFIG && strstr(o.msg, "escape-toplevel.lua:3: attempt to index a nil value (global 'os')"),
	       "escape at load time: a configuration error naming file and line");
	tap_diag("%s", o.msg);
	outcome_release(&o);

	/* load: binary chunks refused whatever the mode asked for. */
	run_file(&o, "escape-load-bytecode.lua");
	tap_ok(o.err == LG_ERROR && strstr(o.msg, "attempt to load a binary chunk (mode is 't')") &&
		       strstr(o.msg, "rule 'escape.load-bytecode'"),
	       "load of a chunk starting with \\x1bLua is refused");
	tap_diag("%s", o.msg);
	v = viol(&o.vd, "escape.load-binary-mode");
	tap_ok(v && strstr(v->message, "binary chunks are not allowed in policies"), "load with mode \"b\" is refused");
	v = viol(&o.vd, "escape.load-reader");
	tap_ok(v && strstr(v->message, "attempt to load a binary chunk"), "load of bytecode from a reader is refused");
	outcome_release(&o);

	run_file(&o, "bytecode.luac");
	tap_ok(o.err == LG_ECONFIG && strstr(o.msg, "precompiled Lua (bytecode) is not accepted"),
	       "a policy file of bytecode is refused");
	tap_diag("%s", o.msg);
	outcome_release(&o);

	/* Two policies: A tampers, B must not notice. */
	{
		const char *files[] = { "tamper-a.lua", "tamper-b.lua", NULL };

		run_files(&o, 2000000, 16, files);
		tap_is_int(o.err, 0, "tampering policies evaluate");
		v = viol(&o.vd, "tamper.b");
		tap_is_str(v ? v->message : NULL, "unaffected", "policy B sees pristine strings, libraries, globals, config");
		v = viol(&o.vd, "tamper.a");
		tap_is_str(v ? v->message : NULL,
			   "blocked: mt-index-write,mt-index-replace,mt-setmetatable,string-setmetatable,"
			   "method-table-write,config-write,config-rawset,config-nested-write,params-write; "
			   "own upper: ABC",
			   "policy A's attempts on shared state all raise; its own copies stay its own");
		outcome_release(&o);
	}

	/* Findings are read-only. */
	{
		static const char *const ids[] = { "field", "rawset", "nested", "list",
						   "ctx", "setmetatable", "iterator" };
		size_t i;

		for (i = 0; i < LG_ARRAY_SIZE(ids); i++) {
			struct lg_config cfg;
			struct lg_commit_info c;
			struct lg_verdict vd;
			struct lg_finding *f;
			size_t k;
			int err;

			cfg_base(&cfg);
			cfg_only(&cfg, "readonly.lua");
			/* Only the rule under test and the reader run. */
			for (k = 0; k < LG_ARRAY_SIZE(ids); k++) {
				char *id = lg_xasprintf("readonly.%s", ids[k]);

				if (k != i)
					cfg_rule(&cfg, id, LG_RULE_OFF);
				free(id);
			}
			commit_good(&c);
			f = linkname_good(&c);
			lg_verdict_init(&vd);
			err = eval_one(&cfg, f, "alice", &vd);
			tap_ok(err == LG_ERROR &&
				       (strstr(lg_error_last(), "read-only table") ||
					strstr(lg_error_last(), "cannot change a protected metatable") ||
					strstr(lg_error_last(), "read-only table expected")),
			       "read-only finding: %s", ids[i]);
			tap_diag("%s", lg_error_last());
			lg_verdict_release(&vd);
			lg_finding_free(f);
			lg_commit_info_release(&c);
			lg_config_release(&cfg);
		}
	}
	{
		struct lg_config cfg;
		struct lg_commit_info c;
		struct lg_verdict vd;
		struct lg_finding *f;
		int err;

		cfg_base(&cfg);
		cfg_only(&cfg, "readonly.lua");
		cfg_rule(&cfg, "readonly.field", LG_RULE_OFF);
		cfg_rule(&cfg, "readonly.rawset", LG_RULE_OFF);
		cfg_rule(&cfg, "readonly.nested", LG_RULE_OFF);
		cfg_rule(&cfg, "readonly.list", LG_RULE_OFF);
		cfg_rule(&cfg, "readonly.ctx", LG_RULE_OFF);
		cfg_rule(&cfg, "readonly.setmetatable", LG_RULE_OFF);
		cfg_rule(&cfg, "readonly.iterator", LG_RULE_OFF);
		commit_good(&c);
		f = linkname_good(&c);
		lg_verdict_init(&vd);
		err = eval_one(&cfg, f, "alice", &vd);
		tap_is_int(err, 0, "read-only finding: reading evaluates");
		v = viol(&vd, "readonly.read");
		tap_is_str(v ? v->message : NULL,
			   "internal/fast/clock.go:14 linkname keys>10=true n=4 mt=false "
			   "Issue=PROJ-123;Owner=team-runtime;Remove-By=2024-09-01;"
			   "Platform-Signoff=Alice <alice@example.com> rationale=true",
			   "read-only finding: fields, #, pairs and ipairs work");
		lg_verdict_release(&vd);
		lg_finding_free(f);
		lg_commit_info_release(&c);
		lg_config_release(&cfg);
	}
}

static void test_bad_policies(void)
{
	expect_error("syntax error", "bad-syntax.lua", LG_ECONFIG, "bad-syntax.lua:2: '}' expected near 'on'");
	expect_error("unknown rule field", "bad-rule-field.lua", LG_ECONFIG,
		     "bad-rule-field.lua:2: lg.rule: unknown field 'serverity'");
	expect_error("bad on", "bad-rule-on.lua", LG_ECONFIG,
		     "lg.rule 'bad.on': on must be \"linkname\" or \"checklinkname-off\", not 'linknames'");
	expect_error("duplicate rule id", "bad-rule-dup.lua", LG_ECONFIG,
		     "lg.rule: rule 'bad.dup' is already defined (by policy ");
	expect_error("check returning false", "bad-return.lua", LG_ERROR,
		     "rule 'bad.return' on internal/fast/clock.go:14: check returned a boolean value");
	expect_error("runtime error", "bad-runtime.lua", LG_ERROR, "bad-runtime.lua:6: attempt to index a nil value "
								   "(field 'nothing')");
	expect_error("missing policy file", "no-such-policy.lua", LG_ECONFIG, "no-such-policy.lua: cannot read it");
}

static void test_limits(void)
{
	struct outcome o;

	expect_error("infinite loop", "limit-loop.lua", LG_ELIMIT,
		     "instruction limit reached (limits.lua_instructions: 2000000) at ");
	expect_error("infinite loop inside pcall", "limit-loop-pcall.lua", LG_ELIMIT, "instruction limit reached");
	expect_error("infinite loop while loading", "limit-load-loop.lua", LG_ELIMIT,
		     "limit-load-loop.lua: instruction limit reached");
	expect_error("string-doubling memory bomb", "limit-memory-doubling.lua", LG_ELIMIT,
		     "memory limit reached (limits.lua_memory_mb: 16)");
	expect_error("memory bomb inside pcall", "limit-memory-pcall.lua", LG_ELIMIT, "memory limit reached");
	expect_error("string.rep of a huge count", "limit-string-rep.lua", LG_ELIMIT, "memory limit reached");
	{
		const char *files[] = { "limit-table-growth.lua", NULL };

		run_files(&o, 100000000, 4, files);
		tap_ok(o.err == LG_ELIMIT && strstr(o.msg, "memory limit reached (limits.lua_memory_mb: 4)"),
		       "table growth loop stops at the memory limit");
		tap_diag("%s", o.msg);
		outcome_release(&o);
	}
	run_file(&o, "limit-recursion.lua");
	tap_ok(o.err < 0 && (strstr(o.msg, "stack overflow") || strstr(o.msg, "memory limit")),
	       "deep recursion is an error");
	tap_diag("%s", o.msg);
	outcome_release(&o);
	expect_error("error object with a looping __tostring", "limit-tostring-loop.lua", LG_ERROR,
		     "(error object is a table value)");
	expect_error("cyclic table returned", "limit-cyclic.lua", LG_ERROR,
		     "check returned a table whose message is table");

	/* The deadline: a loop with an instruction budget it would never use up. */
	{
		const char *files[] = { "limit-loop.lua", NULL };

		lg_deadline_set_ms(50);
		run_files(&o, 0, 16, files);
		lg_deadline_set_ms(0);
		tap_ok(o.err == LG_ETIMEOUT && strstr(o.msg, "time limit reached"), "infinite loop stops at the deadline");
		tap_diag("%s", o.msg);
		outcome_release(&o);
	}

	/* A hang inside a C function: the count hook never runs, the parent
	 * kills the evaluation process at the deadline and reports it. */
	{
		struct lg_config cfg;
		struct lg_commit_info c;
		struct lg_verdict vd;
		struct lg_finding *f;
		struct timespec t0, t1;
		long ms;
		int err;

		cfg_base(&cfg);
		cfg_only(&cfg, "limit-pattern.lua");
		cfg.limits.lua_instructions = 0;
		commit_good(&c);
		f = linkname_good(&c);
		free(f->text);
		f->text = lg_xmalloc(20001);
		memset(f->text, 'a', 20000);
		f->text[20000] = '\0';
		f->text_len = 20000;
		lg_verdict_init(&vd);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		lg_deadline_set_ms(300);
		err = eval_one(&cfg, f, "alice", &vd);
		lg_deadline_set_ms(0);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		tap_ok(err == LG_ETIMEOUT && strstr(lg_error_last(), "time limit reached") &&
			       strstr(lg_error_last(), "rule 'limit.pattern' on internal/fast/clock.go:14") &&
			       strstr(lg_error_last(), "limit-pattern.lua:7 (the evaluation process") &&
			       strstr(lg_error_last(), "was stopped"),
		       "a catastrophic Lua pattern on a long pushed string is stopped at the deadline");
		tap_diag("%s", lg_error_last());
		tap_ok(ms < 300 + 2000, "... within the deadline (%ld ms for a 300 ms deadline)", ms);
		tap_is_int((long long)vd.n, 0, "... with no verdict from the stopped evaluation");
		lg_verdict_release(&vd);
		lg_finding_free(f);
		lg_commit_info_release(&c);
		lg_config_release(&cfg);
	}

	/* A limit is sticky: the policy fails again, and a new one works. */
	{
		struct lg_config cfg;
		struct lg_commit_info c;
		struct lg_finding *f;
		struct lg_finding *one[1];
		struct lg_findings list = { one, 1, 1 };
		struct lg_verdict vd;
		struct lg_policy *p = NULL;
		int err;

		cfg_base(&cfg);
		cfg_only(&cfg, "limit-loop-pcall.lua");
		cfg.limits.lua_instructions = 100000;
		commit_good(&c);
		f = linkname_good(&c);
		one[0] = f;
		lg_verdict_init(&vd);
		err = lg_policy_new(&p, &cfg);
		tap_is_int(err, 0, "sticky limit: policy loads");
		err = lg_policy_eval(p, &vd, &list, NULL, NOW);
		tap_is_int(err, LG_ELIMIT, "sticky limit: first evaluation hits the limit");
		err = lg_policy_eval(p, &vd, &list, NULL, NOW);
		tap_is_int(err, LG_ELIMIT, "sticky limit: a second evaluation fails too");
		lg_policy_free(p);
		lg_verdict_release(&vd);
		lg_finding_free(f);
		lg_commit_info_release(&c);
		lg_config_release(&cfg);
	}
	{
		const char *files[] = { "regex-churn.lua", NULL };
		const struct lg_violation *v;

		run_files(&o, 50000000, 2, files);
		v = viol(&o.vd, "regex.churn");
		tap_ok(o.err == 0 && v && !strcmp(v->message, "hits 3000"),
		       "regexes compiled in a loop stay within a 2 MiB budget");
		if (o.err)
			tap_diag("%s", o.msg);
		outcome_release(&o);
	}
	expect_error("a fresh policy after all the limits", "bad-return.lua", LG_ERROR, "check returned a boolean");
}

/* --- the linkgate module --- */

static void test_api(void)
{
	static const struct {
		const char *id;
		const char *want;
	} cases[] = {
		{ "api.date", "0,1709164800,nil,nil,-62135596800,253402214400,-86400,nil,nil,nil,nil,nil,nil,"
			      "951782400,nil,nil,nil" },
		{ "api.now", "1718452800,integer" },
		{ "api.go-version-cmp", "0,-1,1,-1,-1,-1,-1,-1,-1,0,1,0,"
					"lg.go_version_cmp: 'go1.x' is not a Go version (go1.N, 1.N.P, go1.NrcK)" },
		{ "api.trailer", "PROJ-123,PROJ-123,PROJ-123,nil,2,PROJ-123+OPS-9,0,team-runtime,nil,0,"
				 "bad argument #1 to '?' (commit expected (f.commit))" },
		{ "api.regex", "PROJ-123,PROJ,123,nil,true,false,b,nil,b,true,true,false,true,"
			       "lg.regex: invalid pattern at offset 1: missing closing parenthesis,"
			       "lg.regex: unknown flag 'q' (flags: i, m, s, x)" },
		{ "api.regex-bomb", "false,lg.regex: regex limit reached (match limit 1000000),false,"
				    "lg.regex: regex limit reached (match limit 1000000)" },
		{ "api.regex-subject", "false,lg.regex: subject longer than 1048576 bytes" },
		{ "api.log", "logged" },
		{ "api.config", "enforce,commit,Issue,Owner,Remove-By,Platform-Signoff,"
				"^(https?://\\S+|[A-Z][A-Z0-9]+-[0-9]+|#[0-9]+)$,1,^team-,pusher,"
				"alice/alice@example.com/alice@example.com;bob/-/-,180,true" },
		{ "api.params", "acme,3,true,2,b,deep" },
		{ "api.ctx", "alice,1,ci.skip,1,refs/heads/main,0000,89ab,true,true,refs/heads/main" },
		{ "api.finding", "linkname,internal/fast/clock.go,14,//go:linkname nanotime runtime.nanotime,nanotime,"
				 "runtime.nanotime,runtime,nanotime,runtime,nil,nil,fast,false,true,go1.21 && !go1.24,"
				 "false,true,8,team-runtime,01234567,fast: read the monotonic clock without allocating,"
				 "Carol <carol@example.com>,true,true,alice@example.com,Alice <alice@example.com>,"
				 "true,alice@example.com,01234567,nil" },
		{ "api.require", "true,false,module 'string' not found: policies can only require \"linkgate\"" },
		{ "api.load", "nil,nil,X,2,1,nil" },
	};
	struct lg_config cfg;
	struct lg_commit_info c;
	struct lg_verdict vd;
	struct lg_finding *f;
	struct lg_finding *one[1];
	struct lg_findings list = { one, 1, 1 };
	struct lg_policy *p = NULL;
	struct lg_push push;
	const char *const *lines;
	size_t i, n = 0;
	int err;

	cfg_base(&cfg);
	cfg_only(&cfg, "api.lua");
	cfg_owners(&cfg, "^team-");
	cfg_rule(&cfg, "api.regex-bomb-raises", LG_RULE_OFF);
	cfg.params.type = LG_VALUE_MAP;
	cfg.params.nitems = 5;
	cfg.params.keys = lg_xcalloc(5, sizeof(char *));
	cfg.params.items = lg_xcalloc(5, sizeof(struct lg_value));
	cfg.params.keys[0] = lg_xstrdup("name");
	cfg.params.items[0].type = LG_VALUE_STRING;
	cfg.params.items[0].s = lg_xstrdup("acme");
	cfg.params.keys[1] = lg_xstrdup("count");
	cfg.params.items[1].type = LG_VALUE_INT;
	cfg.params.items[1].i = 3;
	cfg.params.keys[2] = lg_xstrdup("flag");
	cfg.params.items[2].type = LG_VALUE_BOOL;
	cfg.params.items[2].b = true;
	cfg.params.keys[3] = lg_xstrdup("list");
	cfg.params.items[3].type = LG_VALUE_SEQ;
	cfg.params.items[3].nitems = 2;
	cfg.params.items[3].items = lg_xcalloc(2, sizeof(struct lg_value));
	cfg.params.items[3].items[0].type = LG_VALUE_STRING;
	cfg.params.items[3].items[0].s = lg_xstrdup("a");
	cfg.params.items[3].items[1].type = LG_VALUE_STRING;
	cfg.params.items[3].items[1].s = lg_xstrdup("b");
	cfg.params.keys[4] = lg_xstrdup("map");
	cfg.params.items[4].type = LG_VALUE_MAP;
	cfg.params.items[4].nitems = 1;
	cfg.params.items[4].keys = lg_xcalloc(1, sizeof(char *));
	cfg.params.items[4].keys[0] = lg_xstrdup("inner");
	cfg.params.items[4].items = lg_xcalloc(1, sizeof(struct lg_value));
	cfg.params.items[4].items[0].type = LG_VALUE_STRING;
	cfg.params.items[4].items[0].s = lg_xstrdup("deep");

	commit_good(&c);
	set_trailer(&c, "ISSUE", "OPS-9");
	f = linkname_good(&c);
	one[0] = f;
	lg_verdict_init(&vd);
	lg_push_init(&push);
	err = lg_push_add_update(&push, "refs/heads/main", "0000000000000000000000000000000000000000", MERGE_ID);
	tap_is_int(err, 0, "push for the api test");
	push.pusher = lg_xstrdup("alice");
	push.options = lg_xcalloc(1, sizeof(char *));
	push.options[0] = lg_xstrdup("ci.skip");
	push.noptions = 1;

	err = lg_policy_new(&p, &cfg);
	if (!tap_is_int(err, 0, "api policy loads"))
		tap_diag("%s", lg_error_last());
	err = p ? lg_policy_eval(p, &vd, &list, &push, NOW) : err;
	if (!tap_is_int(err, 0, "api policy evaluates"))
		tap_diag("%s", lg_error_last());
	for (i = 0; i < LG_ARRAY_SIZE(cases); i++) {
		const struct lg_violation *v = viol(&vd, cases[i].id);

		tap_is_str(v ? v->message : NULL, cases[i].want, "%s", cases[i].id);
	}
	lines = p ? lg_policy_log_lines(p, &n) : NULL;
	tap_is_int((long long)n, 2, "lg.log: two lines");
	tap_is_str(n > 0 ? lines[0] : NULL, "hello\t42\tnil\ttrue", "lg.log: arguments joined by tabs");
	tap_is_str(n > 1 ? lines[1] : NULL, "line with \x1b[31m escape", "lg.log: raw text (the report escapes it)");
	lg_policy_free(p);
	lg_verdict_release(&vd);

	/* A regex limit that is not caught fails the evaluation. */
	lg_config_release(&cfg);
	cfg_base(&cfg);
	cfg_only(&cfg, "api.lua");
	p = NULL;
	err = lg_policy_new(&p, &cfg);
	if (!err) {
		size_t k;

		/* Keep only the raising rule. */
		lg_policy_free(p);
		p = NULL;
		for (k = 0; k < LG_ARRAY_SIZE(cases); k++)
			cfg_rule(&cfg, cases[k].id, LG_RULE_OFF);
		err = lg_policy_new(&p, &cfg);
	}
	lg_verdict_init(&vd);
	if (!err)
		err = lg_policy_eval(p, &vd, &list, &push, NOW);
	tap_ok(err == LG_ERROR && strstr(lg_error_last(), "rule 'api.regex-bomb-raises'") &&
		       strstr(lg_error_last(), "regex limit reached"),
	       "a regex limit hit is an error, never \"no match\"");
	tap_diag("%s", lg_error_last());
	lg_policy_free(p);
	lg_verdict_release(&vd);

	lg_push_release(&push);
	lg_finding_free(f);
	lg_commit_info_release(&c);
	lg_config_release(&cfg);
}

/* Two findings of one commit get the same commit table, push and ctx. */
static void test_shared_commit(void)
{
	struct lg_config cfg;
	struct lg_commit_info c;
	struct lg_verdict vd;
	struct lg_finding *two[2];
	struct lg_findings list = { two, 2, 2 };
	struct lg_policy *p = NULL;
	int err;

	cfg_base(&cfg);
	cfg_only(&cfg, "shared-commit.lua");
	commit_good(&c);
	two[0] = linkname_good(&c);
	two[1] = linkname_good(&c);
	two[1]->line = 15;
	lg_verdict_init(&vd);
	err = lg_policy_new(&p, &cfg);
	if (!err)
		err = lg_policy_eval(p, &vd, &list, NULL, NOW);
	tap_is_int(err, 0, "two findings of one commit evaluate");
	tap_is_int((long long)vd.n, 2, "one violation per finding");
	tap_is_str(vd.n == 2 ? vd.v[1].message : NULL, "commit true, push true, ctx true",
		   "the commit table, push and ctx are shared between findings");
	tap_ok(vd.n == 2 && vd.v[0].finding == two[0] && vd.v[1].finding == two[1],
	       "violations point at their findings");
	lg_policy_free(p);
	lg_verdict_release(&vd);
	lg_finding_free(two[0]);
	lg_finding_free(two[1]);
	lg_commit_info_release(&c);
	lg_config_release(&cfg);
}

/* lg.log keeps LG_LOG_MAX_LINES lines and says how many it dropped. */
static void test_log_cap(void)
{
	struct lg_config cfg;
	struct lg_commit_info c;
	struct lg_verdict vd;
	struct lg_finding *f;
	struct lg_finding *one[1];
	struct lg_findings list = { one, 1, 1 };
	struct lg_policy *p = NULL;
	const char *const *lines;
	size_t n = 0;
	int err;

	cfg_base(&cfg);
	cfg_only(&cfg, "log-flood.lua");
	commit_good(&c);
	f = linkname_good(&c);
	one[0] = f;
	lg_verdict_init(&vd);
	err = lg_policy_new(&p, &cfg);
	if (!err)
		err = lg_policy_eval(p, &vd, &list, NULL, NOW);
	tap_is_int(err, 0, "log flood evaluates");
	lines = p ? lg_policy_log_lines(p, &n) : NULL;
	tap_is_int((long long)n, 101, "lg.log: 100 lines and a summary");
	tap_is_int(n ? (long long)strlen(lines[0]) : 0, 1000, "lg.log: a long line is cut at 1000 bytes");
	tap_is_str(n == 101 ? lines[100] : NULL, "(400 more lg.log lines not shown)", "lg.log: dropped lines counted");
	lg_policy_free(p);
	lg_verdict_release(&vd);
	lg_finding_free(f);
	lg_commit_info_release(&c);
	lg_config_release(&cfg);
}

/* --- what the parent accepts from the evaluation process --- */

static void fput_u32(struct lg_buf *b, uint32_t v)
{
	unsigned char c[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
			       (unsigned char)v };

	lg_buf_put(b, c, 4);
}

static void fhead(struct lg_buf *b, char type, uint32_t len)
{
	lg_buf_putc(b, type);
	fput_u32(b, len);
}

/* A violation frame; hint NULL for none. */
static void fviol(struct lg_buf *b, uint32_t fi, uint32_t ri, const char *m, const char *h)
{
	size_t ml = strlen(m), hl = h ? strlen(h) : 0;

	fhead(b, 'V', (uint32_t)(13 + ml + (h ? 4 + hl : 0)));
	fput_u32(b, fi);
	fput_u32(b, ri);
	fput_u32(b, (uint32_t)ml);
	lg_buf_put(b, m, ml);
	lg_buf_putc(b, h ? 1 : 0);
	if (h) {
		fput_u32(b, (uint32_t)hl);
		lg_buf_put(b, h, hl);
	}
}

static void fdone(struct lg_buf *b)
{
	fhead(b, 'K', 0);
}

struct replay {
	struct lg_config cfg;
	struct lg_commit_info c;
	struct lg_finding *f;
	struct lg_findings list;
	struct lg_finding *one[1];
	struct lg_policy *p;
	struct lg_verdict vd;
};

static void replay_init(struct replay *r)
{
	memset(r, 0, sizeof(*r));
	cfg_base(&r->cfg);
	cfg_only(&r->cfg, "frames.lua");
	cfg_rule(&r->cfg, "frames.off", LG_RULE_OFF);
	commit_good(&r->c);
	r->f = linkname_good(&r->c);
	r->one[0] = r->f;
	r->list.v = r->one;
	r->list.n = r->list.alloc = 1;
	lg_verdict_init(&r->vd);
	if (lg_policy_new(&r->p, &r->cfg) < 0)
		tap_diag("frames.lua: %s", lg_error_last());
}

static void replay_release(struct replay *r)
{
	lg_policy_free(r->p);
	lg_verdict_release(&r->vd);
	lg_finding_free(r->f);
	lg_commit_info_release(&r->c);
	lg_config_release(&r->cfg);
}

/* Replays b into a fresh policy; expects code and, for errors, needle. */
static void expect_replay(const char *name, struct lg_buf *b, int code, const char *needle)
{
	struct replay r;
	int err;

	replay_init(&r);
	err = r.p ? lg_policy_replay(r.p, &r.vd, &r.list, b->ptr, b->len) : LG_ERROR;
	if (!tap_ok(err == code && (!needle || strstr(lg_error_last(), needle)), "frames: %s", name))
		tap_diag("got %d: %s", err, lg_error_last());
	replay_release(&r);
	lg_buf_clear(b);
}

static void test_frames(void)
{
	struct lg_buf b = LG_BUF_INIT;
	struct replay r;
	const char *const *lines;
	size_t n = 0, i;
	char big[5000];
	int err;

	/* What a well-behaved child sends. */
	replay_init(&r);
	fviol(&b, 0, 0, "the message", "the hint");
	fviol(&b, 0, 0, "no hint", NULL);
	fhead(&b, 'L', 8);
	lg_buf_put(&b, "log line", 8);
	fhead(&b, 'D', 4);
	fput_u32(&b, 3);
	fdone(&b);
	err = r.p ? lg_policy_replay(r.p, &r.vd, &r.list, b.ptr, b.len) : LG_ERROR;
	tap_is_int(err, 0, "frames: a valid stream is accepted");
	tap_ok(r.vd.n == 2 && r.vd.v[0].finding == r.f && !strcmp(r.vd.v[0].rule, "frames.a") &&
		       r.vd.v[0].severity == LG_SEVERITY_ERROR && !strcmp(r.vd.v[0].message, "the message") &&
		       r.vd.v[0].hint && !strcmp(r.vd.v[0].hint, "the hint") && !r.vd.v[1].hint,
	       "frames: violations are recorded with the parent's own rule id and severity");
	lines = lg_policy_log_lines(r.p, &n);
	tap_ok(n == 2 && !strcmp(lines[0], "log line") && !strcmp(lines[1], "(3 more lg.log lines not shown)"),
	       "frames: log lines and the dropped count arrive");
	replay_release(&r);
	lg_buf_clear(&b);

	/* An error the child reports comes back with its code and message. */
	fhead(&b, 'E', 4 + 25);
	fput_u32(&b, (uint32_t)LG_ELIMIT);
	lg_buf_put(&b, "instruction limit reached", 25);
	expect_replay("a child's error keeps its code and message", &b, LG_ELIMIT, "instruction limit reached");

	/* Never trust the child's bytes. */
	fviol(&b, 1, 0, "m", NULL);
	fdone(&b);
	expect_replay("a finding index out of range", &b, LG_ERROR, "malformed reply (violation index)");
	fviol(&b, 0, 3, "m", NULL);
	fdone(&b);
	expect_replay("a rule index out of range", &b, LG_ERROR, "malformed reply (violation index)");
	fviol(&b, 0, 1, "m", NULL);
	fdone(&b);
	expect_replay("a rule for the other kind of finding", &b, LG_ERROR, "a rule that does not apply");
	fviol(&b, 0, 2, "m", NULL);
	fdone(&b);
	expect_replay("a rule the configuration switched off", &b, LG_ERROR, "a rule that does not apply");
	fviol(&b, 0, 0, "", NULL);
	fdone(&b);
	expect_replay("an empty message", &b, LG_ERROR, "malformed reply (violation)");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	fviol(&b, 0, 0, big, NULL);
	fdone(&b);
	expect_replay("a message over 4096 bytes", &b, LG_ERROR, "malformed reply (violation)");
	fviol(&b, 0, 0, "m", big);
	fdone(&b);
	expect_replay("a hint over 4096 bytes", &b, LG_ERROR, "malformed reply (violation)");
	fhead(&b, 'V', 13);
	fput_u32(&b, 0);
	fput_u32(&b, 0);
	fput_u32(&b, 1000); /* says 1000 bytes follow; none do */
	lg_buf_putc(&b, 0);
	fdone(&b);
	expect_replay("a message length beyond its frame", &b, LG_ERROR, "malformed reply (violation)");
	fhead(&b, 'V', 15);
	fput_u32(&b, 0);
	fput_u32(&b, 0);
	fput_u32(&b, 1);
	lg_buf_putc(&b, 'm');
	lg_buf_putc(&b, 2);
	lg_buf_putc(&b, 0);
	fdone(&b);
	expect_replay("a hint flag that is neither 0 nor 1", &b, LG_ERROR, "malformed reply (violation)");
	fhead(&b, 'V', 16);
	fput_u32(&b, 0);
	fput_u32(&b, 0);
	fput_u32(&b, 1);
	lg_buf_put(&b, "m\0xx", 4);
	fdone(&b);
	expect_replay("trailing bytes in a violation", &b, LG_ERROR, "malformed reply (violation)");
	fhead(&b, 'V', 0x7fffffff);
	expect_replay("a frame longer than any valid one", &b, LG_ERROR, "frame too long");
	fhead(&b, 'Z', 0);
	fdone(&b);
	expect_replay("an unknown frame type", &b, LG_ERROR, "unknown frame");
	fhead(&b, 'L', 1001);
	for (i = 0; i < 1001; i++)
		lg_buf_putc(&b, 'l');
	fdone(&b);
	expect_replay("a log line over 1000 bytes", &b, LG_ERROR, "malformed reply (log line)");
	fhead(&b, 'D', 2);
	lg_buf_put(&b, "xx", 2);
	fdone(&b);
	expect_replay("a dropped count of the wrong size", &b, LG_ERROR, "malformed reply (log count)");
	fhead(&b, 'E', 4);
	fput_u32(&b, 5);
	expect_replay("an error code that is not an error", &b, LG_ERROR, "malformed reply (error code)");
	fhead(&b, 'E', 4);
	fput_u32(&b, (uint32_t)-100);
	expect_replay("an error code that does not exist", &b, LG_ERROR, "malformed reply (error code)");
	fdone(&b);
	fviol(&b, 0, 0, "m", NULL);
	expect_replay("data after the end", &b, LG_ERROR, "data after the end");
	fviol(&b, 0, 0, "m", NULL);
	lg_buf_truncate(&b, b.len - 3);
	expect_replay("a truncated frame", &b, LG_ERROR, "a truncated frame");
	fviol(&b, 0, 0, "m", NULL);
	expect_replay("a stream without an end", &b, LG_ERROR, "ended without a result");
	lg_buf_release(&b);
}

int main(void)
{
	srcdir = getenv("LG_SRCDIR");
	if (!srcdir || !*srcdir)
		srcdir = ".";
	unlink("/tmp/linkgate-escape-os");

	test_default_clean();
	test_default_rule_ids();
	test_default_cases();
	test_default_facts();
	test_escapes();
	test_bad_policies();
	test_limits();
	test_api();
	test_log_cap();
	test_shared_commit();
	test_frames();
	return tap_done();
}
