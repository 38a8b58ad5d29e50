/* prefetch.c — the blob reader thread (see prefetch.h). */
#include "linkgate/prefetch.h"
#include "linkgate/deadline.h"
#include "linkgate/error.h"

#include <pthread.h>

#define LG_BINARY_PROBE 8000
/* Ids taken from the queue per lock. */
#define BATCH 64

unsigned lg_blob_classify(const char *data, size_t size)
{
	unsigned bits = 0;

	if (memmem(data, size, "go:linkname", 11))
		bits |= LG_BLOB_LINKNAME;
	if (memmem(data, size, "checklinkname", 13))
		bits |= LG_BLOB_FLAG;
	if (memchr(data, '\0', size < LG_BINARY_PROBE ? size : LG_BINARY_PROBE))
		bits |= LG_BLOB_BINARY;
	return bits;
}

struct lg_prefetch {
	pthread_t thread;
	bool started;
	git_repository *repo;   /* the reader's own */

	pthread_mutex_t lock;
	pthread_cond_t more;
	git_oid *queue;         /* guarded by lock */
	size_t nqueue, queue_alloc, next;
	bool closing;

	/* Written by the reader only; read after the join. */
	struct lg_blobinfo *results;
	size_t nresults, results_alloc;
	int err;
	char errmsg[256];
};

static void reader_fail(struct lg_prefetch *p, int code, const char *fmt, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	p->err = code;
	snprintf(p->errmsg, sizeof(p->errmsg), fmt, hex);
}

static void *reader_main(void *arg)
{
	struct lg_prefetch *p = arg;
	git_odb *odb = NULL;
	git_oid batch[BATCH];

	if (git_repository_odb(&odb, p->repo) < 0) {
		p->err = LG_ERROR;
		snprintf(p->errmsg, sizeof(p->errmsg), "the blob reader cannot open the object database");
		return NULL;
	}
	for (;;) {
		size_t n = 0, i;

		pthread_mutex_lock(&p->lock);
		while (p->next == p->nqueue && !p->closing)
			pthread_cond_wait(&p->more, &p->lock);
		while (n < BATCH && p->next < p->nqueue)
			batch[n++] = p->queue[p->next++];
		pthread_mutex_unlock(&p->lock);
		if (!n)
			break;
		for (i = 0; i < n; i++) {
			git_odb_object *obj = NULL;
			struct lg_blobinfo *r;

			if (lg_deadline_remaining_ms() == 0) {
				p->err = LG_ETIMEOUT;
				snprintf(p->errmsg, sizeof(p->errmsg), "time limit reached while reading blobs");
				goto done;
			}
			if (git_odb_read(&obj, odb, &batch[i]) < 0) {
				reader_fail(p, LG_ENOTFOUND, "blob %s cannot be read", &batch[i]);
				goto done;
			}
			p->results = lg_xgrow(p->results, sizeof(*p->results), p->nresults + 1, &p->results_alloc);
			r = &p->results[p->nresults++];
			r->size = git_odb_object_size(obj);
			r->bits = lg_blob_classify(git_odb_object_data(obj), r->size);
			git_odb_object_free(obj);
		}
	}
done:
	git_odb_free(odb);
	return NULL;
}

int lg_prefetch_start(struct lg_prefetch **out, git_repository *repo)
{
	struct lg_prefetch *p = lg_xcalloc(1, sizeof(*p));

	p->repo = repo;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->more, NULL);
	if (pthread_create(&p->thread, NULL, reader_main, p) != 0) {
		lg_prefetch_free(p);
		return lg_error_set(LG_ERROR, "cannot start the blob reader thread");
	}
	p->started = true;
	*out = p;
	return 0;
}

size_t lg_prefetch_push(struct lg_prefetch *p, const git_oid *id)
{
	size_t pos;

	pthread_mutex_lock(&p->lock);
	p->queue = lg_xgrow(p->queue, sizeof(*p->queue), p->nqueue + 1, &p->queue_alloc);
	pos = p->nqueue;
	p->queue[p->nqueue++] = *id;
	pthread_cond_signal(&p->more);
	pthread_mutex_unlock(&p->lock);
	return pos;
}

static void join(struct lg_prefetch *p)
{
	if (!p->started)
		return;
	pthread_mutex_lock(&p->lock);
	p->closing = true;
	pthread_cond_signal(&p->more);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	p->started = false;
}

int lg_prefetch_finish(struct lg_prefetch *p, const struct lg_blobinfo **out, size_t *nout)
{
	join(p);
	if (p->err)
		return lg_error_set(p->err, "%s", p->errmsg);
	if (p->nresults != p->nqueue)
		return lg_error_set(LG_ERROR, "the blob reader stopped early");
	*out = p->results;
	*nout = p->nresults;
	return 0;
}

void lg_prefetch_free(struct lg_prefetch *p)
{
	if (!p)
		return;
	join(p);
	pthread_cond_destroy(&p->more);
	pthread_mutex_destroy(&p->lock);
	git_repository_free(p->repo);
	free(p->queue);
	free(p->results);
	free(p);
}
