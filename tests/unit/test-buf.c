/* test-buf.c — the byte buffer and the error slot. */
#include "linkgate/buf.h"
#include "linkgate/error.h"
#include "tap.h"

int main(void)
{
	struct lg_buf b = LG_BUF_INIT;
	char *s;
	size_t len;
	int i;

	lg_buf_init(&b);
	tap_ok(b.ptr && b.ptr[0] == '\0' && b.len == 0, "fresh buffer reads as empty string");
	lg_buf_puts(&b, "abc");
	lg_buf_putc(&b, '\0');
	lg_buf_printf(&b, "%d-%s", 42, "x");
	tap_is_int((long long)b.len, 8, "length counts embedded NUL");
	tap_ok(!memcmp(b.ptr, "abc\0" "42-x", 9), "contents and terminator");
	for (i = 0; i < 10000; i++)
		lg_buf_puts(&b, "0123456789");
	tap_is_int((long long)b.len, 100008, "growth");
	lg_buf_truncate(&b, 3);
	tap_is_str(b.ptr, "abc", "truncate keeps a terminated string");
	s = lg_buf_detach(&b, &len);
	tap_is_str(s, "abc", "detach hands the string over");
	tap_ok(b.len == 0 && b.ptr[0] == '\0', "buffer re-initialised after detach");
	free(s);
	lg_buf_release(&b);

	tap_is_int(lg_error_set(LG_ELIMIT, "limit %s", "hit"), LG_ELIMIT, "lg_error_set returns its code");
	tap_is_str(lg_error_last(), "limit hit", "message kept");
	tap_is_int(lg_error_exit_status(LG_ELIMIT), 3, "limits exit 3");
	tap_is_int(lg_error_exit_status(LG_ECONFIG), 2, "config errors exit 2");
	tap_is_int(lg_error_exit_status(LG_ETIMEOUT), 3, "timeouts exit 3");
	lg_error_clear();
	tap_is_str(lg_error_last(), "unknown error", "cleared");

	tap_is_int(lg_buf_read_file(&b, "/nonexistent/linkgate", 0), LG_ENOTFOUND, "missing file is ENOTFOUND");
	lg_buf_release(&b);
	return tap_done();
}
