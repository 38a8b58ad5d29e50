/* sandbox.c — the sandboxed Lua state policies run in (see sandbox.h). */
#include "linkgate/sandbox.h"
#include "linkgate/buf.h"
#include "linkgate/deadline.h"
#include "linkgate/error.h"

#include <lauxlib.h>
#include <lualib.h>

/* Instructions between two hook calls while no limit has tripped: small
 * enough to notice the deadline promptly, large enough to cost nothing. */
#define HOOK_STEP 1000
/* Bytes of a Lua error message (traceback included) kept in lg_error. */
#define MAX_ERROR_TEXT 2000

enum trip { TRIP_NONE, TRIP_INSTRUCTIONS, TRIP_TIME, TRIP_MEMORY };

struct lg_sandbox {
	lua_State *L;
	size_t mem_used;
	size_t mem_limit;       /* SIZE_MAX: no cap */
	/* A refused allocation is retried by Lua after an emergency collection;
	 * only a refusal that is not followed by a successful growth (the retry
	 * failed too) means the cap was really hit. */
	bool mem_refused;
	bool mem_hit;           /* sticky: survives a pcall inside the policy */
	long instr_limit;       /* <= 0: none */
	long instr_used;
	int hook_step;
	enum trip trip;         /* sticky once set */
	/* "source:line" seen by the last hook call; where points at where_own
	 * unless lg_sandbox_share_where() moved it. */
	char *where;
	size_t where_size;
	char where_own[LG_SANDBOX_WHERE_MAX];
};

/* Keys in the registry: addresses of these objects. */
static const char key_template = 'T';

static void *sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct lg_sandbox *sb = ud;
	void *np;

	if (!ptr)
		osize = 0; /* osize then encodes the object type, not a size */
	if (nsize == 0) {
		free(ptr);
		sb->mem_used -= osize;
		return NULL;
	}
	if (nsize > osize && nsize - osize > sb->mem_limit - sb->mem_used) {
		if (sb->mem_refused)
			sb->mem_hit = true;
		sb->mem_refused = true;
		return NULL;
	}
	np = realloc(ptr, nsize);
	if (!np)
		return NULL; /* real exhaustion: Lua raises a memory error */
	if (nsize > osize)
		sb->mem_refused = false;
	sb->mem_used = sb->mem_used - osize + nsize;
	return np;
}

/* Foreign allocations carry their size in front, aligned for any type. */
union cmem_head {
	size_t size;
	max_align_t align;
};

void *lg_sandbox_cmalloc(size_t n, void *data)
{
	struct lg_sandbox *sb = data;
	union cmem_head *h;

	if (n > SIZE_MAX - sizeof(*h) || n + sizeof(*h) > sb->mem_limit - sb->mem_used) {
		sb->mem_hit = true; /* no collection can help a foreign library */
		return NULL;
	}
	h = malloc(n + sizeof(*h));
	if (!h)
		return NULL;
	h->size = n + sizeof(*h);
	sb->mem_used += h->size;
	return h + 1;
}

void lg_sandbox_cfree(void *p, void *data)
{
	struct lg_sandbox *sb = data;
	union cmem_head *h;

	if (!p)
		return;
	h = (union cmem_head *)p - 1;
	sb->mem_used -= h->size;
	free(h);
}

static int sb_panic(lua_State *L)
{
	const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(no message)";

	/* Unreachable by design: all Lua work runs under lua_pcall. */
	fprintf(stderr, "linkgate: internal error: unprotected Lua error: %s\n", msg);
	fflush(stderr);
	abort();
	return 0;
}

struct lg_sandbox *lg_sandbox_from_state(lua_State *L)
{
	return *(struct lg_sandbox **)lua_getextraspace(L);
}

static const char *limit_text(enum trip t)
{
	switch (t) {
	case TRIP_INSTRUCTIONS:
		return "instruction limit reached";
	case TRIP_TIME:
		return "time limit reached";
	case TRIP_MEMORY:
		return "memory limit reached";
	default:
		return "limit reached";
	}
}

static void hook(lua_State *L, lua_Debug *ar)
{
	struct lg_sandbox *sb = lg_sandbox_from_state(L);

	if (sb->trip == TRIP_NONE) {
		if (lua_getinfo(L, "Sl", ar))
			snprintf(sb->where, sb->where_size, "%s:%d", ar->short_src, ar->currentline);
		sb->instr_used += sb->hook_step;
		if (sb->instr_limit > 0 && sb->instr_used >= sb->instr_limit)
			sb->trip = TRIP_INSTRUCTIONS;
		else if (lg_deadline_remaining_ms() == 0)
			sb->trip = TRIP_TIME;
		else if (sb->mem_hit)
			sb->trip = TRIP_MEMORY;
		else
			return;
		/* From now on every instruction raises again, so a pcall in the
		 * policy only delays the unwinding by one instruction. */
		lua_sethook(L, hook, LUA_MASKCOUNT, 1);
	}
	lua_pushstring(L, limit_text(sb->trip));
	lua_error(L);
}

/* The message handler: the error as text plus a traceback. It never calls a
 * __tostring metamethod: a hostile one could loop or raise forever. */
static int msgh(lua_State *L)
{
	const char *msg;
	int t = lua_type(L, 1);

	if (t == LUA_TSTRING || t == LUA_TNUMBER)
		msg = lua_tostring(L, 1);
	else
		msg = lua_pushfstring(L, "(error object is a %s value)", lua_typename(L, t));
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/* Folds a multi-line message with its traceback into one line. */
static void fold_message(struct lg_buf *out, const char *s, size_t len)
{
	static const char tb[] = "\nstack traceback:\n\t";
	static const char pcall_frame[] = "\n\t[C]: in ?";
	bool in_tb = false;
	size_t i;

	/* The last frame is the C function lg_sandbox_pcall() called: noise. */
	if (len >= sizeof(pcall_frame) - 1 &&
	    !memcmp(s + len - (sizeof(pcall_frame) - 1), pcall_frame, sizeof(pcall_frame) - 1))
		len -= sizeof(pcall_frame) - 1;

	for (i = 0; i < len && out->len < MAX_ERROR_TEXT; i++) {
		if (s[i] != '\n') {
			lg_buf_putc(out, s[i]);
			continue;
		}
		if (!in_tb && len - i >= sizeof(tb) - 1 && !memcmp(s + i, tb, sizeof(tb) - 1)) {
			lg_buf_puts(out, " [traceback: ");
			in_tb = true;
			i += sizeof(tb) - 2;
		} else if (i + 1 < len && s[i + 1] == '\t') {
			lg_buf_puts(out, "; ");
			i++;
		} else {
			lg_buf_putc(out, ' ');
		}
	}
	if (i < len)
		lg_buf_puts(out, "...");
	if (in_tb)
		lg_buf_putc(out, ']');
}

static int limit_error(struct lg_sandbox *sb)
{
	/* The hook knows where an instruction or time limit tripped; a
	 * memory error unwinds without running it, so the place is only the
	 * last one the hook saw in this call, if any. */
	const char *at = sb->where[0] ? (sb->trip == TRIP_MEMORY ? " near " : " at ") : "";

	switch (sb->trip) {
	case TRIP_TIME:
		if (lg_deadline_check() == 0) /* the deadline was moved since */
			lg_error_set(LG_ETIMEOUT, "time limit reached");
		return lg_error_set(LG_ETIMEOUT, "%s%s%s", lg_error_last(), at, sb->where);
	case TRIP_INSTRUCTIONS:
		return lg_error_set(LG_ELIMIT, "instruction limit reached (limits.lua_instructions: %ld)%s%s",
				    sb->instr_limit, at, sb->where);
	default:
		return lg_error_set(LG_ELIMIT, "memory limit reached (limits.lua_memory_mb: %zu)%s%s",
				    sb->mem_limit >> 20, at, sb->where);
	}
}

int lg_sandbox_pcall(struct lg_sandbox *sb, lua_CFunction fn, void *ud, int nresults, int errcode)
{
	lua_State *L = sb->L;
	int base, status;

	if (sb->trip != TRIP_NONE)
		return limit_error(sb);
	sb->where[0] = '\0';
	base = lua_gettop(L);
	lua_pushcfunction(L, msgh);
	lua_pushcfunction(L, fn);
	lua_pushlightuserdata(L, ud);
	status = lua_pcall(L, 1, nresults, base + 1);
	/* A limit the policy swallowed with pcall (memory errors can be caught
	 * without the hook seeing them) still fails the call. A refusal still
	 * pending here was raised without a retry that succeeded. */
	if (sb->trip == TRIP_NONE && (sb->mem_hit || sb->mem_refused))
		sb->trip = TRIP_MEMORY;
	if (sb->trip != TRIP_NONE) {
		lua_settop(L, base);
		lua_sethook(L, hook, LUA_MASKCOUNT, 1);
		return limit_error(sb);
	}
	if (status != LUA_OK) {
		struct lg_buf b = LG_BUF_INIT;
		size_t len = 0;
		const char *s = NULL;
		int err;

		if (status == LUA_ERRMEM) {
			lua_settop(L, base);
			return lg_error_set(LG_ERROR, "out of memory in Lua");
		}
		if (lua_type(L, -1) == LUA_TSTRING)
			s = lua_tolstring(L, -1, &len);
		if (s)
			fold_message(&b, s, len);
		else
			lg_buf_puts(&b, "(error object is not a string)");
		lua_settop(L, base);
		err = lg_error_set(errcode, "%s", b.ptr);
		lg_buf_release(&b);
		return err;
	}
	lua_remove(L, base + 1); /* the message handler */
	return 0;
}

void lg_sandbox_reset_budget(struct lg_sandbox *sb)
{
	sb->instr_used = 0;
}

bool lg_sandbox_dead(const struct lg_sandbox *sb)
{
	return sb->trip != TRIP_NONE;
}

void lg_sandbox_note_function(lua_State *L, int idx)
{
	struct lg_sandbox *sb = lg_sandbox_from_state(L);
	lua_Debug ar;

	lua_pushvalue(L, idx);
	if (lua_getinfo(L, ">S", &ar) && ar.linedefined > 0)
		snprintf(sb->where, sb->where_size, "%s:%d", ar.short_src, ar.linedefined);
}

void lg_sandbox_share_where(struct lg_sandbox *sb, char *buf, size_t size)
{
	if (!buf || !size) {
		buf = sb->where_own;
		size = sizeof(sb->where_own);
	}
	buf[0] = '\0';
	sb->where = buf;
	sb->where_size = size;
}

lua_State *lg_sandbox_state(struct lg_sandbox *sb)
{
	return sb->L;
}

/* --- the environment policies see --- */

/* Base functions a policy may use; load, rawset and setmetatable are
 * replaced below, the rest of base (dofile, loadfile, collectgarbage, print,
 * warn) is left out. */
static const char *const base_allowed[] = {
	"assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget",
	"rawlen", "select", "tonumber", "tostring", "type", "xpcall", "_VERSION",
};
static const char *const libs_allowed[] = { "string", "table", "math", "utf8" };

static int ro_newindex(lua_State *L)
{
	if (lua_type(L, 2) == LUA_TSTRING)
		return luaL_error(L, "attempt to modify a read-only table (field '%s')", lua_tostring(L, 2));
	return luaL_error(L, "attempt to modify a read-only table");
}

/* The table behind a read-only proxy (whose metatable holds it as __index).
 * The proxy is checked: pairs() hands ro_next out, and it must not read
 * the metatable of anything else. */
static void push_backing(lua_State *L, int proxy)
{
	bool ok = false;

	if (lua_type(L, proxy) == LUA_TTABLE && lua_getmetatable(L, proxy)) {
		lua_getfield(L, -1, "__newindex");
		ok = lua_tocfunction(L, -1) == ro_newindex;
		lua_pop(L, 1);
	}
	if (!ok)
		luaL_error(L, "bad argument #1 (read-only table expected)");
	lua_getfield(L, -1, "__index");
	lua_remove(L, -2);
}

static int ro_len(lua_State *L)
{
	push_backing(L, 1);
	lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
	return 1;
}

/* The iterator takes the proxy, not the table behind it: handing that table
 * out through pairs() would let a policy modify it. */
static int ro_next(lua_State *L)
{
	lua_settop(L, 2);
	push_backing(L, 1);
	lua_pushvalue(L, 2);
	if (lua_next(L, -2))
		return 2;
	lua_pushnil(L);
	return 1;
}

static int ro_pairs(lua_State *L)
{
	lua_pushcfunction(L, ro_next);
	lua_pushvalue(L, 1);
	lua_pushnil(L);
	return 3;
}

static bool is_readonly(lua_State *L, int idx)
{
	bool ro = false;

	if (lua_getmetatable(L, idx)) {
		lua_getfield(L, -1, "__newindex");
		ro = lua_tocfunction(L, -1) == ro_newindex;
		lua_pop(L, 2);
	}
	return ro;
}

void lg_sandbox_push_readonly(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	lua_createtable(L, 0, 0);
	lua_createtable(L, 0, 5);
	lua_pushvalue(L, idx);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, ro_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushcfunction(L, ro_len);
	lua_setfield(L, -2, "__len");
	lua_pushcfunction(L, ro_pairs);
	lua_setfield(L, -2, "__pairs");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
}

/* rawset would bypass a proxy's __newindex. */
static int sb_rawset(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	if (is_readonly(L, 1))
		return luaL_error(L, "attempt to modify a read-only table");
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

/* Lua runs __gc finalizers with hooks switched off, so one that never
 * returns could not be stopped; refusing __gc in setmetatable means no Lua
 * finalizer ever exists (a __gc added to the metatable later is ignored by
 * Lua, which marks objects for finalization only in setmetatable). */
static int sb_setmetatable(lua_State *L)
{
	if (lua_type(L, 2) == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");
		if (lua_rawget(L, 2) != LUA_TNIL)
			return luaL_error(L, "setmetatable: __gc metamethods are not allowed in policies");
		lua_pop(L, 1);
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

/* load(chunk [, chunkname [, mode [, env]]]): text only, and the policy's
 * own environment unless the caller passes one (any table it passes is
 * already its own). Upvalues: the original load, the policy's env. */
static int sb_load(lua_State *L)
{
	const char *mode = luaL_optstring(L, 3, "t");
	bool has_env = !lua_isnone(L, 4);

	if (!strchr(mode, 't')) {
		/* As load reports a mode mismatch: nil and a message. */
		lua_pushnil(L);
		lua_pushliteral(L, "binary chunks are not allowed in policies (load mode must be \"t\")");
		return 2;
	}
	lua_settop(L, 4);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	lua_pushliteral(L, "t");
	if (has_env)
		lua_pushvalue(L, 4);
	else
		lua_pushvalue(L, lua_upvalueindex(2));
	lua_call(L, 4, LUA_MULTRET);
	return lua_gettop(L) - 4;
}

static void copy_table(lua_State *L, int src)
{
	src = lua_absindex(L, src);
	lua_newtable(L);
	lua_pushnil(L);
	while (lua_next(L, src)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, -4);
	}
}

void lg_sandbox_push_env(lua_State *L)
{
	int tmpl, env;
	size_t i;

	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_template);
	tmpl = lua_gettop(L);
	lua_createtable(L, 0, 32);
	env = lua_gettop(L);
	for (i = 0; i < LG_ARRAY_SIZE(base_allowed); i++) {
		lua_getfield(L, tmpl, base_allowed[i]);
		lua_setfield(L, env, base_allowed[i]);
	}
	for (i = 0; i < LG_ARRAY_SIZE(libs_allowed); i++) {
		lua_getfield(L, tmpl, libs_allowed[i]);
		copy_table(L, -1);
		lua_setfield(L, env, libs_allowed[i]);
		lua_pop(L, 1);
	}
	lua_getfield(L, tmpl, "rawset");
	lua_setfield(L, env, "rawset");
	lua_getfield(L, tmpl, "setmetatable");
	lua_setfield(L, env, "setmetatable");
	lua_getfield(L, tmpl, "load");
	lua_pushvalue(L, env);
	lua_pushcclosure(L, sb_load, 2);
	lua_setfield(L, env, "load");
	lua_pushvalue(L, env);
	lua_setfield(L, env, "_G");
	lua_remove(L, tmpl);
}

int lg_sandbox_load(lua_State *L, const char *src, size_t len, const char *chunkname, int env_idx)
{
	int status;

	env_idx = lua_absindex(L, env_idx);
	if (len && src[0] == LUA_SIGNATURE[0]) {
		lua_pushliteral(L, "precompiled Lua (bytecode) is not accepted: policies must be Lua source text");
		return LUA_ERRSYNTAX;
	}
	status = luaL_loadbufferx(L, src, len, chunkname, "t");
	if (status != LUA_OK)
		return status;
	lua_pushvalue(L, env_idx);
	if (!lua_setupvalue(L, -2, 1))
		lua_pop(L, 1);
	return LUA_OK;
}

/* Opens the allowed libraries, keeps pristine copies in the registry for
 * the environments, locks the string metatable and empties the global table
 * so nothing can fall back on it. */
static int setup(lua_State *L)
{
	static const struct {
		const char *name;
		lua_CFunction open;
	} libs[] = {
		{ LUA_GNAME, luaopen_base },   { LUA_STRLIBNAME, luaopen_string }, { LUA_TABLIBNAME, luaopen_table },
		{ LUA_MATHLIBNAME, luaopen_math }, { LUA_UTF8LIBNAME, luaopen_utf8 },
	};
	int tmpl, g;
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(libs); i++) {
		luaL_requiref(L, libs[i].name, libs[i].open, 1);
		lua_pop(L, 1);
	}
	lua_pushglobaltable(L);
	g = lua_gettop(L);
	lua_createtable(L, 0, 32);
	tmpl = lua_gettop(L);
	for (i = 0; i < LG_ARRAY_SIZE(base_allowed); i++) {
		lua_getfield(L, g, base_allowed[i]);
		lua_setfield(L, tmpl, base_allowed[i]);
	}
	for (i = 0; i < LG_ARRAY_SIZE(libs_allowed); i++) {
		lua_getfield(L, g, libs_allowed[i]);
		copy_table(L, -1);
		lua_setfield(L, tmpl, libs_allowed[i]);
		lua_pop(L, 1);
	}
	lua_getfield(L, tmpl, "string");
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 1);
	lua_getfield(L, g, "load");
	lua_setfield(L, tmpl, "load");
	lua_getfield(L, g, "rawset");
	lua_pushcclosure(L, sb_rawset, 1);
	lua_setfield(L, tmpl, "rawset");
	lua_getfield(L, g, "setmetatable");
	lua_pushcclosure(L, sb_setmetatable, 1);
	lua_setfield(L, tmpl, "setmetatable");

	/* Strings share one metatable in the whole state: its __index becomes
	 * a read-only view of a private copy of the string library, so no
	 * policy can change what ("x"):upper() means for another. */
	lua_pushliteral(L, "");
	if (!lua_getmetatable(L, -1))
		return luaL_error(L, "string metatable missing");
	lua_getfield(L, tmpl, "string");
	copy_table(L, -1);
	lg_sandbox_push_readonly(L, -1);
	lua_setfield(L, -4, "__index");
	lua_pop(L, 2);
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 2);

	lua_pushvalue(L, tmpl);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_template);

	/* Empty the global table and the loaded-modules table: policies never
	 * see them, and nothing should be reachable through them anyway. */
	for (;;) {
		lua_pushnil(L);
		if (!lua_next(L, g))
			break;
		lua_pop(L, 1);
		lua_pushnil(L);
		lua_rawset(L, g);
	}
	lua_pushnil(L);
	lua_setfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	return 0;
}

int lg_sandbox_new(struct lg_sandbox **out, size_t memory_bytes, long instructions)
{
	struct lg_sandbox *sb = lg_xcalloc(1, sizeof(*sb));
	int err;

	*out = NULL;
	sb->mem_limit = memory_bytes ? memory_bytes : SIZE_MAX;
	sb->instr_limit = instructions;
	sb->hook_step = HOOK_STEP;
	sb->where = sb->where_own;
	sb->where_size = sizeof(sb->where_own);
	if (instructions > 0 && instructions < HOOK_STEP)
		sb->hook_step = (int)instructions;
	sb->L = lua_newstate(sb_alloc, sb);
	if (!sb->L) {
		free(sb);
		return lg_error_set(LG_ELIMIT, "cannot create the Lua state (limits.lua_memory_mb: %zu)",
				    memory_bytes >> 20);
	}
	*(struct lg_sandbox **)lua_getextraspace(sb->L) = sb;
	lua_atpanic(sb->L, sb_panic);
	lua_setwarnf(sb->L, NULL, NULL);
	lua_sethook(sb->L, hook, LUA_MASKCOUNT, sb->hook_step);
	err = lg_sandbox_pcall(sb, setup, NULL, 0, LG_ERROR);
	if (err < 0) {
		lg_sandbox_free(sb);
		return err;
	}
	*out = sb;
	return 0;
}

void lg_sandbox_free(struct lg_sandbox *sb)
{
	if (!sb)
		return;
	if (sb->L)
		lua_close(sb->L);
	free(sb);
}
