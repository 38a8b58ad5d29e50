/*
 * install.h — putting linkgate's hook into repositories.
 *
 * The hook is a small sh script that execs this binary with an absolute
 * path (and the --config given at install time), marked with
 * LG_INSTALL_MARKER so a later install recognises it as its own and
 * replaces it (idempotent). A hook linkgate did not write is never
 * overwritten silently: without --force the install is refused.
 */
#ifndef LINKGATE_INSTALL_H
#define LINKGATE_INSTALL_H

#include "linkgate/buf.h"

#define LG_INSTALL_MARKER "# linkgate-hook: installed by `linkgate install`; reinstall rather than edit"

struct lg_install_opts {
	const char *config;     /* absolute path or NULL */
	const char *binary;     /* absolute path of the linkgate binary */
	bool force;
	bool update;            /* install the update hook instead of pre-receive */
};

/* Installs into the repository at dir; prints what it did on out. Returns 0,
 * LG_EREFUSED (a foreign hook is in the way) or LG_ERROR. */
int lg_install_repo(const struct lg_install_opts *o, const char *dir, FILE *out);

/* Single-quotes s for sh. */
void lg_install_shell_quote(struct lg_buf *out, const char *s);

#endif
