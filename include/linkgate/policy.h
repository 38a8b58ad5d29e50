/*
 * policy.h — running the configured Lua policies over findings.
 *
 * lg_policy_new() creates one sandboxed Lua state (see sandbox.h), loads and
 * compiles every policy of cfg->policies once (builtin:default from the
 * embedded source), each in its own environment, and collects the rules they
 * register. lg_policy_eval() runs every rule whose `on` matches a finding's
 * kind and whose effective setting (cfg->rules overrides) is not off, and
 * records each failure in the verdict with its rule id, severity, message
 * and hint.
 *
 * Policies are loaded in the calling process (so `config check` and
 * `install` see compile errors); each lg_policy_eval() forks a child that
 * inherits the loaded state and runs the rules under CPU and address-space
 * limits, streaming violations and lg.log lines back over a pipe. The
 * parent checks every byte it receives, decides severities itself, and
 * kills the child at the deadline (lg_deadline_remaining_ms()): a C
 * function that never returns (a catastrophic Lua pattern) cannot hang the
 * hook. A findings list that is empty starts no process.
 *
 * Errors (a policy that does not compile, raises, exceeds memory or
 * instruction limits, or passes the deadline; an evaluation process that
 * crashes or is killed by a limit) return a negative code with a message
 * naming the policy file, line and limit; they never become "pass".
 */
#ifndef LINKGATE_POLICY_H
#define LINKGATE_POLICY_H

#include "linkgate/common.h"
#include "linkgate/config.h"
#include "linkgate/finding.h"
#include "linkgate/push.h"
#include "linkgate/verdict.h"

struct lg_policy;

/* Returns 0 or LG_ECONFIG (a policy does not load) / LG_ERROR / LG_ELIMIT. */
int lg_policy_new(struct lg_policy **out, const struct lg_config *cfg);
/* now: epoch seconds that lg.now() returns. push may be NULL (check).
 * Violations are appended to vd as they arrive, so on failure vd may hold
 * those decided before it. Returns 0, LG_ERROR (a rule raised, the child
 * crashed or sent a malformed reply), LG_ELIMIT (memory, instructions, CPU)
 * or LG_ETIMEOUT. */
int lg_policy_eval(struct lg_policy *p, struct lg_verdict *vd, const struct lg_findings *findings,
		   const struct lg_push *push, int64_t now);
/* The same, with overlays[i] (a map, or NULL; overlays itself may be NULL)
 * laid over the table of findings->v[i] as lg_api_push_finding_over() does:
 * `linkgate policy test` states facts this way. */
int lg_policy_eval_over(struct lg_policy *p, struct lg_verdict *vd, const struct lg_findings *findings,
			const struct lg_value *const *overlays, const struct lg_push *push, int64_t now);
void lg_policy_free(struct lg_policy *p);

/* For tests and fuzzing: what the parent makes of buf[0..len) as the whole
 * output of an evaluation process (the frame format is described in
 * lua/engine.c): violations go to vd; returns 0 when the frames are valid
 * and end with a "done" frame, the child's error when they end with one, or
 * LG_ERROR naming what is malformed. */
int lg_policy_replay(struct lg_policy *p, struct lg_verdict *vd, const struct lg_findings *findings,
		     const void *buf, size_t len);

/* Whether a loaded policy registered rule id. */
bool lg_policy_has_rule(const struct lg_policy *p, const char *id);

/* The lines policies wrote with lg.log(), raw (the report escapes them), in
 * order: at most 100 lines of at most 1000 bytes each (LG_LOG_MAX_LINES and
 * LG_LOG_MAX_LINE in sandbox.h), then one "(N more lg.log lines not shown)"
 * line if any were dropped. Borrowed from p, valid until lg_policy_free();
 * *n is the count (0 and NULL for a NULL p). */
const char *const *lg_policy_log_lines(const struct lg_policy *p, size_t *n);

#endif
