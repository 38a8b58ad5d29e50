/* engine.c — loading the configured policies and running their rules over
 * findings (see policy.h). */
#include "linkgate/policy.h"
#include "linkgate/buf.h"
#include "linkgate/deadline.h"
#include "linkgate/embed.h"
#include "linkgate/error.h"
#include "linkgate/sandbox.h"

#include <lauxlib.h>
#include <time.h>

#define BUILTIN_DEFAULT "builtin:default"
/* A policy file larger than this is not a policy. */
#define MAX_POLICY_SOURCE (4u << 20)
/* Violations one run may record. max_findings bounds findings, and each
 * finding fails at most every rule once, but a run with this many
 * violations is not one a pusher can act on: it stops as a limit. */
#define MAX_VIOLATIONS 100000
/* Bytes of a rule's message or hint kept in the verdict. */
#define MAX_MESSAGE 4096

struct lg_policy {
	const struct lg_config *cfg; /* borrowed */
	struct lg_sandbox *sb;
	struct lg_api api;
};

/* Registry key of the finding being evaluated. */
static const char key_finding = 'F';

static int open_api(lua_State *L)
{
	lg_api_open(L, lua_touserdata(L, 1));
	return 0;
}

struct load_job {
	const char *src;
	size_t len;
	const char *chunkname;
	size_t index;
};

/* Returns nil, or the compiler's message (a compile error is a
 * configuration error without a traceback to add). */
static int load_policy(lua_State *L)
{
	struct load_job *j = lua_touserdata(L, 1);
	int env;

	lg_sandbox_push_env(L);
	env = lua_gettop(L);
	lg_api_install(L, env, j->index);
	lua_pop(L, 1);
	if (lg_sandbox_load(L, j->src, j->len, j->chunkname, env) != LUA_OK)
		return 1;
	lua_call(L, 0, 0);
	lua_pushnil(L);
	return 1;
}

static int load_one(struct lg_policy *p, size_t index)
{
	const char *name = p->cfg->policies[index].path;
	lua_State *L = lg_sandbox_state(p->sb);
	struct lg_buf src = LG_BUF_INIT;
	struct load_job job = { NULL, 0, NULL, index };
	char *chunkname = NULL;
	int err = 0;

	if (!strcmp(name, BUILTIN_DEFAULT)) {
		job.src = lg_default_policy;
		job.len = lg_default_policy_len;
		chunkname = lg_xstrdup("=" BUILTIN_DEFAULT);
	} else if (!strncmp(name, "builtin:", 8)) {
		return lg_error_set(LG_ECONFIG, "policy %s: no such built-in policy (there is only " BUILTIN_DEFAULT ")",
				    name);
	} else {
		err = lg_buf_read_file(&src, name, MAX_POLICY_SOURCE);
		if (err < 0) {
			err = lg_error_set(LG_ECONFIG, "policy %s: cannot read it: %s", name, lg_error_last());
			goto done;
		}
		job.src = src.ptr;
		job.len = src.len;
		chunkname = lg_xasprintf("@%s", name);
	}
	job.chunkname = chunkname;
	err = lg_sandbox_pcall(p->sb, load_policy, &job, 1, LG_ECONFIG);
	if (err < 0) {
		err = lg_error_set(err, "policy %s: %s", name, lg_error_last());
		goto done;
	}
	if (lua_type(L, -1) == LUA_TSTRING)
		err = lg_error_set(LG_ECONFIG, "policy %s: %s", name, lua_tostring(L, -1));
	lua_pop(L, 1);

done:
	free(chunkname);
	lg_buf_release(&src);
	return err;
}

int lg_policy_new(struct lg_policy **out, const struct lg_config *cfg)
{
	struct lg_policy *p = lg_xcalloc(1, sizeof(*p));
	size_t mem = 0, i, j;
	int err;

	*out = NULL;
	p->cfg = cfg;
	lg_api_init(&p->api, cfg);
	p->api.now = (int64_t)time(NULL);
	if (cfg->limits.lua_memory_mb > 0)
		mem = (unsigned long)cfg->limits.lua_memory_mb > (SIZE_MAX >> 20) ? SIZE_MAX
										  : (size_t)cfg->limits.lua_memory_mb << 20;
	err = lg_sandbox_new(&p->sb, mem, cfg->limits.lua_instructions);
	if (err < 0)
		goto done;
	err = lg_sandbox_pcall(p->sb, open_api, &p->api, 0, LG_ERROR);
	if (err < 0) {
		err = lg_error_set(err, "policy engine: %s", lg_error_last());
		goto done;
	}
	p->api.registering = true;
	for (i = 0; i < cfg->npolicies; i++)
		if ((err = load_one(p, i)) < 0)
			goto done;
	p->api.registering = false;
	for (i = 0; i < cfg->nrules; i++) {
		for (j = 0; j < p->api.nrules; j++)
			if (!strcmp(cfg->rules[i].id, p->api.rules[j].id))
				break;
		if (j == p->api.nrules) {
			err = lg_error_set(LG_ECONFIG, "rules: no loaded policy defines rule '%s'", cfg->rules[i].id);
			goto done;
		}
	}

done:
	if (err < 0) {
		lg_policy_free(p);
		return err;
	}
	*out = p;
	return 0;
}

static int set_run(lua_State *L)
{
	lg_api_set_run(L, lua_touserdata(L, 1));
	return 0;
}

static int set_finding(lua_State *L)
{
	const struct lg_finding *f = lua_touserdata(L, 1);

	if (f)
		lg_api_push_finding(L, f);
	else
		lua_pushnil(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_finding);
	return 0;
}

/* Calls one rule's check on the current finding; returns (message, hint),
 * both nil when the finding passes. */
static int run_rule(lua_State *L)
{
	const struct lg_rule_def *r = lua_touserdata(L, 1);
	int t;

	lua_rawgeti(L, LUA_REGISTRYINDEX, r->check_ref);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_finding);
	lg_api_push_ctx(L);
	lua_call(L, 2, 1);
	t = lua_type(L, -1);
	if (t == LUA_TNIL) {
		lua_pushnil(L);
		return 2;
	}
	if (t == LUA_TSTRING) {
		if (!lua_rawlen(L, -1))
			return luaL_error(L, "check returned an empty message");
		lua_pushnil(L);
		return 2;
	}
	if (t != LUA_TTABLE)
		return luaL_error(L, "check returned a %s value; it must return nil, a message or {message=, hint=}",
				  lua_typename(L, t));
	t = lua_getfield(L, -1, "message");
	if (t != LUA_TSTRING || !lua_rawlen(L, -1))
		return luaL_error(L, "check returned a table whose message is %s; it must be a non-empty string",
				  t == LUA_TSTRING ? "empty" : lua_typename(L, t));
	t = lua_getfield(L, -2, "hint");
	if (t != LUA_TNIL && t != LUA_TSTRING)
		return luaL_error(L, "check returned a table whose hint is a %s value; it must be a string or nil",
				  lua_typename(L, t));
	return 2;
}

/* A copy of at most MAX_MESSAGE bytes, not cutting a UTF-8 sequence. */
static char *copy_text(const char *s, size_t len)
{
	if (len > MAX_MESSAGE) {
		len = MAX_MESSAGE;
		while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	return lg_xstrndup(s, len);
}

/* The severity a violation of r gets, false when the rule is off: the
 * rules: override (else the rule's own severity), then a policy entry in
 * warn or audit mode turns errors into warnings. */
static bool effective_severity(const struct lg_policy *p, const struct lg_rule_def *r, enum lg_severity *out)
{
	const struct lg_policy_ref *pol = &p->cfg->policies[r->policy];
	enum lg_rule_setting s;

	s = lg_config_rule_setting(p->cfg, r->id, r->severity == LG_SEVERITY_ERROR ? LG_RULE_ERROR : LG_RULE_WARNING);
	if (s == LG_RULE_OFF)
		return false;
	*out = s == LG_RULE_WARNING ? LG_SEVERITY_WARNING : LG_SEVERITY_ERROR;
	if (pol->has_mode && pol->mode != LG_MODE_ENFORCE)
		*out = LG_SEVERITY_WARNING;
	return true;
}

/* NEEDSWORK: the count hook cannot interrupt a hang inside a C function (a
 * catastrophic Lua pattern in string.find/match/gsub). Evaluation should run
 * in a forked child with resource limits that the parent kills at the
 * deadline, receiving the violations and log lines over a pipe; this
 * function's signature already allows that, as nothing but the verdict and
 * the log lines leaves it. */
int lg_policy_eval(struct lg_policy *p, struct lg_verdict *vd, const struct lg_findings *findings,
		   const struct lg_push *push, int64_t now)
{
	lua_State *L = lg_sandbox_state(p->sb);
	size_t i, k;
	int err;

	p->api.now = now;
	lg_sandbox_reset_budget(p->sb);
	err = lg_sandbox_pcall(p->sb, set_run, (void *)push, 0, LG_ERROR);
	if (err < 0)
		return lg_error_set(err, "policy evaluation: %s", lg_error_last());
	for (i = 0; i < findings->n; i++) {
		const struct lg_finding *f = findings->v[i];

		if ((err = lg_deadline_check()) < 0)
			return err;
		err = lg_sandbox_pcall(p->sb, set_finding, (void *)f, 0, LG_ERROR);
		if (err < 0)
			return lg_error_set(err, "policy evaluation: %s:%u: %s", f->path ? f->path : "?", f->line,
					    lg_error_last());
		for (k = 0; k < p->api.nrules; k++) {
			const struct lg_rule_def *r = &p->api.rules[k];
			const char *msg, *hint;
			size_t mlen, hlen;
			enum lg_severity sev;
			char *m, *h;

			if (r->on != f->kind || !effective_severity(p, r, &sev))
				continue;
			err = lg_sandbox_pcall(p->sb, run_rule, (void *)r, 2, LG_ERROR);
			if (err < 0)
				return lg_error_set(err, "policy %s: rule '%s' on %s:%u: %s", p->cfg->policies[r->policy].path,
						    r->id, f->path ? f->path : "?", f->line, lg_error_last());
			if (lua_type(L, -2) != LUA_TSTRING) {
				lua_pop(L, 2);
				continue;
			}
			if (vd->n >= MAX_VIOLATIONS) {
				lua_pop(L, 2);
				return lg_error_set(LG_ELIMIT, "policy evaluation: more than %d violations", MAX_VIOLATIONS);
			}
			msg = lua_tolstring(L, -2, &mlen);
			hint = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &hlen) : NULL;
			m = copy_text(msg, mlen);
			h = hint ? copy_text(hint, hlen) : NULL;
			lua_pop(L, 2);
			lg_verdict_add(vd, f, r->id, sev, m, h);
			free(m);
			free(h);
		}
	}
	err = lg_sandbox_pcall(p->sb, set_finding, NULL, 0, LG_ERROR);
	if (err < 0)
		return lg_error_set(err, "policy evaluation: %s", lg_error_last());
	return 0;
}

const char *const *lg_policy_log_lines(const struct lg_policy *p, size_t *n)
{
	if (!p) {
		*n = 0;
		return NULL;
	}
	*n = p->api.nlog + (p->api.log_dropped ? 1 : 0);
	return (const char *const *)p->api.log;
}

void lg_policy_free(struct lg_policy *p)
{
	if (!p)
		return;
	lg_sandbox_free(p->sb);
	lg_api_release(&p->api);
	free(p);
}
