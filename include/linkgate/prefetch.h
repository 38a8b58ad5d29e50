/*
 * prefetch.h — reading pushed blobs on a second core.
 *
 * A history import spends most of its time inflating objects: the trees of
 * every commit and every blob it changed. The caller walks the trees and
 * queues the new blobs' ids; a reader reads each queued blob once and notes
 * which needles it holds, so the two halves of the work overlap.
 *
 * The reader is a forked child process, not a thread: libgit2 1.5 shares a
 * pack's windows, locks and delta-base cache between every handle in a
 * process, so two threads reading one pack mostly wait for each other. The
 * child inherits the open repository copy-on-write, reads ids from one pipe
 * and writes fixed-size results to another; the parent drains results
 * whenever it would otherwise block, so neither side can deadlock. Fork
 * happens while the caller runs no other thread.
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
	bool missing;           /* the reader could not read it */
};

struct lg_prefetch;

/* Starts the reader on repo (borrowed: the child uses its copy). */
int lg_prefetch_start(struct lg_prefetch **out, git_repository *repo);
/* Queues a blob id. Returns 0 or an error (the reader died). */
int lg_prefetch_push(struct lg_prefetch *p, const git_oid *id);
/* Waits until the first `upto` queued ids are answered; (*out)[i] then
 * describes the i-th queued id for every i < upto (the array may move on
 * the next call). Returns 0, or LG_ETIMEOUT / LG_ERROR with the message
 * set (the reader is then gone). */
int lg_prefetch_wait(struct lg_prefetch *p, size_t upto, const struct lg_blobinfo **out);
/* Waits for the reader; (*out)[i] describes the i-th queued id. Returns 0,
 * or LG_ETIMEOUT, LG_ERROR (the reader died), with the message set. The
 * array stays owned by p. */
int lg_prefetch_finish(struct lg_prefetch *p, const struct lg_blobinfo **out, size_t *nout);
/* Kills and reaps the reader if it still runs. */
void lg_prefetch_free(struct lg_prefetch *p);

#endif
