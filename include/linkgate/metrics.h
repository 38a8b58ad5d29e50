/*
 * metrics.h — audit.metrics: a Prometheus text-format file for
 * node_exporter's textfile collector (name it *.prom in the collector's
 * directory), counting every decision a hook makes.
 *
 * Each push updates it under an exclusive flock() on "<file>.lock": read
 * the counters, add this push, write "<file>.linkgate-tmp" and rename() it
 * over the file, so a reader never sees a half-written file and concurrent
 * pushes never lose an increment. The directory must be writable by every
 * account that runs the hook (and must not be sticky when those accounts
 * differ, or one cannot replace another's file).
 *
 * The families (counters unless said otherwise):
 *   linkgate_pushes_total{hook}                  hook runs that decided
 *   linkgate_verdicts_total{verdict}             accept, warn, reject, bypass
 *   linkgate_findings_total{kind}                linkname, checklinkname-off
 *   linkgate_violations_total{rule,severity}
 *   linkgate_linkname_targets_total{target}      "pkg.sym" for standard-library
 *                                                targets; "other" for the rest,
 *                                                "none" for the one-argument form
 *   linkgate_bypass_requests_total{result}       granted, refused
 *   linkgate_errors_total{kind}                  lg_audit_error_kind()
 *   linkgate_hook_duration_seconds               histogram
 *   linkgate_last_push_timestamp_seconds         gauge
 *
 * Label values are escaped as the exposition format requires (backslash,
 * double quote, newline); bytes that are not valid UTF-8 and other control
 * characters become U+FFFD, and values are cut to LG_METRICS_MAX_LABEL
 * bytes. Series stay bounded: rule ids come from the administrator's
 * policies, and a pusher can name standard-library targets only up to
 * LG_METRICS_MAX_TARGETS series, after which they count as "other" too.
 */
#ifndef LINKGATE_METRICS_H
#define LINKGATE_METRICS_H

#include "linkgate/audit.h"
#include "linkgate/buf.h"
#include "linkgate/finding.h"

#define LG_METRICS_MAX_TARGETS 500
#define LG_METRICS_MAX_LABEL 200

/* Adds the event to the metrics file at path (an ev->audit_error counts
 * as an "audit" error). Returns 0 or LG_EAUDIT naming the file and the
 * reason. */
int lg_metrics_record(const char *path, const struct lg_audit_event *ev);
/* Adds one to linkgate_errors_total{kind}. Returns 0 or LG_EAUDIT. */
int lg_metrics_count_error(const char *path, const char *kind);

/* Appends s escaped as a label value (without the quotes) to out. */
void lg_metrics_escape_label(struct lg_buf *out, const char *s);

/* The target label of a linkname finding before the series cap: "pkg.sym"
 * for a standard-library target, "other" otherwise, "none" without a
 * target. Standard library means target_class runtime, std-internal or
 * std-exported when the finding is classified, else a target package whose
 * first path element has no dot. Borrowed from f or static. */
const char *lg_metrics_target_label(const struct lg_finding *f);

#endif
