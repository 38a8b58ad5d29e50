/*
 * sandbox.h — the embedded Lua runtime policies run in: the sandboxed state
 * (lua/sandbox.c) and the `linkgate` module policies call (lua/api.c).
 * lua/engine.c (policy.h) drives both; nothing else should include this.
 *
 * Invariants of a sandbox:
 * - one lua_State per run; every allocation goes through an allocator that
 *   charges a byte budget (C memory that PCRE2 takes for policies is charged
 *   to the same budget);
 * - only base (minus dofile, loadfile, collectgarbage, print, warn; load is
 *   text only), string (minus dump), table, math and utf8 are reachable, and
 *   each policy gets its own environment with its own copies of them;
 * - a count hook bounds instructions and enforces the process deadline; once
 *   a limit trips, the sandbox is dead: the hook raises on every instruction
 *   so `pcall` inside a policy cannot swallow it, and every later call fails
 *   with the same error;
 * - Lua work happens only inside lg_sandbox_pcall(), so no error reaches the
 *   panic function. Functions below marked "protected" may raise and must
 *   only be called from inside such a call.
 */
#ifndef LINKGATE_SANDBOX_H
#define LINKGATE_SANDBOX_H

#include "linkgate/common.h"
#include "linkgate/config.h"
#include "linkgate/finding.h"
#include "linkgate/push.h"
#include "linkgate/verdict.h"

#include <lua.h>

struct lg_sandbox;

/* memory_bytes: cap on the state's memory (0: none); instructions: cap on
 * VM instructions per budget period (<= 0: none; see lg_sandbox_reset_budget).
 * Returns 0, LG_ERROR (the state could not be created) or LG_ELIMIT. */
int lg_sandbox_new(struct lg_sandbox **out, size_t memory_bytes, long instructions);
/* Closes the state (running the C finalizers of its objects) and frees sb. */
void lg_sandbox_free(struct lg_sandbox *sb);
/* Borrowed; valid until lg_sandbox_free(). Use it only through lg_sandbox_pcall(). */
lua_State *lg_sandbox_state(struct lg_sandbox *sb);
/* The sandbox that owns L. */
struct lg_sandbox *lg_sandbox_from_state(lua_State *L);

/* Calls fn(L) in protected mode with ud as its only argument (a light
 * userdata), under a message handler that adds a traceback. On success the
 * nresults values fn returned are left on the stack for the caller to pop.
 * Returns 0; errcode with the Lua error as message (one line, traceback
 * folded in); LG_ELIMIT for the memory or instruction limit; LG_ETIMEOUT for
 * the deadline; LG_ERROR when the sandbox is already dead. A limit hit that
 * a policy swallowed with pcall still fails the call. */
int lg_sandbox_pcall(struct lg_sandbox *sb, lua_CFunction fn, void *ud, int nresults, int errcode);
/* Starts a new instruction budget (each lg_policy_eval() gets its own). */
void lg_sandbox_reset_budget(struct lg_sandbox *sb);
/* True once a limit has tripped: the state must not run anything else. */
bool lg_sandbox_dead(const struct lg_sandbox *sb);

/* Bytes of the "source:line" the count hook last saw, NUL included. */
#define LG_SANDBOX_WHERE_MAX 160
/* From now on the count hook writes the "source:line" it sees into buf
 * (size bytes, NUL-terminated) instead of the sandbox's own copy: the
 * engine points it at memory shared with the parent process, which names
 * the place when it has to kill an evaluation stuck in a C function. NULL
 * goes back to the sandbox's own copy. */
void lg_sandbox_share_where(struct lg_sandbox *sb, char *buf, size_t size);
/* Protected: records where the Lua function at idx is defined as the place
 * the sandbox is at, until the count hook sees a line: a C function that
 * never returns is then located by the function that called it. */
void lg_sandbox_note_function(lua_State *L, int idx);

/* Protected: pushes a fresh environment table for one policy. */
void lg_sandbox_push_env(lua_State *L);
/* Protected: pushes a read-only proxy of the table at idx (reads, #, pairs
 * and ipairs see the table; writes and rawset raise). Nested tables are not
 * wrapped: wrap them first. */
void lg_sandbox_push_readonly(lua_State *L, int idx);
/* Protected: loads policy source as text (never bytecode) with the table at
 * env_idx as its _ENV. Pushes the chunk and returns LUA_OK, or pushes the
 * compiler's message and returns its status. */
int lg_sandbox_load(lua_State *L, const char *src, size_t len, const char *chunkname, int env_idx);

/* Memory functions charging the sandbox's budget, for foreign libraries
 * (PCRE2's general context). data is the struct lg_sandbox. A refusal marks
 * the memory limit as hit. */
void *lg_sandbox_cmalloc(size_t n, void *data);
void lg_sandbox_cfree(void *p, void *data);

/* --- the `linkgate` module (lua/api.c) --- */

/* A rule a policy registered with lg.rule{}. */
struct lg_rule_def {
	char *id;
	enum lg_finding_kind on;
	enum lg_severity severity;
	size_t policy;          /* index into cfg->policies */
	int check_ref;          /* the check function, a reference in the registry */
};

#define LG_LOG_MAX_LINES 100     /* lg.log calls kept per run; then one "N more" line */
#define LG_LOG_MAX_LINE 1000     /* bytes kept of one lg.log line */

/* The C side of the module: what policies registered and logged. Owned by
 * the engine; the registry holds a pointer to it. */
struct lg_api {
	const struct lg_config *cfg; /* borrowed */
	int64_t now;            /* what lg.now() returns */
	bool registering;       /* lg.rule{} is allowed only while policies load */
	struct lg_rule_def *rules;
	size_t nrules, rules_alloc;
	char **log;             /* raw text; the report escapes it */
	size_t nlog, log_alloc, log_dropped;
};

void lg_api_init(struct lg_api *api, const struct lg_config *cfg);
/* Appends one lg.log line (cut at LG_LOG_MAX_LINE bytes, not inside a UTF-8
 * sequence), or counts it as dropped once LG_LOG_MAX_LINES are kept. */
void lg_api_log_add(struct lg_api *api, const char *s, size_t len);
/* Counts n more dropped lines and rewrites the "(N more ...)" line. */
void lg_api_log_dropped(struct lg_api *api, size_t n);
/* Frees rules and log lines (after the sandbox is closed). */
void lg_api_release(struct lg_api *api);
/* Protected: installs the module's shared state (lg.config, lg.params, the
 * regex metatable, the api pointer) in the registry. */
void lg_api_open(lua_State *L, struct lg_api *api);
/* Protected: pushes a new `linkgate` module table for policy number policy
 * and sets `require` in the environment at env_idx to return it. */
void lg_api_install(lua_State *L, int env_idx, size_t policy);
/* Protected: builds the shared ctx table ({push=, config=}) for one run
 * (push may be NULL) and forgets the commits of an earlier run. */
void lg_api_set_run(lua_State *L, const struct lg_push *push);
/* Protected: pushes the ctx table of the current run. */
void lg_api_push_ctx(lua_State *L);
/* Protected: pushes a read-only table for f (commit tables are built once
 * per commit and shared). */
void lg_api_push_finding(lua_State *L, const struct lg_finding *f);
/* Protected: the same with over (a map, or NULL) laid over the finding's
 * table, for policy tests that state facts the detectors do not provide:
 * maps merge key by key (into copies: shared commit tables stay as they
 * are), other values replace, null removes a field. */
void lg_api_push_finding_over(lua_State *L, const struct lg_finding *f, const struct lg_value *over);

#endif
