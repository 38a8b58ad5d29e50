/*
 * install.h — putting linkgate's hook where each kind of git server runs
 * hooks, and running a hook linkgate was chained behind.
 *
 * A hook is a small sh script that execs this binary with an absolute
 * path (and the --config given at install time), marked with
 * LG_INSTALL_MARKER so a later install recognises it as its own and
 * rewrites it (idempotent: an identical hook is left alone). A file
 * linkgate did not write is never overwritten silently: without --force
 * or --chain the install is refused. With --chain the foreign hook is
 * renamed to "<hook>.linkgate-chained" and linkgate's script runs it
 * first, with the same arguments and the same stdin (linkgate reads stdin
 * once and feeds the chained hook a copy through a pipe); a failure there
 * rejects the push before linkgate looks at it. Once chained, later
 * installs keep the chain.
 *
 * Where the hook goes, by platform:
 *   plain     <hooks dir>/pre-receive (or update with --update, pre-push with
 *             --pre-push in a working clone); core.hooksPath is honoured.
 *   gitolite  DIR a repository: its hooks/pre-receive (repository-specific;
 *             gitolite's own update hook stays and still runs after it).
 *             DIR anything else: gitolite's LOCAL_CODE directory, the hook
 *             goes to DIR/hooks/common/pre-receive for every repository
 *             after `gitolite setup --hooks-only`.
 *   gitlab    DIR a repository: DIR/custom_hooks/<hook>.d/linkgate; else a
 *             global server hooks directory: DIR/<hook>.d/linkgate.
 *   gitea     DIR a repository: <hooks dir>/<hook>.d/linkgate (Gitea's and
 *             Forgejo's own hook runs every file there).
 *   ghes      DIR/linkgate-pre-receive.sh, a pre-receive hook script for
 *             GitHub Enterprise Server's hook repository, with the
 *             environment it needs described in its comments.
 */
#ifndef LINKGATE_INSTALL_H
#define LINKGATE_INSTALL_H

#include "linkgate/buf.h"

#define LG_INSTALL_MARKER "# linkgate-hook: installed by `linkgate install`; reinstall rather than edit"
#define LG_INSTALL_CHAINED_SUFFIX ".linkgate-chained"
/* Where the ghes script expects the binary inside the hook environment. */
#define LG_INSTALL_GHES_BINARY "/usr/local/bin/linkgate"

enum lg_platform {
	LG_PLATFORM_PLAIN,
	LG_PLATFORM_GITOLITE,
	LG_PLATFORM_GITLAB,
	LG_PLATFORM_GITEA,
	LG_PLATFORM_GHES,
};

struct lg_install_opts {
	const char *config;     /* absolute path or NULL */
	const char *binary;     /* absolute path of the linkgate binary */
	enum lg_platform platform;
	bool force;             /* replace a foreign hook */
	bool chain;             /* keep a foreign hook and run it first */
	bool update;            /* the update hook instead of pre-receive */
	bool pre_push;          /* the pre-push hook, into a working clone */
	bool uses_push_options; /* the configuration enables break-glass */
};

/* Parses "plain", "gitolite", "gitlab", "gitea" (also "forgejo") or
 * "ghes". Returns 0 or LG_EUSAGE. */
int lg_platform_parse(enum lg_platform *out, const char *name);
const char *lg_platform_name(enum lg_platform p);

/* Installs into dir as o says; prints each thing it did (or found already
 * done) on out, one "linkgate: ..." line each. Returns 0, LG_EREFUSED (a
 * foreign hook is in the way; an option the platform does not support),
 * LG_EUNSUPPORTED or LG_ERROR. */
int lg_install_repo(const struct lg_install_opts *o, const char *dir, FILE *out);

/* Single-quotes s for sh. */
void lg_install_shell_quote(struct lg_buf *out, const char *s);

/* Runs the chained hook at path with argv (argv[0] is set to path; the
 * list ends with NULL), its stdin fed in[0..inlen) through a pipe, its
 * stdout and stderr shared with ours. *status_out is its exit status, or
 * 128 + the signal that killed it. A hook that exits without reading all
 * its input is fine. Returns 0, or LG_ERROR when it cannot be run. */
int lg_install_run_chained(int *status_out, const char *path, char **argv, const char *in, size_t inlen);

/* For the hooks' --chained: runs the hook at path with args[0..nargs)
 * and input in[0..inlen). Returns 0 when it succeeded, else the status the
 * hook must exit with (its own; 3 when it could not be run), after a line
 * on stderr saying so. */
int lg_install_chain_first(const char *path, char **args, int nargs, const char *in, size_t inlen);

#endif
