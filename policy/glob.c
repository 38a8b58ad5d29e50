/*
 * glob.c — git's wildmatch semantics under WM_PATHNAME (see glob.h).
 *
 * The pattern is compiled into a list of tokens, then the text is run through
 * a set-of-states simulation: every token position is a state, one pass over
 * the text advances all live states at once, and the only moves that consume
 * nothing (a star matching the empty string, `**` matching zero directories)
 * go forward, so one ascending sweep closes a state set. There is no
 * backtracking at all: work is O(tokens × text bytes) whatever the pattern,
 * so hostile patterns such as `*a*a*a*a*a*b` against a long string cost the
 * same as any other. Memory is two state arrays the size of the pattern.
 */
#include "linkgate/glob.h"

/*
 * `**` as a whole component compiles to T_ANYSTR. When a '/' follows, it is
 * preceded by T_SKIP_DIR, which lets "** then slash" match no directory at
 * all by jumping over the T_ANYSTR and that '/'. The skip must be a state of
 * its own: offered from T_ANYSTR, it would also be taken after `**` had
 * consumed part of a component, and a pattern "**" "/main" would match
 * "x/domain".
 */
enum tok_kind {
	T_BYTE,      /* one literal byte */
	T_ANY,       /* `?`: one byte but '/' */
	T_CLASS,     /* `[...]`: one byte of the set ('/' never in it) */
	T_STAR,      /* `*` (or `**` inside a component): bytes but '/' */
	T_ANYSTR,    /* `**` as a component: any bytes, '/' included */
	T_SKIP_DIR,  /* consumes nothing; may jump past the next two tokens */
};

struct tok {
	enum tok_kind kind;
	unsigned char c;   /* T_BYTE */
	uint32_t set[8];   /* T_CLASS: 256-bit membership */
};

struct glob {
	struct tok *t;
	size_t n;
};

static void set_add(uint32_t *set, unsigned char c)
{
	set[c >> 5] |= (uint32_t)1 << (c & 31);
}

static bool set_has(const uint32_t *set, unsigned char c)
{
	return set[c >> 5] & ((uint32_t)1 << (c & 31));
}

/* The POSIX classes of `[[:name:]]`, ASCII only (git's are too): a path or
 * ref name must not match differently under another locale. */
static bool posix_class(const char *name, size_t len, uint32_t *set)
{
	static const char *const names[] = { "alnum", "alpha", "blank", "cntrl", "digit", "graph",
					     "lower", "print", "punct", "space", "upper", "xdigit" };
	size_t k;
	int c;

	for (k = 0; k < LG_ARRAY_SIZE(names); k++)
		if (strlen(names[k]) == len && !memcmp(names[k], name, len))
			break;
	if (k == LG_ARRAY_SIZE(names))
		return false;
	for (c = 0; c < 128; c++) {
		bool digit = c >= '0' && c <= '9';
		bool upper = c >= 'A' && c <= 'Z';
		bool lower = c >= 'a' && c <= 'z';
		bool graph = c > 32 && c < 127;
		bool in;

		switch (k) {
		case 0: in = digit || upper || lower; break;
		case 1: in = upper || lower; break;
		case 2: in = c == ' ' || c == '\t'; break;
		case 3: in = c < 32 || c == 127; break;
		case 4: in = digit; break;
		case 5: in = graph; break;
		case 6: in = lower; break;
		case 7: in = graph || c == ' '; break;
		case 8: in = graph && !digit && !upper && !lower; break;
		case 9: in = c == ' ' || (c >= '\t' && c <= '\r'); break;
		case 10: in = upper; break;
		default: in = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); break;
		}
		if (in)
			set_add(set, (unsigned char)c);
	}
	return true;
}

/* Parses the class whose '[' is at *pp into tok; leaves *pp after its ']'.
 * Follows wildmatch: `!` or `^` negates, a ']' right after the opening (and
 * negation) is literal, `a-z` is a range unless '-' comes first or last,
 * backslash escapes, `[:name:]` is a POSIX class, and a `[:` that does not
 * end in `:]` before the next ']' is just a literal '['. */
static int parse_class(const char **pp, struct tok *tok, const char **why)
{
	const unsigned char *p = (const unsigned char *)*pp + 1;
	bool negated = false, first = true;
	unsigned prev = 0; /* the byte a '-' would start a range from; 0: none */
	size_t k;

	tok->kind = T_CLASS;
	if (*p == '!' || *p == '^') {
		negated = true;
		p++;
	}
	for (;;) {
		unsigned c = *p;

		if (!c)
			goto unterminated;
		if (c == ']' && !first)
			break;
		first = false;
		if (c == '\\') {
			c = *++p;
			if (!c)
				goto unterminated;
			set_add(tok->set, (unsigned char)c);
			prev = c;
			p++;
		} else if (c == '-' && prev && p[1] && p[1] != ']') {
			unsigned hi = *++p, x;

			if (hi == '\\') {
				hi = *++p;
				if (!hi)
					goto unterminated;
			}
			for (x = prev; x <= hi; x++)
				set_add(tok->set, (unsigned char)x);
			prev = 0;
			p++;
		} else if (c == '[' && p[1] == ':') {
			const unsigned char *s = p + 2, *q = s;

			while (*q && *q != ']')
				q++;
			if (!*q)
				goto unterminated;
			if (q == s || q[-1] != ':') {
				set_add(tok->set, '[');
				prev = '[';
				p++;
				continue;
			}
			if (!posix_class((const char *)s, (size_t)(q - s - 1), tok->set)) {
				*why = "unknown character class name in [:name:]";
				return -1;
			}
			prev = 0;
			p = q + 1;
		} else {
			set_add(tok->set, (unsigned char)c);
			prev = c;
			p++;
		}
	}
	if (negated)
		for (k = 0; k < LG_ARRAY_SIZE(tok->set); k++)
			tok->set[k] = ~tok->set[k];
	/* Under WM_PATHNAME a class never matches '/', negated or not. */
	tok->set['/' >> 5] &= ~((uint32_t)1 << ('/' & 31));
	*pp = (const char *)p + 1;
	return 0;

unterminated:
	*why = "unterminated character class (missing ']')";
	return -1;
}

static struct tok *push_tok(struct glob *g, size_t *alloc, enum tok_kind kind)
{
	struct tok *t;

	g->t = lg_xgrow(g->t, sizeof(*g->t), g->n + 1, alloc);
	t = &g->t[g->n++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	return t;
}

/* Compiles pattern into g. Returns 0, or -1 with *why set (g is then
 * released). */
static int compile(struct glob *g, const char *pattern, const char **why)
{
	const char *p = pattern;
	size_t alloc = 0;

	g->t = NULL;
	g->n = 0;
	while (*p) {
		if (*p == '\\') {
			if (!p[1]) {
				*why = "trailing backslash";
				goto fail;
			}
			push_tok(g, &alloc, T_BYTE)->c = (unsigned char)p[1];
			p += 2;
		} else if (*p == '?') {
			push_tok(g, &alloc, T_ANY);
			p++;
		} else if (*p == '[') {
			if (parse_class(&p, push_tok(g, &alloc, T_CLASS), why) < 0)
				goto fail;
		} else if (*p == '*') {
			const char *stars = p;
			bool at_start;

			while (*p == '*')
				p++;
			at_start = stars == pattern || stars[-1] == '/';
			if (p - stars >= 2 && at_start && (!*p || *p == '/' || (p[0] == '\\' && p[1] == '/'))) {
				/* Only an unescaped '/' gets the zero-directory
				 * shortcut, as in wildmatch. The '/' itself becomes
				 * the next token. */
				if (*p == '/')
					push_tok(g, &alloc, T_SKIP_DIR);
				push_tok(g, &alloc, T_ANYSTR);
			} else if (!g->n || g->t[g->n - 1].kind != T_STAR) {
				push_tok(g, &alloc, T_STAR);
			}
		} else {
			push_tok(g, &alloc, T_BYTE)->c = (unsigned char)*p;
			p++;
		}
	}
	return 0;

fail:
	free(g->t);
	g->t = NULL;
	g->n = 0;
	return -1;
}

/* Adds every state reachable from the live ones without consuming a byte.
 * All such moves go forward, so one ascending sweep is enough. */
static void close_states(const struct glob *g, unsigned char *st)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		if (!st[i])
			continue;
		switch (g->t[i].kind) {
		case T_STAR:
		case T_ANYSTR:
			st[i + 1] = 1;
			break;
		case T_SKIP_DIR:
			st[i + 1] = 1;
			st[i + 3] = 1;
			break;
		default:
			break;
		}
	}
}

static bool run(const struct glob *g, const char *text)
{
	unsigned char *cur = lg_xcalloc(g->n + 1, 1);
	unsigned char *next = lg_xcalloc(g->n + 1, 1);
	const unsigned char *s;
	bool matched = false;

	cur[0] = 1;
	close_states(g, cur);
	for (s = (const unsigned char *)text; *s; s++) {
		unsigned char *swap;
		bool live = false;
		size_t i;

		memset(next, 0, g->n + 1);
		for (i = 0; i < g->n; i++) {
			const struct tok *t = &g->t[i];

			if (!cur[i])
				continue;
			switch (t->kind) {
			case T_BYTE:
				if (*s == t->c)
					next[i + 1] = live = 1;
				break;
			case T_ANY:
				if (*s != '/')
					next[i + 1] = live = 1;
				break;
			case T_CLASS:
				if (set_has(t->set, *s))
					next[i + 1] = live = 1;
				break;
			case T_STAR:
				if (*s != '/')
					next[i] = live = 1;
				break;
			case T_ANYSTR:
				next[i] = live = 1;
				break;
			case T_SKIP_DIR:
				break;
			}
		}
		if (!live)
			goto done;
		close_states(g, next);
		swap = cur;
		cur = next;
		next = swap;
	}
	matched = cur[g->n];
done:
	free(cur);
	free(next);
	return matched;
}

bool lg_glob_valid(const char *pattern, const char **why)
{
	struct glob g;
	const char *dummy;

	if (!why)
		why = &dummy;
	if (!pattern) {
		*why = "no pattern";
		return false;
	}
	if (compile(&g, pattern, why) < 0)
		return false;
	free(g.t);
	return true;
}

bool lg_glob_match(const char *pattern, const char *text)
{
	struct glob g;
	const char *why;
	bool matched;

	if (!pattern || !text || compile(&g, pattern, &why) < 0)
		return false;
	matched = run(&g, text);
	free(g.t);
	return matched;
}

bool lg_glob_match_any(char *const *patterns, size_t n, const char *text)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lg_glob_match(patterns[i], text))
			return true;
	return false;
}
