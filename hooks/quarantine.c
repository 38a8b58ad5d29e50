/* quarantine.c — newness from git's receive quarantine (see quarantine.h). */
#include "linkgate/quarantine.h"
#include "linkgate/deadline.h"
#include "linkgate/error.h"
#include "linkgate/oidmap.h"
#include "linkgate/repo.h"

/* The quarantine's own objects, and the repository's store without them. */
static int open_stores(git_odb **q, git_odb **main_store)
{
	const char *qpath = getenv("GIT_QUARANTINE_PATH");
	const char *objdir = getenv("GIT_OBJECT_DIRECTORY");
	const char *alts = getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES");
	char **altv = NULL;
	size_t naltv = 0, i;
	int err = 0;

	*q = *main_store = NULL;
	/* Only git's receive quarantine makes "not in the store" mean "new". */
	if (!qpath || !*qpath || !objdir || !*objdir || !alts || !*alts)
		return 0;
	if (lg_repo_split_alternates(&altv, &naltv, alts) < 0 || !naltv) {
		lg_repo_free_list(altv, naltv);
		lg_error_clear();
		return 0;
	}
	if (git_odb_open(q, objdir) < 0 || git_odb_new(main_store) < 0) {
		err = lg_error_set_git(LG_ERROR, "cannot open the quarantine");
		goto done;
	}
	for (i = 0; i < naltv; i++) {
		if (git_odb_add_disk_alternate(*main_store, altv[i]) < 0) {
			err = lg_error_set_git(LG_ERROR, "cannot open the repository's object store");
			goto done;
		}
	}
	err = 1;
done:
	lg_repo_free_list(altv, naltv);
	if (err <= 0) {
		git_odb_free(*q);
		git_odb_free(*main_store);
		*q = *main_store = NULL;
	}
	return err;
}

int lg_quarantine_known_tips(git_oid **out, size_t *nout, git_repository *repo, const git_oid *tips, size_t ntips,
			     const git_oid *olds, size_t nolds, long max_visit)
{
	git_odb *q = NULL, *store = NULL;
	struct lg_oidmap seen, oldset;
	git_oid *stack = NULL, *known = NULL;
	size_t nstack = 0, stackalloc = 0, nknown = 0, knownalloc = 0, i, dummy;
	long visited = 0;
	int rc;

	*out = NULL;
	*nout = 0;
	if ((rc = open_stores(&q, &store)) <= 0)
		return rc;
	lg_oidmap_init(&seen);
	lg_oidmap_init(&oldset);
	for (i = 0; i < nolds; i++)
		lg_oidmap_put(&oldset, &olds[i], 0);
	for (i = 0; i < ntips; i++) {
		stack = lg_xgrow(stack, sizeof(*stack), nstack + 1, &stackalloc);
		stack[nstack++] = tips[i];
	}
	rc = 1;
	while (nstack && rc == 1) {
		git_oid id = stack[--nstack];
		git_commit *c = NULL;
		unsigned k;

		if (lg_oidmap_get(&seen, &id, &dummy))
			continue;
		lg_oidmap_put(&seen, &id, 0);
		if (lg_oidmap_get(&oldset, &id, &dummy)) {
			/* A protected ref's current tip: known, and the walk stops. */
			known = lg_xgrow(known, sizeof(*known), nknown + 1, &knownalloc);
			known[nknown++] = id;
			continue;
		}
		/* Anything the repository already had might be reachable from
		 * some ref: only listing the refs can tell. */
		if (!git_odb_exists(q, &id) || git_odb_exists(store, &id) || ++visited > max_visit) {
			rc = 0;
			break;
		}
		if (git_commit_lookup(&c, repo, &id) < 0) {
			rc = lg_error_set_git(LG_ENOTFOUND, "cannot read a pushed commit");
			break;
		}
		for (k = 0; k < git_commit_parentcount(c); k++) {
			stack = lg_xgrow(stack, sizeof(*stack), nstack + 1, &stackalloc);
			stack[nstack++] = *git_commit_parent_id(c, k);
		}
		git_commit_free(c);
		if (lg_deadline_check() < 0) {
			rc = LG_ETIMEOUT;
			break;
		}
	}
	if (rc == 1) {
		*out = known;
		*nout = nknown;
		known = NULL;
	}
	free(known);
	free(stack);
	lg_oidmap_release(&seen);
	lg_oidmap_release(&oldset);
	git_odb_free(q);
	git_odb_free(store);
	return rc;
}
