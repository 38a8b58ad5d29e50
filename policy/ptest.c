/* ptest.c — policy unit tests from fixture files (see ptest.h). */
#include "linkgate/ptest.h"
#include "linkgate/added.h"
#include "linkgate/buf.h"
#include "linkgate/config.h"
#include "linkgate/deadline.h"
#include "linkgate/error.h"
#include "linkgate/escape.h"
#include "linkgate/finding.h"
#include "linkgate/flags.h"
#include "linkgate/gofacts.h"
#include "linkgate/gomod.h"
#include "linkgate/policy.h"
#include "linkgate/push.h"
#include "linkgate/targetclass.h"
#include "linkgate/trailers.h"
#include "linkgate/verdict.h"

#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#define FIXTURE_SUFFIX ".test.yml"
#define DIR_CONFIG "linkgate.yml"
#define MAX_FIXTURE (4u << 20)
#define MAX_DEPTH 64
/* Bytes of a file that decide whether it is binary (git's rule). */
#define BINARY_PROBE 8000

/* --- a YAML tree with positions --- */

struct ynode {
	enum lg_value_type type;
	bool b;
	long long i;
	char *s;                /* STRING: the text (may hold NUL bytes), slen bytes */
	size_t slen;
	char **keys;            /* MAP */
	size_t *kmarks;         /* MAP: line and column of each key, two per key */
	struct ynode *items;    /* SEQ, MAP */
	size_t n, alloc;
	size_t line, col;       /* 1-based, of the node's start */
	size_t start, end;      /* byte offsets of the node in the document text */
	size_t start_line0, start_col0;
};

static void ynode_release(struct ynode *y)
{
	size_t i;

	free(y->s);
	for (i = 0; i < y->n; i++) {
		if (y->keys)
			free(y->keys[i]);
		ynode_release(&y->items[i]);
	}
	free(y->keys);
	free(y->kmarks);
	free(y->items);
	memset(y, 0, sizeof(*y));
}

struct yparse {
	yaml_parser_t parser;
	yaml_event_t ev;
	bool have_ev;
	const char *file;
	int depth;
};

static int ybad(const char *file, size_t line, size_t col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int ybad(const char *file, size_t line, size_t col, const char *fmt, ...)
{
	struct lg_buf b = LG_BUF_INIT;
	va_list ap;
	int err;

	lg_buf_printf(&b, "%s:%zu:%zu: ", file, line, col);
	va_start(ap, fmt);
	lg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	err = lg_error_set(LG_ECONFIG, "%s", b.ptr);
	lg_buf_release(&b);
	return err;
}

static int ynext(struct yparse *y)
{
	if (y->have_ev)
		yaml_event_delete(&y->ev);
	y->have_ev = false;
	if (!yaml_parser_parse(&y->parser, &y->ev)) {
		yaml_parser_t *p = &y->parser;

		return ybad(y->file, p->problem_mark.line + 1, p->problem_mark.column + 1, "invalid YAML: %s",
			    p->problem ? p->problem : "unknown error");
	}
	y->have_ev = true;
	return 0;
}

static bool plain_is(const yaml_event_t *ev, const char *const *words)
{
	const char *v = (const char *)ev->data.scalar.value;

	for (; *words; words++)
		if (!strcmp(v, *words))
			return true;
	return false;
}

/* YAML 1.2 core schema for plain scalars: null, booleans, decimal integers;
 * everything else (and everything quoted) is a string. */
static void scalar(struct ynode *out, const yaml_event_t *ev)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;

	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if (plain_is(ev, nulls)) {
			out->type = LG_VALUE_NULL;
			return;
		}
		if (plain_is(ev, trues) || plain_is(ev, falses)) {
			out->type = LG_VALUE_BOOL;
			out->b = plain_is(ev, trues);
			return;
		}
		size_t sign = *v == '-' || *v == '+';

		if (len > sign && len - sign <= 18 && strspn(v + sign, "0123456789") == len - sign) {
			out->type = LG_VALUE_INT;
			out->i = strtoll(v, NULL, 10);
			return;
		}
	}
	out->type = LG_VALUE_STRING;
	out->s = lg_xmalloc(len + 1);
	memcpy(out->s, v, len);
	out->s[len] = '\0';
	out->slen = len;
}

/* Reads the node whose first event is current into out. */
static int ynode_read(struct yparse *y, struct ynode *out)
{
	yaml_event_t *ev = &y->ev;
	yaml_event_type_t end;
	int err;

	memset(out, 0, sizeof(*out));
	out->line = ev->start_mark.line + 1;
	out->col = ev->start_mark.column + 1;
	out->start_line0 = ev->start_mark.line;
	out->start_col0 = ev->start_mark.column;
	out->start = ev->start_mark.index;
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return ybad(y->file, out->line, out->col, "aliases are not allowed; write the value out");
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor || ev->data.scalar.tag)
			return ybad(y->file, out->line, out->col, "anchors and tags are not allowed");
		scalar(out, ev);
		out->end = ev->end_mark.index;
		return 0;
	case YAML_SEQUENCE_START_EVENT:
		out->type = LG_VALUE_SEQ;
		end = YAML_SEQUENCE_END_EVENT;
		if (ev->data.sequence_start.anchor || ev->data.sequence_start.tag)
			return ybad(y->file, out->line, out->col, "anchors and tags are not allowed");
		break;
	case YAML_MAPPING_START_EVENT:
		out->type = LG_VALUE_MAP;
		end = YAML_MAPPING_END_EVENT;
		if (ev->data.mapping_start.anchor || ev->data.mapping_start.tag)
			return ybad(y->file, out->line, out->col, "anchors and tags are not allowed");
		break;
	default:
		return ybad(y->file, out->line, out->col, "unexpected YAML event");
	}
	if (++y->depth > MAX_DEPTH)
		return ybad(y->file, out->line, out->col, "nesting is deeper than %d levels", MAX_DEPTH);
	for (;;) {
		char *key = NULL;
		size_t k, kline = 0, kcol = 0;

		if ((err = ynext(y)) < 0)
			return err;
		if (ev->type == end)
			break;
		if (out->type == LG_VALUE_MAP) {
			if (ev->type != YAML_SCALAR_EVENT)
				return ybad(y->file, ev->start_mark.line + 1, ev->start_mark.column + 1,
					    "keys must be strings");
			key = lg_xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
			kline = ev->start_mark.line + 1;
			kcol = ev->start_mark.column + 1;
			for (k = 0; k < out->n; k++) {
				if (!strcmp(out->keys[k], key)) {
					err = ybad(y->file, ev->start_mark.line + 1, ev->start_mark.column + 1,
						   "duplicate key '%s'", key);
					free(key);
					return err;
				}
			}
			if ((err = ynext(y)) < 0) {
				free(key);
				return err;
			}
		}
		out->items = lg_xgrow(out->items, sizeof(*out->items), out->n + 1, &out->alloc);
		if (out->type == LG_VALUE_MAP) {
			out->keys = lg_xrealloc(out->keys, out->alloc * sizeof(*out->keys));
			out->kmarks = lg_xrealloc(out->kmarks, out->alloc * 2 * sizeof(*out->kmarks));
			out->keys[out->n] = key;
			out->kmarks[2 * out->n] = kline;
			out->kmarks[2 * out->n + 1] = kcol;
		}
		err = ynode_read(y, &out->items[out->n]);
		out->n++; /* released with the tree even when it failed half-way */
		if (err < 0)
			return err;
	}
	out->end = ev->end_mark.index;
	y->depth--;
	return 0;
}

/* Every document of buf, as trees. */
static int yload(struct ynode **out, size_t *nout, const char *buf, size_t len, const char *file)
{
	struct yparse y;
	struct ynode *v = NULL;
	size_t n = 0, alloc = 0;
	int err;

	*out = NULL;
	*nout = 0;
	memset(&y, 0, sizeof(y));
	y.file = file;
	if (!yaml_parser_initialize(&y.parser))
		return lg_error_set(LG_ERROR, "%s: cannot initialise the YAML parser", file);
	yaml_parser_set_input_string(&y.parser, (const unsigned char *)buf, len);
	if ((err = ynext(&y)) < 0) /* stream start */
		goto done;
	for (;;) {
		if ((err = ynext(&y)) < 0)
			goto done;
		if (y.ev.type == YAML_STREAM_END_EVENT)
			break;
		if ((err = ynext(&y)) < 0) /* the document's root */
			goto done;
		v = lg_xgrow(v, sizeof(*v), n + 1, &alloc);
		err = ynode_read(&y, &v[n]);
		n++;
		if (err < 0 || (err = ynext(&y)) < 0) /* document end */
			goto done;
	}
done:
	if (y.have_ev)
		yaml_event_delete(&y.ev);
	yaml_parser_delete(&y.parser);
	if (err < 0) {
		while (n)
			ynode_release(&v[--n]);
		free(v);
		return err;
	}
	*out = v;
	*nout = n;
	return 0;
}

static const struct ynode *yget(const struct ynode *map, const char *key)
{
	size_t i;

	for (i = 0; map && map->type == LG_VALUE_MAP && i < map->n; i++)
		if (!strcmp(map->keys[i], key))
			return &map->items[i];
	return NULL;
}

static void to_value(struct lg_value *out, const struct ynode *y)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->type = y->type;
	out->b = y->b;
	out->i = y->i;
	if (y->type == LG_VALUE_STRING)
		out->s = lg_xstrndup(y->s, y->slen);
	if (y->type != LG_VALUE_SEQ && y->type != LG_VALUE_MAP)
		return;
	out->nitems = y->n;
	out->items = lg_xcalloc(y->n + 1, sizeof(*out->items));
	if (y->type == LG_VALUE_MAP)
		out->keys = lg_xcalloc(y->n + 1, sizeof(*out->keys));
	for (i = 0; i < y->n; i++) {
		if (out->keys)
			out->keys[i] = lg_xstrdup(y->keys[i]);
		to_value(&out->items[i], &y->items[i]);
	}
}

/* --- one case --- */

struct run {
	const struct lg_ptest_opts *o;
	struct lg_ptest_result *res;
	struct lg_flags *flags;
};

struct kase {
	const char *file;       /* the fixture file */
	char *dir;              /* its directory */
	char *label;            /* "file#N (name)" for TAP lines */
	const char *text;       /* the document text (the whole file) */
	size_t textlen;
	const struct ynode *root;
	struct lg_config cfg;
	bool have_cfg;
	struct lg_policy *policy;
	struct lg_commit_info commit;
	bool no_commit;
	struct lg_push push;
	struct lg_findings findings;
	struct lg_value **overlays; /* parallel to findings, entries may be NULL */
	struct lg_value overlay;    /* the finding: map, shared by every finding */
	bool have_overlay;
	struct lg_verdict vd;
	int64_t now;
};

/* A fixture error at line:col of the case's file. */
static int bad_vat(const struct kase *k, size_t line, size_t col, const char *fmt, va_list ap)
{
	struct lg_buf b = LG_BUF_INIT;
	int err;

	lg_buf_vprintf(&b, fmt, ap);
	err = ybad(k->file, line, col, "%s", b.ptr);
	lg_buf_release(&b);
	return err;
}

static int bad_at(const struct kase *k, const struct ynode *y, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad_at(const struct kase *k, const struct ynode *y, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = bad_vat(k, y ? y->line : 1, y ? y->col : 1, fmt, ap);
	va_end(ap);
	return err;
}

/* At the key of map->items[i]. */
static int bad_at_key(const struct kase *k, const struct ynode *map, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int bad_at_key(const struct kase *k, const struct ynode *map, size_t i, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = bad_vat(k, map->kmarks[2 * i], map->kmarks[2 * i + 1], fmt, ap);
	va_end(ap);
	return err;
}

static int want_type(const struct kase *k, const struct ynode *y, enum lg_value_type t, const char *what)
{
	static const char *const names[] = { "null", "a boolean", "an integer", "a string", "a list", "a mapping" };

	if (y->type != t)
		return bad_at(k, y, "%s must be %s, not %s", what, names[t], names[y->type]);
	return 0;
}

static int check_keys(const struct kase *k, const struct ynode *map, const char *what, const char *const *allowed)
{
	size_t i;
	const char *const *a;

	for (i = 0; i < map->n; i++) {
		for (a = allowed; *a; a++)
			if (!strcmp(*a, map->keys[i]))
				break;
		if (!*a)
			return bad_at_key(k, map, i, "%s: unknown key '%s'", what, map->keys[i]);
	}
	return 0;
}

int lg_ptest_parse_time(int64_t *out, const char *s)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	char z = 0;
	time_t t;

	if (s[0] == '@') {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(s + 1, &end, 10);
		if (!s[1] || *end || errno)
			return lg_error_set(LG_EUSAGE, "'%s' is not a time (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or @SECONDS)", s);
		*out = v;
		return 0;
	}
	if (!(sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && n == 10 && !s[n]) &&
	    !(sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &y, &mo, &d, &h, &mi, &sec, &z, &n) == 7 && z == 'Z' &&
	      n == 20 && !s[n]))
		return lg_error_set(LG_EUSAGE, "'%s' is not a time (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or @SECONDS)", s);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	/* timegm normalises 02-30 into March: refuse what does not round-trip. */
	if (mo < 1 || mo > 12 || tm.tm_mday != d || tm.tm_mon != mo - 1 || tm.tm_hour != h || tm.tm_min != mi ||
	    tm.tm_sec != sec)
		return lg_error_set(LG_EUSAGE, "'%s' is not a valid date", s);
	*out = (int64_t)t;
	return 0;
}

static int read_time(const struct kase *k, const struct ynode *y, const char *what, int64_t *out)
{
	if (y->type == LG_VALUE_INT) {
		*out = y->i;
		return 0;
	}
	if (y->type != LG_VALUE_STRING || lg_ptest_parse_time(out, y->s) < 0)
		return bad_at(k, y, "%s must be a date (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ) or epoch seconds", what);
	return 0;
}

/* Relative policy paths of a configuration read from dir are relative to
 * dir (the hook opens them from its working directory; a test directory
 * must not depend on where it is run from). */
static void resolve_policies(struct lg_config *cfg, const char *dir)
{
	size_t i;

	for (i = 0; i < cfg->npolicies; i++) {
		char *p = cfg->policies[i].path;

		if (p[0] == '/' || !strncmp(p, "builtin:", 8))
			continue;
		cfg->policies[i].path = lg_xasprintf("%s/%s", dir, p);
		free(p);
	}
}

static int load_config(struct kase *k)
{
	const struct ynode *c = yget(k->root, "config");
	char *dirconf = lg_xasprintf("%s/" DIR_CONFIG, k->dir);
	int err = 0;

	lg_config_init_defaults(&k->cfg);
	k->have_cfg = true;
	if (access(dirconf, F_OK) == 0) {
		if ((err = lg_config_load_file(&k->cfg, dirconf)) < 0)
			goto done;
		resolve_policies(&k->cfg, k->dir);
	}
	if (c && c->type == LG_VALUE_STRING) {
		char *path = c->s[0] == '/' ? lg_xstrdup(c->s) : lg_xasprintf("%s/%s", k->dir, c->s);
		char *cdir = lg_xstrdup(path), *slash = strrchr(cdir, '/');

		*slash = '\0';
		err = lg_config_load_file(&k->cfg, path);
		if (!err)
			resolve_policies(&k->cfg, cdir);
		free(path);
		free(cdir);
	} else if (c && c->type == LG_VALUE_MAP) {
		/* The mapping's own text, placed where it stands in the file so
		 * the parser's line:column are the fixture's. */
		struct lg_buf b = LG_BUF_INIT;
		size_t i;

		for (i = 0; i < c->start_line0; i++)
			lg_buf_putc(&b, '\n');
		for (i = 0; i < c->start_col0; i++)
			lg_buf_putc(&b, ' ');
		if (c->end > c->start && c->end <= k->textlen)
			lg_buf_put(&b, k->text + c->start, c->end - c->start);
		lg_buf_putc(&b, '\n');
		err = lg_config_parse(&k->cfg, b.ptr, b.len, k->file);
		lg_buf_release(&b);
		if (!err)
			resolve_policies(&k->cfg, k->dir);
	} else if (c && c->type != LG_VALUE_NULL) {
		err = bad_at(k, c, "config must be a mapping (laid over %s) or the path of a configuration file",
			     DIR_CONFIG);
	}
done:
	free(dirconf);
	return err;
}

static char *ystr(const struct ynode *y)
{
	return y && y->type == LG_VALUE_STRING ? lg_xstrndup(y->s, y->slen) : NULL;
}

static int read_commit(struct kase *k, size_t index)
{
	static const char *const keys[] = { "id", "message", "author", "committer", "time", "signature", "signoffs",
					    NULL };
	static const char *const sigkeys[] = { "present", "verified", "signer", NULL };
	static const char *const sokeys[] = { "value", "commit", "verified", "signer", NULL };
	const struct ynode *c = yget(k->root, "commit"), *y;
	struct lg_commit_info *ci = &k->commit;
	const char *nl;
	size_t i;
	int err;

	memset(ci, 0, sizeof(*ci));
	if (c && c->type == LG_VALUE_NULL) {
		k->no_commit = true; /* a finding without a commit (scan) */
		return 0;
	}
	if (c && ((err = want_type(k, c, LG_VALUE_MAP, "commit")) < 0 || (err = check_keys(k, c, "commit", keys)) < 0))
		return err;
	if ((y = yget(c, "id"))) {
		if ((err = want_type(k, y, LG_VALUE_STRING, "commit.id")) < 0)
			return err;
		if (y->slen < 4 || y->slen > 64 || strspn(y->s, "0123456789abcdef") != y->slen)
			return bad_at(k, y, "commit.id must be hex digits (4 to 64)");
		memcpy(ci->id, y->s, y->slen);
	} else {
		snprintf(ci->id, sizeof(ci->id), "c0ffee%034zx", index);
	}
	for (i = 1; i <= 3; i++) /* message, author, committer */
		if ((y = yget(c, keys[i])) && (err = want_type(k, y, LG_VALUE_STRING, keys[i])) < 0)
			return err;
	ci->message = ystr(yget(c, "message"));
	if (!ci->message)
		ci->message = lg_xstrdup("");
	nl = strchr(ci->message, '\n');
	ci->summary = nl ? lg_xstrndup(ci->message, (size_t)(nl - ci->message)) : lg_xstrdup(ci->message);
	ci->author = ystr(yget(c, "author"));
	if (!ci->author)
		ci->author = lg_xstrdup("A U Thor <author@example.com>");
	ci->committer = ystr(yget(c, "committer"));
	if (!ci->committer)
		ci->committer = lg_xstrdup(ci->author);
	ci->time = k->now - 3600;
	if ((y = yget(c, "time")) && (err = read_time(k, y, "commit.time", &ci->time)) < 0)
		return err;
	lg_trailers_parse(&ci->trailers, &ci->ntrailers, ci->message);

	if ((y = yget(c, "signature"))) {
		const struct ynode *v;

		if ((err = want_type(k, y, LG_VALUE_MAP, "commit.signature")) < 0 ||
		    (err = check_keys(k, y, "commit.signature", sigkeys)) < 0)
			return err;
		ci->signed_ = true;
		if ((v = yget(y, "present"))) {
			if ((err = want_type(k, v, LG_VALUE_BOOL, "signature.present")) < 0)
				return err;
			ci->signed_ = v->b;
		}
		if ((v = yget(y, "verified"))) {
			if ((err = want_type(k, v, LG_VALUE_BOOL, "signature.verified")) < 0)
				return err;
			ci->signature_verified = v->b;
		}
		if ((v = yget(y, "signer"))) {
			if ((err = want_type(k, v, LG_VALUE_STRING, "signature.signer")) < 0)
				return err;
			ci->signer = ystr(v);
		}
	}

	if ((y = yget(c, "signoffs"))) {
		/* Stated: e.g. a sign-off carried by a merge that reaches this commit. */
		if ((err = want_type(k, y, LG_VALUE_SEQ, "commit.signoffs")) < 0)
			return err;
		ci->signoffs = lg_xcalloc(y->n + 1, sizeof(*ci->signoffs));
		for (i = 0; i < y->n; i++) {
			const struct ynode *e = &y->items[i], *v;
			struct lg_signoff *so = &ci->signoffs[ci->nsignoffs];

			if ((err = want_type(k, e, LG_VALUE_MAP, "a sign-off")) < 0 ||
			    (err = check_keys(k, e, "sign-off", sokeys)) < 0)
				return err;
			if (!(v = yget(e, "value")) || v->type != LG_VALUE_STRING)
				return bad_at(k, e, "a sign-off needs value: (the trailer's value)");
			so->value = ystr(v);
			so->commit_id = (v = yget(e, "commit")) && v->type == LG_VALUE_STRING ? ystr(v) : lg_xstrdup(ci->id);
			so->verified = (v = yget(e, "verified")) && v->type == LG_VALUE_BOOL && v->b;
			so->signer = ystr(yget(e, "signer"));
			ci->nsignoffs++;
		}
	} else {
		/* As the hook does for a commit carrying its own sign-off. */
		for (i = 0; i < ci->ntrailers; i++) {
			struct lg_signoff *so;

			if (strcasecmp(ci->trailers[i].key, k->cfg.trailers.signoff))
				continue;
			ci->signoffs = lg_xrealloc(ci->signoffs, (ci->nsignoffs + 1) * sizeof(*ci->signoffs));
			so = &ci->signoffs[ci->nsignoffs++];
			memset(so, 0, sizeof(*so));
			so->value = lg_xstrdup(ci->trailers[i].value);
			so->commit_id = lg_xstrdup(ci->id);
			so->verified = ci->signature_verified;
			so->signer = ci->signer ? lg_xstrdup(ci->signer) : NULL;
		}
	}
	return 0;
}

static int read_push(struct kase *k)
{
	const struct ynode *y;
	size_t i;
	int err;

	lg_push_init(&k->push);
	if ((y = yget(k->root, "pusher")) && y->type != LG_VALUE_NULL) {
		if ((err = want_type(k, y, LG_VALUE_STRING, "pusher")) < 0)
			return err;
		k->push.pusher = ystr(y);
	}
	if ((y = yget(k->root, "push_options"))) {
		if ((err = want_type(k, y, LG_VALUE_SEQ, "push_options")) < 0)
			return err;
		k->push.options = lg_xcalloc(y->n + 1, sizeof(char *));
		for (i = 0; i < y->n; i++) {
			if ((err = want_type(k, &y->items[i], LG_VALUE_STRING, "a push option")) < 0)
				return err;
			k->push.options[k->push.noptions++] = ystr(&y->items[i]);
		}
	}
	y = yget(k->root, "ref");
	if (y && (err = want_type(k, y, LG_VALUE_STRING, "ref")) < 0)
		return err;
	return lg_push_add_update(&k->push, y ? y->s : "refs/heads/main", "0000000000000000000000000000000000000000",
				  "1111111111111111111111111111111111111111");
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !memcmp(s + n - m, suffix, m);
}

static char *dup_or_null(const char *s)
{
	return s ? lg_xstrdup(s) : NULL;
}

static void add_finding(struct kase *k, struct lg_finding *f)
{
	f->ref = k->push.updates[0].ref;
	f->commit = k->no_commit ? NULL : &k->commit;
	lg_findings_add(&k->findings, f);
}

/* A linkname finding as the hook builds it from what gofacts found, with
 * target_class and the module from a go.mod among the case's files.
 * NEEDSWORK: the facts the hook derives from the whole tree (build ranges,
 * fallback, siblings, target checks, CI) are not derived here; fixtures
 * state them in finding:. */
static struct lg_finding *linkname_finding(const struct lg_gofile *g, size_t i, const char *path,
					   const struct lg_gomod *mod)
{
	struct lg_finding *f = lg_gofile_finding(g, i, path);

	if (!f->malformed)
		f->target_class = lg_target_class(f->target, f->target_pkg, f->target_sym, mod->module);
	f->file.module = dup_or_null(mod->module);
	f->file.module_go = mod->go;
	f->file.module_toolchain = mod->toolchain;
	return f;
}

/* files: path -> content; the detectors find what the commit adds. */
static int detect_files(struct run *run, struct kase *k, const struct ynode *files)
{
	const struct ynode *gm;
	struct lg_gomod mod;
	size_t i, j;
	int err = 0;

	if ((err = want_type(k, files, LG_VALUE_MAP, "files")) < 0)
		return err;
	memset(&mod, 0, sizeof(mod));
	mod.go = mod.toolchain = -1;
	if ((gm = yget(files, "go.mod")) && gm->type == LG_VALUE_STRING)
		lg_gomod_parse(&mod, gm->s, gm->slen);
	for (i = 0; i < files->n; i++) {
		const struct ynode *c = &files->items[i];
		const char *path = files->keys[i];
		struct lg_flag_hits hits;

		if ((err = want_type(k, c, LG_VALUE_STRING, "a file's content")) < 0)
			break;
		if (has_suffix(path, ".go") && lg_added_go_path_built(path)) {
			struct lg_gofile g;

			lg_gofile_analyze(&g, c->s, c->slen);
			for (j = 0; j < g.ndirectives; j++)
				add_finding(k, linkname_finding(&g, j, path, &mod));
			lg_gofile_release(&g);
		}
		if (memchr(c->s, '\0', c->slen < BINARY_PROBE ? c->slen : BINARY_PROBE))
			continue;
		lg_flag_hits_init(&hits);
		if ((err = lg_flags_scan(run->flags, &hits, c->s, c->slen)) < 0) {
			lg_flag_hits_release(&hits);
			break;
		}
		for (j = 0; j < hits.n; j++) {
			struct lg_finding *f = lg_finding_new(LG_FINDING_CHECKLINKNAME_OFF);

			f->path = lg_xstrdup(path);
			f->line = hits.v[j].line;
			f->text = lg_xstrndup(c->s + hits.v[j].line_off, hits.v[j].line_len);
			f->text_len = hits.v[j].line_len;
			f->carrier = lg_flags_carrier(path);
			f->spelling = lg_xstrdup(hits.v[j].spelling);
			add_finding(k, f);
		}
		lg_flag_hits_release(&hits);
	}
	lg_gomod_release(&mod);
	return err;
}

/* finding: alone: the finding is this data (kind required). */
static int stated_finding(struct kase *k, const struct ynode *fy)
{
	const struct ynode *y = yget(fy, "kind");
	struct lg_finding *f;
	const char *dflt;

	if (!y || y->type != LG_VALUE_STRING || (strcmp(y->s, "linkname") && strcmp(y->s, "checklinkname-off")))
		return bad_at(k, y ? y : fy, "finding.kind must be linkname or checklinkname-off (or give files:)");
	f = lg_finding_new(strcmp(y->s, "linkname") ? LG_FINDING_CHECKLINKNAME_OFF : LG_FINDING_LINKNAME);
	dflt = f->kind == LG_FINDING_LINKNAME ? "x.go" : "Makefile";
	y = yget(fy, "path");
	f->path = y && y->type == LG_VALUE_STRING ? ystr(y) : lg_xstrdup(dflt);
	y = yget(fy, "line");
	f->line = y && y->type == LG_VALUE_INT && y->i > 0 && y->i < UINT_MAX ? (unsigned)y->i : 1;
	if ((y = yget(fy, "text")) && y->type == LG_VALUE_STRING) {
		f->text = ystr(y);
		f->text_len = y->slen;
	}
	if (f->kind == LG_FINDING_CHECKLINKNAME_OFF)
		f->carrier = lg_flags_carrier(f->path); /* (finding.carrier, if stated, is laid over it) */
	add_finding(k, f);
	return 0;
}

static int build_findings(struct run *run, struct kase *k)
{
	const struct ynode *files = yget(k->root, "files"), *fy = yget(k->root, "finding");
	size_t i;
	int err;

	if (fy && (err = want_type(k, fy, LG_VALUE_MAP, "finding")) < 0)
		return err;
	if (files && fy && yget(fy, "kind"))
		return bad_at(k, yget(fy, "kind"), "finding.kind cannot be stated with files: (the detectors decide it)");
	if (!files && !fy)
		return bad_at(k, k->root, "a case needs files: (detected) or finding: (stated)");
	if (files && (err = detect_files(run, k, files)) < 0)
		return err;
	if (!files && (err = stated_finding(k, fy)) < 0)
		return err;
	if (fy) {
		to_value(&k->overlay, fy);
		k->have_overlay = true;
	}
	k->overlays = lg_xcalloc(k->findings.n + 1, sizeof(*k->overlays));
	for (i = 0; i < k->findings.n; i++)
		k->overlays[i] = k->have_overlay ? &k->overlay : NULL;
	return 0;
}

/* --- expectations --- */

enum want { WANT_PASS, WANT_ERROR, WANT_WARNING, WANT_FAIL };

struct expect {
	const char *rule;
	enum want want;
	const char *message, *hint, *at;
};

static int read_expect(const struct kase *k, const char *rule, const struct ynode *y, struct expect *e)
{
	static const char *const words[] = { "pass", "error", "warning", "fail" };
	static const char *const keys[] = { "severity", "message", "hint", "at", NULL };
	const struct ynode *sev = y;
	size_t i;
	int err;

	memset(e, 0, sizeof(e[0]));
	e->rule = rule;
	if (y->type == LG_VALUE_MAP) {
		if ((err = check_keys(k, y, rule, keys)) < 0)
			return err;
		sev = yget(y, "severity");
		e->want = WANT_FAIL;
		if (yget(y, "message") && (err = want_type(k, yget(y, "message"), LG_VALUE_STRING, "message")) < 0)
			return err;
		if (yget(y, "hint") && (err = want_type(k, yget(y, "hint"), LG_VALUE_STRING, "hint")) < 0)
			return err;
		if (yget(y, "at") && (err = want_type(k, yget(y, "at"), LG_VALUE_STRING, "at")) < 0)
			return err;
		e->message = yget(y, "message") ? yget(y, "message")->s : NULL;
		e->hint = yget(y, "hint") ? yget(y, "hint")->s : NULL;
		e->at = yget(y, "at") ? yget(y, "at")->s : NULL;
		if (!sev)
			return 0;
	}
	for (i = 0; sev->type == LG_VALUE_STRING && i < LG_ARRAY_SIZE(words); i++)
		if (!strcmp(sev->s, words[i]))
			break;
	if (sev->type != LG_VALUE_STRING || i == LG_ARRAY_SIZE(words) || (y != sev && i == WANT_PASS))
		return bad_at(k, sev, "expect.%s: expected pass, error, warning, fail or {severity:, message:, hint:, at:}",
			      rule);
	e->want = (enum want)i;
	return 0;
}

static bool at_matches(const struct lg_violation *v, const char *at)
{
	char *s;
	bool ok;

	if (!at)
		return true;
	if (!v->finding)
		return false;
	s = lg_xasprintf("%s:%u", v->finding->path ? v->finding->path : "", v->finding->line);
	ok = !strcmp(s, at) || (!strchr(at, ':') && v->finding->path && !strcmp(v->finding->path, at));
	free(s);
	return ok;
}

static bool violation_matches(const struct lg_violation *v, const struct expect *e)
{
	if (strcmp(v->rule, e->rule) || !at_matches(v, e->at))
		return false;
	if (e->want == WANT_ERROR && v->severity != LG_SEVERITY_ERROR)
		return false;
	if (e->want == WANT_WARNING && v->severity != LG_SEVERITY_WARNING)
		return false;
	if (e->message && !strstr(v->message, e->message))
		return false;
	if (e->hint && !(v->hint && strstr(v->hint, e->hint)))
		return false;
	return true;
}

static void diag_violation(FILE *out, const struct lg_violation *v)
{
	struct lg_buf b = LG_BUF_INIT;
	const char *h;

	lg_buf_printf(&b, "#   got: [%s] %s at ", v->rule, lg_severity_name(v->severity));
	if (v->finding) {
		lg_escape_str(&b, v->finding->path);
		lg_buf_printf(&b, ":%u", v->finding->line);
	} else {
		lg_buf_puts(&b, "(push)");
	}
	lg_buf_puts(&b, ": ");
	lg_escape_str(&b, v->message);
	for (h = v->hint; h && *h;) {
		size_t n = strcspn(h, "\n");

		lg_buf_puts(&b, "\n#     hint: ");
		lg_escape(&b, h, n);
		h += n + (h[n] == '\n');
	}
	lg_buf_putc(&b, '\n');
	fwrite(b.ptr, 1, b.len, out);
	lg_buf_release(&b);
}

static void point(struct run *run, const struct kase *k, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void point(struct run *run, const struct kase *k, bool ok, const char *fmt, ...)
{
	struct lg_buf b = LG_BUF_INIT;
	va_list ap;

	run->res->points++;
	if (!ok)
		run->res->failed++;
	lg_buf_printf(&b, "%s %zu - %s: ", ok ? "ok" : "not ok", run->res->points, k->label);
	va_start(ap, fmt);
	lg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	lg_buf_putc(&b, '\n');
	fwrite(b.ptr, 1, b.len, run->o->out);
	lg_buf_release(&b);
}

static const char *want_text(enum want w)
{
	switch (w) {
	case WANT_PASS:
		return "passes";
	case WANT_ERROR:
		return "fails as error";
	case WANT_WARNING:
		return "fails as warning";
	default:
		return "fails";
	}
}

static void report_expect(struct run *run, const struct kase *k, const struct expect *e)
{
	size_t i, hits = 0, fails = 0;
	struct lg_buf what = LG_BUF_INIT;
	bool ok;

	for (i = 0; i < k->vd.n; i++) {
		if (!strcmp(k->vd.v[i].rule, e->rule) && at_matches(&k->vd.v[i], e->at))
			fails++;
		if (e->want != WANT_PASS && violation_matches(&k->vd.v[i], e))
			hits++;
	}
	ok = e->want == WANT_PASS ? fails == 0 : hits > 0;
	lg_buf_printf(&what, "%s %s", e->rule, want_text(e->want));
	if (e->at) {
		lg_buf_puts(&what, " at ");
		lg_escape_str(&what, e->at);
	}
	if (e->message) {
		lg_buf_puts(&what, " with message containing '");
		lg_escape_str(&what, e->message);
		lg_buf_putc(&what, '\'');
	}
	if (e->hint) {
		lg_buf_puts(&what, " with hint containing '");
		lg_escape_str(&what, e->hint);
		lg_buf_putc(&what, '\'');
	}
	point(run, k, ok, "%s", what.ptr);
	lg_buf_release(&what);
	if (ok)
		return;
	for (i = 0; i < k->vd.n; i++)
		if (!strcmp(k->vd.v[i].rule, e->rule))
			diag_violation(run->o->out, &k->vd.v[i]);
	if (!fails)
		fprintf(run->o->out, "#   (rule %s did not fail)\n", e->rule);
}

/* log: a line lg.log wrote must contain text. */
static void report_log(struct run *run, const struct kase *k, const char *text)
{
	const char *const *lines;
	size_t n, i;
	bool ok = false;

	lines = lg_policy_log_lines(k->policy, &n);
	for (i = 0; i < n && !ok; i++)
		ok = strstr(lines[i], text) != NULL;
	{
		struct lg_buf t = LG_BUF_INIT;

		lg_escape_str(&t, text);
		point(run, k, ok, "lg.log wrote a line containing '%s'", t.ptr);
		lg_buf_release(&t);
	}
	for (i = 0; !ok && i < n; i++) {
		struct lg_buf b = LG_BUF_INIT;

		lg_escape_str(&b, lines[i]);
		fprintf(run->o->out, "#   log: %s\n", b.ptr);
		lg_buf_release(&b);
	}
	if (!ok && !n)
		fprintf(run->o->out, "#   (nothing was logged)\n");
}

static int run_case(struct run *run, struct kase *k, size_t index)
{
	static const char *const keys[] = { "name", "now", "config", "pusher", "push_options", "ref", "commit",
					    "files", "finding", "findings", "expect", "others", "error", "log", NULL };
	const struct ynode *y, *ex, *others, *experr, *nfind, *logs;
	struct expect *exps = NULL;
	size_t i, nexp = 0;
	bool others_pass = false;
	int err, eval;

	if (k->root->type != LG_VALUE_MAP)
		return bad_at(k, k->root, "a case is a mapping");
	if ((err = check_keys(k, k->root, "case", keys)) < 0)
		return err;
	if ((y = yget(k->root, "name")) && (err = want_type(k, y, LG_VALUE_STRING, "name")) < 0)
		return err;
	k->now = run->o->has_now ? run->o->now : (int64_t)time(NULL);
	if ((y = yget(k->root, "now")) && (err = read_time(k, y, "now", &k->now)) < 0)
		return err;
	if ((err = load_config(k)) < 0 || (err = read_push(k)) < 0 || (err = read_commit(k, index)) < 0)
		return err;
	/* Each case runs under the hook's deadline: a policy too slow for a
	 * push fails its tests too. */
	lg_deadline_set_ms(k->cfg.limits.timeout_ms);
	if ((err = lg_policy_new(&k->policy, &k->cfg)) < 0)
		return err;
	if ((err = build_findings(run, k)) < 0)
		return err;

	ex = yget(k->root, "expect");
	others = yget(k->root, "others");
	experr = yget(k->root, "error");
	nfind = yget(k->root, "findings");
	logs = yget(k->root, "log");
	if (ex && (err = want_type(k, ex, LG_VALUE_MAP, "expect")) < 0)
		return err;
	if (logs && (err = want_type(k, logs, LG_VALUE_SEQ, "log")) < 0)
		return err;
	for (i = 0; logs && i < logs->n; i++)
		if ((err = want_type(k, &logs->items[i], LG_VALUE_STRING, "a log: entry")) < 0)
			return err;
	if (experr && (err = want_type(k, experr, LG_VALUE_STRING, "error")) < 0)
		return err;
	if (nfind && (err = want_type(k, nfind, LG_VALUE_INT, "findings")) < 0)
		return err;
	if (others) {
		if (others->type != LG_VALUE_STRING || (strcmp(others->s, "pass") && strcmp(others->s, "any")))
			return bad_at(k, others, "others must be pass or any");
		others_pass = !strcmp(others->s, "pass");
	}
	if (!ex && !experr && !others_pass && !nfind && !logs)
		return bad_at(k, k->root, "a case needs expect:, others: pass, findings:, log: or error:");
	exps = lg_xcalloc(ex ? ex->n + 1 : 1, sizeof(*exps));
	for (i = 0; ex && i < ex->n; i++) {
		if (!lg_policy_has_rule(k->policy, ex->keys[i])) {
			err = bad_at_key(k, ex, i, "expect: no loaded policy defines rule '%s'", ex->keys[i]);
			goto done;
		}
		if ((err = read_expect(k, ex->keys[i], &ex->items[i], &exps[nexp])) < 0)
			goto done;
		nexp++;
	}

	lg_verdict_init(&k->vd);
	eval = lg_policy_eval_over(k->policy, &k->vd, &k->findings, (const struct lg_value *const *)k->overlays,
				   &k->push, k->now);
	if (nfind) {
		point(run, k, (long long)k->findings.n == nfind->i, "%lld finding%s", nfind->i, nfind->i == 1 ? "" : "s");
		if ((long long)k->findings.n != nfind->i)
			fprintf(run->o->out, "#   got %zu\n", k->findings.n);
	}
	if (experr) {
		struct lg_buf msg = LG_BUF_INIT, want = LG_BUF_INIT;

		lg_escape_str(&msg, eval < 0 ? lg_error_last() : "");
		lg_escape_str(&want, experr->s);
		point(run, k, eval < 0 && strstr(lg_error_last(), experr->s), "evaluation fails with '%s'", want.ptr);
		lg_buf_release(&want);
		if (eval == 0)
			fprintf(run->o->out, "#   the evaluation succeeded\n");
		else if (!strstr(lg_error_last(), experr->s))
			fprintf(run->o->out, "#   got: %s\n", msg.ptr);
		lg_buf_release(&msg);
		goto done;
	}
	if (eval < 0) {
		struct lg_buf msg = LG_BUF_INIT;

		lg_escape_str(&msg, lg_error_last());
		point(run, k, false, "evaluates");
		fprintf(run->o->out, "#   %s\n", msg.ptr);
		lg_buf_release(&msg);
		goto done;
	}
	for (i = 0; i < nexp; i++)
		report_expect(run, k, &exps[i]);
	for (i = 0; logs && i < logs->n; i++)
		report_log(run, k, logs->items[i].s);
	if (others_pass) {
		size_t bad = 0;

		for (i = 0; i < k->vd.n; i++) {
			size_t e;

			for (e = 0; e < nexp; e++)
				if (!strcmp(exps[e].rule, k->vd.v[i].rule))
					break;
			if (e == nexp)
				bad++;
		}
		point(run, k, bad == 0, "no other rule fails");
		for (i = 0; bad && i < k->vd.n; i++) {
			size_t e;

			for (e = 0; e < nexp; e++)
				if (!strcmp(exps[e].rule, k->vd.v[i].rule))
					break;
			if (e == nexp)
				diag_violation(run->o->out, &k->vd.v[i]);
		}
	}
	err = 0;
done:
	free(exps);
	return err;
}

static void kase_release(struct kase *k)
{
	lg_policy_free(k->policy);
	if (k->have_cfg)
		lg_config_release(&k->cfg);
	lg_verdict_release(&k->vd);
	lg_findings_release(&k->findings);
	lg_commit_info_release(&k->commit);
	lg_push_release(&k->push);
	free(k->overlays);
	lg_value_release(&k->overlay);
	free(k->label);
	free(k->dir);
}

static void run_file(struct run *run, const char *path)
{
	struct lg_buf text = LG_BUF_INIT;
	struct ynode *docs = NULL;
	size_t ndocs = 0, i;
	char *dir = lg_xstrdup(path), *slash = strrchr(dir, '/');
	int err;

	if (slash)
		*slash = '\0';
	else {
		free(dir);
		dir = lg_xstrdup(".");
	}
	err = lg_buf_read_file(&text, path, MAX_FIXTURE);
	if (!err)
		err = yload(&docs, &ndocs, text.ptr, text.len, path);
	if (!err && !ndocs)
		err = lg_error_set(LG_ECONFIG, "%s: no case in the file", path);
	if (err < 0) {
		struct lg_buf msg = LG_BUF_INIT;

		lg_escape_str(&msg, lg_error_last());
		run->res->points++;
		run->res->bad++;
		fprintf(run->o->out, "not ok %zu - %s: bad fixture: %s\n", run->res->points, path, msg.ptr);
		lg_buf_release(&msg);
	}
	for (i = 0; i < ndocs; i++) {
		struct kase k;
		const struct ynode *name = yget(&docs[i], "name");

		memset(&k, 0, sizeof(k));
		k.file = path;
		k.dir = lg_xstrdup(dir);
		k.text = text.ptr;
		k.textlen = text.len;
		k.root = &docs[i];
		lg_findings_init(&k.findings);
		lg_verdict_init(&k.vd);
		lg_push_init(&k.push);
		{
			/* Names and paths are escaped: TAP lines are one line. */
			struct lg_buf lb = LG_BUF_INIT;

			lg_escape_str(&lb, path);
			if (ndocs > 1)
				lg_buf_printf(&lb, "#%zu", i + 1);
			if (name && name->type == LG_VALUE_STRING) {
				lg_buf_puts(&lb, " (");
				lg_escape_str(&lb, name->s);
				lg_buf_putc(&lb, ')');
			}
			k.label = lg_buf_detach(&lb, NULL);
		}
		run->res->cases++;
		lg_error_clear();
		err = run_case(run, &k, i + 1);
		lg_deadline_set_ms(0);
		if (err < 0) {
			struct lg_buf msg = LG_BUF_INIT;

			lg_escape_str(&msg, lg_error_last());
			run->res->points++;
			run->res->bad++;
			fprintf(run->o->out, "not ok %zu - %s: bad fixture: %s\n", run->res->points, k.label, msg.ptr);
			lg_buf_release(&msg);
		}
		kase_release(&k);
	}
	for (i = 0; i < ndocs; i++)
		ynode_release(&docs[i]);
	free(docs);
	free(dir);
	lg_buf_release(&text);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int lg_ptest_run(struct lg_ptest_result *res, const char *path, const struct lg_ptest_opts *o)
{
	struct run run;
	struct stat st;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	int err = 0;

	memset(res, 0, sizeof(*res));
	memset(&run, 0, sizeof(run));
	run.o = o;
	run.res = res;
	if (stat(path, &st) < 0)
		return lg_error_set(LG_EUSAGE, "policy test: cannot read %s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;

		if (!d)
			return lg_error_set(LG_EUSAGE, "policy test: cannot read %s: %s", path, strerror(errno));
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.' || !has_suffix(e->d_name, FIXTURE_SUFFIX))
				continue;
			names = lg_xgrow(names, sizeof(*names), n + 1, &alloc);
			names[n++] = lg_xasprintf("%s/%s", path, e->d_name);
		}
		closedir(d);
		if (!n)
			return lg_error_set(LG_EUSAGE, "policy test: no *" FIXTURE_SUFFIX " fixtures in %s", path);
		qsort(names, n, sizeof(*names), cmp_names);
	} else {
		names = lg_xcalloc(1, sizeof(*names));
		names[n++] = lg_xstrdup(path);
	}
	if ((err = lg_flags_new(&run.flags)) < 0)
		goto done;
	for (i = 0; i < n; i++)
		run_file(&run, names[i]);
done:
	lg_flags_free(run.flags);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return err;
}

void lg_ptest_finish(const struct lg_ptest_result *res, const struct lg_ptest_opts *o)
{
	fprintf(o->out, "1..%zu\n", res->points);
	if (res->bad)
		fprintf(o->out, "# %zu bad fixture%s\n", res->bad, res->bad == 1 ? "" : "s");
	fprintf(o->out, "# %zu case%s, %zu test%s, %zu failed\n", res->cases, res->cases == 1 ? "" : "s", res->points,
		res->points == 1 ? "" : "s", res->failed + res->bad);
	fflush(o->out);
}
