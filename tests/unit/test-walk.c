/*
 * test-walk.c — the commit set of a push (walk.h).
 *
 * With nothing known the set is walked by linkgate itself (collect_all);
 * with a known tip, by libgit2's revwalk. Random histories (fixed seeds:
 * merges, octopus merges, a parent listed twice, tips that are ancestors of
 * other tips, one commit pushed for two refs) are walked both ways, the
 * second with an unrelated root commit known, which hides nothing. Both
 * must give the same commits, each once, parents before children, the same
 * in-set parents, trees and ref attribution, and fail alike at every
 * limits.max_commits from 0 to one past the set's size.
 */
#include "linkgate/error.h"
#include "linkgate/repo.h"
#include "linkgate/walk.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>

#define HISTORIES 200
#define MAX_COMMITS 40
#define MAX_TIPS 6

static git_repository *repo;
static git_odb *odb;
static git_oid empty_tree;

/* A commit of the empty tree with these parents; salt makes it unique. */
static git_oid commit_of(const git_oid *parents, size_t n, unsigned long salt)
{
	char buf[1024], hex[GIT_OID_HEXSZ + 1];
	size_t len = 0, i;
	git_oid id;

	git_oid_tostr(hex, sizeof(hex), &empty_tree);
	len += (size_t)snprintf(buf + len, sizeof(buf) - len, "tree %s\n", hex);
	for (i = 0; i < n; i++) {
		git_oid_tostr(hex, sizeof(hex), &parents[i]);
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "parent %s\n", hex);
	}
	len += (size_t)snprintf(buf + len, sizeof(buf) - len,
				"author A <a@example.com> 1767225600 +0000\ncommitter A <a@example.com> 1767225600 +0000\n\nc%lu\n",
				salt);
	if (git_odb_write(&id, odb, buf, len, GIT_OBJECT_COMMIT) < 0)
		abort();
	return id;
}

/* What differs between the two sets, or NULL. a came from collect_all. */
static const char *compare(const struct lg_commitset *a, const struct lg_commitset *b)
{
	size_t i, j, k;

	if (a->n != b->n)
		return "different sizes";
	for (i = 0; i < a->n; i++) {
		const struct lg_commit_node *x = &a->v[i], *y;

		if (!lg_oidmap_get(&a->index, &x->oid, &j) || j != i)
			return "the index does not match the positions";
		if (!lg_oidmap_get(&b->index, &x->oid, &j))
			return "a commit only one walk found";
		y = &b->v[j];
		if (x->nparents != y->nparents || x->nparents_all != y->nparents_all || git_oid_cmp(&x->tree, &y->tree))
			return "different parents or trees";
		for (k = 0; k < x->nparents; k++) {
			if (x->parents[k] >= i)
				return "a parent after its child";
			if (git_oid_cmp(&a->v[x->parents[k]].oid, &b->v[y->parents[k]].oid))
				return "different in-set parents";
		}
		if (!x->ref || !y->ref || strcmp(x->ref, y->ref))
			return "different ref attribution";
	}
	return NULL;
}

int main(void)
{
	static const char *const refs[MAX_TIPS] = { "refs/heads/r0", "refs/heads/r1", "refs/heads/r2",
						    "refs/heads/r3", "refs/heads/r4", "refs/heads/r5" };
	char dir[] = "/tmp/lg-walk.XXXXXX";
	git_treebuilder *tb = NULL;
	git_oid orphan;
	unsigned h, bad = 0, walks = 0;

	lg_repo_global_init(false);
	if (!mkdtemp(dir) || git_repository_init(&repo, dir, 1) < 0 || git_repository_odb(&odb, repo) < 0) {
		tap_ok(false, "create a repository in %s", dir);
		return tap_done();
	}
	git_treebuilder_new(&tb, repo, NULL);
	git_treebuilder_write(&empty_tree, tb);
	git_treebuilder_free(tb);
	orphan = commit_of(NULL, 0, 999999999ul);
	srand(20261126);
	for (h = 0; h < HISTORIES && !bad; h++) {
		git_oid c[MAX_COMMITS], tips[MAX_TIPS];
		size_t n = 1 + (size_t)rand() % MAX_COMMITS, ntips = 1 + (size_t)rand() % 5, i, k;
		long max;

		for (i = 0; i < n; i++) {
			git_oid ps[5];
			size_t np = i ? (size_t)rand() % 4 : 0;

			if (i && !np && rand() % 3)
				np = 1;
			for (k = 0; k < np; k++)
				ps[k] = c[(size_t)rand() % i];
			if (np && rand() % 5 == 0)
				ps[np++] = ps[0]; /* a parent listed twice */
			c[i] = commit_of(ps, np, (unsigned long)h * 1000 + i);
		}
		for (k = 0; k < ntips; k++)
			tips[k] = c[(size_t)rand() % n];
		if (rand() % 2)
			tips[ntips - 1] = tips[0]; /* one commit for two refs */
		for (max = 0; max <= (long)n + 1 && !bad; max++) {
			struct lg_commitset a, b;
			const char *why = NULL;
			int ea, eb;

			lg_commitset_init(&a);
			lg_commitset_init(&b);
			ea = lg_walk_collect(&a, repo, tips, refs, ntips, NULL, 0, max);
			eb = lg_walk_collect(&b, repo, tips, refs, ntips, &orphan, 1, max);
			if ((ea < 0) != (eb < 0))
				why = ea < 0 ? "only the walk with nothing known failed" : "only the revwalk failed";
			else if (ea >= 0)
				why = compare(&a, &b);
			if (why) {
				tap_diag("history %u (%zu commits, %zu tips), max_commits %ld: %s", h, n, ntips, max, why);
				bad++;
			}
			walks++;
			lg_commitset_release(&a);
			lg_commitset_release(&b);
			lg_error_clear();
		}
	}
	tap_ok(!bad, "%u random histories walked with nothing known and with a tip known agree (%u limits)", h,
	       walks);
	git_odb_free(odb);
	git_repository_free(repo);
	tap_remove_dir(dir);
	return tap_done();
}
