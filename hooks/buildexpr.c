/* buildexpr.c — build constraints over Go releases (see buildexpr.h). */
#include "linkgate/buildexpr.h"
#include "linkgate/error.h"

/* go/build's syslist: GOOS and GOARCH values the go command knows. */
static const char *const known_os[] = {
	"aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
	"linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos",
};
static const char *const unix_os[] = {
	"aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios",
	"linux", "netbsd", "openbsd", "solaris",
};
static const char *const known_arch[] = {
	"386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips",
	"mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le",
	"riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm",
};

static int list_index(const char *const *list, size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && !memcmp(list[i], s, len))
			return (int)i;
	return -1;
}

/* ---- tags ---- */

enum tag_kind { TAG_VERSION, TAG_OS, TAG_UNIX, TAG_ARCH, TAG_GC, TAG_GCCGO, TAG_FREE };

struct tag {
	char *name;
	enum tag_kind kind;
	int arg;                /* VERSION: the minor; OS/ARCH: list index; FREE: bit */
};

enum node_op { N_TAG, N_NOT, N_AND, N_OR };

struct node {
	enum node_op op;
	size_t a, b;            /* operands (node indices), or the tag index */
};

struct lg_bmatrix_priv {
	struct tag *tags;
	size_t ntags, tags_alloc;
	struct node *nodes;
	size_t nnodes, nodes_alloc;
	size_t *roots;          /* per constraint; SIZE_MAX: always true */
	/* assignment axes */
	int *os_choice;         /* index into known_os, or -1 other unix, -2 other non-unix, -3 other */
	size_t nos;
	int *arch_choice;       /* index into known_arch, or -1 other */
	size_t narch;
	size_t ncomp;           /* 1 or 2 (gc, gccgo) */
	size_t nfree;
	bool os_mentioned, arch_mentioned, comp_mentioned;
};

int lg_build_go_tag(const char *s, size_t n)
{
	long v = 0;
	size_t i;

	if (n < 5 || memcmp(s, "go1.", 4) || s[4] == '0')
		return -1;
	for (i = 4; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		/* Far-future releases all behave alike: never true today. */
		if (v < 1000000)
			v = v * 10 + (s[i] - '0');
	}
	return (int)v;
}

static size_t intern_tag(struct lg_bmatrix_priv *p, const char *s, size_t n)
{
	struct tag *t;
	size_t i;
	int k;

	for (i = 0; i < p->ntags; i++)
		if (strlen(p->tags[i].name) == n && !memcmp(p->tags[i].name, s, n))
			return i;
	p->tags = lg_xgrow(p->tags, sizeof(*p->tags), p->ntags + 1, &p->tags_alloc);
	t = &p->tags[p->ntags];
	t->name = lg_xstrndup(s, n);
	t->arg = 0;
	if ((k = lg_build_go_tag(s, n)) >= 0) {
		t->kind = TAG_VERSION;
		t->arg = k;
	} else if ((k = list_index(known_os, LG_ARRAY_SIZE(known_os), s, n)) >= 0) {
		t->kind = TAG_OS;
		t->arg = k;
	} else if ((k = list_index(known_arch, LG_ARRAY_SIZE(known_arch), s, n)) >= 0) {
		t->kind = TAG_ARCH;
		t->arg = k;
	} else if (n == 4 && !memcmp(s, "unix", 4)) {
		t->kind = TAG_UNIX;
	} else if (n == 2 && !memcmp(s, "gc", 2)) {
		t->kind = TAG_GC;
	} else if (n == 5 && !memcmp(s, "gccgo", 5)) {
		t->kind = TAG_GCCGO;
	} else {
		t->kind = TAG_FREE;
	}
	return p->ntags++;
}

static size_t add_node(struct lg_bmatrix_priv *p, enum node_op op, size_t a, size_t b)
{
	p->nodes = lg_xgrow(p->nodes, sizeof(*p->nodes), p->nnodes + 1, &p->nodes_alloc);
	p->nodes[p->nnodes].op = op;
	p->nodes[p->nnodes].a = a;
	p->nodes[p->nnodes].b = b;
	return p->nnodes++;
}

/* ---- the //go:build grammar (go/build/constraint's exprParser) ---- */

enum { T_END, T_LPAREN, T_RPAREN, T_NOT, T_AND, T_OR, T_TAG, T_BAD };

struct parser {
	struct lg_bmatrix_priv *p;
	const char *s;
	size_t len, pos;
	int tok;
	const char *tag;
	size_t tag_len;
	size_t ntokens;
	const char *err;        /* static message, set once */
	char bad[32];           /* "invalid syntax at X" */
};

static bool tag_byte(unsigned char c)
{
	/* Go accepts Unicode letters and digits; bytes >= 0x80 are taken as
	 * such, which can only make a tag out of what Go calls a syntax error. */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '.' || c >= 0x80;
}

static void lex(struct parser *ps)
{
	const char *s = ps->s;
	size_t i = ps->pos;

	if (ps->err) {
		ps->tok = T_END;
		return;
	}
	while (i < ps->len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= ps->len) {
		ps->tok = T_END;
		ps->pos = i;
		return;
	}
	if (++ps->ntokens > LG_BEXPR_MAX_TOKENS) {
		ps->err = "build expression too large";
		ps->tok = T_END;
		return;
	}
	switch (s[i]) {
	case '(':
		ps->tok = T_LPAREN;
		ps->pos = i + 1;
		return;
	case ')':
		ps->tok = T_RPAREN;
		ps->pos = i + 1;
		return;
	case '!':
		ps->tok = T_NOT;
		ps->pos = i + 1;
		return;
	case '&':
	case '|':
		if (i + 1 < ps->len && s[i + 1] == s[i]) {
			ps->tok = s[i] == '&' ? T_AND : T_OR;
			ps->pos = i + 2;
			return;
		}
		break;
	default:
		break;
	}
	ps->tag = s + i;
	while (i < ps->len && tag_byte((unsigned char)s[i]))
		i++;
	ps->tag_len = (size_t)(s + i - ps->tag);
	if (!ps->tag_len) {
		unsigned char c = (unsigned char)s[i];

		ps->tok = T_BAD;
		if (c > ' ' && c < 0x7f)
			snprintf(ps->bad, sizeof(ps->bad), "invalid syntax at %c", c);
		else
			snprintf(ps->bad, sizeof(ps->bad), "invalid syntax at byte 0x%02x", c);
		ps->err = ps->bad;
		return;
	}
	ps->tok = T_TAG;
	ps->pos = i;
}

static size_t parse_or(struct parser *ps);

static size_t parse_atom(struct parser *ps)
{
	size_t x;

	if (ps->err)
		return 0;
	if (ps->tok == T_LPAREN) {
		lex(ps);
		x = parse_or(ps);
		if (ps->err)
			return 0;
		if (ps->tok != T_RPAREN) {
			ps->err = "missing )";
			return 0;
		}
		lex(ps);
		return x;
	}
	if (ps->tok == T_TAG) {
		x = add_node(ps->p, N_TAG, intern_tag(ps->p, ps->tag, ps->tag_len), 0);
		lex(ps);
		return x;
	}
	if (!ps->err)
		ps->err = ps->tok == T_END ? "unexpected end of expression" : "unexpected token";
	return 0;
}

static size_t parse_not(struct parser *ps)
{
	size_t x;

	if (ps->tok == T_NOT) {
		lex(ps);
		if (ps->tok == T_NOT && !ps->err) {
			/* go/build/constraint: "double negation not allowed" */
			ps->err = "double negation not allowed";
			return 0;
		}
		x = parse_not(ps);
		return ps->err ? 0 : add_node(ps->p, N_NOT, x, 0);
	}
	return parse_atom(ps);
}

static size_t parse_and(struct parser *ps)
{
	size_t x = parse_not(ps), y;

	while (!ps->err && ps->tok == T_AND) {
		lex(ps);
		y = parse_not(ps);
		if (ps->err)
			return 0;
		x = add_node(ps->p, N_AND, x, y);
	}
	return x;
}

static size_t parse_or(struct parser *ps)
{
	size_t x = parse_and(ps), y;

	while (!ps->err && ps->tok == T_OR) {
		lex(ps);
		y = parse_and(ps);
		if (ps->err)
			return 0;
		x = add_node(ps->p, N_OR, x, y);
	}
	return x;
}

/* Parses expr into p's node pool: NULL and *root, or the message (in
 * msgbuf or static). */
static const char *parse_expr(struct lg_bmatrix_priv *p, const char *expr, size_t *root, char *msgbuf, size_t msglen)
{
	struct parser ps;
	size_t x;

	memset(&ps, 0, sizeof(ps));
	ps.p = p;
	ps.s = expr;
	ps.len = strlen(expr);
	lex(&ps);
	x = parse_or(&ps);
	if (!ps.err && ps.tok != T_END)
		ps.err = ps.tok == T_RPAREN ? "unexpected )" : "unexpected token";
	if (ps.err) {
		snprintf(msgbuf, msglen, "%s", ps.err);
		return msgbuf;
	}
	*root = x;
	return NULL;
}

/* ---- file names ---- */

char *lg_build_implicit(const char *path)
{
	const char *base, *us, *dot, *parts[64];
	size_t lens[64], n = 0, blen;
	int os = -1, arch = -1;

	if (!path)
		return NULL;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	dot = strchr(base, '.');
	blen = dot ? (size_t)(dot - base) : strlen(base);
	/* go/build's goodOSArchFile: everything before the first '_' is the
	 * name; the last one or two '_' elements (after dropping "test") may be
	 * GOOS and GOARCH. */
	us = memchr(base, '_', blen);
	if (!us)
		return NULL;
	while (us && us < base + blen) {
		const char *start = us + 1, *next = memchr(start, '_', (size_t)(base + blen - start));
		size_t len = (size_t)((next ? next : base + blen) - start);

		if (n == LG_ARRAY_SIZE(parts)) {
			memmove(parts, parts + 1, sizeof(parts[0]) * (n - 1));
			memmove(lens, lens + 1, sizeof(lens[0]) * (n - 1));
			n--;
		}
		parts[n] = start;
		lens[n++] = len;
		us = next;
	}
	if (n && lens[n - 1] == 4 && !memcmp(parts[n - 1], "test", 4))
		n--;
	if (n >= 2 && list_index(known_os, LG_ARRAY_SIZE(known_os), parts[n - 2], lens[n - 2]) >= 0 &&
	    list_index(known_arch, LG_ARRAY_SIZE(known_arch), parts[n - 1], lens[n - 1]) >= 0) {
		os = list_index(known_os, LG_ARRAY_SIZE(known_os), parts[n - 2], lens[n - 2]);
		arch = list_index(known_arch, LG_ARRAY_SIZE(known_arch), parts[n - 1], lens[n - 1]);
		return lg_xasprintf("%s && %s", known_os[os], known_arch[arch]);
	}
	if (n >= 1) {
		os = list_index(known_os, LG_ARRAY_SIZE(known_os), parts[n - 1], lens[n - 1]);
		if (os >= 0)
			return lg_xstrdup(known_os[os]);
		arch = list_index(known_arch, LG_ARRAY_SIZE(known_arch), parts[n - 1], lens[n - 1]);
		if (arch >= 0)
			return lg_xstrdup(known_arch[arch]);
	}
	return NULL;
}

/* ---- evaluation ---- */

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

static bool os_is_unix(int choice)
{
	if (choice == -1)
		return true;
	if (choice < 0)
		return false;
	return list_index(unix_os, LG_ARRAY_SIZE(unix_os), known_os[choice], strlen(known_os[choice])) >= 0;
}

/* Whether GOOS=choice makes the tag for known_os[os] true. */
static bool os_matches(int choice, int os)
{
	const char *c, *t;

	if (choice < 0)
		return false;
	if (choice == os)
		return true;
	c = known_os[choice];
	t = known_os[os];
	return (!strcmp(c, "android") && !strcmp(t, "linux")) || (!strcmp(c, "ios") && !strcmp(t, "darwin")) ||
	       (!strcmp(c, "illumos") && !strcmp(t, "solaris"));
}

/* Whether some GOOS not in the chosen set satisfies want_unix. */
static bool other_os_exists(const struct lg_bmatrix_priv *p, bool want_unix)
{
	size_t i, k;

	for (i = 0; i < LG_ARRAY_SIZE(known_os); i++) {
		bool covered = false;

		if (os_is_unix((int)i) != want_unix)
			continue;
		/* An OS is represented when its own tag, or a tag it implies,
		 * is mentioned; only then does it behave differently. */
		for (k = 0; k < p->ntags && !covered; k++)
			covered = p->tags[k].kind == TAG_OS && os_matches((int)i, p->tags[k].arg);
		if (!covered)
			return true;
	}
	return false;
}

static void setup_axes(struct lg_bmatrix_priv *p)
{
	size_t i, k;
	bool unix_mentioned = false;

	p->os_choice = lg_xcalloc(LG_ARRAY_SIZE(known_os) + 3, sizeof(int));
	p->arch_choice = lg_xcalloc(LG_ARRAY_SIZE(known_arch) + 1, sizeof(int));
	p->nos = p->narch = 0;
	p->ncomp = 1;
	p->nfree = 0;
	for (i = 0; i < p->ntags; i++) {
		struct tag *t = &p->tags[i];
		bool dup = false;

		switch (t->kind) {
		case TAG_OS:
			p->os_mentioned = true;
			for (k = 0; k < p->nos; k++)
				dup = dup || p->os_choice[k] == t->arg;
			if (!dup)
				p->os_choice[p->nos++] = t->arg;
			break;
		case TAG_UNIX:
			p->os_mentioned = true;
			unix_mentioned = true;
			break;
		case TAG_ARCH:
			p->arch_mentioned = true;
			for (k = 0; k < p->narch; k++)
				dup = dup || p->arch_choice[k] == t->arg;
			if (!dup)
				p->arch_choice[p->narch++] = t->arg;
			break;
		case TAG_GC:
		case TAG_GCCGO:
			p->comp_mentioned = true;
			p->ncomp = 2;
			break;
		case TAG_FREE:
			t->arg = (int)p->nfree++;
			break;
		case TAG_VERSION:
			break;
		}
	}
	if (unix_mentioned) {
		if (other_os_exists(p, true))
			p->os_choice[p->nos++] = -1;
		if (other_os_exists(p, false))
			p->os_choice[p->nos++] = -2;
	} else if (p->nos < LG_ARRAY_SIZE(known_os)) {
		p->os_choice[p->nos++] = -3;
	}
	if (!p->nos)
		p->os_choice[p->nos++] = -3;
	if (p->narch < LG_ARRAY_SIZE(known_arch))
		p->arch_choice[p->narch++] = -1;
}

static void decode_assign(const struct lg_bmatrix *m, size_t a, int *os, int *arch, size_t *comp, unsigned long *free_bits)
{
	const struct lg_bmatrix_priv *p = m->priv;

	*os = p->os_choice[a % p->nos];
	a /= p->nos;
	*arch = p->arch_choice[a % p->narch];
	a /= p->narch;
	*comp = a % p->ncomp;
	a /= p->ncomp;
	*free_bits = (unsigned long)a;
}

int lg_bmatrix_eval(struct lg_bmatrix *out, size_t *bad, const struct lg_bconstraint *c, size_t n,
		    const int *extra_breaks, size_t nextra)
{
	struct lg_bmatrix_priv *p;
	int *breaks = NULL;
	size_t nbreaks = 0, balloc = 0, i, a, k, j, total_nodes;
	unsigned char *tagval = NULL, *val = NULL;
	int err = 0;

	memset(out, 0, sizeof(*out));
	*bad = n;
	p = out->priv = lg_xcalloc(1, sizeof(*p));
	out->n = n;
	p->roots = lg_xcalloc(n ? n : 1, sizeof(*p->roots));
	for (i = 0; i < n; i++) {
		char *implicit = lg_build_implicit(c[i].path);
		size_t root = SIZE_MAX, iroot;
		const char *msg;
		char msgbuf[64];

		if (c[i].expr) {
			if ((msg = parse_expr(p, c[i].expr, &root, msgbuf, sizeof(msgbuf))) != NULL) {
				*bad = i;
				err = lg_error_set(LG_ERROR, "parsing //go:build line: %s", msg);
				free(implicit);
				goto done;
			}
		}
		if (implicit) {
			/* Well formed by construction: "os", "arch" or "os && arch". */
			if (parse_expr(p, implicit, &iroot, msgbuf, sizeof(msgbuf)) == NULL)
				root = root == SIZE_MAX ? iroot : add_node(p, N_AND, root, iroot);
			free(implicit);
		}
		p->roots[i] = root;
	}
	setup_axes(p);
	if (p->nfree > LG_BEXPR_MAX_FREE_TAGS) {
		err = lg_error_set(LG_ERROR, "too many build tags to evaluate (%zu other than GOOS, GOARCH and go1.N; at most %d)",
				   p->nfree, LG_BEXPR_MAX_FREE_TAGS);
		goto done;
	}
	for (i = 0; i < p->ntags; i++) {
		if (p->tags[i].kind == TAG_VERSION) {
			breaks = lg_xgrow(breaks, sizeof(*breaks), nbreaks + 1, &balloc);
			breaks[nbreaks++] = p->tags[i].arg;
		}
	}
	for (i = 0; i < nextra; i++) {
		if (extra_breaks[i] > 0) {
			breaks = lg_xgrow(breaks, sizeof(*breaks), nbreaks + 1, &balloc);
			breaks[nbreaks++] = extra_breaks[i];
		}
	}
	if (nbreaks)
		qsort(breaks, nbreaks, sizeof(*breaks), cmp_int);
	out->class_lo = lg_xcalloc(nbreaks + 1, sizeof(int));
	out->class_lo[0] = 0;
	out->nclass = 1;
	for (i = 0; i < nbreaks; i++)
		if (breaks[i] > out->class_lo[out->nclass - 1])
			out->class_lo[out->nclass++] = breaks[i];
	out->nassign = p->nos * p->narch * p->ncomp * ((size_t)1 << p->nfree);
	total_nodes = p->nnodes + p->ntags + n;
	/* Divisions, so that the products cannot overflow. */
	if (out->nassign > LG_BEXPR_MAX_WORK / out->nclass ||
	    out->nassign * out->nclass > LG_BEXPR_MAX_WORK / total_nodes) {
		err = lg_error_set(LG_ERROR, "build constraints too large to evaluate (%zu tag assignments x %zu release classes)",
				   out->nassign, out->nclass);
		goto done;
	}
	out->truth = lg_xcalloc(n * out->nassign * out->nclass + 1, 1);
	tagval = lg_xcalloc(p->ntags + 1, 1);
	val = lg_xcalloc(p->nnodes + 1, 1);
	for (a = 0; a < out->nassign; a++) {
		int os, arch;
		size_t comp;
		unsigned long fb;

		decode_assign(out, a, &os, &arch, &comp, &fb);
		for (k = 0; k < out->nclass; k++) {
			for (j = 0; j < p->ntags; j++) {
				const struct tag *t = &p->tags[j];
				bool v = false;

				switch (t->kind) {
				case TAG_VERSION: v = out->class_lo[k] >= t->arg; break;
				case TAG_OS: v = os_matches(os, t->arg); break;
				case TAG_UNIX: v = os_is_unix(os); break;
				case TAG_ARCH: v = arch == t->arg; break;
				case TAG_GC: v = comp == 0; break;
				case TAG_GCCGO: v = comp == 1; break;
				case TAG_FREE: v = (fb >> t->arg) & 1; break;
				}
				tagval[j] = v;
			}
			/* Nodes are stored after their operands: one pass in order. */
			for (j = 0; j < p->nnodes; j++) {
				const struct node *nd = &p->nodes[j];

				switch (nd->op) {
				case N_TAG: val[j] = tagval[nd->a]; break;
				case N_NOT: val[j] = !val[nd->a]; break;
				case N_AND: val[j] = val[nd->a] && val[nd->b]; break;
				case N_OR: val[j] = val[nd->a] || val[nd->b]; break;
				}
			}
			for (i = 0; i < n; i++)
				out->truth[(i * out->nassign + a) * out->nclass + k] =
					p->roots[i] == SIZE_MAX ? 1 : val[p->roots[i]];
		}
	}
done:
	free(breaks);
	free(tagval);
	free(val);
	return err;
}

bool lg_bmatrix_get(const struct lg_bmatrix *m, size_t constraint, size_t assign, size_t cls)
{
	return m->truth[(constraint * m->nassign + assign) * m->nclass + cls] != 0;
}

int lg_bmatrix_class_hi(const struct lg_bmatrix *m, size_t cls)
{
	return cls + 1 < m->nclass ? m->class_lo[cls + 1] - 1 : LG_GO_OPEN;
}

void lg_bmatrix_describe(const struct lg_bmatrix *m, size_t a, struct lg_buf *out)
{
	const struct lg_bmatrix_priv *p = m->priv;
	int os, arch;
	size_t comp, i, start = out->len;
	unsigned long fb;

	decode_assign(m, a, &os, &arch, &comp, &fb);
#define SEP() do { if (out->len > start) lg_buf_puts(out, ", "); } while (0)
	if (p->os_mentioned) {
		SEP();
		if (os >= 0)
			lg_buf_printf(out, "GOOS=%s", known_os[os]);
		else
			lg_buf_puts(out, os == -1 ? "GOOS=another unix system" :
					 os == -2 ? "GOOS=another non-unix system" : "GOOS=another system");
	}
	if (p->arch_mentioned) {
		SEP();
		if (arch >= 0)
			lg_buf_printf(out, "GOARCH=%s", known_arch[arch]);
		else
			lg_buf_puts(out, "GOARCH=another architecture");
	}
	if (p->comp_mentioned) {
		SEP();
		lg_buf_puts(out, comp ? "compiler gccgo" : "compiler gc");
	}
	for (i = 0; i < p->ntags; i++) {
		if (p->tags[i].kind != TAG_FREE)
			continue;
		SEP();
		lg_buf_printf(out, "%s%s", ((fb >> p->tags[i].arg) & 1) ? "" : "!", p->tags[i].name);
	}
#undef SEP
}

void lg_bmatrix_ranges(const struct lg_bmatrix *m, const unsigned char *flags, struct lg_goranges *out,
		       const char *where)
{
	size_t k = 0;

	while (k < m->nclass) {
		size_t e;

		if (!flags[k]) {
			k++;
			continue;
		}
		for (e = k; e + 1 < m->nclass && flags[e + 1]; e++)
			;
		lg_goranges_add(out, m->class_lo[k] == 0 ? LG_GO_OPEN : m->class_lo[k], lg_bmatrix_class_hi(m, e), where);
		k = e + 1;
	}
}

void lg_bmatrix_release(struct lg_bmatrix *m)
{
	struct lg_bmatrix_priv *p = m->priv;
	size_t i;

	if (p) {
		for (i = 0; i < p->ntags; i++)
			free(p->tags[i].name);
		free(p->tags);
		free(p->nodes);
		free(p->roots);
		free(p->os_choice);
		free(p->arch_choice);
		free(p);
	}
	free(m->class_lo);
	free(m->truth);
	memset(m, 0, sizeof(*m));
}

int lg_build_go_versions(struct lg_goranges *out, const char *expr, const char *path)
{
	struct lg_bconstraint c = { expr, path };
	struct lg_bmatrix m;
	unsigned char *any = NULL;
	size_t bad, a, k;
	int err;

	if ((err = lg_bmatrix_eval(&m, &bad, &c, 1, NULL, 0)) < 0)
		goto done;
	any = lg_xcalloc(m.nclass, 1);
	for (a = 0; a < m.nassign; a++)
		for (k = 0; k < m.nclass; k++)
			if (lg_bmatrix_get(&m, 0, a, k))
				any[k] = 1;
	lg_bmatrix_ranges(&m, any, out, NULL);
done:
	free(any);
	lg_bmatrix_release(&m);
	return err;
}
