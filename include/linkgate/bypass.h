/*
 * bypass.h — break-glass (SPEC "Break-glass"): a listed pusher pushes past
 * policy violations with `git push -o <bypass.push_option>=<reason>`.
 *
 * It is off unless both bypass.push_option and bypass.allowed are set, and
 * a push option alone never enables it: the pusher (the first variable of
 * pusher.from that is set) must be listed in bypass.allowed, byte for byte,
 * the reason must hold something besides blanks and control bytes, and an
 * audit trail (audit.log or audit.syslog) must be configured. A granted
 * bypass only turns a policy rejection into an accept; errors, limits and
 * refused ref updates still reject, and the findings are still reported
 * and audited.
 *
 * Push options are free text from the pusher. The reason kept here is
 * bounded (LG_BYPASS_MAX_REASON bytes, cut at a UTF-8 boundary) and raw:
 * whoever shows it escapes it (escape.h) or writes it as JSON.
 */
#ifndef LINKGATE_BYPASS_H
#define LINKGATE_BYPASS_H

#include "linkgate/buf.h"
#include "linkgate/config.h"
#include "linkgate/push.h"

#define LG_BYPASS_MAX_REASON 512

struct lg_bypass {
	bool enabled;           /* bypass.push_option and bypass.allowed are both set */
	bool requested;         /* the push carried the option */
	bool granted;           /* requested, pusher listed, reason given */
	char *reason;           /* the option's value, bounded; NULL when not requested */
	size_t reason_bytes;    /* the value's full length before bounding */
	const char *refusal;    /* static text saying why a request was refused, else NULL */
	const char *option;     /* bypass.push_option, borrowed from the configuration */
};

void lg_bypass_init(struct lg_bypass *b);
void lg_bypass_release(struct lg_bypass *b);

/* Decides whether the push asks for a bypass and may have it. The option is
 * `<name>=<reason>` or a bare `<name>` (an empty reason); when it occurs
 * more than once, the last occurrence counts. Never fails. */
void lg_bypass_decide(struct lg_bypass *out, const struct lg_config *cfg, const struct lg_push *push);

/* The pusher's lines about a requested bypass (escaped; each prefixed
 * "GL-HOOK-ERR: " when gitlab_web): when granted, "linkgate: BYPASS: push
 * accepted despite policy errors, by <pusher>: \"<reason>\"..." if used is
 * true (it turned a rejection into an accept), else a line saying it was
 * not needed; when refused, "linkgate: bypass refused: <why>; the push is
 * judged as usual" and, if break-glass is enabled, the usage. Nothing when
 * no bypass was requested. */
void lg_bypass_report(struct lg_buf *out, const struct lg_bypass *b, const char *pusher, bool used, bool gitlab_web);

#endif
