/* api.c — the `linkgate` module policies call, and findings as Lua values
 * (see sandbox.h and docs/POLICY.md). */
#include "linkgate/sandbox.h"
#include "linkgate/error.h"

#include <lauxlib.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* lg.regex bounds: the work of one match, its backtracking depth and heap,
 * and the sizes of what it is given. A limit hit raises. */
#define RE_MATCH_LIMIT 1000000u
#define RE_DEPTH_LIMIT 100000u
#define RE_HEAP_LIMIT_KIB 20480u
#define RE_MAX_PATTERN (64u * 1024)
#define RE_MAX_SUBJECT (1024u * 1024)
#define RE_MT "linkgate.regex"

/* Depth of params: nesting (the YAML parser bounds it too). */
#define MAX_PARAMS_DEPTH 64

/* Registry keys: the addresses of these objects. */
static const char key_api = 'A';
static const char key_config = 'C';
static const char key_params = 'P';
static const char key_re_ctx = 'R';
static const char key_ctx = 'X';
static const char key_push = 'U';
static const char key_commits = 'M';

struct re_ctx {
	pcre2_general_context *g;
	pcre2_compile_context *c;
	pcre2_match_context *m;
};

struct re_obj {
	pcre2_code *code;
	pcre2_match_data *md;
};

void lg_api_init(struct lg_api *api, const struct lg_config *cfg)
{
	memset(api, 0, sizeof(*api));
	api->cfg = cfg;
}

void lg_api_release(struct lg_api *api)
{
	size_t i;

	for (i = 0; i < api->nrules; i++)
		free(api->rules[i].id);
	free(api->rules);
	for (i = 0; i < api->nlog + (api->log_dropped ? 1 : 0); i++)
		free(api->log[i]);
	free(api->log);
	memset(api, 0, sizeof(*api));
}

static struct lg_api *get_api(lua_State *L)
{
	struct lg_api *api;

	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_api);
	api = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return api;
}

static bool ascii_eq_nocase(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return false;
	for (i = 0; i < alen; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return false;
	}
	return true;
}

/* --- building values --- */

static void set_str(lua_State *L, const char *name, const char *s)
{
	if (!s)
		return;
	lua_pushstring(L, s);
	lua_setfield(L, -2, name);
}

static void set_int(lua_State *L, const char *name, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, name);
}

static void set_bool(lua_State *L, const char *name, bool v)
{
	lua_pushboolean(L, v);
	lua_setfield(L, -2, name);
}

/* Replaces the table on top of the stack by its read-only proxy. */
static void seal(lua_State *L)
{
	lg_sandbox_push_readonly(L, -1);
	lua_remove(L, -2);
}

static void push_strlist(lua_State *L, const struct lg_strlist *l)
{
	size_t i;

	lua_createtable(L, (int)l->n, 0);
	for (i = 0; i < l->n; i++) {
		lua_pushstring(L, l->v[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	seal(L);
}

static void push_value(lua_State *L, const struct lg_value *v, int depth)
{
	size_t i;

	if (depth > MAX_PARAMS_DEPTH)
		luaL_error(L, "params: nested deeper than %d levels", MAX_PARAMS_DEPTH);
	luaL_checkstack(L, 4, "params");
	switch (v->type) {
	case LG_VALUE_BOOL:
		lua_pushboolean(L, v->b);
		break;
	case LG_VALUE_INT:
		lua_pushinteger(L, (lua_Integer)v->i);
		break;
	case LG_VALUE_STRING:
		lua_pushstring(L, v->s ? v->s : "");
		break;
	case LG_VALUE_SEQ:
		lua_createtable(L, (int)v->nitems, 0);
		for (i = 0; i < v->nitems; i++) {
			push_value(L, &v->items[i], depth + 1);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		seal(L);
		break;
	case LG_VALUE_MAP:
		lua_createtable(L, 0, (int)v->nitems);
		for (i = 0; i < v->nitems; i++) {
			if (!v->keys || !v->keys[i])
				continue;
			push_value(L, &v->items[i], depth + 1);
			lua_setfield(L, -2, v->keys[i]);
		}
		seal(L);
		break;
	default:
		lua_pushnil(L);
		break;
	}
}

static void push_config(lua_State *L, const struct lg_config *cfg)
{
	size_t i;

	lua_createtable(L, 0, 12);
	set_str(L, "mode", lg_mode_name(cfg->mode));
	set_str(L, "scope", cfg->scope == LG_SCOPE_PUSH ? "push" : "commit");

	lua_createtable(L, 0, 4);
	set_str(L, "issue", cfg->trailers.issue);
	set_str(L, "owner", cfg->trailers.owner);
	set_str(L, "remove_by", cfg->trailers.remove_by);
	set_str(L, "signoff", cfg->trailers.signoff);
	seal(L);
	lua_setfield(L, -2, "trailers");

	set_str(L, "issue_pattern", cfg->issue_pattern);
	push_strlist(L, &cfg->owners);
	lua_setfield(L, -2, "owners");

	lua_createtable(L, 0, 3);
	lua_createtable(L, (int)cfg->signoff.nteam, 0);
	for (i = 0; i < cfg->signoff.nteam; i++) {
		lua_createtable(L, 0, 3);
		set_str(L, "user", cfg->signoff.team[i].user);
		set_str(L, "email", cfg->signoff.team[i].email);
		set_str(L, "principal", cfg->signoff.team[i].principal);
		seal(L);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	seal(L);
	lua_setfield(L, -2, "team");
	set_str(L, "verify", lg_verify_name(cfg->signoff.verify));
	set_str(L, "allowed_signers", cfg->signoff.allowed_signers);
	seal(L);
	lua_setfield(L, -2, "signoff");

	lua_createtable(L, 0, 1);
	set_int(L, "max_days", cfg->removal_max_days);
	seal(L);
	lua_setfield(L, -2, "removal");

	push_strlist(L, &cfg->go_source);
	lua_setfield(L, -2, "go_source");
	set_str(L, "help_url", cfg->help_url);
	seal(L);
}

/* --- lg.rule --- */

static const char *const rule_fields[] = { "id", "on", "severity", "summary", "check" };

static bool valid_rule_id(const char *id, size_t len)
{
	size_t i;

	if (!len || len > 100)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      (i && (c == '.' || c == '-' || c == '_'))))
			return false;
	}
	return true;
}

static const char *rule_string(lua_State *L, const char *field, bool required, size_t *len)
{
	int t = lua_getfield(L, 1, field);

	if (t == LUA_TNIL && !required) {
		lua_pop(L, 1);
		return NULL;
	}
	if (t != LUA_TSTRING)
		luaL_error(L, "lg.rule: field '%s' must be a string, got %s", field, lua_typename(L, t));
	return lua_tolstring(L, -1, len);
}

static int l_rule(lua_State *L)
{
	struct lg_api *api = get_api(L);
	size_t policy = (size_t)lua_tointeger(L, lua_upvalueindex(1));
	enum lg_finding_kind kind;
	enum lg_severity sev;
	const char *id, *s;
	struct lg_rule_def *r;
	size_t idlen, i;
	int ref;

	if (!api->registering)
		return luaL_error(L, "lg.rule: rules can only be registered while the policy loads");
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		bool known = false;

		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING)
			return luaL_error(L, "lg.rule: field names must be strings");
		for (i = 0; i < LG_ARRAY_SIZE(rule_fields); i++)
			known = known || !strcmp(lua_tostring(L, -1), rule_fields[i]);
		if (!known)
			return luaL_error(L, "lg.rule: unknown field '%s' (fields: id, on, severity, summary, check)",
					  lua_tostring(L, -1));
	}
	id = rule_string(L, "id", true, &idlen);
	if (!valid_rule_id(id, idlen))
		return luaL_error(L, "lg.rule: id '%s' is not a rule id (letters, digits, '.', '-', '_'; up to 100)",
				  id);
	s = rule_string(L, "on", true, NULL);
	if (!strcmp(s, "linkname"))
		kind = LG_FINDING_LINKNAME;
	else if (!strcmp(s, "checklinkname-off"))
		kind = LG_FINDING_CHECKLINKNAME_OFF;
	else
		return luaL_error(L, "lg.rule '%s': on must be \"linkname\" or \"checklinkname-off\", not '%s'", id, s);
	s = rule_string(L, "severity", true, NULL);
	if (!strcmp(s, "error"))
		sev = LG_SEVERITY_ERROR;
	else if (!strcmp(s, "warning"))
		sev = LG_SEVERITY_WARNING;
	else
		return luaL_error(L, "lg.rule '%s': severity must be \"error\" or \"warning\", not '%s'", id, s);
	rule_string(L, "summary", false, NULL);
	for (i = 0; i < api->nrules; i++)
		if (!strcmp(api->rules[i].id, id))
			return luaL_error(L, "lg.rule: rule '%s' is already defined (by policy %s)", id,
					  api->cfg->policies[api->rules[i].policy].path);
	if (lua_getfield(L, 1, "check") != LUA_TFUNCTION)
		return luaL_error(L, "lg.rule '%s': check must be a function", id);
	ref = luaL_ref(L, LUA_REGISTRYINDEX);
	/* No Lua call may raise after this point: the C copies would leak. */
	api->rules = lg_xgrow(api->rules, sizeof(*api->rules), api->nrules + 1, &api->rules_alloc);
	r = &api->rules[api->nrules++];
	r->id = lg_xstrndup(id, idlen);
	r->on = kind;
	r->severity = sev;
	r->policy = policy;
	r->check_ref = ref;
	return 0;
}

/* --- lg.trailer, lg.trailers --- */

/* Pushes the trailers list of a commit (or of a finding's commit) at idx;
 * returns false (pushing nothing) when there is no commit. */
static bool push_trailer_list(lua_State *L, int idx)
{
	int t = lua_type(L, idx);

	if (t == LUA_TNIL || t == LUA_TNONE)
		return false;
	if (t != LUA_TTABLE)
		luaL_argerror(L, idx, "commit expected (f.commit)");
	if (lua_getfield(L, idx, "trailers") == LUA_TTABLE)
		return true;
	lua_pop(L, 1);
	t = lua_getfield(L, idx, "commit");
	if (t == LUA_TNIL) {
		lua_pop(L, 1);
		return false;
	}
	if (t == LUA_TTABLE && lua_getfield(L, -1, "trailers") == LUA_TTABLE) {
		lua_remove(L, -2);
		return true;
	}
	return luaL_argerror(L, idx, "commit expected (f.commit): it has no trailers list");
}

static int trailer_lookup(lua_State *L, bool all)
{
	size_t klen, n = 0;
	const char *key = luaL_checklstring(L, 2, &klen);
	lua_Integer i;
	int list;

	if (!push_trailer_list(L, 1)) {
		if (all)
			lua_newtable(L);
		else
			lua_pushnil(L);
		return 1;
	}
	list = lua_gettop(L);
	if (all)
		lua_newtable(L);
	for (i = 1;; i++) {
		int top = lua_gettop(L);
		bool hit = false;

		if (lua_geti(L, list, i) == LUA_TNIL) {
			lua_settop(L, top);
			break;
		}
		if (lua_type(L, -1) == LUA_TTABLE && lua_getfield(L, top + 1, "key") == LUA_TSTRING) {
			size_t len;
			const char *k = lua_tolstring(L, -1, &len);

			hit = ascii_eq_nocase(k, len, key, klen) && lua_getfield(L, top + 1, "value") == LUA_TSTRING;
		}
		if (hit) {
			if (!all)
				return 1;
			lua_rawseti(L, list + 1, (lua_Integer)++n);
		}
		lua_settop(L, top);
	}
	if (!all)
		lua_pushnil(L);
	return 1;
}

static int l_trailer(lua_State *L)
{
	return trailer_lookup(L, false);
}

static int l_trailers(lua_State *L)
{
	return trailer_lookup(L, true);
}

/* --- lg.regex --- */

static struct re_ctx *get_re_ctx(lua_State *L)
{
	struct re_ctx *c;

	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_re_ctx);
	c = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return c;
}

static int re_ctx_gc(lua_State *L)
{
	struct re_ctx *c = lua_touserdata(L, 1);

	pcre2_match_context_free(c->m);
	pcre2_compile_context_free(c->c);
	pcre2_general_context_free(c->g);
	memset(c, 0, sizeof(*c));
	return 0;
}

static int re_gc(lua_State *L)
{
	struct re_obj *re = luaL_checkudata(L, 1, RE_MT);

	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	re->md = NULL;
	re->code = NULL;
	return 0;
}

static int l_regex(lua_State *L)
{
	size_t plen;
	const char *pat = luaL_checklstring(L, 1, &plen);
	const char *flags = luaL_optstring(L, 2, "");
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
	struct re_ctx *ctx = get_re_ctx(L);
	struct re_obj *re;
	PCRE2_SIZE eoff;
	size_t csize = 0;
	int ecode;

	for (; *flags; flags++) {
		switch (*flags) {
		case 'i':
			opts |= PCRE2_CASELESS;
			break;
		case 'm':
			opts |= PCRE2_MULTILINE;
			break;
		case 's':
			opts |= PCRE2_DOTALL;
			break;
		case 'x':
			opts |= PCRE2_EXTENDED;
			break;
		default:
			return luaL_error(L, "lg.regex: unknown flag '%c' (flags: i, m, s, x)", *flags);
		}
	}
	if (plen > RE_MAX_PATTERN)
		return luaL_error(L, "lg.regex: pattern longer than %d bytes", (int)RE_MAX_PATTERN);
	/* The userdata owns the compiled code from the start, so every raise
	 * below leaves the C memory to its __gc. */
	re = lua_newuserdatauv(L, sizeof(*re), 0);
	re->code = NULL;
	re->md = NULL;
	luaL_setmetatable(L, RE_MT);
	re->code = pcre2_compile((PCRE2_SPTR)pat, plen, opts, &ecode, &eoff, ctx->c);
	if (!re->code) {
		PCRE2_UCHAR msg[256];

		if (pcre2_get_error_message(ecode, msg, sizeof(msg)) < 0)
			msg[0] = '\0';
		return luaL_error(L, "lg.regex: invalid pattern at offset %d: %s", (int)eoff, (const char *)msg);
	}
	re->md = pcre2_match_data_create_from_pattern(re->code, ctx->g);
	if (!re->md)
		return luaL_error(L, "lg.regex: memory limit reached");
	/* The collector sees only the small userdata; tell it about the C
	 * memory behind it, so regexes a policy drops are freed before their
	 * code fills the memory budget. */
	if (pcre2_pattern_info(re->code, PCRE2_INFO_SIZE, &csize) == 0)
		lua_gc(L, LUA_GCSTEP, (int)(csize / 1024 + 1));
	return 1;
}

static int re_exec(lua_State *L, bool captures)
{
	struct re_obj *re = luaL_checkudata(L, 1, RE_MT);
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);
	struct re_ctx *ctx = get_re_ctx(L);
	PCRE2_SIZE *ov;
	uint32_t n, i;
	int rc;

	if (!re->code || !re->md)
		return luaL_error(L, "lg.regex: not a compiled regex");
	if (len > RE_MAX_SUBJECT)
		return luaL_error(L, "lg.regex: subject longer than %d bytes", (int)RE_MAX_SUBJECT);
	rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, ctx->m);
	switch (rc) {
	case PCRE2_ERROR_NOMATCH:
		if (captures)
			lua_pushnil(L);
		else
			lua_pushboolean(L, 0);
		return 1;
	case PCRE2_ERROR_MATCHLIMIT:
		return luaL_error(L, "lg.regex: regex limit reached (match limit %d)", (int)RE_MATCH_LIMIT);
	case PCRE2_ERROR_DEPTHLIMIT:
		return luaL_error(L, "lg.regex: regex limit reached (depth limit %d)", (int)RE_DEPTH_LIMIT);
	case PCRE2_ERROR_HEAPLIMIT:
		return luaL_error(L, "lg.regex: regex limit reached (heap limit %d KiB)", (int)RE_HEAP_LIMIT_KIB);
	case PCRE2_ERROR_NOMEMORY:
		return luaL_error(L, "lg.regex: memory limit reached");
	default:
		break;
	}
	if (rc < 0) {
		PCRE2_UCHAR msg[256];

		if (pcre2_get_error_message(rc, msg, sizeof(msg)) < 0)
			msg[0] = '\0';
		return luaL_error(L, "lg.regex: match failed: %s", (const char *)msg);
	}
	if (!captures) {
		lua_pushboolean(L, 1);
		return 1;
	}
	ov = pcre2_get_ovector_pointer(re->md);
	n = pcre2_get_ovector_count(re->md);
	luaL_checkstack(L, (int)n, "lg.regex: too many captures");
	for (i = 0; i < n; i++) {
		PCRE2_SIZE a = ov[2 * i], b = ov[2 * i + 1];

		/* rc == 0 would mean the vector was too small: it is sized from
		 * the pattern, so only unset groups lie beyond rc. */
		if ((rc > 0 && i >= (uint32_t)rc) || a == PCRE2_UNSET || b == PCRE2_UNSET)
			lua_pushnil(L);
		else if (a > b || b > len) /* \K can put the start after the end */
			lua_pushliteral(L, "");
		else
			lua_pushlstring(L, s + a, b - a);
	}
	return (int)n;
}

static int re_match(lua_State *L)
{
	return re_exec(L, true);
}

static int re_test(lua_State *L)
{
	return re_exec(L, false);
}

static void open_regex(lua_State *L, struct lg_sandbox *sb)
{
	static const luaL_Reg methods[] = { { "match", re_match }, { "test", re_test }, { NULL, NULL } };
	struct re_ctx *c;

	c = lua_newuserdatauv(L, sizeof(*c), 0);
	memset(c, 0, sizeof(*c));
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, re_ctx_gc);
	lua_setfield(L, -2, "__gc");
	lua_setmetatable(L, -2);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_re_ctx);
	/* PCRE2's memory is charged to the sandbox's budget. */
	c->g = pcre2_general_context_create(lg_sandbox_cmalloc, lg_sandbox_cfree, sb);
	c->c = c->g ? pcre2_compile_context_create(c->g) : NULL;
	c->m = c->g ? pcre2_match_context_create(c->g) : NULL;
	if (!c->g || !c->c || !c->m)
		luaL_error(L, "lg.regex: cannot allocate PCRE2 contexts");
	pcre2_set_max_pattern_length(c->c, RE_MAX_PATTERN);
	pcre2_set_match_limit(c->m, RE_MATCH_LIMIT);
	pcre2_set_depth_limit(c->m, RE_DEPTH_LIMIT);
	pcre2_set_heap_limit(c->m, RE_HEAP_LIMIT_KIB);

	luaL_newmetatable(L, RE_MT);
	luaL_newlib(L, methods);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, re_gc);
	lua_setfield(L, -2, "__gc");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 1);
}

/* --- lg.date, lg.now, lg.go_version_cmp, lg.log --- */

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days
 * inverse, counting 400-year eras from March 1st so leap days fall last). */
static long long days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	if (m <= 2)
		y--;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153LL * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int l_date(lua_State *L)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	size_t len;
	const char *s;
	int y, m, d, dim;

	if (lua_type(L, 1) != LUA_TSTRING) {
		lua_pushnil(L);
		return 1;
	}
	s = lua_tolstring(L, 1, &len);
	if (len != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s, 4) || !all_digits(s + 5, 2) ||
	    !all_digits(s + 8, 2)) {
		lua_pushnil(L);
		return 1;
	}
	y = num(s, 4);
	m = num(s + 5, 2);
	d = num(s + 8, 2);
	if (m < 1 || m > 12 || d < 1) {
		lua_pushnil(L);
		return 1;
	}
	dim = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		dim = 29;
	if (d > dim) {
		lua_pushnil(L);
		return 1;
	}
	lua_pushinteger(L, (lua_Integer)(days_from_civil(y, m, d) * 86400));
	return 1;
}

static int l_now(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)get_api(L)->now);
	return 1;
}

/* A Go version: [go]MAJOR[.MINOR[.PATCH | (alpha|beta|rc)N]]. kind orders
 * what shares major.minor the way Go's go/version.Compare does: the
 * language version ("go1.21") < alpha < beta < rc < the releases (.PATCH). */
enum gover_kind { GOVER_LANG, GOVER_ALPHA, GOVER_BETA, GOVER_RC, GOVER_RELEASE };
struct gover {
	long major, minor, patch, pre;
	enum gover_kind kind;
};

static bool parse_num(const char **p, const char *end, long *out)
{
	const char *s = *p;
	long v = 0;

	if (s == end || *s < '0' || *s > '9')
		return false;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (s - *p >= 9)
			return false;
		v = v * 10 + (*s - '0');
	}
	*p = s;
	*out = v;
	return true;
}

static bool parse_gover(const char *s, size_t len, struct gover *v)
{
	static const struct {
		const char *word;
		enum gover_kind kind;
	} pre[] = { { "alpha", GOVER_ALPHA }, { "beta", GOVER_BETA }, { "rc", GOVER_RC } };
	const char *p = s, *end = s + len;
	size_t i;

	memset(v, 0, sizeof(*v));
	if (len >= 2 && !memcmp(p, "go", 2))
		p += 2;
	if (!parse_num(&p, end, &v->major))
		return false;
	if (p == end)
		return true;
	if (*p++ != '.' || !parse_num(&p, end, &v->minor))
		return false;
	if (p == end)
		return true;
	if (*p == '.') {
		p++;
		v->kind = GOVER_RELEASE;
		return parse_num(&p, end, &v->patch) && p == end;
	}
	for (i = 0; i < LG_ARRAY_SIZE(pre); i++) {
		size_t wl = strlen(pre[i].word);

		if ((size_t)(end - p) > wl && !memcmp(p, pre[i].word, wl)) {
			p += wl;
			v->kind = pre[i].kind;
			return parse_num(&p, end, &v->pre) && p == end;
		}
	}
	return false;
}

static int cmp_long(long a, long b)
{
	return a < b ? -1 : a > b;
}

static int l_go_version_cmp(lua_State *L)
{
	size_t alen, blen;
	const char *a = luaL_checklstring(L, 1, &alen);
	const char *b = luaL_checklstring(L, 2, &blen);
	struct gover va, vb;
	int c;

	if (!parse_gover(a, alen, &va))
		return luaL_error(L, "lg.go_version_cmp: '%s' is not a Go version (go1.N, 1.N.P, go1.NrcK)", a);
	if (!parse_gover(b, blen, &vb))
		return luaL_error(L, "lg.go_version_cmp: '%s' is not a Go version (go1.N, 1.N.P, go1.NrcK)", b);
	c = cmp_long(va.major, vb.major);
	if (!c)
		c = cmp_long(va.minor, vb.minor);
	if (!c)
		c = cmp_long(va.kind, vb.kind);
	if (!c)
		c = va.kind == GOVER_RELEASE ? cmp_long(va.patch, vb.patch) : cmp_long(va.pre, vb.pre);
	lua_pushinteger(L, c);
	return 1;
}

static int l_log(lua_State *L)
{
	struct lg_api *api = get_api(L);
	int n = lua_gettop(L), i;
	const char *s;
	size_t len;
	luaL_Buffer b;

	luaL_buffinit(L, &b);
	for (i = 1; i <= n; i++) {
		if (i > 1)
			luaL_addchar(&b, '\t');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	s = lua_tolstring(L, -1, &len);
	/* C memory from here on; nothing below raises. */
	lg_api_log_add(api, s, len);
	return 0;
}

void lg_api_log_add(struct lg_api *api, const char *s, size_t len)
{
	if (len > LG_LOG_MAX_LINE) {
		len = LG_LOG_MAX_LINE;
		while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--; /* do not cut a UTF-8 sequence */
	}
	if (api->nlog < LG_LOG_MAX_LINES) {
		api->log = lg_xgrow(api->log, sizeof(*api->log), LG_LOG_MAX_LINES + 1, &api->log_alloc);
		api->log[api->nlog++] = lg_xstrndup(s, len);
	} else {
		lg_api_log_dropped(api, 1);
	}
}

void lg_api_log_dropped(struct lg_api *api, size_t n)
{
	if (!n)
		return;
	api->log = lg_xgrow(api->log, sizeof(*api->log), LG_LOG_MAX_LINES + 1, &api->log_alloc);
	if (api->log_dropped)
		free(api->log[api->nlog]);
	api->log_dropped = n > SIZE_MAX - api->log_dropped ? SIZE_MAX : api->log_dropped + n;
	api->log[api->nlog] = lg_xasprintf("(%zu more lg.log %s not shown)", api->log_dropped,
					   api->log_dropped == 1 ? "line" : "lines");
}

static int l_require(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);

	if (strcmp(name, "linkgate"))
		return luaL_error(L, "module '%s' not found: policies can only require \"linkgate\"", name);
	lua_pushvalue(L, lua_upvalueindex(1));
	return 1;
}

/* --- setup --- */

void lg_api_open(lua_State *L, struct lg_api *api)
{
	lua_pushlightuserdata(L, api);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_api);
	open_regex(L, lg_sandbox_from_state(L));
	push_config(L, api->cfg);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_config);
	if (api->cfg->params.type == LG_VALUE_MAP || api->cfg->params.type == LG_VALUE_SEQ) {
		push_value(L, &api->cfg->params, 0);
	} else {
		lua_newtable(L);
		seal(L);
	}
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_params);
}

void lg_api_install(lua_State *L, int env_idx, size_t policy)
{
	static const luaL_Reg funcs[] = {
		{ "trailer", l_trailer },
		{ "trailers", l_trailers },
		{ "regex", l_regex },
		{ "date", l_date },
		{ "now", l_now },
		{ "go_version_cmp", l_go_version_cmp },
		{ "log", l_log },
		{ NULL, NULL },
	};

	env_idx = lua_absindex(L, env_idx);
	luaL_newlib(L, funcs);
	lua_pushinteger(L, (lua_Integer)policy);
	lua_pushcclosure(L, l_rule, 1);
	lua_setfield(L, -2, "rule");
	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_params);
	lua_setfield(L, -2, "params");
	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_config);
	lua_setfield(L, -2, "config");
	lua_pushvalue(L, -1);
	lua_pushcclosure(L, l_require, 1);
	lua_setfield(L, env_idx, "require");
}

/* --- findings --- */

static void push_push(lua_State *L, const struct lg_push *push)
{
	size_t i;

	lua_createtable(L, 0, 3);
	if (push)
		set_str(L, "pusher", push->pusher);
	lua_createtable(L, push ? (int)push->noptions : 0, 0);
	for (i = 0; push && i < push->noptions; i++) {
		lua_pushstring(L, push->options[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	seal(L);
	lua_setfield(L, -2, "options");
	lua_createtable(L, push ? (int)push->nupdates : 0, 0);
	for (i = 0; push && i < push->nupdates; i++) {
		const struct lg_ref_update *u = &push->updates[i];

		lua_createtable(L, 0, 5);
		set_str(L, "ref", u->ref);
		set_str(L, "old", u->old_id);
		set_str(L, "new", u->new_id);
		set_bool(L, "create", u->is_create);
		set_bool(L, "delete", u->is_delete);
		seal(L);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	seal(L);
	lua_setfield(L, -2, "updates");
	seal(L);
}

void lg_api_set_run(lua_State *L, const struct lg_push *push)
{
	push_push(L, push);
	lua_pushvalue(L, -1);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_push);
	lua_createtable(L, 0, 2);
	lua_insert(L, -2);
	lua_setfield(L, -2, "push");
	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_config);
	lua_setfield(L, -2, "config");
	seal(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_ctx);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_commits);
}

void lg_api_push_ctx(lua_State *L)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_ctx);
}

static void push_commit(lua_State *L, const struct lg_commit_info *c)
{
	size_t i;

	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_commits);
	if (lua_rawgetp(L, -1, c) != LUA_TNIL) {
		lua_remove(L, -2);
		return;
	}
	lua_pop(L, 1);
	lua_createtable(L, 0, 10);
	set_str(L, "id", c->id);
	set_str(L, "summary", c->summary);
	set_str(L, "message", c->message);
	set_str(L, "author", c->author);
	set_str(L, "committer", c->committer);
	set_int(L, "time", (lua_Integer)c->time);
	lua_createtable(L, (int)c->ntrailers, 0);
	for (i = 0; i < c->ntrailers; i++) {
		lua_createtable(L, 0, 2);
		set_str(L, "key", c->trailers[i].key ? c->trailers[i].key : "");
		set_str(L, "value", c->trailers[i].value ? c->trailers[i].value : "");
		seal(L);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	seal(L);
	lua_setfield(L, -2, "trailers");
	lua_createtable(L, (int)c->nsignoffs, 0);
	for (i = 0; i < c->nsignoffs; i++) {
		const struct lg_signoff *s = &c->signoffs[i];

		lua_createtable(L, 0, 4);
		set_str(L, "value", s->value ? s->value : "");
		set_str(L, "commit", s->commit_id);
		set_bool(L, "verified", s->verified);
		set_str(L, "signer", s->signer);
		seal(L);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	seal(L);
	lua_setfield(L, -2, "signoffs");
	lua_createtable(L, 0, 3);
	set_bool(L, "present", c->signed_);
	set_bool(L, "verified", c->signature_verified);
	set_str(L, "signer", c->signer);
	seal(L);
	lua_setfield(L, -2, "signature");
	seal(L);
	lua_pushvalue(L, -1);
	lua_rawsetp(L, -3, c);
	lua_remove(L, -2);
}

static void push_rationale(lua_State *L, const struct lg_finding *f)
{
	const struct lg_rationale *r = &f->rationale;

	lua_createtable(L, 0, 9);
	set_bool(L, "present", r->present);
	if (r->present) {
		set_int(L, "line", r->line);
		set_str(L, "why", r->why);
		set_str(L, "measured_gain", r->measured_gain);
		set_str(L, "target_source", r->target_source);
		set_str(L, "removed_when", r->removed_when);
		set_str(L, "owner", r->owner);
		if (f->removal_go >= 0)
			set_int(L, "removal_go", f->removal_go);
		if (f->removal_expired >= 0)
			set_bool(L, "expired", f->removal_expired > 0);
	}
	seal(L);
}

/* An end of a Go range: the minor, or nothing (nil) when open. */
static void set_minor(lua_State *L, lua_Integer idx, const char *name, int minor)
{
	if (minor < 0)
		return;
	lua_pushinteger(L, minor);
	lua_rawseti(L, -2, idx);
	lua_pushinteger(L, minor);
	lua_setfield(L, -2, name);
}

/* {{lo, hi, lo=, hi=, where=}...}: closed intervals of Go 1.x minors. */
static void push_ranges(lua_State *L, const struct lg_goranges *l)
{
	size_t i;

	lua_createtable(L, (int)l->n, 0);
	for (i = 0; i < l->n; i++) {
		lua_createtable(L, 2, 3);
		set_minor(L, 1, "lo", l->v[i].lo);
		set_minor(L, 2, "hi", l->v[i].hi);
		set_str(L, "where", l->v[i].where);
		seal(L);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	seal(L);
}

static void push_strv(lua_State *L, char *const *v, size_t n)
{
	size_t i;

	lua_createtable(L, (int)n, 0);
	for (i = 0; i < n; i++) {
		lua_pushstring(L, v[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	seal(L);
}

static void push_file(lua_State *L, const struct lg_file_facts *ff)
{
	lua_createtable(L, 0, 12);
	set_str(L, "package", ff->package);
	set_bool(L, "is_test", ff->is_test);
	if (ff->imports_unsafe >= 0)
		set_bool(L, "imports_unsafe", ff->imports_unsafe > 0);
	set_str(L, "import_path", ff->import_path);
	set_str(L, "module", ff->module);
	set_str(L, "gomod", ff->gomod);
	set_str(L, "gomod_error", ff->gomod_error);
	if (ff->module_go >= 0)
		set_int(L, "module_go", ff->module_go);
	if (ff->module_toolchain >= 0)
		set_int(L, "module_toolchain", ff->module_toolchain);
	lua_createtable(L, 0, 6);
	set_str(L, "expr", ff->build_expr);
	set_bool(L, "misplaced", ff->build_misplaced);
	set_bool(L, "legacy", ff->build_legacy);
	set_str(L, "implicit", ff->build_implicit);
	set_str(L, "error", ff->build_error);
	if (ff->go_versions_known) {
		push_ranges(L, &ff->go_versions);
		lua_setfield(L, -2, "go_versions");
	}
	seal(L);
	lua_setfield(L, -2, "build");
	seal(L);
}

/* The tree-level facts (facts.h); each stays nil while unknown. */
static void push_tree_facts(lua_State *L, const struct lg_finding *f)
{
	size_t i;

	if (f->siblings_known) {
		lua_createtable(L, (int)f->nsiblings, 0);
		for (i = 0; i < f->nsiblings; i++) {
			lua_createtable(L, 0, 3);
			set_int(L, "line", f->siblings[i].line);
			set_str(L, "localname", f->siblings[i].localname);
			set_str(L, "target", f->siblings[i].target);
			seal(L);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		seal(L);
		lua_setfield(L, -2, "siblings");
	}
	if (f->fallback.known || f->fallback.error) {
		lua_createtable(L, 0, 5);
		set_str(L, "error", f->fallback.error);
		if (f->fallback.known) {
			set_str(L, "path", f->fallback.npaths ? f->fallback.paths[0] : NULL);
			push_strv(L, f->fallback.paths, f->fallback.npaths);
			lua_setfield(L, -2, "paths");
			push_ranges(L, &f->fallback.gaps);
			lua_setfield(L, -2, "gaps");
			push_ranges(L, &f->fallback.overlaps);
			lua_setfield(L, -2, "overlaps");
		}
		seal(L);
		lua_setfield(L, -2, "fallback");
	}
	if (f->target_check_known) {
		lua_createtable(L, (int)f->ntarget_check, 0);
		for (i = 0; i < f->ntarget_check; i++) {
			const struct lg_target_check *c = &f->target_check[i];

			lua_createtable(L, 0, 6);
			set_int(L, "go", c->go);
			set_str(L, "version", c->version);
			if (c->exists >= 0)
				set_bool(L, "exists", c->exists > 0);
			if (c->shape_ok >= 0)
				set_bool(L, "shape_ok", c->shape_ok > 0);
			set_str(L, "detail", c->detail);
			set_str(L, "where", c->where);
			seal(L);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		seal(L);
		lua_setfield(L, -2, "target_check");
	}
	if (f->ci.present) {
		lua_createtable(L, 0, 4);
		push_strv(L, f->ci.versions, f->ci.nversions);
		lua_setfield(L, -2, "versions");
		set_bool(L, "tip", f->ci.tip);
		push_strv(L, f->ci.files, f->ci.nfiles);
		lua_setfield(L, -2, "files");
		push_strv(L, f->ci.errors, f->ci.nerrors);
		lua_setfield(L, -2, "errors");
		seal(L);
		lua_setfield(L, -2, "ci");
	}
}

void lg_api_push_finding(lua_State *L, const struct lg_finding *f)
{
	lua_createtable(L, 0, 24);
	set_str(L, "kind", lg_finding_kind_name(f->kind));
	set_str(L, "path", f->path);
	set_int(L, "line", f->line);
	if (f->text) {
		lua_pushlstring(L, f->text, f->text_len ? f->text_len : strlen(f->text));
		lua_setfield(L, -2, "text");
	}
	set_str(L, "ref", f->ref);
	if (f->commit) {
		push_commit(L, f->commit);
		lua_setfield(L, -2, "commit");
	}
	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_push);
	lua_setfield(L, -2, "push");
	if (f->kind == LG_FINDING_LINKNAME) {
		set_str(L, "localname", f->localname);
		set_str(L, "target", f->target);
		set_str(L, "target_pkg", f->target_pkg);
		set_str(L, "target_sym", f->target_sym);
		set_str(L, "target_class", f->target_class);
		set_str(L, "malformed", f->malformed);
		set_str(L, "vendored", f->vendored);
		push_file(L, &f->file);
		lua_setfield(L, -2, "file");
		push_tree_facts(L, f);
	} else {
		set_str(L, "carrier", f->carrier);
		set_str(L, "yaml_path", f->yaml_path);
		set_str(L, "spelling", f->spelling);
	}
	push_rationale(L, f);
	lua_setfield(L, -2, "rationale");
	seal(L);
}

/* Replaces the value on top of the stack (nil, or a read-only table as
 * findings are made of) by v laid over it: a map merges key by key into a
 * copy, anything else replaces, null removes. The result is read-only. */
static void overlay(lua_State *L, const struct lg_value *v, int depth)
{
	int old, t;
	size_t i;

	if (depth > MAX_PARAMS_DEPTH)
		luaL_error(L, "finding overlay: nested deeper than %d levels", MAX_PARAMS_DEPTH);
	luaL_checkstack(L, 8, "finding overlay");
	if (v->type != LG_VALUE_MAP) {
		lua_pop(L, 1);
		push_value(L, v, depth); /* (null pushes nil) */
		return;
	}
	old = lua_gettop(L);
	lua_newtable(L);
	t = lua_gettop(L);
	if (lua_type(L, old) == LUA_TTABLE) {
		/* The table behind a read-only proxy, or the table itself. */
		if (lua_getmetatable(L, old) && lua_getfield(L, -1, "__index") == LUA_TTABLE)
			lua_remove(L, -2);
		else
			lua_pushvalue(L, old);
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, t);
		}
		lua_settop(L, t);
	}
	for (i = 0; i < v->nitems; i++) {
		if (!v->keys || !v->keys[i])
			continue;
		lua_getfield(L, t, v->keys[i]);
		overlay(L, &v->items[i], depth + 1);
		lua_setfield(L, t, v->keys[i]);
	}
	seal(L);
	lua_remove(L, old);
}

void lg_api_push_finding_over(lua_State *L, const struct lg_finding *f, const struct lg_value *over)
{
	lg_api_push_finding(L, f);
	if (over && over->type == LG_VALUE_MAP)
		overlay(L, over, 0);
}
