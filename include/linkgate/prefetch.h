/*
 * prefetch.h — reading pushed blobs on a second core.
 *
 * A history import spends most of its time inflating objects: the trees of
 * every commit and every blob it changed. The main thread walks the trees
 * and queues the new blobs' ids; a reader thread, with its own repository
 * handle (libgit2 objects are used by one thread at a time), reads each
 * queued blob once and notes which needles it holds, so the two halves of
 * the work overlap. The reader never touches the error slot (error.h is not
 * thread-safe): its failure is kept and set by lg_prefetch_finish() on the
 * calling thread.
 */
#ifndef LINKGATE_PREFETCH_H
#define LINKGATE_PREFETCH_H

#include "linkgate/common.h"

#include <git2.h>

/* What a blob's content says, for the decision whether to look closer. */
enum {
	LG_BLOB_LINKNAME = 1,   /* holds "go:linkname" */
	LG_BLOB_FLAG = 2,       /* holds "checklinkname" */
	LG_BLOB_BINARY = 4,     /* a NUL in the first 8000 bytes (git's rule) */
};

/* The LG_BLOB_* bits of data. */
unsigned lg_blob_classify(const char *data, size_t size);

struct lg_blobinfo {
	unsigned bits;
	size_t size;
};

struct lg_prefetch;

/* Starts the reader on repo, which it takes over (and frees). */
int lg_prefetch_start(struct lg_prefetch **out, git_repository *repo);
/* Queues a blob id; returns its queue position. */
size_t lg_prefetch_push(struct lg_prefetch *p, const git_oid *id);
/* Waits for the reader; *out[i] describes queue position i. Returns 0, or
 * the reader's failure (LG_ENOTFOUND for a blob it could not read,
 * LG_ETIMEOUT) with the message set. The array stays owned by p. */
int lg_prefetch_finish(struct lg_prefetch *p, const struct lg_blobinfo **out, size_t *nout);
void lg_prefetch_free(struct lg_prefetch *p);

#endif
