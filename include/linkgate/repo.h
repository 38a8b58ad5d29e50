/*
 * repo.h — opening the repository a hook or command works on.
 *
 * In hook mode git has already vetted the repository and runs the hook with
 * GIT_DIR set and, during receive-pack, with the pushed objects in a
 * quarantine directory: GIT_OBJECT_DIRECTORY names the quarantine and
 * GIT_ALTERNATE_OBJECT_DIRECTORIES the real object store (C-quoted by git
 * when a path contains ':' or starts with '"'). libgit2's environment-based
 * open splits that list on ':' without unquoting and silently drops missing
 * entries, so lg_repo_open_hook() builds the object database itself: the
 * object directory first, then each alternate, failing closed when any named
 * directory is missing.
 *
 * Repositories libgit2 cannot read correctly (SHA-256 object format, partial
 * clones with promisor remotes) are refused with LG_EUNSUPPORTED before any
 * object is read.
 */
#ifndef LINKGATE_REPO_H
#define LINKGATE_REPO_H

#include "linkgate/common.h"
#include "linkgate/push.h"

#include <git2.h>

/* Initialises libgit2 once and bounds its caches. hook_mode turns off the
 * repository ownership check (git has already done it). */
void lg_repo_global_init(bool hook_mode);

/* Opens the repository of the running hook from GIT_DIR (default ".") and
 * the quarantine variables. *out is freed with git_repository_free(). */
int lg_repo_open_hook(git_repository **out);
/* Opens the repository containing path (discovering upwards), for check and
 * scan. Ownership problems get a hint about safe.directory. */
int lg_repo_open_path(git_repository **out, const char *path);

/* Refuses, with LG_EUNSUPPORTED and a message saying why, a repository
 * whose config (gitdir/config) declares a format libgit2 cannot read. */
int lg_repo_check_format(const char *gitdir);

/* Splits a GIT_ALTERNATE_OBJECT_DIRECTORIES value the way git does: entries
 * separated by ':', an entry starting with '"' C-unquoted. Empty entries are
 * skipped. Returns 0 or LG_EUSAGE for a malformed quoted entry. */
int lg_repo_split_alternates(char ***out, size_t *nout, const char *value);
void lg_repo_free_list(char **v, size_t n);

/* Reads every pushed tip that is not a deletion; a missing object rejects
 * with its id and ref (never "nothing to check"). */
int lg_repo_check_tips(git_repository *repo, const struct lg_push *push);

#endif
