/*
 * walk.h — what is new in a push: the commit set (SPEC "What counts as
 * new").
 *
 * For every update of a protected ref, the commits reachable from the new
 * tip and from no known tip. Known tips are, in a hook, the current tips of
 * the protected refs (lg_walk_known_from_refs()); platform namespaces
 * (refs/pull/, refs/merge-requests/, refs/keep-around/, refs/for/) are
 * never protected and never known. The set is the union over the push, each
 * commit once, ordered parents before children, and attributed to the first
 * ref update (in push order) that reaches it.
 */
#ifndef LINKGATE_WALK_H
#define LINKGATE_WALK_H

#include "linkgate/common.h"
#include "linkgate/config.h"
#include "linkgate/finding.h"
#include "linkgate/oidmap.h"
#include "linkgate/push.h"

#include <git2.h>

struct lg_commit_node {
	git_oid oid;
	const char *ref;        /* borrowed from the push */
	size_t *parents;        /* indices of parents that are in the set */
	size_t nparents;        /* of those */
	unsigned nparents_all;  /* all parents, in the set or not */
	git_oid *parent_ids;    /* all nparents_all of them, in order */
	git_oid tree;
	/* The message mentions the sign-off trailer's key, so it may carry
	 * a sign-off (lg_commitset_load_info() parses it to know). */
	bool maybe_signoff;
	bool has_findings;      /* set by detection */
	struct lg_commit_info info; /* filled by lg_commitset_load_info() */
};

/* The walk reads each commit once and keeps what later stages need of it
 * (parents, tree, whether it may carry a sign-off), so detection and
 * lg_commitset_load_info() read again only commits with findings and
 * sign-off carriers. */
struct lg_commitset {
	struct lg_commit_node *v;
	size_t n;
	size_t alloc;
	struct lg_oidmap index;
	/* The sign-off trailer's key (cfg->trailers.signoff); NULL: every
	 * commit may carry a sign-off. Set before the walk. */
	const char *signoff_key;
};

void lg_commitset_init(struct lg_commitset *s);
void lg_commitset_release(struct lg_commitset *s);

/* True if ref is protected under cfg (refs.include minus refs.exclude, and
 * never a platform namespace). */
bool lg_walk_ref_protected(const struct lg_config *cfg, const char *ref);

/* The commits the current protected refs point at (tags peeled), for use as
 * known tips. *out is an owned array. */
int lg_walk_known_from_refs(git_oid **out, size_t *nout, git_repository *repo, const struct lg_config *cfg);

/* Known tips for a developer's clone (check, pre-push): the remote-tracking
 * refs refs/remotes/<remote>/<name> whose refs/heads/<name> is protected,
 * and the local tags that are protected (tags are fetched as they are).
 * *out is an owned array. */
int lg_walk_known_from_remote(git_oid **out, size_t *nout, git_repository *repo, const struct lg_config *cfg,
			      const char *remote);

/* Peels the new id of an update to a commit. A ref to a tree or blob is
 * LG_EREFUSED with a message naming the ref; a missing object LG_ENOTFOUND. */
int lg_walk_peel_tip(git_oid *out, git_repository *repo, const struct lg_ref_update *u);

/* Adds to the set the commits reachable from tips[i] (the peeled new tips
 * of the updates to walk, attributed to refs[i]) and from no known tip.
 * More than max_commits new commits is LG_ELIMIT. */
int lg_walk_collect(struct lg_commitset *s, git_repository *repo, const git_oid *tips, const char *const *refs,
		    size_t ntips, const git_oid *known, size_t nknown, long max_commits);

/* Fills info for the commits with findings and those carrying a sign-off,
 * and computes sign-off coverage: a trailer named cfg->trailers.signoff
 * covers the commit carrying it and every commit of the set that commit
 * reaches (recorded in the info of the commits with findings: no one reads
 * another commit's info). */
int lg_commitset_load_info(struct lg_commitset *s, git_repository *repo, const struct lg_config *cfg);

/* Fills one commit's info from the object (message, people, trailers,
 * signature presence). Returns 0 or LG_ERROR. */
int lg_commit_info_load(struct lg_commit_info *out, git_commit *commit);

#endif
