/*
 * test-treememo.c — the memo of recently opened trees (treememo.h).
 *
 * A real repository built with libgit2's tree builder: the memo must hand
 * back the tree asked for whether it is kept, replaced, or too large to
 * keep, and lg_treememo_bypath() must answer exactly as
 * git_tree_entry_bypath() does for the paths the hooks ask about.
 */
#include "linkgate/repo.h"
#include "linkgate/treememo.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>

static git_repository *repo;
static git_oid blob;

/* A tree holding `count` blobs named f0..f(count-1), plus a marker entry
 * named after seed so that equal counts still give distinct trees. */
static git_oid flat_tree(unsigned seed, unsigned count)
{
	git_treebuilder *tb = NULL;
	git_oid id;
	char name[32];
	unsigned i;

	git_treebuilder_new(&tb, repo, NULL);
	snprintf(name, sizeof(name), "seed%u", seed);
	git_treebuilder_insert(NULL, tb, name, &blob, GIT_FILEMODE_BLOB);
	for (i = 0; i < count; i++) {
		snprintf(name, sizeof(name), "f%u", i);
		git_treebuilder_insert(NULL, tb, name, &blob, GIT_FILEMODE_BLOB);
	}
	git_treebuilder_write(&id, tb);
	git_treebuilder_free(tb);
	return id;
}

static git_oid with_entry(const git_oid *base, const char *name, const git_oid *id, git_filemode_t mode)
{
	git_treebuilder *tb = NULL;
	git_tree *t = NULL;
	git_oid out;

	if (base)
		git_tree_lookup(&t, repo, base);
	git_treebuilder_new(&tb, repo, t);
	git_treebuilder_insert(NULL, tb, name, id, mode);
	git_treebuilder_write(&out, tb);
	git_treebuilder_free(tb);
	git_tree_free(t);
	return out;
}

static void test_open_many(void)
{
	struct lg_treememo *m = lg_treememo_new(repo);
	unsigned n = 3 * LG_TREEMEMO_TREES, i, bad = 0, round;
	git_oid *ids = calloc(n, sizeof(*ids));

	for (i = 0; i < n; i++)
		ids[i] = flat_tree(i, i % 7);
	/* Twice over: the first round fills and replaces, the second asks for
	 * trees both replaced and kept. */
	for (round = 0; round < 2; round++) {
		for (i = 0; i < n; i++) {
			git_tree *t = NULL;

			if (lg_treememo_open(&t, m, &ids[i]) < 0 || git_oid_cmp(git_tree_id(t), &ids[i]) ||
			    git_tree_entrycount(t) != i % 7 + 1)
				bad++;
			git_tree_free(t);
		}
	}
	tap_is_int(bad, 0, "every one of %u trees comes back as asked, kept or replaced", n);
	/* Asked again at once: the same tree, from the memo. */
	{
		git_tree *a = NULL, *b = NULL;

		lg_treememo_open(&a, m, &ids[n - 1]);
		lg_treememo_open(&b, m, &ids[n - 1]);
		tap_ok(a && b && a == b, "a kept tree is handed out again, not read again");
		git_tree_free(a);
		git_tree_free(b);
	}
	{
		git_oid missing;
		git_tree *t = NULL;

		git_oid_fromstr(&missing, "0123456789012345678901234567890123456789");
		tap_ok(lg_treememo_open(&t, m, &missing) < 0 && !t, "a tree not in the repository is an error");
	}
	lg_treememo_free(m);
	free(ids);
}

/* A tree of count entries whose names are len bytes long. */
static git_oid long_names_tree(unsigned count, size_t len)
{
	git_treebuilder *tb = NULL;
	char *name = malloc(len + 1);
	git_oid id;
	unsigned i;

	git_treebuilder_new(&tb, repo, NULL);
	memset(name, 'n', len);
	name[len] = '\0';
	for (i = 0; i < count; i++) {
		snprintf(name, len + 1, "%08u", i);
		name[8] = 'n';
		git_treebuilder_insert(NULL, tb, name, &blob, GIT_FILEMODE_BLOB);
	}
	git_treebuilder_write(&id, tb);
	git_treebuilder_free(tb);
	free(name);
	return id;
}

static void test_large_tree(void)
{
	struct lg_treememo *m = lg_treememo_new(repo);
	/* Over a quarter of the byte budget in names alone. */
	unsigned count = 64;
	size_t len = LG_TREEMEMO_BYTES / 4 / count + 1;
	git_oid big = long_names_tree(count, len), small[40];
	git_tree *a = NULL, *b = NULL;
	unsigned i, bad = 0;

	tap_ok(lg_treememo_open(&a, m, &big) == 0 && lg_treememo_open(&b, m, &big) == 0 && a && b && a != b &&
		       !git_oid_cmp(git_tree_id(a), &big) && !git_oid_cmp(git_tree_id(b), &big) &&
		       git_tree_entrycount(b) == count && lg_treememo_bytes(m) == 0,
	       "a tree over a quarter of the byte budget is opened each time, never kept");
	git_tree_free(a);
	git_tree_free(b);
	/* Trees of about 1 MiB of names each: the memo keeps some, never more than
	 * its budget, and still hands back each one asked for. */
	for (i = 0; i < 40; i++) {
		git_tree *t = NULL;

		small[i] = long_names_tree(16 + i, 60000);
		if (lg_treememo_open(&t, m, &small[i]) < 0 || git_oid_cmp(git_tree_id(t), &small[i]) ||
		    lg_treememo_bytes(m) > LG_TREEMEMO_BYTES || lg_treememo_bytes(m) == 0)
			bad++;
		git_tree_free(t);
	}
	for (i = 0; i < 40; i++) {
		git_tree *t = NULL;

		if (lg_treememo_open(&t, m, &small[i]) < 0 || git_oid_cmp(git_tree_id(t), &small[i]) ||
		    git_tree_entrycount(t) != 16 + i)
			bad++;
		git_tree_free(t);
	}
	tap_is_int(bad, 0, "trees of long names come back as asked, the memo within its byte budget");
	lg_treememo_free(m);
}

static void test_bypath(void)
{
	static const char *const paths[] = {
		"top.go", "a", "a/b", "a/b/c.go", "a/b/missing.go", "a/top.go/x", "top.go/x", "missing",
		"missing/x", "a//b", "/a", "a/", "", "a/b/c.go/", "link", "sub", "sub/x",
	};
	struct lg_treememo *m = lg_treememo_new(repo);
	git_oid sub, lnk, c, b, a, root;
	git_tree *rt = NULL;
	size_t i;

	git_oid_fromstr(&sub, "1111111111111111111111111111111111111111");
	git_blob_create_from_buffer(&lnk, repo, "a/b/c.go", 8);
	c = with_entry(NULL, "c.go", &blob, GIT_FILEMODE_BLOB);
	b = with_entry(&c, "exe", &blob, GIT_FILEMODE_BLOB_EXECUTABLE);
	a = with_entry(NULL, "b", &b, GIT_FILEMODE_TREE);
	a = with_entry(&a, "top.go", &blob, GIT_FILEMODE_BLOB);
	root = with_entry(NULL, "a", &a, GIT_FILEMODE_TREE);
	root = with_entry(&root, "top.go", &blob, GIT_FILEMODE_BLOB);
	root = with_entry(&root, "link", &lnk, GIT_FILEMODE_LINK);
	root = with_entry(&root, "sub", &sub, GIT_FILEMODE_COMMIT);
	git_tree_lookup(&rt, repo, &root);
	for (i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		git_tree_entry *want = NULL, *got = NULL;
		int wr = git_tree_entry_bypath(&want, rt, paths[i]);
		int gr = lg_treememo_bypath(&got, m, rt, paths[i]);

		git_error_clear();
		/* Both absent, or the same entry (name, id and mode). */
		tap_ok((wr < 0 && gr < 0 && !got) ||
			       (wr == 0 && gr == 0 && got && !strcmp(git_tree_entry_name(want), git_tree_entry_name(got)) &&
				!git_oid_cmp(git_tree_entry_id(want), git_tree_entry_id(got)) &&
				git_tree_entry_filemode(want) == git_tree_entry_filemode(got)),
		       "bypath \"%s\" answers as libgit2 does (libgit2 %d, memo %d)", paths[i], wr, gr);
		git_tree_entry_free(want);
		git_tree_entry_free(got);
	}
	git_tree_free(rt);
	lg_treememo_free(m);
}

int main(void)
{
	char dir[] = "/tmp/lg-treememo.XXXXXX";

	lg_repo_global_init(false);
	if (!mkdtemp(dir) || git_repository_init(&repo, dir, 1) < 0) {
		tap_ok(false, "create a repository in %s", dir);
		return tap_done();
	}
	git_blob_create_from_buffer(&blob, repo, "package p\n", 10);
	test_open_many();
	test_large_tree();
	test_bypath();
	git_repository_free(repo);
	tap_remove_dir(dir);
	return tap_done();
}
