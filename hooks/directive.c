/* directive.c — //go:linkname directives as the compiler reads them (see directive.h). */
#include "linkgate/directive.h"

#define PREFIX "//go:linkname "
#define PREFIX_LEN (sizeof(PREFIX) - 1)

bool lg_directive_is_linkname(const char *comment, size_t len)
{
	/* Dropping a trailing CR cannot matter here: it would follow the space. */
	return len >= PREFIX_LEN && !memcmp(comment, PREFIX, PREFIX_LEN);
}

struct field {
	const char *p;
	size_t len;
};

/* strings.Fields: keeps the first max fields, returns how many there are. */
static size_t split_fields(const char *s, size_t n, struct field *f, size_t max)
{
	size_t i = 0, count = 0, k, start;

	for (;;) {
		while (i < n && (k = lg_go_space_len(s + i, n - i)) > 0)
			i += k;
		if (i >= n)
			return count;
		start = i;
		while (i < n && !lg_go_space_len(s + i, n - i))
			i++;
		if (count < max) {
			f[count].p = s + start;
			f[count].len = i - start;
		}
		count++;
	}
}

bool lg_directive_parse(struct lg_directive *out, const char *buf, size_t len, const struct lg_gotok *tok)
{
	struct field f[3];
	const char *text;
	size_t text_len, line_len, nf;

	if (tok->kind != LG_GOTOK_LINE_COMMENT || tok->off + tok->len > len ||
	    !lg_directive_is_linkname(buf + tok->off, tok->len))
		return false;

	/* commentText(): the text after "//", one trailing CR dropped. */
	text = buf + tok->off + 2;
	text_len = tok->len - 2;
	if (text[text_len - 1] == '\r')
		text_len--;
	nf = split_fields(text, text_len, f, LG_ARRAY_SIZE(f));

	memset(out, 0, sizeof(*out));
	out->line = tok->line;
	out->rationale = LG_NO_RATIONALE;
	/* A line comment runs to the end of its line, so it ends the text too. */
	line_len = tok->off + tok->len - tok->line_off;
	if (line_len && buf[tok->line_off + line_len - 1] == '\r')
		line_len--;
	out->text = lg_xstrndup(buf + tok->line_off, line_len);
	out->text_len = line_len;
	if (nf >= 2)
		out->localname = lg_xstrndup(f[1].p, f[1].len);
	if (nf >= 3)
		out->target = lg_xstrndup(f[2].p, f[2].len);
	/* The noder's order: placement first, then the field count. */
	if (!tok->blank)
		out->malformed = lg_xstrdup(LG_DIRECTIVE_MISPLACED);
	else if (nf < 2 || nf > 3)
		out->malformed = lg_xstrdup(LG_DIRECTIVE_USAGE);
	return true;
}

void lg_directive_release(struct lg_directive *d)
{
	if (!d)
		return;
	free(d->text);
	free(d->localname);
	free(d->target);
	free(d->malformed);
	memset(d, 0, sizeof(*d));
	d->rationale = LG_NO_RATIONALE;
}

int lg_directives_scan(struct lg_directive **out, size_t *nout, const char *buf, size_t len)
{
	struct lg_golex lx;
	struct lg_gotok tok;
	struct lg_directive *v = NULL;
	size_t n = 0, alloc = 0;

	lg_golex_init(&lx, buf, len);
	while (lg_golex_next(&lx, &tok)) {
		struct lg_directive d;

		if (!lg_directive_parse(&d, buf, len, &tok))
			continue;
		v = lg_xgrow(v, sizeof(*v), n + 1, &alloc);
		v[n++] = d;
	}
	*out = v;
	*nout = n;
	return 0;
}

void lg_directives_free(struct lg_directive *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		lg_directive_release(&v[i]);
	free(v);
}
