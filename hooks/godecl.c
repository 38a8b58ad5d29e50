/* godecl.c — package-level declarations and signature shapes (see godecl.h). */
#include "linkgate/godecl.h"
#include "linkgate/buf.h"
#include "linkgate/golex.h"

/* Tokens of one declaration header or var spec that are kept; a longer one
 * is still skipped correctly but its shape is unknown. */
#define MAX_DECL_TOKENS 4096

struct tok {
	enum lg_gotok_kind kind;
	size_t off, len;
	unsigned line;
};

struct toks {
	struct tok *v;
	size_t n, alloc;
	bool overflow;
};

static void toks_add(struct toks *t, const struct lg_gotok *g)
{
	if (t->n >= MAX_DECL_TOKENS) {
		t->overflow = true;
		return;
	}
	t->v = lg_xgrow(t->v, sizeof(*t->v), t->n + 1, &t->alloc);
	t->v[t->n].kind = g->kind;
	t->v[t->n].off = g->off;
	t->v[t->n].len = g->len;
	t->v[t->n].line = g->end_line;
	t->n++;
}

static bool is(const char *buf, const struct tok *t, const char *s)
{
	return t->len == strlen(s) && !memcmp(buf + t->off, s, t->len);
}

static bool gis(const char *buf, const struct lg_gotok *t, const char *s)
{
	return t->len == strlen(s) && !memcmp(buf + t->off, s, t->len);
}

/* An identifier or a number: two of these in a row need a space. */
static bool wordish(const char *buf, const struct tok *t)
{
	unsigned char c = (unsigned char)buf[t->off];

	return t->kind == LG_GOTOK_IDENT || (t->kind == LG_GOTOK_OTHER && c >= '0' && c <= '9');
}

/* The normalised text of tokens [i, j). */
static char *text(const char *buf, const struct toks *t, size_t i, size_t j)
{
	struct lg_buf b = LG_BUF_INIT;
	size_t k;

	lg_buf_init(&b);
	for (k = i; k < j; k++) {
		if (k > i && wordish(buf, &t->v[k - 1]) && wordish(buf, &t->v[k]))
			lg_buf_putc(&b, ' ');
		lg_buf_put(&b, buf + t->v[k].off, t->v[k].len);
	}
	return lg_buf_detach(&b, NULL);
}

static int opener(const char *buf, const struct tok *t)
{
	return t->kind == LG_GOTOK_OTHER && t->len == 1 && (buf[t->off] == '(' || buf[t->off] == '[' || buf[t->off] == '{');
}

static int closer(const char *buf, const struct tok *t)
{
	return t->kind == LG_GOTOK_OTHER && t->len == 1 && (buf[t->off] == ')' || buf[t->off] == ']' || buf[t->off] == '}');
}

/* Index of the token closing the bracket opened at i, or SIZE_MAX. */
static size_t match(const char *buf, const struct toks *t, size_t i, size_t end)
{
	size_t depth = 0, k;

	for (k = i; k < end; k++) {
		if (opener(buf, &t->v[k]))
			depth++;
		else if (closer(buf, &t->v[k]) && --depth == 0)
			return k;
	}
	return SIZE_MAX;
}

static const char *const type_keywords[] = { "chan", "func", "map", "interface", "struct" };

static bool type_keyword(const char *buf, const struct tok *t)
{
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(type_keywords); i++)
		if (is(buf, t, type_keywords[i]))
			return true;
	return false;
}

static void strv_add(char ***v, size_t *n, char *s)
{
	*v = lg_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

/*
 * A parameter list [i, j) (inside the parentheses): every parameter's type,
 * names dropped. Go's rule: either every item is "names Type" / a bare
 * name sharing the next type, or every item is a type.
 */
static void param_list(const char *buf, const struct toks *t, size_t i, size_t j, char ***out, size_t *nout)
{
	size_t starts[512], ends[512], nitems = 0, k, depth = 0, s = i, pending = 0;
	bool named = false;

	if (i >= j)
		return;
	for (k = i; k <= j && nitems < LG_ARRAY_SIZE(starts); k++) {
		if (k < j && opener(buf, &t->v[k]))
			depth++;
		else if (k < j && closer(buf, &t->v[k]) && depth)
			depth--;
		if (k == j || (!depth && is(buf, &t->v[k], ","))) {
			if (k > s) {
				starts[nitems] = s;
				ends[nitems++] = k;
			}
			s = k + 1;
		}
	}
	for (k = 0; k < nitems; k++) {
		const struct tok *a = &t->v[starts[k]];

		if (ends[k] - starts[k] < 2 || a->kind != LG_GOTOK_IDENT || type_keyword(buf, a))
			continue;
		if (is(buf, &t->v[starts[k] + 1], "."))
			continue; /* pkg.Type */
		if (is(buf, &t->v[starts[k] + 1], "[") && !is(buf, &t->v[starts[k] + 2], "]")) {
			size_t m = match(buf, t, starts[k] + 1, ends[k]);

			if (m == SIZE_MAX || m + 1 >= ends[k])
				continue; /* Generic[T], not a name */
		}
		named = true;
	}
	for (k = 0; k < nitems; k++) {
		if (!named) {
			strv_add(out, nout, text(buf, t, starts[k], ends[k]));
			continue;
		}
		if (ends[k] - starts[k] == 1) {
			pending++;
			continue;
		}
		do {
			strv_add(out, nout, text(buf, t, starts[k] + 1, ends[k]));
		} while (pending-- > 0);
		pending = 0;
	}
	/* Names without a type: not Go; keep the count honest. */
	while (pending-- > 0)
		strv_add(out, nout, lg_xstrdup("?"));
}

static struct lg_godecl *new_decl(struct lg_godecls *d, unsigned line, bool is_func)
{
	struct lg_godecl *x;

	d->v = lg_xgrow(d->v, sizeof(*d->v), d->n + 1, &d->alloc);
	x = &d->v[d->n++];
	memset(x, 0, sizeof(*x));
	x->line = line;
	x->is_func = is_func;
	return x;
}

/* "func" header tokens [0, n) (after the keyword). */
static void func_header(struct lg_godecls *d, const char *buf, const struct toks *t, unsigned line, bool body)
{
	size_t i = 0, n = t->n, m, recv_s = 0, recv_e = 0;
	struct lg_godecl *x;
	struct lg_buf name = LG_BUF_INIT;
	bool method = false;

	if (!n)
		return;
	if (is(buf, &t->v[0], "(")) {
		m = match(buf, t, 0, n);
		if (m == SIZE_MAX)
			return;
		method = true;
		recv_s = 1;
		recv_e = m;
		i = m + 1;
	}
	if (i >= n || t->v[i].kind != LG_GOTOK_IDENT)
		return;
	lg_buf_init(&name);
	if (method) {
		/* The receiver's type, without its name and type arguments. */
		size_t ts = recv_s, te = recv_e, k;
		bool ptr;

		if (te - ts >= 2 && t->v[ts].kind == LG_GOTOK_IDENT &&
		    (t->v[ts + 1].kind == LG_GOTOK_IDENT || is(buf, &t->v[ts + 1], "*")))
			ts++;
		ptr = ts < te && is(buf, &t->v[ts], "*");
		if (ptr)
			ts++;
		for (k = ts; k < te && !is(buf, &t->v[k], "["); k++)
			;
		if (ts >= k || t->v[ts].kind != LG_GOTOK_IDENT) {
			lg_buf_release(&name);
			return;
		}
		if (ptr)
			lg_buf_puts(&name, "(*");
		lg_buf_put(&name, buf + t->v[ts].off, t->v[ts].len);
		if (ptr)
			lg_buf_putc(&name, ')');
		lg_buf_putc(&name, '.');
	}
	lg_buf_put(&name, buf + t->v[i].off, t->v[i].len);
	x = new_decl(d, line, true);
	x->name = lg_buf_detach(&name, NULL);
	x->has_body = body;
	if (t->overflow)
		return;
	i++;
	if (i < n && is(buf, &t->v[i], "[")) {
		if ((m = match(buf, t, i, n)) == SIZE_MAX)
			return;
		i = m + 1;
	}
	if (i >= n || !is(buf, &t->v[i], "(") || (m = match(buf, t, i, n)) == SIZE_MAX)
		return;
	if (method) {
		size_t before = x->nparams;

		param_list(buf, t, recv_s, recv_e, &x->params, &x->nparams);
		if (x->nparams != before + 1)
			return;
	}
	param_list(buf, t, i + 1, m, &x->params, &x->nparams);
	i = m + 1;
	if (i < n && is(buf, &t->v[i], "(") && match(buf, t, i, n) == n - 1)
		param_list(buf, t, i + 1, n - 1, &x->results, &x->nresults);
	else if (i < n)
		strv_add(&x->results, &x->nresults, text(buf, t, i, n));
	x->shape_known = true;
}

/* One var spec [0, n): names, then an optional type, then "= values". */
static void var_spec(struct lg_godecls *d, const char *buf, const struct toks *t)
{
	size_t i = 0, k, first = d->n, te;
	char *type = NULL;

	while (i < t->n && t->v[i].kind == LG_GOTOK_IDENT) {
		struct lg_godecl *x = new_decl(d, t->v[i].line, false);

		x->name = lg_xstrndup(buf + t->v[i].off, t->v[i].len);
		i++;
		if (i < t->n && is(buf, &t->v[i], ","))
			i++;
		else
			break;
	}
	if (t->overflow || d->n == first)
		return;
	for (te = i; te < t->n && !is(buf, &t->v[te], "="); te++)
		;
	if (te > i)
		type = text(buf, t, i, te);
	for (k = first; k < d->n; k++) {
		if (!type)
			continue;
		strv_add(&d->v[k].params, &d->v[k].nparams, lg_xstrdup(type));
		d->v[k].shape_known = true;
	}
	free(type);
}

enum state { S_TOP, S_FUNC, S_BODY, S_VAR_START, S_VAR, S_VAR_GROUP };

void lg_godecls_scan(struct lg_godecls *out, const char *buf, size_t len)
{
	struct lg_golex lx;
	struct lg_gotok tok;
	struct toks hdr = { NULL, 0, 0, false };
	enum state st = S_TOP;
	size_t depth = 0, hd = 0;
	unsigned decl_line = 0, last_line = 0;
	bool prev_type_kw = false;

	if (!buf)
		len = 0;
	lg_golex_init(&lx, buf, len);
	while (lg_golex_next(&lx, &tok)) {
		bool open, close;

		if (tok.kind == LG_GOTOK_LINE_COMMENT || tok.kind == LG_GOTOK_BLOCK_COMMENT)
			continue;
		open = tok.kind == LG_GOTOK_OTHER && tok.len == 1 &&
		       (buf[tok.off] == '(' || buf[tok.off] == '[' || buf[tok.off] == '{');
		close = tok.kind == LG_GOTOK_OTHER && tok.len == 1 &&
			(buf[tok.off] == ')' || buf[tok.off] == ']' || buf[tok.off] == '}');
again:
		switch (st) {
		case S_TOP:
			if (depth == 0 && tok.kind == LG_GOTOK_IDENT && gis(buf, &tok, "func")) {
				st = S_FUNC;
				hdr.n = 0;
				hdr.overflow = false;
				hd = 0;
				decl_line = tok.line;
				prev_type_kw = false;
			} else if (depth == 0 && tok.kind == LG_GOTOK_IDENT && gis(buf, &tok, "var")) {
				st = S_VAR_START;
			} else if (open) {
				depth++;
			} else if (close && depth) {
				depth--;
			}
			break;
		case S_FUNC:
			if (hd == 0 && (tok.line > last_line || gis(buf, &tok, ";"))) {
				/* Go's newline rule: the header ended without a body. */
				func_header(out, buf, &hdr, decl_line, false);
				st = S_TOP;
				if (gis(buf, &tok, ";"))
					break;
				goto again;
			}
			if (hd == 0 && gis(buf, &tok, "{") && !prev_type_kw) {
				func_header(out, buf, &hdr, decl_line, true);
				st = S_BODY;
				depth = 1;
				break;
			}
			if (open)
				hd++;
			else if (close && hd)
				hd--;
			prev_type_kw = tok.kind == LG_GOTOK_IDENT && (gis(buf, &tok, "interface") || gis(buf, &tok, "struct"));
			toks_add(&hdr, &tok);
			break;
		case S_BODY:
			if (open)
				depth++;
			else if (close && --depth == 0)
				st = S_TOP;
			break;
		case S_VAR_START:
			hdr.n = 0;
			hdr.overflow = false;
			hd = 0;
			if (gis(buf, &tok, "(")) {
				st = S_VAR_GROUP;
				break;
			}
			st = S_VAR;
			goto again;
		case S_VAR:
		case S_VAR_GROUP:
			if (hd == 0 && (gis(buf, &tok, ";") || (hdr.n && tok.line > last_line) ||
					(st == S_VAR_GROUP && gis(buf, &tok, ")")))) {
				var_spec(out, buf, &hdr);
				hdr.n = 0;
				hdr.overflow = false;
				if (st == S_VAR_GROUP && gis(buf, &tok, ")")) {
					st = S_TOP;
					break;
				}
				if (gis(buf, &tok, ";"))
					break;
				if (st == S_VAR) {
					st = S_TOP;
					goto again;
				}
			}
			if (open)
				hd++;
			else if (close && hd)
				hd--;
			toks_add(&hdr, &tok);
			break;
		}
		last_line = tok.end_line;
	}
	if (st == S_FUNC)
		func_header(out, buf, &hdr, decl_line, false);
	else if ((st == S_VAR || st == S_VAR_GROUP) && hdr.n)
		var_spec(out, buf, &hdr);
	free(hdr.v);
}

void lg_godecls_release(struct lg_godecls *d)
{
	size_t i, k;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].name);
		for (k = 0; k < d->v[i].nparams; k++)
			free(d->v[i].params[k]);
		free(d->v[i].params);
		for (k = 0; k < d->v[i].nresults; k++)
			free(d->v[i].results[k]);
		free(d->v[i].results);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

const struct lg_godecl *lg_godecls_find(const struct lg_godecls *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].name, name))
			return &d->v[i];
	return NULL;
}

static bool prefix(const char *t, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && !memcmp(t, p, k);
}

static long type_size(const char *t, size_t n)
{
	static const struct {
		const char *name;
		long size;
	} basic[] = {
		{ "bool", 1 }, { "int8", 1 }, { "uint8", 1 }, { "byte", 1 },
		{ "int16", 2 }, { "uint16", 2 },
		{ "int32", 4 }, { "uint32", 4 }, { "rune", 4 }, { "float32", 4 },
		{ "int64", 8 }, { "uint64", 8 }, { "float64", 8 }, { "complex64", 8 },
		{ "int", 8 }, { "uint", 8 }, { "uintptr", 8 }, { "unsafe.Pointer", 8 },
		{ "complex128", 16 }, { "string", 16 }, { "any", 16 }, { "error", 16 },
		{ "struct{}", 0 },
	};
	size_t i;

	/* A parenthesised type is the type. */
	while (n > 2 && t[0] == '(' && t[n - 1] == ')') {
		t++;
		n -= 2;
	}
	if (prefix(t, n, "...") || prefix(t, n, "[]"))
		return 24;
	if ((n && t[0] == '*') || prefix(t, n, "map[") || prefix(t, n, "chan") || prefix(t, n, "<-chan") ||
	    prefix(t, n, "func("))
		return 8;
	if (prefix(t, n, "interface{"))
		return 16;
	if (n && t[0] == '[') {
		long count = 0, elem;

		for (i = 1; i < n && t[i] >= '0' && t[i] <= '9'; i++) {
			if (count > (1L << 30))
				return -1;
			count = count * 10 + (t[i] - '0');
		}
		if (i == 1 || i >= n || t[i] != ']')
			return -1;
		elem = type_size(t + i + 1, n - i - 1);
		return elem < 0 || (elem && count > (1L << 40) / elem) ? -1 : count * elem;
	}
	for (i = 0; i < LG_ARRAY_SIZE(basic); i++)
		if (strlen(basic[i].name) == n && !memcmp(t, basic[i].name, n))
			return basic[i].size;
	return -1;
}

long lg_go_type_size(const char *t)
{
	return t ? type_size(t, strlen(t)) : -1;
}

static int cmp_list(struct lg_buf *why, struct lg_buf *names, const char *what, char *const *a, size_t na,
		    char *const *b, size_t nb)
{
	size_t i;
	int ok = 1;

	if (na != nb) {
		lg_buf_printf(why, "%s%zu %s%s, the target has %zu", why->len ? "; " : "", na, what, na == 1 ? "" : "s", nb);
		return 0;
	}
	for (i = 0; i < na; i++) {
		long sa = lg_go_type_size(a[i]), sb = lg_go_type_size(b[i]);

		if (!strcmp(a[i], b[i]))
			continue;
		if (sa >= 0 && sb >= 0 && sa != sb) {
			lg_buf_printf(why, "%s%s %zu is %s (%ld bytes), the target's is %s (%ld bytes)", why->len ? "; " : "",
				      what, i + 1, a[i], sa, b[i], sb);
			ok = 0;
			continue;
		}
		lg_buf_printf(names, "%s%s %zu is %s, the target's is %s%s", names->len ? "; " : "", what, i + 1, a[i], b[i],
			      sa >= 0 && sb >= 0 ? " (same size)" : "");
	}
	return ok;
}

int lg_godecl_shape_cmp(const struct lg_godecl *local, const struct lg_godecl *target, char **detail)
{
	struct lg_buf why = LG_BUF_INIT, names = LG_BUF_INIT;
	int ok;

	*detail = NULL;
	if (!local || !target || !local->shape_known || !target->shape_known)
		return -1;
	lg_buf_init(&why);
	lg_buf_init(&names);
	if (local->is_func != target->is_func) {
		lg_buf_printf(&why, "the local name is a %s, the target a %s", local->is_func ? "func" : "var",
			      target->is_func ? "func" : "var");
		ok = 0;
	} else if (local->is_func) {
		ok = cmp_list(&why, &names, "parameter", local->params, local->nparams, target->params, target->nparams);
		ok &= cmp_list(&why, &names, "result", local->results, local->nresults, target->results, target->nresults);
	} else {
		ok = cmp_list(&why, &names, "type", local->params, local->nparams, target->params, target->nparams);
	}
	if (!ok)
		*detail = lg_buf_detach(&why, NULL);
	else if (names.len)
		*detail = lg_xasprintf("types differ only in name: %s", names.ptr);
	lg_buf_release(&why);
	lg_buf_release(&names);
	return ok;
}
