/*
 * buf.h — a growable byte buffer (git's strbuf is the model).
 *
 * Invariant: ptr is never NULL after lg_buf_init() and ptr[len] == '\0', so a
 * buffer can always be read as a C string (it may also hold NUL bytes;
 * len is authoritative). Allocation failure exits (see common.h).
 */
#ifndef LINKGATE_BUF_H
#define LINKGATE_BUF_H

#include "linkgate/common.h"

struct lg_buf {
	char *ptr;
	size_t len;
	size_t alloc;
};

#define LG_BUF_INIT { NULL, 0, 0 }

void lg_buf_init(struct lg_buf *b);
void lg_buf_release(struct lg_buf *b);
void lg_buf_clear(struct lg_buf *b);
void lg_buf_grow(struct lg_buf *b, size_t extra);
void lg_buf_put(struct lg_buf *b, const void *data, size_t len);
void lg_buf_puts(struct lg_buf *b, const char *s);
void lg_buf_putc(struct lg_buf *b, char c);
void lg_buf_printf(struct lg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lg_buf_vprintf(struct lg_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void lg_buf_truncate(struct lg_buf *b, size_t len);
/* Hands the string to the caller, who frees it; the buffer is re-initialised. */
char *lg_buf_detach(struct lg_buf *b, size_t *len_out);
/* Reads all of fd into b (appending). Returns 0 or LG_ERROR with the message set. */
int lg_buf_read_fd(struct lg_buf *b, int fd, size_t max);
/* Reads a whole file. Returns 0, LG_ENOTFOUND or LG_ERROR. */
int lg_buf_read_file(struct lg_buf *b, const char *path, size_t max);

#endif
