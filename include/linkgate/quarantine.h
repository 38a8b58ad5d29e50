/*
 * quarantine.h — what git's receive quarantine says about newness.
 *
 * During receive-pack the pushed objects sit in a quarantine directory
 * (GIT_OBJECT_DIRECTORY, with GIT_QUARANTINE_PATH set) and the repository's
 * own objects are reachable through GIT_ALTERNATE_OBJECT_DIRECTORIES. A
 * commit that is in the quarantine and not in the repository's store is new
 * to the repository: no ref can reach it. That answers "what is new" for
 * the common push without listing the repository's refs (which costs
 * O(refs)): if everything reachable from the pushed tips, up to the old
 * tips of the protected refs being updated, is new in that sense, the
 * commit set is exactly those commits and the old tips are all the known
 * history needed.
 */
#ifndef LINKGATE_QUARANTINE_H
#define LINKGATE_QUARANTINE_H

#include "linkgate/common.h"

#include <git2.h>

/*
 * Tries the cheap answer. tips are the peeled new tips of the protected
 * updates; olds the old ids of protected updates that are not creations
 * (the current tips of those refs). Returns 1 and sets *out to an owned
 * array of the known tips to hide (a subset of olds) when the cheap answer
 * holds; 0 when it cannot tell (no quarantine, a commit the repository
 * already had, a boundary that is not an old tip, more than max_visit
 * commits): the caller then lists the protected refs. Negative on error.
 */
int lg_quarantine_known_tips(git_oid **out, size_t *nout, git_repository *repo, const git_oid *tips, size_t ntips,
			     const git_oid *olds, size_t nolds, long max_visit);

#endif
