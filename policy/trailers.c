/*
 * trailers.c — commit message trailers as `git interpret-trailers --parse`
 * finds them (see trailers.h).
 *
 * The steps follow git 2.39's trailer.c, on an array of lines instead of
 * byte offsets:
 *   1. the message ends at the first `---` patch divider line, and before
 *      that at a `# --- >8 ---` scissors line;
 *   2. a trailing run of comment lines, empty lines and an old-style
 *      `Conflicts:` block is dropped;
 *   3. the title (first paragraph) is never part of the block;
 *   4. walking back from the end, the block is the last paragraph if all its
 *      lines are trailers (continuations count with their trailer), or if one
 *      is git-generated and trailers make at least a quarter of it;
 *   5. each trailer is split at its ':' and continuation lines are folded.
 *
 * Deliberate differences from git, both about malformed input: one CR before
 * each LF is dropped, so a CRLF message folds to the same values as an LF one
 * (git keeps the CR inside folded values); and a scissors line is looked for
 * only before the patch divider (git 2.39 loops forever on a message with a
 * scissors line after a divider).
 */
#include "linkgate/trailers.h"
#include "linkgate/buf.h"

static const char scissors[] = "# ------------------------ >8 ------------------------";

struct line {
	const char *s;
	size_t len;      /* without the LF and one CR before it */
	size_t raw_len;  /* without the LF */
	bool nl;         /* the line ended with an LF */
};

/* git's isspace(): no \v or \f. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_comment(const struct line *l)
{
	return l->raw_len && l->s[0] == '#';
}

static bool is_blank(const struct line *l)
{
	size_t i;

	for (i = 0; i < l->raw_len; i++)
		if (!is_space(l->s[i]))
			return false;
	return true;
}

static bool line_is(const struct line *l, const char *text)
{
	return l->len == strlen(text) && !memcmp(l->s, text, l->len);
}

static bool starts_with(const struct line *l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l->raw_len >= n && !memcmp(l->s, prefix, n);
}

/* The offset of the ':' that ends a trailer key (token characters, then
 * optional blanks), or -1 if the line is not a trailer. */
static long find_separator(const struct line *l)
{
	bool blanks = false;
	size_t i;

	for (i = 0; i < l->len; i++) {
		char c = l->s[i];

		if (c == ':')
			return (long)i;
		if (!blanks && (is_alnum(c) || c == '-'))
			continue;
		if (i && (c == ' ' || c == '\t')) {
			blanks = true;
			continue;
		}
		break;
	}
	return -1;
}

static struct line *split_lines(const char *msg, size_t *nout)
{
	struct line *v = NULL;
	size_t n = 0, alloc = 0;
	const char *p = msg;

	while (*p) {
		const char *nl = strchr(p, '\n');
		struct line *l;

		v = lg_xgrow(v, sizeof(*v), n + 1, &alloc);
		l = &v[n++];
		l->s = p;
		l->raw_len = nl ? (size_t)(nl - p) : strlen(p);
		l->nl = nl != NULL;
		l->len = l->raw_len;
		if (l->len && p[l->len - 1] == '\r')
			l->len--;
		p += l->raw_len + (nl ? 1 : 0);
	}
	*nout = n;
	return v;
}

/* Steps 1 and 2: the number of lines that may hold the block. */
static size_t block_end(const struct line *v, size_t n)
{
	size_t i, boc = 0;
	bool conflicts = false;

	for (i = 0; i < n; i++) {
		const struct line *l = &v[i];

		/* "---" then white space; at the very end of the message
		 * without a newline it is not a divider (git agrees). */
		if (starts_with(l, "---") && (l->raw_len > 3 ? is_space(l->s[3]) : l->nl)) {
			n = i;
			break;
		}
	}
	for (i = 0; i < n; i++) {
		if (v[i].nl && line_is(&v[i], scissors)) {
			n = i;
			break;
		}
	}
	/* As in git, boc == 0 means "no run": a run starting at the first
	 * line would hold no trailers anyway. */
	for (i = 0; i < n; i++) {
		const struct line *l = &v[i];

		if (is_comment(l) || !l->len) {
			if (!boc)
				boc = i;
		} else if (l->nl && line_is(l, "Conflicts:")) {
			conflicts = true;
			if (!boc)
				boc = i;
		} else if (conflicts && l->s[0] == '\t') {
			/* a path of the old conflicts block */
		} else if (boc) {
			boc = 0;
			conflicts = false;
		}
	}
	return boc ? boc : n;
}

/* Step 3 and 4: the first line of the block, or end if there is none. */
static size_t block_start(const struct line *v, size_t end)
{
	size_t title_end = end, i;
	size_t trailers = 0, others = 0, continuations = 0;
	bool only_blank = true, recognised = false;

	for (i = 0; i < end; i++) {
		if (is_comment(&v[i]))
			continue;
		if (is_blank(&v[i])) {
			title_end = i;
			break;
		}
	}
	for (i = end; i-- > title_end;) {
		const struct line *l = &v[i];

		if (is_comment(l)) {
			others += continuations;
			continuations = 0;
			continue;
		}
		if (is_blank(l)) {
			if (only_blank)
				continue;
			others += continuations;
			if (recognised && trailers * 3 >= others)
				return i + 1;
			if (trailers && !others)
				return i + 1;
			return end;
		}
		only_blank = false;
		if (starts_with(l, "Signed-off-by: ") || starts_with(l, "(cherry picked from commit ")) {
			trailers++;
			continuations = 0;
			recognised = true;
		} else if (find_separator(l) >= 1) {
			trailers++;
			continuations = 0;
		} else if (is_space(l->s[0])) {
			continuations++;
		} else {
			others += 1 + continuations;
			continuations = 0;
		}
	}
	return end;
}

static char *trim(const char *s, size_t len)
{
	while (len && is_space(*s)) {
		s++;
		len--;
	}
	while (len && is_space(s[len - 1]))
		len--;
	return lg_xstrndup(s, len);
}

/* Folds a value: every LF and the white space after it become one space. */
static char *unfold(const struct lg_buf *raw)
{
	struct lg_buf out = LG_BUF_INIT;
	char *v;
	size_t i = 0;

	lg_buf_init(&out);
	while (i < raw->len) {
		char c = raw->ptr[i++];

		if (c == '\n') {
			while (i < raw->len && is_space(raw->ptr[i]))
				i++;
			c = ' ';
		}
		lg_buf_putc(&out, c);
	}
	v = trim(out.ptr, out.len);
	lg_buf_release(&out);
	return v;
}

int lg_trailers_parse(struct lg_trailer **out, size_t *nout, const char *message)
{
	struct lg_trailer *t = NULL;
	struct lg_buf val = LG_BUF_INIT;
	struct line *v;
	size_t n, end, i, nt = 0, alloc = 0;
	bool open = false; /* the last trailer may take continuation lines */

	*out = NULL;
	*nout = 0;
	if (!message)
		return 0;
	v = split_lines(message, &n);
	end = block_end(v, n);
	lg_buf_init(&val);
	for (i = block_start(v, end); i < end; i++) {
		const struct line *l = &v[i];
		long sep;

		if (open && is_space(l->s[0])) {
			lg_buf_putc(&val, '\n');
			lg_buf_put(&val, l->s, l->len);
			continue;
		}
		if (open)
			t[nt - 1].value = unfold(&val);
		open = false;
		sep = is_comment(l) ? -1 : find_separator(l);
		if (sep < 1)
			continue;
		t = lg_xgrow(t, sizeof(*t), nt + 1, &alloc);
		t[nt].key = trim(l->s, (size_t)sep);
		t[nt].value = NULL;
		nt++;
		lg_buf_clear(&val);
		lg_buf_put(&val, l->s + sep + 1, l->len - (size_t)sep - 1);
		open = true;
	}
	if (open)
		t[nt - 1].value = unfold(&val);
	lg_buf_release(&val);
	free(v);
	*out = t;
	*nout = nt;
	return 0;
}

void lg_trailers_free(struct lg_trailer *t, size_t n)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < n; i++) {
		free(t[i].key);
		free(t[i].value);
	}
	free(t);
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

const char *lg_trailer_get(const struct lg_trailer *t, size_t n, const char *key)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const char *a = t[i].key;

		for (j = 0; a[j] && key[j]; j++)
			if (ascii_lower((unsigned char)a[j]) != ascii_lower((unsigned char)key[j]))
				break;
		if (!a[j] && !key[j])
			return t[i].value;
	}
	return NULL;
}
