/*
 * facts.h — the facts of a finding that need the tree it is judged in
 * (SPEC "What a policy sees"): the Go releases its file's constraint
 * admits, the module and go.mod lines, target_class, vendored attribution,
 * siblings, the fallback, target verification against go_source, the CI
 * matrix, expired removal triggers, and a flag's YAML path.
 *
 * The stage runs after detection and before policies. Facts are computed
 * only for files that hold a finding; the fallback reads only the finding's
 * own directory; CI files are read once per tree; every blob analysed is
 * remembered by id for the whole run. A fact that cannot be determined is
 * left unknown (NULL, -1, a *_known flag false, or an error text) and the
 * finding is still reported.
 */
#ifndef LINKGATE_FACTS_H
#define LINKGATE_FACTS_H

#include "linkgate/common.h"
#include "linkgate/config.h"
#include "linkgate/finding.h"
#include "linkgate/treememo.h"

#include <git2.h>

struct lg_facts;

/* repo and cfg are borrowed; so is trees, the memo of recently opened
 * trees to share (a hook shares detection's, which has just opened the
 * trees of the commits with findings), or NULL for one of its own. Opens
 * the go_source trees: returns 0 or LG_ECONFIG when one is not a usable
 * tree. */
int lg_facts_new(struct lg_facts **out, git_repository *repo, const struct lg_config *cfg,
		 struct lg_treememo *trees);
void lg_facts_free(struct lg_facts *fx);

/* Fills the facts of v[0..n), all judged in tree. Returns 0, LG_ETIMEOUT,
 * or LG_ENOTFOUND when an object of the tree cannot be read. */
int lg_facts_fill_tree(struct lg_facts *fx, git_tree *tree, struct lg_finding *const *v, size_t n);

/* Fills the facts of every finding from its commit's tree (f->commit->id;
 * findings without a commit are left alone). Called once per window of
 * detection in a hook (hook.c); what it learned of blobs and trees is kept
 * in fx for the next call. */
int lg_facts_fill(struct lg_facts *fx, struct lg_findings *findings);

/* The regular file at path in tree, following symlinks inside the tree
 * (at most 8 hops; a link leaving the tree is no file): *out is the blob
 * (caller frees) or NULL when there is none. Returns 0 or LG_ENOTFOUND
 * when an object cannot be read. */
int lg_facts_read_file(git_blob **out, git_repository *repo, git_tree *tree, const char *path);

/* The minor of the first go1.N that text names as a word, or -1. */
int lg_facts_removal_go(const char *text);

#endif
