/*
 * fuzz-flags.c — the checklinkname-off matcher (lg_flags_scan) over any
 * bytes, run with PCRE2's JIT and with its interpreter.
 *
 * Properties: both engines agree; a limit is LG_ELIMIT, never a silent
 * miss; no hit without the needle; every hit lies inside the buffer, on
 * one line that holds its spelling, in order; every spelling has the
 * disabling shape (one or two dashes, `checklinkname=`, a false value,
 * matching quotes) and sits where match_off says.
 */
#include "fuzz.h"
#include "linkgate/error.h"
#include "linkgate/flags.h"

static struct lg_flags *jit, *interp;

static bool false_value(const char *v, size_t n)
{
	static const char *const values[] = { "0", "f", "F", "false", "FALSE", "False" };
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(values); i++)
		if (strlen(values[i]) == n && !memcmp(values[i], v, n))
			return true;
	return false;
}

static void check_spelling(const char *s)
{
	size_t n = strlen(s);
	const char *v;

	if (s[0] == '-' && s[1] == '-')
		s += 2;
	else
		FUZZ_CHECK(s[0] == '-', "spelling '%s' has no dash", s);
	if (s[0] == '-')
		s++;
	FUZZ_CHECK(!strncmp(s, "checklinkname=", 14), "spelling '%s'", s);
	v = s + 14;
	n = strlen(v);
	if (n >= 2 && (v[0] == '\'' || v[0] == '"')) {
		FUZZ_CHECK(v[n - 1] == v[0], "unmatched quotes in '%s'", s);
		v++;
		n -= 2;
	}
	FUZZ_CHECK(false_value(v, n), "value of '%s' does not disable", s);
}

static void check_hits(const struct lg_flag_hits *h, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		const struct lg_flag_hit *x = &h->v[i];

		FUZZ_CHECK(x->line >= 1 && x->line_off <= len && x->line_len <= len - x->line_off, "hit %zu out of bounds", i);
		FUZZ_CHECK(!memchr(buf + x->line_off, '\n', x->line_len), "hit %zu spans lines", i);
		FUZZ_CHECK(x->line_off == 0 || buf[x->line_off - 1] == '\n', "hit %zu: line_off is not a line start", i);
		FUZZ_CHECK(x->match_off >= x->line_off && x->match_off + strlen(x->spelling) <= x->line_off + x->line_len &&
				   !memcmp(buf + x->match_off, x->spelling, strlen(x->spelling)),
			   "hit %zu: '%s' is not at its offset on its line", i, x->spelling);
		if (i)
			FUZZ_CHECK(x->line > h->v[i - 1].line ||
					   (x->line == h->v[i - 1].line && x->line_off == h->v[i - 1].line_off),
				   "hit %zu out of order", i);
		check_spelling(x->spelling);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct lg_flag_hits a, b;
	int ea, eb;
	size_t i;

	if (!jit) {
		FUZZ_CHECK(lg_flags_new(&jit) == 0 && lg_flags_new(&interp) == 0, "%s", lg_error_last());
		lg_flags_set_jit(interp, false);
	}
	lg_flag_hits_init(&a);
	lg_flag_hits_init(&b);
	ea = lg_flags_scan(jit, &a, buf, size);
	eb = lg_flags_scan(interp, &b, buf, size);
	FUZZ_CHECK(ea == 0 || ea == LG_ELIMIT, "JIT: %d %s", ea, lg_error_last());
	FUZZ_CHECK(eb == 0 || eb == LG_ELIMIT, "interpreter: %d %s", eb, lg_error_last());
	if (ea == 0 && eb == 0) {
		FUZZ_CHECK(a.n == b.n, "JIT found %zu, the interpreter %zu", a.n, b.n);
		for (i = 0; i < a.n; i++)
			FUZZ_CHECK(a.v[i].line == b.v[i].line && !strcmp(a.v[i].spelling, b.v[i].spelling),
				   "hit %zu differs between engines", i);
	}
	if (a.n)
		FUZZ_CHECK(memmem(buf, size, LG_FLAGS_NEEDLE, strlen(LG_FLAGS_NEEDLE)), "hit without the needle");
	check_hits(&a, buf, size);
	lg_flag_hits_release(&a);
	lg_flag_hits_release(&b);
	return 0;
}
