/*
 * audit.h — the audit trail of every decision a hook makes (SPEC "Audit
 * and metrics"): one JSON object per line in audit.log, a one-line summary
 * to syslog with audit.syslog, and the counters of audit.metrics
 * (metrics.h).
 *
 * A line is built with jansson, never by hand, and is pure ASCII: strings
 * that are not valid UTF-8 hold U+FFFD (as a \u escape) where the invalid
 * bytes were and keep the raw bytes, base64, in a sibling "<field>_b64"
 * member, so nothing a pusher sends can make the line unparseable or the
 * write fail. Lines are appended with one write() under flock() on a file
 * opened with O_APPEND, so concurrent pushes never interleave; a short
 * write is cut back so the log never holds half a line.
 *
 * The line's members, in this order (LG_AUDIT_VERSION says which set):
 *   "v": 1, "time": "2026-01-01T00:00:00.123Z" (UTC, when the hook started),
 *   "hook": "pre-receive"|"update", "repository": path of the repository,
 *   "pusher": string or null, "client": the client's address from
 *   SSH_CONNECTION or REMOTE_ADDR, or null,
 *   "refs": [{"ref", "old", "new", "verdict": "accept"|"reject"|"skip"|null}],
 *   "push_options": [{"value", "bytes"}] (values cut to
 *   LG_AUDIT_MAX_OPTION bytes; "bytes" is the full length),
 *   "verdict": "accept"|"warn"|"reject" — what happened to the push,
 *   "policy_verdict": the policies' outcome before any bypass or error,
 *   "mode": "enforce"|"warn"|"audit", "exit": the hook's exit status,
 *   "error": null or {"message", "kind" (lg_audit_error_kind()),
 *   "accepted": bool (on_error: accept)},
 *   "audit_error": null, or why the metrics could not be written,
 *   "bypass": null when not requested, else {"option", "requested": true,
 *   "granted", "used", "reason", "reason_bytes", "refused": why or null},
 *   "counts": {"commits", "findings", "errors", "warnings"},
 *   "violations": [{"rule", "severity", "commit", "path", "line", "message"}],
 *   "findings": [every field of lg_report_finding_json(), but "commit" is
 *   the commit's id, plus "rules": the ids of the rules it violates],
 *   "commits": [the commit objects the findings name, each once],
 *   "duration_ms": the hook's run time so far, "linkgate": the version.
 */
#ifndef LINKGATE_AUDIT_H
#define LINKGATE_AUDIT_H

#include "linkgate/buf.h"
#include "linkgate/bypass.h"
#include "linkgate/config.h"
#include "linkgate/finding.h"
#include "linkgate/push.h"
#include "linkgate/report.h"
#include "linkgate/verdict.h"

#define LG_AUDIT_VERSION 1
#define LG_AUDIT_MAX_OPTION 1024

/* One decision, as the caller saw it. Everything is borrowed. */
struct lg_audit_event {
	int64_t start_ms;               /* wall clock, ms since the epoch */
	long duration_ms;
	const char *hook;               /* "pre-receive", "update" */
	const char *repository;
	const struct lg_push *push;     /* updates, pusher and options */
	const char *const *ref_verdicts; /* parallel to push->updates, or NULL */
	enum lg_outcome outcome;        /* what happened to the push */
	enum lg_outcome policy_outcome; /* the policies' outcome */
	enum lg_mode mode;
	int exit_status;
	const char *error;              /* the message when an error decided, else NULL */
	int error_code;                 /* its lg_err code */
	bool error_accepted;
	const char *audit_error;        /* set by lg_audit_record(): a metrics write that failed */
	const struct lg_bypass *bypass; /* may be NULL */
	bool bypass_used;               /* a granted bypass turned a rejection into an accept */
	const struct lg_verdict *vd;    /* may be NULL */
	const struct lg_findings *findings; /* may be NULL */
	size_t ncommits;
};

/* A short name for an lg_err code, for the audit line and the metrics
 * label: "timeout", "limit", "config", "usage", "notfound", "unsupported",
 * "audit", "refused" or "internal". */
const char *lg_audit_error_kind(int code);

/* Milliseconds since the epoch, for start_ms. */
int64_t lg_audit_now_ms(void);

/* The client's address: the first field of SSH_CONNECTION (or SSH_CLIENT),
 * else REMOTE_ADDR, else NULL. Borrowed from the environment. */
const char *lg_audit_client(void);

/* Appends the event's JSON line, newline included, to out. Returns 0 or
 * LG_EAUDIT when jansson runs out of memory (message set). */
int lg_audit_format(struct lg_buf *out, const struct lg_audit_event *ev);

/* Appends line[0..len) to the file at path (created 0640) with one write()
 * under an exclusive flock(). Returns 0 or LG_EAUDIT naming the path and
 * the system's reason. */
int lg_audit_append(const char *path, const char *line, size_t len);

/* Takes an exclusive flock() on fd, waiting a bounded time for another
 * push to release it. Returns 0 or LG_EAUDIT naming path. (Shared with
 * metrics.c.) */
int lg_audit_lock_fd(int fd, const char *path);

/* The syslog summary, without a newline: "<verdict> repo=... pusher=...
 * refs=N commits=N findings=N errors=N warnings=N [bypass=\"...\"]
 * [error=\"...\"] duration_ms=N", every value from the push escaped and
 * quoted so the line stays one line of printable text. */
void lg_audit_summary(struct lg_buf *out, const struct lg_audit_event *ev);

/* Records the decision where cfg says: audit.metrics first, then the
 * audit.log line, then the syslog summary, so the line tells what finally
 * happened. Returns the exit status the hook must use: ev->exit_status as
 * given, or changed when a write failed (LG_EXIT_INTERNAL for an accepted
 * push unless on_error is accept; LG_EXIT_POLICY for a bypass whose log
 * line could not be written: a break-glass must be audited). Each failure
 * is appended to out as a line for the pusher, escaped, prefixed for
 * GitLab when opts->gitlab_web. ev is updated to the final outcome;
 * duration_ms is set here. A log failure after a metrics update is added
 * to the metrics as an "audit" error; the push itself stays counted with
 * its earlier verdict. */
int lg_audit_record(struct lg_buf *out, const struct lg_report_opts *opts, const struct lg_config *cfg,
		    struct lg_audit_event *ev);

#endif
