/*
 * fuzz-alternates.c — GIT_ALTERNATE_OBJECT_DIRECTORIES as git writes it
 * (`:`-separated, an entry C-quoted when it holds `:` or `"`) parsed by
 * lg_repo_split_alternates. A quarantine path with `:` in it reaches the
 * hook this way.
 *
 * Properties: a value either fails with LG_EUSAGE or splits into non-empty
 * entries; an entry quoted the way git quotes it comes back unchanged.
 */
#include "fuzz.h"
#include "linkgate/buf.h"
#include "linkgate/error.h"
#include "linkgate/repo.h"

/* git's quote_c_style() for the characters it quotes. */
static void quote_c(struct lg_buf *out, const char *s)
{
	lg_buf_putc(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			lg_buf_putc(out, '\\');
			lg_buf_putc(out, (char)c);
		} else if (c < 0x20 || c == 0x7f) {
			lg_buf_printf(out, "\\%03o", c);
		} else {
			lg_buf_putc(out, (char)c);
		}
	}
	lg_buf_putc(out, '"');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a, *b, **v = NULL;
	size_t n = 0, i;
	struct lg_buf q = LG_BUF_INIT;
	int err;

	fuzz_split2(data, size, &a, &b);
	err = lg_repo_split_alternates(&v, &n, a);
	FUZZ_CHECK(err == 0 || err == LG_EUSAGE, "code %d", err);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(v[i] && *v[i], "entry %zu is empty", i);
	lg_repo_free_list(v, n);

	/* Round trip: two entries, the first quoted as git quotes it. */
	if (*a && *b && !strchr(b, ':') && b[0] != '"') {
		quote_c(&q, a);
		lg_buf_putc(&q, ':');
		lg_buf_puts(&q, b);
		v = NULL;
		n = 0;
		FUZZ_CHECK(lg_repo_split_alternates(&v, &n, q.ptr) == 0, "git's quoting refused: %s", q.ptr);
		FUZZ_CHECK(n == 2 && !strcmp(v[0], a) && !strcmp(v[1], b), "'%s' did not round-trip", q.ptr);
		lg_repo_free_list(v, n);
	}
	lg_buf_release(&q);
	free(a);
	free(b);
	return 0;
}
