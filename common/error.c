/* error.c — the last-error slot (see error.h). */
#include "linkgate/error.h"
#include "linkgate/buf.h"

#include <git2.h>

static char *last_msg;
static int last_code;

int lg_error_set(int code, const char *fmt, ...)
{
	struct lg_buf b = LG_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	lg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	free(last_msg);
	last_msg = lg_buf_detach(&b, NULL);
	last_code = code;
	return code;
}

int lg_error_set_git(int code, const char *what)
{
	const git_error *e = git_error_last();

	if (e && e->message)
		return lg_error_set(code, "%s: %s", what, e->message);
	return lg_error_set(code, "%s: unknown libgit2 error", what);
}

const char *lg_error_last(void)
{
	return last_msg ? last_msg : "unknown error";
}

int lg_error_last_code(void)
{
	return last_code;
}

void lg_error_clear(void)
{
	free(last_msg);
	last_msg = NULL;
	last_code = LG_OK;
}

int lg_error_exit_status(int code)
{
	switch (code) {
	case LG_OK:
		return LG_EXIT_ACCEPT;
	case LG_EREFUSED:
		return LG_EXIT_POLICY;
	case LG_ECONFIG:
	case LG_EUSAGE:
		return LG_EXIT_CONFIG;
	default:
		return LG_EXIT_INTERNAL;
	}
}
