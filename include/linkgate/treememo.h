/*
 * treememo.h — the trees a run opened recently, kept for the next lookup.
 *
 * Walking a history compares each commit's tree with its parent's. The
 * parent's trees are mostly ones an earlier commit of the walk opened as
 * its new side (the previous commit's root, a directory changed a few
 * commits ago), so keeping recent trees spares inflating them again.
 * libgit2's own object cache does not hold trees (repo.c): bounded small
 * for memory it evicted them in hash order, missed four lookups in ten in
 * a history import, and its eviction scans cost more than the reads it
 * saved.
 *
 * The memo keeps at most LG_TREEMEMO_TREES trees and LG_TREEMEMO_BYTES of
 * them (a parsed tree's size is mostly its names, 64 bytes an entry
 * besides), replacing the oldest first; a tree of more than a quarter of
 * the byte budget is never kept. Bytes, not entries: names may be 64 KiB
 * long, and a small, compressible push of such trees must not make the
 * hook hold gigabytes.
 */
#ifndef LINKGATE_TREEMEMO_H
#define LINKGATE_TREEMEMO_H

#include "linkgate/common.h"

#include <git2.h>

#define LG_TREEMEMO_TREES 1024
#define LG_TREEMEMO_BYTES (8u << 20)

struct lg_treememo;

struct lg_treememo *lg_treememo_new(git_repository *repo);
void lg_treememo_free(struct lg_treememo *m);

/* Opens tree id, from the memo when it is there; the caller frees *out.
 * Returns 0 or libgit2's negative code (its error is set). */
int lg_treememo_open(git_tree **out, struct lg_treememo *m, const git_oid *id);

/* The bytes the kept trees hold, as the budget counts them. */
size_t lg_treememo_bytes(const struct lg_treememo *m);

/* git_tree_entry_bypath() with the trees on the way opened through the
 * memo (m NULL: libgit2's own). *out is owned by the caller; a missing
 * path is GIT_ENOTFOUND. */
int lg_treememo_bypath(git_tree_entry **out, struct lg_treememo *m, const git_tree *root, const char *path);

#endif
