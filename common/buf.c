/* buf.c — growable buffers and the allocation helpers of common.h. */
#include "linkgate/buf.h"
#include "linkgate/error.h"

#include <fcntl.h>
#include <unistd.h>

static void oom(void)
{
	static const char msg[] = "linkgate: out of memory\n";
	ssize_t r = write(2, msg, sizeof(msg) - 1);
	(void)r;
	_exit(LG_EXIT_INTERNAL);
}

void *lg_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *lg_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *lg_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom();
	return q;
}

void *lg_xgrow(void *p, size_t sz, size_t want, size_t *alloc)
{
	size_t n;

	if (want <= *alloc)
		return p;
	n = *alloc ? *alloc : 8;
	while (n < want) {
		if (n > SIZE_MAX / 2)
			oom();
		n *= 2;
	}
	if (sz && n > SIZE_MAX / sz)
		oom();
	p = lg_xrealloc(p, n * sz);
	*alloc = n;
	return p;
}

char *lg_xstrdup(const char *s)
{
	return lg_xstrndup(s, strlen(s));
}

char *lg_xstrndup(const char *s, size_t n)
{
	char *p = lg_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *lg_xasprintf(const char *fmt, ...)
{
	struct lg_buf b = LG_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	lg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return lg_buf_detach(&b, NULL);
}

static char empty_slot[1];

void lg_buf_init(struct lg_buf *b)
{
	b->ptr = empty_slot;
	b->len = 0;
	b->alloc = 0;
}

void lg_buf_release(struct lg_buf *b)
{
	if (b->alloc)
		free(b->ptr);
	lg_buf_init(b);
}

void lg_buf_clear(struct lg_buf *b)
{
	lg_buf_truncate(b, 0);
}

void lg_buf_grow(struct lg_buf *b, size_t extra)
{
	bool fresh = !b->alloc;

	if (b->len + extra + 1 < b->len)
		oom();
	if (fresh)
		b->ptr = NULL;
	b->ptr = lg_xgrow(b->ptr, 1, b->len + extra + 1, &b->alloc);
	if (fresh)
		b->ptr[0] = '\0';
}

void lg_buf_put(struct lg_buf *b, const void *data, size_t len)
{
	if (!len) {
		if (!b->ptr)
			lg_buf_init(b);
		return;
	}
	lg_buf_grow(b, len);
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void lg_buf_puts(struct lg_buf *b, const char *s)
{
	lg_buf_put(b, s, strlen(s));
}

void lg_buf_putc(struct lg_buf *b, char c)
{
	lg_buf_put(b, &c, 1);
}

void lg_buf_vprintf(struct lg_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	if (!b->ptr)
		lg_buf_init(b);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	lg_buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void lg_buf_printf(struct lg_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lg_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void lg_buf_truncate(struct lg_buf *b, size_t len)
{
	if (!b->ptr)
		lg_buf_init(b);
	if (len < b->len) {
		b->len = len;
		if (b->alloc)
			b->ptr[len] = '\0';
	}
}

char *lg_buf_detach(struct lg_buf *b, size_t *len_out)
{
	char *p;

	if (!b->alloc)
		lg_buf_grow(b, 0);
	p = b->ptr;
	if (len_out)
		*len_out = b->len;
	lg_buf_init(b);
	return p;
}

int lg_buf_read_fd(struct lg_buf *b, int fd, size_t max)
{
	for (;;) {
		ssize_t n;

		lg_buf_grow(b, 65536);
		n = read(fd, b->ptr + b->len, b->alloc - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return lg_error_set(LG_ERROR, "read failed: %s", strerror(errno));
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		b->ptr[b->len] = '\0';
		if (max && b->len > max)
			return lg_error_set(LG_ELIMIT, "input larger than %zu bytes", max);
	}
	return 0;
}

int lg_buf_read_file(struct lg_buf *b, const char *path, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err;

	if (fd < 0) {
		if (errno == ENOENT)
			return lg_error_set(LG_ENOTFOUND, "%s: no such file", path);
		return lg_error_set(LG_ERROR, "%s: %s", path, strerror(errno));
	}
	err = lg_buf_read_fd(b, fd, max);
	close(fd);
	if (err < 0 && err != LG_ELIMIT)
		return lg_error_set(err, "%s: %s", path, lg_error_last());
	return err;
}
