/*
 * fuzz-constraint.c — build constraints as gofacts reads them from a file
 * header. The first byte picks the shape; the rest becomes the lines of
 * that shape:
 *   0  `//go:build <line>` for each line (the first counts, all are counted)
 *   1  `// +build <line>` for each line (the legacy syntax, translated)
 *   2  the lines as they are, as the header
 * followed by a blank line and `package p`.
 *
 * Properties: a //go:build expression is the first line's text, trimmed;
 * a translated +build expression has balanced parentheses and only tags,
 * `!`, `&&`, `||`, parentheses and single spaces; no expression holds a
 * newline.
 */
#include "fuzz.h"
#include "linkgate/buf.h"
#include "linkgate/gofacts.h"

static bool tag_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
	       c >= 0x80;
}

static void check_legacy(const char *e)
{
	const char *p;
	long depth = 0;

	for (p = e; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '(')
			depth++;
		else if (c == ')')
			FUZZ_CHECK(--depth >= 0, "unbalanced ')' in '%s'", e);
		else if (c == ' ')
			FUZZ_CHECK(p[1] != ' ' && p != e, "stray space in '%s'", e);
		else
			FUZZ_CHECK(tag_byte(c) || c == '!' || c == '&' || c == '|', "byte 0x%02x in '%s'", c, e);
	}
	FUZZ_CHECK(depth == 0, "unbalanced '(' in '%s'", e);
	FUZZ_CHECK(*e && p[-1] != ' ', "empty or trailing space: '%s'", e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lg_buf file = LG_BUF_INIT;
	struct lg_gofile g;
	const char *s, *end, *nl;
	unsigned shape;

	if (!size)
		return 0;
	shape = data[0] % 3;
	s = (const char *)data + 1;
	end = (const char *)data + size;
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (shape == 0)
			lg_buf_puts(&file, "//go:build ");
		else if (shape == 1)
			lg_buf_puts(&file, "// +build ");
		lg_buf_put(&file, s, (size_t)((nl ? nl : end) - s));
		lg_buf_putc(&file, '\n');
		s = nl ? nl + 1 : end;
	}
	lg_buf_puts(&file, "\npackage p\n");
	FUZZ_CHECK(lg_gofile_analyze(&g, file.ptr, file.len) == 0, "analysis failed");
	if (g.facts.build_expr) {
		FUZZ_CHECK(!strchr(g.facts.build_expr, '\n'), "newline in '%s'", g.facts.build_expr);
		if (g.build_legacy)
			check_legacy(g.facts.build_expr);
	}
	if (shape == 0 && size > 1) {
		FUZZ_CHECK(g.build_lines >= 1 || !g.facts.build_expr, "go:build lines not counted");
	}
	if (shape == 1)
		FUZZ_CHECK(g.build_lines == 0 || memmem(data, size, "go:build", 8), "go:build counted in +build lines");
	lg_gofile_release(&g);
	lg_buf_release(&file);
	return 0;
}
