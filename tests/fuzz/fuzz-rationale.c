/*
 * fuzz-rationale.c — `// linkname rationale:` blocks. The input's lines
 * become `// <line>` comments between a block header on line 1 and a
 * directive, so the block can neither be left nor ended by them.
 *
 * Properties: the final directive is found and served by the last block
 * (the input may open more with a header line of its own; the first is on
 * line 1); every field is trimmed, non-empty when present, one line.
 */
#include "fuzz.h"
#include "linkgate/buf.h"
#include "linkgate/gofacts.h"

static void check_field(const char *v, const char *name)
{
	size_t n;

	if (!v)
		return;
	n = strlen(v);
	FUZZ_CHECK(n > 0, "%s is empty, not NULL", name);
	FUZZ_CHECK(v[0] != ' ' && v[0] != '\t' && v[n - 1] != ' ' && v[n - 1] != '\t', "%s '%s' is not trimmed", name, v);
	FUZZ_CHECK(!strchr(v, '\n'), "%s holds a newline", name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lg_buf file = LG_BUF_INIT;
	struct lg_gofile g;
	const struct lg_directive *d;
	const struct lg_rationale *r;
	const char *s = (const char *)data, *end = s + size, *nl;
	size_t i;

	lg_buf_puts(&file, "// linkname rationale:\n");
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		lg_buf_puts(&file, "// ");
		lg_buf_put(&file, s, (size_t)((nl ? nl : end) - s));
		lg_buf_putc(&file, '\n');
		s = nl ? nl + 1 : end;
	}
	lg_buf_puts(&file, "//go:linkname x runtime.y\nfunc x()\n");
	FUZZ_CHECK(lg_gofile_analyze(&g, file.ptr, file.len) == 0, "analysis failed");
	FUZZ_CHECK(g.ndirectives >= 1, "the final directive was not found");
	d = &g.directives[g.ndirectives - 1];
	FUZZ_CHECK(d->localname && !strcmp(d->localname, "x") && d->target && !strcmp(d->target, "runtime.y") &&
			   !d->malformed,
		   "the final directive was misread");
	FUZZ_CHECK(g.nrationales >= 1 && d->rationale == g.nrationales - 1, "the last block does not serve the directive");
	for (i = 0; i < g.nrationales; i++) {
		r = &g.rationales[i];
		check_field(r->why, "why");
		check_field(r->measured_gain, "measured gain");
		check_field(r->target_source, "target source");
		check_field(r->removed_when, "removed when");
		check_field(r->owner, "owner");
	}
	FUZZ_CHECK(g.rationales[0].line == 1, "block on line %u", g.rationales[0].line);
	lg_gofile_release(&g);
	lg_buf_release(&file);
	return 0;
}
