/*
 * added.h — the findings a commit adds (SPEC "What counts as new").
 *
 * A linkname directive is new in a commit when, after lexing, it occurs more
 * often in the commit's versions of the files it changes than in the
 * parent's versions of those files; for a merge, more often than in every
 * parent's. A directive's identity is its fields together with the facts it
 * is judged on (its rationale block, its file's build constraint and unsafe
 * import), so moving it unchanged is not new, while changing any of those
 * makes it new again. Disabling flags count the same way over text lines.
 *
 * Cost: per changed path the new blob is read once and searched for the
 * needle bytes; a commit whose changed blobs hold no needle is done. Only
 * blobs with a needle are lexed, and what was learned is remembered per blob
 * id for the whole run.
 */
#ifndef LINKGATE_ADDED_H
#define LINKGATE_ADDED_H

#include "linkgate/common.h"
#include "linkgate/config.h"
#include "linkgate/finding.h"
#include "linkgate/walk.h"

#include <git2.h>

#define LG_LINKNAME_NEEDLE "go:linkname"

struct lg_added;

/* repo and cfg are borrowed and must outlive the object. */
int lg_added_new(struct lg_added **out, git_repository *repo, const struct lg_config *cfg);
void lg_added_free(struct lg_added *a);
/* The memo of the trees detection opened, for later stages to share. */
struct lg_treememo *lg_added_trees(struct lg_added *a);

/* Called after each window of commits is decided, with the findings it
 * added (out->v[from..out->n)), while the blob reader still works on the
 * next window: later stages run here on the first core's spare time. A
 * negative return stops the run with that error. */
typedef int (*lg_added_window_fn)(void *ctx, struct lg_findings *out, size_t from);

/* All the findings the commits of set add, in the set's order; each
 * finding's commit is marked (has_findings) and its info id filled. Uses a
 * second process to read blobs when the set is large (prefetch.h). More
 * than max_findings (> 0) findings is LG_ELIMIT. on_window may be NULL. */
int lg_added_run(struct lg_added *a, struct lg_findings *out, struct lg_commitset *set, long max_findings,
		 lg_added_window_fn on_window, void *ctx);

/* True if the go command builds files at this path at all: no path
 * component starts with '_' or '.', and no directory is named testdata. */
bool lg_added_go_path_built(const char *path);

#endif
