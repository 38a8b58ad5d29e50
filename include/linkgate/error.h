/*
 * error.h — one error model for the whole program (libgit2's
 * git_error_last() is the model).
 *
 * A function that can fail returns int: 0 on success, a negative lg_err code
 * on failure, after setting the message once, where the failure happened,
 * with lg_error_set(). Callers pass the code up unchanged and never overwrite
 * a precise message with a vaguer one. The message is one line: the report
 * escapes it anyway, but it is written to be shown as is.
 *
 * The code decides the exit status (see lg_error_exit_status()): policy
 * failures are not errors at all, and a refused ref update exits 1 like
 * them; configuration problems exit 2; everything else, limits and
 * timeouts included, exits 3.
 */
#ifndef LINKGATE_ERROR_H
#define LINKGATE_ERROR_H

#include "linkgate/common.h"

enum lg_err {
	LG_OK = 0,
	LG_ERROR = -1,       /* internal failure: I/O, libgit2, Lua... */
	LG_ECONFIG = -2,     /* the configuration or a policy is invalid */
	LG_EUSAGE = -3,      /* bad command line or malformed hook input */
	LG_ELIMIT = -4,      /* a configured limit was reached */
	LG_ETIMEOUT = -5,    /* limits.timeout_ms passed */
	LG_ENOTFOUND = -6,   /* an object or ref that must exist does not */
	LG_EUNSUPPORTED = -7,/* a repository format libgit2 cannot read */
	LG_EAUDIT = -8,      /* the audit log or metrics could not be written */
	LG_EREFUSED = -9,    /* the push is refused outright (a ref to a tree, a denied delete) */
};

/* Sets the last error and returns code, so callers can `return lg_error_set(...)`. */
int lg_error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets the last error from libgit2's last error, prefixed with what was being done. */
int lg_error_set_git(int code, const char *what);
/* The last message, or "unknown error" if none was set; borrowed. */
const char *lg_error_last(void);
/* The last code (LG_OK when none). */
int lg_error_last_code(void);
void lg_error_clear(void);

/* Maps an lg_err code to the exit status of SPEC "Commands". */
int lg_error_exit_status(int code);

#endif
