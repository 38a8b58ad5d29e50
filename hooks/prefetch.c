/* prefetch.c — the forked blob reader (see prefetch.h). */
#include "linkgate/prefetch.h"
#include "linkgate/deadline.h"
#include "linkgate/error.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define LG_BINARY_PROBE 8000

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

/* One result on the wire; the child and the parent are the same binary. */
struct wire {
	uint32_t bits;
	uint32_t missing;
	uint64_t size;
};

struct lg_prefetch {
	pid_t pid;
	int ids_fd;             /* parent writes raw ids */
	int res_fd;             /* parent reads struct wire */
	unsigned char *out;     /* ids not yet written */
	size_t nout, out_alloc, out_off;
	size_t queued;
	unsigned char inbuf[sizeof(struct wire)];
	size_t inlen;
	struct lg_blobinfo *results;
	size_t nresults, results_alloc;
};

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void child_main(git_repository *repo, int ids_fd, int res_fd)
{
	git_odb *odb = NULL;
	unsigned char buf[GIT_OID_RAWSZ * 256];
	size_t have = 0;

	if (git_repository_odb(&odb, repo) < 0)
		_exit(3);
	for (;;) {
		ssize_t n = read(ids_fd, buf + have, sizeof(buf) - have);
		size_t off = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		while (have - off >= GIT_OID_RAWSZ) {
			git_odb_object *obj = NULL;
			struct wire w = { 0, 0, 0 };
			git_oid id;

			git_oid_fromraw(&id, buf + off);
			off += GIT_OID_RAWSZ;
			if (git_odb_read(&obj, odb, &id) < 0) {
				w.missing = 1;
			} else {
				w.size = git_odb_object_size(obj);
				w.bits = lg_blob_classify(git_odb_object_data(obj), (size_t)w.size);
				git_odb_object_free(obj);
			}
			if (write_all(res_fd, &w, sizeof(w)) < 0)
				_exit(3);
		}
		memmove(buf, buf + off, have - off);
		have -= off;
	}
	_exit(0);
}

int lg_prefetch_start(struct lg_prefetch **out, git_repository *repo)
{
	struct lg_prefetch *p;
	int ids[2], res[2];
	pid_t pid;

	if (pipe2(ids, O_CLOEXEC) < 0)
		return lg_error_set(LG_ERROR, "cannot start the blob reader: %s", strerror(errno));
	if (pipe2(res, O_CLOEXEC) < 0) {
		close(ids[0]);
		close(ids[1]);
		return lg_error_set(LG_ERROR, "cannot start the blob reader: %s", strerror(errno));
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(ids[0]);
		close(ids[1]);
		close(res[0]);
		close(res[1]);
		return lg_error_set(LG_ERROR, "cannot start the blob reader: %s", strerror(errno));
	}
	if (pid == 0) {
		close(ids[1]);
		close(res[0]);
		child_main(repo, ids[0], res[1]);
	}
	close(ids[0]);
	close(res[1]);
	fcntl(ids[1], F_SETFL, fcntl(ids[1], F_GETFL) | O_NONBLOCK);
	fcntl(res[0], F_SETFL, fcntl(res[0], F_GETFL) | O_NONBLOCK);
	p = lg_xcalloc(1, sizeof(*p));
	p->pid = pid;
	p->ids_fd = ids[1];
	p->res_fd = res[0];
	*out = p;
	return 0;
}

/* Reads what results are there; returns -1 at EOF or on a read error. */
static int drain(struct lg_prefetch *p)
{
	unsigned char buf[sizeof(struct wire) * 512];

	for (;;) {
		ssize_t n = read(p->res_fd, buf, sizeof(buf));
		size_t off = 0;

		if (n < 0)
			return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
		if (n == 0)
			return -1;
		while (off < (size_t)n) {
			size_t take = sizeof(struct wire) - p->inlen;

			if (take > (size_t)n - off)
				take = (size_t)n - off;
			memcpy(p->inbuf + p->inlen, buf + off, take);
			p->inlen += take;
			off += take;
			if (p->inlen == sizeof(struct wire)) {
				struct wire w;

				memcpy(&w, p->inbuf, sizeof(w));
				p->inlen = 0;
				p->results = lg_xgrow(p->results, sizeof(*p->results), p->nresults + 1, &p->results_alloc);
				p->results[p->nresults].bits = w.bits;
				p->results[p->nresults].size = (size_t)w.size;
				p->results[p->nresults].missing = w.missing != 0;
				p->nresults++;
			}
		}
	}
}

/* Writes the queued ids and reads results until at least `want` results
 * are in. With close_ids the id pipe is closed once everything is written,
 * so the reader exits after answering. Never blocks on a full pipe while
 * the other one could be drained. */
static int pump(struct lg_prefetch *p, bool close_ids, size_t want)
{
	for (;;) {
		struct pollfd fds[2];
		int nfds = 0, rc;
		long left;

		if (p->out_off < p->nout) {
			ssize_t n = write(p->ids_fd, p->out + p->out_off, p->nout - p->out_off);

			if (n > 0)
				p->out_off += (size_t)n;
			else if (n < 0 && errno != EAGAIN && errno != EINTR)
				return lg_error_set(LG_ERROR, "the blob reader stopped: %s", strerror(errno));
		}
		if (p->out_off == p->nout) {
			p->out_off = p->nout = 0;
			if (close_ids && p->ids_fd >= 0) {
				close(p->ids_fd);
				p->ids_fd = -1;
			}
		}
		if (drain(p) < 0) {
			if (p->nout == 0 && p->nresults >= want)
				return 0;
			return lg_error_set(LG_ERROR, "the blob reader stopped before answering");
		}
		if (p->nout == 0 && p->nresults >= want)
			return 0;
		if (p->nout) {
			fds[nfds].fd = p->ids_fd;
			fds[nfds++].events = POLLOUT;
		}
		fds[nfds].fd = p->res_fd;
		fds[nfds++].events = POLLIN;
		left = lg_deadline_remaining_ms();
		rc = poll(fds, (nfds_t)nfds, left == LONG_MAX ? -1 : (int)(left > 1000 ? 1000 : left));
		if (rc < 0 && errno != EINTR)
			return lg_error_set(LG_ERROR, "poll failed: %s", strerror(errno));
		if (lg_deadline_remaining_ms() == 0)
			return lg_deadline_check();
	}
}

static void reap(struct lg_prefetch *p, bool kill_it)
{
	int status;

	if (p->pid <= 0)
		return;
	if (kill_it)
		kill(p->pid, SIGKILL);
	while (waitpid(p->pid, &status, 0) < 0 && errno == EINTR)
		;
	p->pid = 0;
}

int lg_prefetch_push(struct lg_prefetch *p, const git_oid *id)
{
	p->out = lg_xgrow(p->out, 1, p->nout + GIT_OID_RAWSZ, &p->out_alloc);
	memcpy(p->out + p->nout, id->id, GIT_OID_RAWSZ);
	p->nout += GIT_OID_RAWSZ;
	p->queued++;
	/* Batch the writes; a pipe write per id would cost more than it hides. */
	if (p->nout - p->out_off >= 64 * GIT_OID_RAWSZ)
		return pump(p, false, 0);
	return 0;
}

int lg_prefetch_wait(struct lg_prefetch *p, size_t upto, const struct lg_blobinfo **out)
{
	int err = pump(p, false, upto < p->queued ? upto : p->queued);

	if (err < 0) {
		reap(p, true);
		return err;
	}
	*out = p->results;
	return 0;
}


int lg_prefetch_finish(struct lg_prefetch *p, const struct lg_blobinfo **out, size_t *nout)
{
	int err = pump(p, true, p->queued);

	reap(p, err < 0);
	if (err < 0)
		return err;
	*out = p->results;
	*nout = p->nresults;
	return 0;
}

void lg_prefetch_free(struct lg_prefetch *p)
{
	if (!p)
		return;
	reap(p, true);
	if (p->ids_fd >= 0)
		close(p->ids_fd);
	close(p->res_fd);
	free(p->out);
	free(p->results);
	free(p);
}
