/* config.c — linkgate.yml: defaults, strict parsing, dump (see config.h). */
#include "linkgate/config.h"
#include "linkgate/buf.h"
#include "linkgate/error.h"
#include "linkgate/escape.h"
#include "linkgate/glob.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

static void strlist_set(struct lg_strlist *l, const char *const *items, size_t n)
{
	size_t i;

	lg_strlist_release(l);
	l->v = lg_xcalloc(n + 1, sizeof(*l->v));
	for (i = 0; i < n; i++)
		l->v[i] = lg_xstrdup(items[i]);
	l->n = n;
}

void lg_config_init_defaults(struct lg_config *cfg)
{
	static const char *const include[] = { "refs/heads/**", "refs/tags/**" };
	static const char *const from[] = { "GL_USERNAME", "GITHUB_USER_LOGIN", "GITEA_PUSHER_NAME", "GL_USER",
					    "REMOTE_USER" };

	memset(cfg, 0, sizeof(*cfg));
	cfg->source = lg_xstrdup("builtin");
	cfg->mode = LG_MODE_ENFORCE;
	cfg->scope = LG_SCOPE_COMMIT;
	cfg->policies = lg_xcalloc(1, sizeof(*cfg->policies));
	cfg->policies[0].path = lg_xstrdup("builtin:default");
	cfg->npolicies = 1;
	cfg->params.type = LG_VALUE_MAP;
	strlist_set(&cfg->refs_include, include, LG_ARRAY_SIZE(include));
	strlist_set(&cfg->refs_exclude, NULL, 0);
	strlist_set(&cfg->refs_deny_delete, NULL, 0);
	strlist_set(&cfg->paths_exclude, NULL, 0);
	cfg->trailers.issue = lg_xstrdup("Issue");
	cfg->trailers.owner = lg_xstrdup("Owner");
	cfg->trailers.remove_by = lg_xstrdup("Remove-By");
	cfg->trailers.signoff = lg_xstrdup("Platform-Signoff");
	cfg->issue_pattern = lg_xstrdup("^(https?://\\S+|[A-Z][A-Z0-9]+-[0-9]+|#[0-9]+)$");
	strlist_set(&cfg->owners, NULL, 0);
	cfg->signoff.verify = LG_VERIFY_PUSHER;
	cfg->signoff.allowed_signers = lg_xstrdup("");
	strlist_set(&cfg->pusher_from, from, LG_ARRAY_SIZE(from));
	cfg->removal_max_days = 180;
	strlist_set(&cfg->go_source, NULL, 0);
	cfg->limits.timeout_ms = 4000;
	cfg->limits.lua_memory_mb = 64;
	cfg->limits.lua_instructions = 50000000;
	cfg->limits.max_commits = 100000;
	cfg->limits.max_blob_mb = 64;
	cfg->limits.max_findings = 10000;
	cfg->limits.max_output_lines = 200;
	cfg->on_error = LG_ON_ERROR_REJECT;
	cfg->bypass.push_option = lg_xstrdup("");
	strlist_set(&cfg->bypass.allowed, NULL, 0);
	cfg->audit.log = lg_xstrdup("");
	cfg->audit.metrics = lg_xstrdup("");
	cfg->help_url = lg_xstrdup("");
}

void lg_strlist_release(struct lg_strlist *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void lg_value_release(struct lg_value *v)
{
	size_t i;

	if (!v)
		return;
	free(v->s);
	for (i = 0; i < v->nitems; i++) {
		if (v->keys)
			free(v->keys[i]);
		lg_value_release(&v->items[i]);
	}
	free(v->keys);
	free(v->items);
	memset(v, 0, sizeof(*v));
}

void lg_config_release(struct lg_config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	free(cfg->source);
	for (i = 0; i < cfg->npolicies; i++)
		free(cfg->policies[i].path);
	free(cfg->policies);
	for (i = 0; i < cfg->nrules; i++)
		free(cfg->rules[i].id);
	free(cfg->rules);
	lg_value_release(&cfg->params);
	lg_strlist_release(&cfg->refs_include);
	lg_strlist_release(&cfg->refs_exclude);
	lg_strlist_release(&cfg->refs_deny_delete);
	lg_strlist_release(&cfg->paths_exclude);
	free(cfg->trailers.issue);
	free(cfg->trailers.owner);
	free(cfg->trailers.remove_by);
	free(cfg->trailers.signoff);
	free(cfg->issue_pattern);
	lg_strlist_release(&cfg->owners);
	for (i = 0; i < cfg->signoff.nteam; i++) {
		free(cfg->signoff.team[i].user);
		free(cfg->signoff.team[i].email);
		free(cfg->signoff.team[i].principal);
	}
	free(cfg->signoff.team);
	free(cfg->signoff.allowed_signers);
	lg_strlist_release(&cfg->pusher_from);
	lg_strlist_release(&cfg->go_source);
	free(cfg->bypass.push_option);
	lg_strlist_release(&cfg->bypass.allowed);
	free(cfg->audit.log);
	free(cfg->audit.metrics);
	free(cfg->help_url);
	memset(cfg, 0, sizeof(*cfg));
}

enum lg_rule_setting lg_config_rule_setting(const struct lg_config *cfg, const char *id, enum lg_rule_setting dflt)
{
	size_t i;

	for (i = 0; i < cfg->nrules; i++)
		if (!strcmp(cfg->rules[i].id, id))
			return cfg->rules[i].setting;
	return dflt;
}

const char *lg_mode_name(enum lg_mode m)
{
	switch (m) {
	case LG_MODE_WARN:
		return "warn";
	case LG_MODE_AUDIT:
		return "audit";
	default:
		return "enforce";
	}
}

const char *lg_verify_name(enum lg_verify v)
{
	switch (v) {
	case LG_VERIFY_TRAILER:
		return "trailer";
	case LG_VERIFY_SSH:
		return "ssh";
	default:
		return "pusher";
	}
}

/*
 * Parsing. libyaml's event API drives a recursive descent over a schema of
 * `struct field` tables; every value is checked where it is read, so an error
 * carries the position of the offending event and the key path that led to
 * it. The rules, all enforced here rather than left to libyaml:
 *  - no aliases or anchors (no billion laughs, no shared nodes), no explicit
 *    tags, one document, at most MAX_DEPTH levels of nesting;
 *  - duplicate keys are errors at every level, params included;
 *  - scalars are read as YAML 1.2 would, and where YAML 1.1 tools would read
 *    them differently (yes/no/on/off, 0x10, 010, 1_000, 12:30, .inf) the
 *    value is refused instead of guessed: a boolean is plain true or false, an
 *    integer is plain decimal digits, and a string that a YAML tool could
 *    read as null, a boolean or a number must be quoted.
 */

#define MAX_DEPTH 64
/* How much of a value an error message quotes. */
#define SHOW_MAX 60

struct cfgp {
	yaml_parser_t parser;
	yaml_event_t ev;     /* the current event, valid while have_ev */
	bool have_ev;
	const char *file;
	const char *buf;     /* the input, to locate tabs and reader errors */
	size_t len;
	int depth;
	struct lg_buf path;  /* key path of the node being read: a.b[2].c */
	struct lg_buf show;  /* scratch for quoting a value in a message */
};

struct field;
typedef int (*field_fn)(struct cfgp *p, void *base, const struct field *f);

/* Checks on strings (flags of a field). */
enum {
	V_NONEMPTY = 1 << 0,
	V_REGEX = 1 << 1,    /* compiles with PCRE2 */
	V_GLOB = 1 << 2,     /* a valid glob */
	V_TRAILER = 1 << 3,  /* a trailer key: letters, digits, '-' */
	V_ENVNAME = 1 << 4,  /* an environment variable name */
	V_POLICY = 1 << 5,   /* builtin:default or a path */
	V_ABSPATH = 1 << 6,  /* empty or absolute: hooks run in GIT_DIR, so a relative path would differ per repository */
	V_OPTNAME = 1 << 7,  /* empty, or a push option name: printable ASCII without '=' or blanks */
};

struct field {
	const char *name;
	field_fn fn;
	size_t off;          /* of the target inside the struct being filled */
	unsigned flags;
	long min, max;       /* integers */
	const struct field *sub;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool ascii_caseeq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
			return false;
	return !*a && !*b;
}

/* --- YAML double-quoted strings (dump and messages) --- */

static bool must_escape_cp(uint32_t cp)
{
	/* C1 controls (NEL is a line break to YAML), the byte order mark,
	 * noncharacters, the line/paragraph separators libyaml counts as
	 * line breaks, and bidi controls, which would reorder what a
	 * terminal shows. */
	return cp <= 0x9f || cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff || cp == 0xfffe || cp == 0xffff;
}

/*
 * Appends s[0..len) as a YAML double-quoted scalar. The output is printable
 * ASCII plus valid UTF-8 and reads back as the same text. Bytes that are not
 * valid UTF-8 (which libyaml never produces, so only a struct built in code
 * can hold them) are written as \xHH, which YAML reads back as U+00HH: the
 * output stays valid YAML, but such a byte does not survive a round trip.
 */
static void yaml_quote(struct lg_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0;

	lg_buf_putc(out, '"');
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t n;

		if (c == '"' || c == '\\') {
			lg_buf_putc(out, '\\');
			lg_buf_putc(out, (char)c);
			i++;
			continue;
		}
		if (c >= 0x20 && c < 0x7f) {
			lg_buf_putc(out, (char)c);
			i++;
			continue;
		}
		n = c < 0x80 ? 0 : lg_utf8_decode(s + i, len - i, &cp);
		if (n && !must_escape_cp(cp)) {
			lg_buf_put(out, s + i, n);
			i += n;
			continue;
		}
		if (n) {
			lg_buf_printf(out, "\\u%04X", (unsigned)cp);
			i += n;
			continue;
		}
		switch (c) {
		case '\0': lg_buf_puts(out, "\\0"); break;
		case '\a': lg_buf_puts(out, "\\a"); break;
		case '\b': lg_buf_puts(out, "\\b"); break;
		case '\t': lg_buf_puts(out, "\\t"); break;
		case '\n': lg_buf_puts(out, "\\n"); break;
		case '\v': lg_buf_puts(out, "\\v"); break;
		case '\f': lg_buf_puts(out, "\\f"); break;
		case '\r': lg_buf_puts(out, "\\r"); break;
		case 0x1b: lg_buf_puts(out, "\\e"); break;
		default:
			lg_buf_puts(out, "\\x");
			lg_buf_putc(out, hex[c >> 4]);
			lg_buf_putc(out, hex[c & 15]);
			break;
		}
		i++;
	}
	lg_buf_putc(out, '"');
}

static void yaml_quote_str(struct lg_buf *out, const char *s)
{
	yaml_quote(out, s ? s : "", s ? strlen(s) : 0);
}

/* A value for an error message: quoted, cut at SHOW_MAX bytes (on a UTF-8
 * boundary). Borrowed from p->show until the next call. */
static const char *show(struct cfgp *p, const char *s, size_t len)
{
	size_t cut = len;

	lg_buf_clear(&p->show);
	if (cut > SHOW_MAX) {
		cut = SHOW_MAX;
		while (cut && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
	}
	yaml_quote(&p->show, s, cut);
	if (cut < len)
		lg_buf_puts(&p->show, "...");
	return p->show.ptr;
}

/* --- positions and messages --- */

/* The length of the line break at s, as libyaml counts them (CR LF, CR, LF,
 * NEL, LS, PS), or 0. */
static size_t break_len(const unsigned char *s, size_t n)
{
	if (s[0] == '\r')
		return n > 1 && s[1] == '\n' ? 2 : 1;
	if (s[0] == '\n')
		return 1;
	if (n > 1 && s[0] == 0xc2 && s[1] == 0x85)
		return 2;
	if (n > 2 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9))
		return 3;
	return 0;
}

static size_t bom_len(const struct cfgp *p)
{
	return p->len >= 3 && !memcmp(p->buf, "\xef\xbb\xbf", 3) ? 3 : 0;
}

/* The byte offset of a libyaml mark (lines and columns count characters). */
static size_t mark_offset(const struct cfgp *p, size_t line, size_t column)
{
	const unsigned char *s = (const unsigned char *)p->buf;
	size_t i = bom_len(p), l = 0, c = 0;

	while (i < p->len && !(l == line && c == column)) {
		size_t b = break_len(s + i, p->len - i);

		if (b) {
			if (l == line)
				break;
			i += b;
			l++;
			c = 0;
			continue;
		}
		i++;
		while (i < p->len && (s[i] & 0xc0) == 0x80)
			i++;
		c++;
	}
	return i;
}

/* The 0-based line and column of a byte offset (for reader errors, which
 * libyaml reports as an offset only). */
static void offset_mark(const struct cfgp *p, size_t off, size_t *line, size_t *column)
{
	const unsigned char *s = (const unsigned char *)p->buf;
	size_t i = bom_len(p);

	*line = *column = 0;
	while (i < off && i < p->len) {
		size_t b = break_len(s + i, p->len - i);

		if (b) {
			i += b;
			++*line;
			*column = 0;
			continue;
		}
		i++;
		while (i < p->len && i < off && (s[i] & 0xc0) == 0x80)
			i++;
		++*column;
	}
}

static int __attribute__((format(printf, 5, 0)))
verror(struct cfgp *p, size_t line, size_t column, bool with_path, const char *fmt, va_list ap)
{
	struct lg_buf b = LG_BUF_INIT;
	int err;

	lg_buf_printf(&b, "%s:%zu:%zu: ", p->file, line + 1, column + 1);
	if (with_path && p->path.len)
		lg_buf_printf(&b, "%s: ", p->path.ptr);
	lg_buf_vprintf(&b, fmt, ap);
	err = lg_error_set(LG_ECONFIG, "%s", b.ptr);
	lg_buf_release(&b);
	return err;
}

/* Sets "FILE:LINE:COLUMN: PATH: message" and returns LG_ECONFIG. */
static int __attribute__((format(printf, 3, 4))) perr(struct cfgp *p, const yaml_mark_t *m, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = verror(p, m->line, m->column, true, fmt, ap);
	va_end(ap);
	return err;
}

/* The same without the key path: for syntax errors, which belong to the
 * text rather than to the key being read. */
static int __attribute__((format(printf, 4, 5)))
perr_at(struct cfgp *p, size_t line, size_t column, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = verror(p, line, column, false, fmt, ap);
	va_end(ap);
	return err;
}

/* Translates libyaml's error state. */
static int yaml_failed(struct cfgp *p)
{
	yaml_parser_t *y = &p->parser;
	const char *problem = y->problem ? y->problem : "unknown error";
	size_t line, column, off;

	switch (y->error) {
	case YAML_READER_ERROR:
		offset_mark(p, y->problem_offset, &line, &column);
		if (y->problem_value != -1)
			return perr_at(p, line, column, "invalid YAML: %s (byte 0x%02X)", problem,
				       (unsigned)y->problem_value & 0xff);
		return perr_at(p, line, column, "invalid YAML: %s", problem);
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
		line = y->problem_mark.line;
		column = y->problem_mark.column;
		off = mark_offset(p, line, column);
		if (!strstr(problem, "tab") && off < p->len && p->buf[off] == '\t')
			return perr_at(p, line, column,
				       "invalid YAML: %s (a tab: YAML indentation must use spaces)", problem);
		if (y->context)
			return perr_at(p, line, column, "invalid YAML: %s (%s at line %zu, column %zu)", problem,
				       y->context, y->context_mark.line + 1, y->context_mark.column + 1);
		return perr_at(p, line, column, "invalid YAML: %s", problem);
	default:
		return perr_at(p, y->mark.line, y->mark.column, "invalid YAML: %s", problem);
	}
}

/* Describes the current event for "expected X, got Y". */
static const char *describe(struct cfgp *p)
{
	switch (p->ev.type) {
	case YAML_SEQUENCE_START_EVENT:
		return "a sequence";
	case YAML_MAPPING_START_EVENT:
		return "a mapping";
	case YAML_SCALAR_EVENT:
		if (!p->ev.data.scalar.length && p->ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			return "an empty value";
		return show(p, (const char *)p->ev.data.scalar.value, p->ev.data.scalar.length);
	default:
		return "something else";
	}
}

/* --- events --- */

/* Reads the next event and refuses what the format does not allow. */
static int next(struct cfgp *p)
{
	const yaml_char_t *anchor = NULL, *tag = NULL;
	bool opens = false;

	if (p->have_ev)
		yaml_event_delete(&p->ev);
	p->have_ev = false;
	if (!yaml_parser_parse(&p->parser, &p->ev))
		return yaml_failed(p);
	p->have_ev = true;
	switch (p->ev.type) {
	case YAML_ALIAS_EVENT:
		return perr(p, &p->ev.start_mark, "aliases are not allowed (*%s); write the value out",
			    (const char *)p->ev.data.alias.anchor);
	case YAML_SCALAR_EVENT:
		anchor = p->ev.data.scalar.anchor;
		tag = p->ev.data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = p->ev.data.sequence_start.anchor;
		tag = p->ev.data.sequence_start.tag;
		opens = true;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = p->ev.data.mapping_start.anchor;
		tag = p->ev.data.mapping_start.tag;
		opens = true;
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		p->depth--;
		break;
	default:
		break;
	}
	if (anchor)
		return perr(p, &p->ev.start_mark, "anchors are not allowed (&%s)", (const char *)anchor);
	if (tag)
		return perr(p, &p->ev.start_mark, "explicit tags are not allowed (%s)", (const char *)tag);
	if (opens && ++p->depth > MAX_DEPTH)
		return perr(p, &p->ev.start_mark, "nesting is deeper than %d levels", MAX_DEPTH);
	return 0;
}

static const char *sval(const struct cfgp *p)
{
	return (const char *)p->ev.data.scalar.value;
}

static bool is_plain(const struct cfgp *p)
{
	return p->ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* A scalar holding NUL (written "\0" in a double-quoted string) would be cut
 * short as a C string. */
static int check_nul(struct cfgp *p)
{
	if (strlen(sval(p)) != p->ev.data.scalar.length)
		return perr(p, &p->ev.start_mark, "NUL bytes are not allowed");
	return 0;
}

/* Appends a key to the path: bare if it reads unambiguously, else quoted. */
static void path_push_key(struct cfgp *p, const char *key)
{
	const char *k;
	bool bare = *key != '\0';

	for (k = key; *k && bare; k++)
		bare = (unsigned char)*k > 0x20 && (unsigned char)*k < 0x7f && !strchr(".[]\"\\", *k);
	if (p->path.len)
		lg_buf_putc(&p->path, '.');
	if (bare && k - key <= SHOW_MAX)
		lg_buf_puts(&p->path, key);
	else
		lg_buf_puts(&p->path, show(p, key, strlen(key)));
}

static void path_push_index(struct cfgp *p, size_t i)
{
	lg_buf_printf(&p->path, "[%zu]", i);
}

/* Checks that the current event is a usable mapping key. */
static int check_key(struct cfgp *p)
{
	if (p->ev.type != YAML_SCALAR_EVENT)
		return perr(p, &p->ev.start_mark, "keys must be strings, got %s", describe(p));
	return check_nul(p);
}

/* A set of the keys of one mapping, for duplicate detection in mappings of
 * any size (params, rules). Keys are borrowed. */
struct keyset {
	struct kslot {
		const char *key;
		yaml_mark_t mark;
	} *slot;
	size_t cap, n;
};

static size_t key_hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Adds key; returns the earlier slot if it was there already, else NULL. */
static const struct kslot *keyset_add(struct keyset *ks, const char *key, const yaml_mark_t *mark)
{
	size_t i;

	if ((ks->n + 1) * 2 > ks->cap) {
		struct kslot *old = ks->slot;
		size_t oldcap = ks->cap;

		ks->cap = ks->cap ? ks->cap * 2 : 16;
		ks->slot = lg_xcalloc(ks->cap, sizeof(*ks->slot));
		ks->n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i].key)
				keyset_add(ks, old[i].key, &old[i].mark);
		free(old);
	}
	for (i = key_hash(key) & (ks->cap - 1); ks->slot[i].key; i = (i + 1) & (ks->cap - 1))
		if (!strcmp(ks->slot[i].key, key))
			return &ks->slot[i];
	ks->slot[i].key = key;
	ks->slot[i].mark = *mark;
	ks->n++;
	return NULL;
}

static int duplicate(struct cfgp *p, const yaml_mark_t *at, const yaml_mark_t *first)
{
	return perr(p, at, "duplicate key (first at line %zu, column %zu)", first->line + 1, first->column + 1);
}

/* --- scalar classification --- */

static bool looks_null(const char *s)
{
	return !*s || !strcmp(s, "~") || ascii_caseeq(s, "null");
}

static bool looks_bool(const char *s)
{
	static const char *const words[] = { "y", "n", "yes", "no", "on", "off", "true", "false" };
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(words); i++)
		if (ascii_caseeq(s, words[i]))
			return true;
	return false;
}

/* True for what a YAML 1.1 or 1.2 tool could read as a number: decimal,
 * 0x/0o/0b, underscores, sexagesimal (12:30), floats, .inf and .nan. */
static bool looks_number(const char *s)
{
	bool digits = false, dot = false;

	if (*s == '+' || *s == '-')
		s++;
	if (ascii_caseeq(s, ".inf") || ascii_caseeq(s, ".nan"))
		return true;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b') && s[2]) {
		for (s += 2; *s; s++)
			if (!strchr("0123456789abcdefABCDEF_", *s))
				return false;
		return true;
	}
	if (!is_digit(*s) && !(*s == '.' && is_digit(s[1])))
		return false;
	for (; *s; s++) {
		if (is_digit(*s))
			digits = true;
		else if (*s == '.' && !dot)
			dot = true;
		else if (*s != '_' && *s != ':')
			break;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!is_digit(*s))
			return false;
		while (is_digit(*s))
			s++;
	}
	return digits && !*s;
}

/* Plain decimal digits with an optional sign and no leading zero. */
static bool is_decimal(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	if (!is_digit(*s) || (s[0] == '0' && s[1]))
		return false;
	while (is_digit(*s))
		s++;
	return !*s;
}

/* --- typed readers for the current event --- */

static int read_string(struct cfgp *p, char **out)
{
	const char *s;
	int err;

	*out = NULL;
	if (p->ev.type != YAML_SCALAR_EVENT)
		return perr(p, &p->ev.start_mark, "expected a string, got %s", describe(p));
	if ((err = check_nul(p)) < 0)
		return err;
	s = sval(p);
	if (is_plain(p)) {
		const char *reads = NULL;

		if (!*s)
			return perr(p, &p->ev.start_mark,
				    "expected a string, got an empty value (null); write \"\" for an empty string");
		if (looks_null(s))
			reads = "null";
		else if (looks_bool(s))
			reads = "a boolean";
		else if (looks_number(s))
			reads = "a number";
		/* (what matched these is short and printable; the cut only
		 * guards against a megabyte of digits) */
		if (reads)
			return perr(p, &p->ev.start_mark,
				    "expected a string, got plain %.*s, which YAML reads as %s; write \"%.*s\" if you mean the text",
				    SHOW_MAX, s, reads, SHOW_MAX, s);
	}
	*out = lg_xstrndup(s, p->ev.data.scalar.length);
	return 0;
}

static int read_long(struct cfgp *p, long min, long max, long *out)
{
	const char *s;
	long long v;
	char *end;

	if (p->ev.type != YAML_SCALAR_EVENT)
		return perr(p, &p->ev.start_mark, "expected an integer, got %s", describe(p));
	s = sval(p);
	if (!is_plain(p)) {
		if (is_decimal(s))
			return perr(p, &p->ev.start_mark, "expected an integer, got the string %s; remove the quotes",
				    describe(p));
		return perr(p, &p->ev.start_mark, "expected an integer, got the string %s", describe(p));
	}
	if (!is_decimal(s)) {
		const char *t = s + (*s == '+' || *s == '-');

		if (t[0] == '0' && is_digit(t[1]))
			return perr(p, &p->ev.start_mark,
				    "expected an integer, got %s; leading zeros are not allowed (YAML 1.1 reads them as octal)",
				    describe(p));
		return perr(p, &p->ev.start_mark, "expected an integer, got %s", describe(p));
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE || v < LONG_MIN || v > LONG_MAX)
		return perr(p, &p->ev.start_mark, "expected an integer, got %s, which is out of range", describe(p));
	if (v < min)
		return perr(p, &p->ev.start_mark, "must be at least %ld, got %lld", min, v);
	if (v > max)
		return perr(p, &p->ev.start_mark, "must be at most %ld, got %lld", max, v);
	*out = (long)v;
	return 0;
}

static int read_bool(struct cfgp *p, bool *out)
{
	const char *s;

	if (p->ev.type != YAML_SCALAR_EVENT)
		return perr(p, &p->ev.start_mark, "expected true or false, got %s", describe(p));
	s = sval(p);
	if (is_plain(p) && (!strcmp(s, "true") || !strcmp(s, "false"))) {
		*out = s[0] == 't';
		return 0;
	}
	if (!is_plain(p))
		return perr(p, &p->ev.start_mark, "expected true or false, got the string %s%s", describe(p),
			    looks_bool(s) ? "; remove the quotes" : "");
	if (looks_bool(s))
		return perr(p, &p->ev.start_mark, "expected true or false, got %s; write true or false", describe(p));
	return perr(p, &p->ev.start_mark, "expected true or false, got %s", describe(p));
}

/* Reads one of names[]; any scalar style (plain `off` is the word here). */
static int read_enum(struct cfgp *p, const char *const *names, size_t n, size_t *out)
{
	struct lg_buf list = LG_BUF_INIT;
	size_t i;
	int err;

	if (p->ev.type == YAML_SCALAR_EVENT) {
		for (i = 0; i < n; i++) {
			if (!strcmp(sval(p), names[i]) && strlen(names[i]) == p->ev.data.scalar.length) {
				*out = i;
				return 0;
			}
		}
	}
	lg_buf_init(&list);
	for (i = 0; i < n; i++)
		lg_buf_printf(&list, "%s%s", i ? (i + 1 == n ? " or " : ", ") : "", names[i]);
	err = perr(p, &p->ev.start_mark, "expected %s, got %s", list.ptr, describe(p));
	lg_buf_release(&list);
	return err;
}

static int expect(struct cfgp *p, yaml_event_type_t type)
{
	bool is_map = type == YAML_MAPPING_START_EVENT;

	if (p->ev.type == type)
		return 0;
	if (p->ev.type == YAML_SCALAR_EVENT && is_plain(p) && looks_null(sval(p)))
		return perr(p, &p->ev.start_mark, "expected a %s, got %s; write %s for an empty one",
			    is_map ? "mapping" : "sequence", p->ev.data.scalar.length ? "null" : "an empty value",
			    is_map ? "{}" : "[]");
	return perr(p, &p->ev.start_mark, "expected a %s, got %s", is_map ? "mapping" : "sequence", describe(p));
}

/* --- checks on strings --- */

static int check_regex(struct cfgp *p, const yaml_mark_t *m, const char *s)
{
	uint32_t options = PCRE2_UTF;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	pcre2_code *re;
	int code;

#ifdef PCRE2_MATCH_INVALID_UTF
	options |= PCRE2_MATCH_INVALID_UTF;
#endif
	re = pcre2_compile((PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, options, &code, &off, NULL);
	if (re) {
		/* Compiled only to validate: the policy engine compiles its own. */
		pcre2_code_free(re);
		return 0;
	}
	if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
		return perr(p, m, "invalid regular expression at offset %zu: PCRE2 error %d", (size_t)off, code);
	return perr(p, m, "invalid regular expression at offset %zu: %s", (size_t)off, (const char *)msg);
}

static int check_string(struct cfgp *p, const yaml_mark_t *m, const char *s, unsigned flags)
{
	const char *why, *c;

	if ((flags & V_NONEMPTY) && !*s)
		return perr(p, m, "must not be empty");
	if ((flags & V_REGEX) && check_regex(p, m, s) < 0)
		return LG_ECONFIG;
	if ((flags & V_GLOB) && !lg_glob_valid(s, &why))
		return perr(p, m, "invalid glob %s: %s", show(p, s, strlen(s)), why);
	if (flags & V_TRAILER) {
		for (c = s; *c; c++)
			if (!(is_digit(*c) || (ascii_lower((unsigned char)*c) >= 'a' && ascii_lower((unsigned char)*c) <= 'z') ||
			      *c == '-'))
				break;
		if (!*s || *c)
			return perr(p, m, "%s is not a trailer key (letters, digits and '-' only)", show(p, s, strlen(s)));
	}
	if (flags & V_ENVNAME) {
		for (c = s; *c; c++)
			if (!((ascii_lower((unsigned char)*c) >= 'a' && ascii_lower((unsigned char)*c) <= 'z') || *c == '_' ||
			      (c > s && is_digit(*c))))
				break;
		if (!*s || *c)
			return perr(p, m, "%s is not an environment variable name", show(p, s, strlen(s)));
	}
	if ((flags & V_ABSPATH) && *s && *s != '/')
		return perr(p, m, "%s must be an absolute path", show(p, s, strlen(s)));
	if (flags & V_OPTNAME) {
		for (c = s; *c; c++)
			if ((unsigned char)*c <= ' ' || (unsigned char)*c >= 0x7f || *c == '=')
				break;
		if (*c)
			return perr(p, m, "%s is not a push option name (printable ASCII without '=' or blanks)",
				    show(p, s, strlen(s)));
	}
	if ((flags & V_POLICY) && !strncmp(s, "builtin:", 8) && strcmp(s, "builtin:default"))
		return perr(p, m, "unknown built-in policy %s (there is only builtin:default)", show(p, s, strlen(s)));
	return 0;
}

/* --- field handlers: the current event is the value's first --- */

#define TARGET(type, base, f) ((type *)(void *)((char *)(base) + (f)->off))

static int parse_fields(struct cfgp *p, void *base, const struct field *fields);

static int h_map(struct cfgp *p, void *base, const struct field *f)
{
	return parse_fields(p, base, f->sub);
}

static int h_string(struct cfgp *p, void *base, const struct field *f)
{
	char **target = TARGET(char *, base, f);
	yaml_mark_t m = p->ev.start_mark;
	char *s;
	int err;

	if ((err = read_string(p, &s)) < 0)
		return err;
	if ((err = check_string(p, &m, s, f->flags)) < 0) {
		free(s);
		return err;
	}
	free(*target);
	*target = s;
	return 0;
}

static int h_strlist(struct cfgp *p, void *base, const struct field *f)
{
	struct lg_strlist *target = TARGET(struct lg_strlist, base, f);
	struct lg_strlist l = { NULL, 0 };
	size_t alloc = 0, mark = p->path.len;
	int err;

	if ((err = expect(p, YAML_SEQUENCE_START_EVENT)) < 0)
		return err;
	/* NULL-terminated like the defaults, even when empty */
	l.v = lg_xgrow(l.v, sizeof(*l.v), 1, &alloc);
	l.v[0] = NULL;
	for (;;) {
		yaml_mark_t m;
		char *s;

		path_push_index(p, l.n);
		if ((err = next(p)) < 0)
			goto done;
		if (p->ev.type == YAML_SEQUENCE_END_EVENT) {
			lg_buf_truncate(&p->path, mark);
			break;
		}
		m = p->ev.start_mark;
		if ((err = read_string(p, &s)) < 0)
			goto done;
		if ((err = check_string(p, &m, s, f->flags)) < 0) {
			free(s);
			goto done;
		}
		l.v = lg_xgrow(l.v, sizeof(*l.v), l.n + 2, &alloc);
		l.v[l.n++] = s;
		l.v[l.n] = NULL;
		lg_buf_truncate(&p->path, mark);
	}
	lg_strlist_release(target);
	*target = l;
	l.v = NULL;
	l.n = 0;
	err = 0;
done:
	lg_strlist_release(&l);
	return err;
}

static int h_long(struct cfgp *p, void *base, const struct field *f)
{
	return read_long(p, f->min, f->max, TARGET(long, base, f));
}

static int h_bool(struct cfgp *p, void *base, const struct field *f)
{
	return read_bool(p, TARGET(bool, base, f));
}

static const char *const mode_names[] = { "enforce", "warn", "audit" };
static const char *const rule_names[] = { "off", "error", "warning" };

static int h_mode(struct cfgp *p, void *base, const struct field *f)
{
	static const enum lg_mode modes[] = { LG_MODE_ENFORCE, LG_MODE_WARN, LG_MODE_AUDIT };
	size_t i;
	int err = read_enum(p, mode_names, LG_ARRAY_SIZE(mode_names), &i);

	if (!err)
		*TARGET(enum lg_mode, base, f) = modes[i];
	return err;
}

static int h_scope(struct cfgp *p, void *base, const struct field *f)
{
	static const char *const names[] = { "commit", "push" };
	size_t i;
	int err = read_enum(p, names, LG_ARRAY_SIZE(names), &i);

	if (!err)
		*TARGET(enum lg_scope, base, f) = i ? LG_SCOPE_PUSH : LG_SCOPE_COMMIT;
	return err;
}

static int h_verify(struct cfgp *p, void *base, const struct field *f)
{
	static const char *const names[] = { "trailer", "pusher", "ssh" };
	size_t i;
	int err = read_enum(p, names, LG_ARRAY_SIZE(names), &i);

	if (err)
		return err;
	*TARGET(enum lg_verify, base, f) = i == 2 ? LG_VERIFY_SSH : i ? LG_VERIFY_PUSHER : LG_VERIFY_TRAILER;
	return 0;
}

/* signoff: with verify: ssh, allowed_signers must name a file that can be
 * read now: finding out at the first signed-off push would reject it for a
 * configuration problem. A relative path is relative to the directory of
 * the configuration file, and stored resolved. */
static int h_signoff(struct cfgp *p, void *base, const struct field *f)
{
	struct lg_config *cfg = base;
	yaml_mark_t m = p->ev.start_mark;
	const char *slash;
	struct stat st;
	char *path;
	int err;

	if ((err = parse_fields(p, base, f->sub)) < 0)
		return err;
	if (cfg->signoff.verify != LG_VERIFY_SSH)
		return 0;
	if (!*cfg->signoff.allowed_signers)
		return perr(p, &m, "verify: ssh needs allowed_signers (an ssh-keygen allowed signers file)");
	slash = strrchr(p->file, '/');
	if (cfg->signoff.allowed_signers[0] != '/' && slash) {
		path = lg_xasprintf("%.*s/%s", (int)(slash - p->file), p->file, cfg->signoff.allowed_signers);
		free(cfg->signoff.allowed_signers);
		cfg->signoff.allowed_signers = path;
	}
	path = cfg->signoff.allowed_signers;
	/* The whole path, quoted: an admin must see which file was meant. */
	lg_buf_clear(&p->show);
	yaml_quote(&p->show, path, strlen(path));
	if (access(path, R_OK) < 0 || stat(path, &st) < 0)
		return perr(p, &m, "allowed_signers %s cannot be read: %s", p->show.ptr, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return perr(p, &m, "allowed_signers %s is not a file", p->show.ptr);
	return 0;
}

static int h_on_error(struct cfgp *p, void *base, const struct field *f)
{
	static const char *const names[] = { "reject", "accept" };
	size_t i;
	int err = read_enum(p, names, LG_ARRAY_SIZE(names), &i);

	if (!err)
		*TARGET(enum lg_on_error, base, f) = i ? LG_ON_ERROR_ACCEPT : LG_ON_ERROR_REJECT;
	return err;
}

/* policies[i].mode: also records that the policy has its own mode. */
static int h_policy_mode(struct cfgp *p, void *base, const struct field *f)
{
	struct lg_policy_ref *ref = base;
	int err = h_mode(p, base, f);

	if (!err)
		ref->has_mode = true;
	return err;
}

static const struct field policy_fields[] = {
	{ .name = "path", .fn = h_string, .off = offsetof(struct lg_policy_ref, path), .flags = V_NONEMPTY | V_POLICY },
	{ .name = "mode", .fn = h_policy_mode, .off = offsetof(struct lg_policy_ref, mode) },
	{ .name = NULL },
};

static const struct field member_fields[] = {
	{ .name = "user", .fn = h_string, .off = offsetof(struct lg_team_member, user), .flags = V_NONEMPTY },
	{ .name = "email", .fn = h_string, .off = offsetof(struct lg_team_member, email), .flags = V_NONEMPTY },
	{ .name = "principal", .fn = h_string, .off = offsetof(struct lg_team_member, principal), .flags = V_NONEMPTY },
	{ .name = NULL },
};

static void policies_free(struct lg_policy_ref *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

static int h_policies(struct cfgp *p, void *base, const struct field *f)
{
	struct lg_config *cfg = base;
	struct lg_policy_ref *v = NULL;
	size_t n = 0, alloc = 0, mark = p->path.len;
	int err;

	if ((err = expect(p, YAML_SEQUENCE_START_EVENT)) < 0)
		return err;
	for (;;) {
		struct lg_policy_ref *ref;
		yaml_mark_t m;

		path_push_index(p, n);
		if ((err = next(p)) < 0)
			goto done;
		if (p->ev.type == YAML_SEQUENCE_END_EVENT) {
			lg_buf_truncate(&p->path, mark);
			break;
		}
		v = lg_xgrow(v, sizeof(*v), n + 1, &alloc);
		ref = &v[n++];
		memset(ref, 0, sizeof(*ref));
		m = p->ev.start_mark;
		if (p->ev.type == YAML_MAPPING_START_EVENT) {
			if ((err = parse_fields(p, ref, policy_fields)) < 0)
				goto done;
			if (!ref->path) {
				err = perr(p, &m, "a policy needs a path");
				goto done;
			}
		} else if (p->ev.type == YAML_SCALAR_EVENT) {
			if ((err = read_string(p, &ref->path)) < 0 ||
			    (err = check_string(p, &m, ref->path, V_NONEMPTY | V_POLICY)) < 0)
				goto done;
		} else {
			err = perr(p, &m, "expected a string or a mapping with path and mode, got %s", describe(p));
			goto done;
		}
		lg_buf_truncate(&p->path, mark);
	}
	policies_free(cfg->policies, cfg->npolicies);
	cfg->policies = v;
	cfg->npolicies = n;
	v = NULL;
	n = 0;
	err = 0;
done:
	policies_free(v, n);
	return err;
}

static void team_free(struct lg_team_member *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].user);
		free(v[i].email);
		free(v[i].principal);
	}
	free(v);
}

static int h_team(struct cfgp *p, void *base, const struct field *f)
{
	struct lg_config *cfg = base;
	struct lg_team_member *v = NULL;
	size_t n = 0, alloc = 0, mark = p->path.len;
	int err;

	if ((err = expect(p, YAML_SEQUENCE_START_EVENT)) < 0)
		return err;
	for (;;) {
		struct lg_team_member *t;
		yaml_mark_t m;

		path_push_index(p, n);
		if ((err = next(p)) < 0)
			goto done;
		if (p->ev.type == YAML_SEQUENCE_END_EVENT) {
			lg_buf_truncate(&p->path, mark);
			break;
		}
		v = lg_xgrow(v, sizeof(*v), n + 1, &alloc);
		t = &v[n++];
		memset(t, 0, sizeof(*t));
		m = p->ev.start_mark;
		if (p->ev.type == YAML_MAPPING_START_EVENT) {
			if ((err = parse_fields(p, t, member_fields)) < 0)
				goto done;
			if (!t->user && !t->email && !t->principal) {
				err = perr(p, &m, "a team member needs at least one of user, email and principal");
				goto done;
			}
		} else if (p->ev.type == YAML_SCALAR_EVENT) {
			/* A bare string may name the member by any of the three. */
			if ((err = read_string(p, &t->user)) < 0 || (err = check_string(p, &m, t->user, V_NONEMPTY)) < 0)
				goto done;
			t->email = lg_xstrdup(t->user);
			t->principal = lg_xstrdup(t->user);
		} else {
			err = perr(p, &m, "expected a string or a mapping with user, email and principal, got %s",
				   describe(p));
			goto done;
		}
		lg_buf_truncate(&p->path, mark);
	}
	team_free(cfg->signoff.team, cfg->signoff.nteam);
	cfg->signoff.team = v;
	cfg->signoff.nteam = n;
	v = NULL;
	n = 0;
	err = 0;
done:
	team_free(v, n);
	return err;
}

static void rules_free(struct lg_rule_override *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].id);
	free(v);
}

static int h_rules(struct cfgp *p, void *base, const struct field *f)
{
	static const enum lg_rule_setting settings[] = { LG_RULE_OFF, LG_RULE_ERROR, LG_RULE_WARNING };
	struct lg_config *cfg = base;
	struct lg_rule_override *v = NULL;
	struct keyset ks = { NULL, 0, 0 };
	size_t n = 0, alloc = 0, mark = p->path.len;
	int err;

	if ((err = expect(p, YAML_MAPPING_START_EVENT)) < 0)
		return err;
	for (;;) {
		const struct kslot *dup;
		yaml_mark_t m;
		size_t i;

		if ((err = next(p)) < 0)
			goto done;
		if (p->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if ((err = check_key(p)) < 0)
			goto done;
		path_push_key(p, sval(p));
		m = p->ev.start_mark;
		if (!*sval(p)) {
			err = perr(p, &m, "a rule id must not be empty");
			goto done;
		}
		v = lg_xgrow(v, sizeof(*v), n + 1, &alloc);
		v[n].id = lg_xstrdup(sval(p));
		v[n].setting = LG_RULE_ERROR;
		n++;
		if ((dup = keyset_add(&ks, v[n - 1].id, &m))) {
			err = duplicate(p, &m, &dup->mark);
			goto done;
		}
		if ((err = next(p)) < 0 || (err = read_enum(p, rule_names, LG_ARRAY_SIZE(rule_names), &i)) < 0)
			goto done;
		v[n - 1].setting = settings[i];
		lg_buf_truncate(&p->path, mark);
	}
	rules_free(cfg->rules, cfg->nrules);
	cfg->rules = v;
	cfg->nrules = n;
	v = NULL;
	n = 0;
	err = 0;
done:
	free(ks.slot);
	rules_free(v, n);
	return err;
}

/* A params scalar, typed by the YAML 1.2 core schema. Every scalar keeps
 * its text in s. */
static int value_scalar(struct cfgp *p, struct lg_value *out)
{
	const char *s = sval(p);
	int err;

	if ((err = check_nul(p)) < 0)
		return err;
	out->type = LG_VALUE_STRING;
	if (is_plain(p)) {
		if (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL")) {
			out->type = LG_VALUE_NULL;
		} else if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
			out->type = LG_VALUE_BOOL;
			out->b = true;
		} else if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
			out->type = LG_VALUE_BOOL;
		} else {
			const char *d = s + (*s == '+' || *s == '-');

			if (is_digit(*d) && strspn(d, "0123456789") == strlen(d)) {
				errno = 0;
				out->i = strtoll(s, NULL, 10);
				if (errno == ERANGE)
					return perr(p, &p->ev.start_mark, "integer %s is out of range", describe(p));
				out->type = LG_VALUE_INT;
			}
		}
	}
	out->s = lg_xstrndup(s, p->ev.data.scalar.length);
	return 0;
}

/* Reads any value into out (zeroed here). On error out holds what was read
 * so far; the caller releases it. */
static int parse_value(struct cfgp *p, struct lg_value *out)
{
	struct keyset ks = { NULL, 0, 0 };
	size_t kalloc = 0, ialloc = 0, mark = p->path.len;
	int err = 0;

	memset(out, 0, sizeof(*out));
	switch (p->ev.type) {
	case YAML_SCALAR_EVENT:
		return value_scalar(p, out);
	case YAML_SEQUENCE_START_EVENT:
		out->type = LG_VALUE_SEQ;
		for (;;) {
			path_push_index(p, out->nitems);
			if ((err = next(p)) < 0)
				goto done;
			if (p->ev.type == YAML_SEQUENCE_END_EVENT) {
				lg_buf_truncate(&p->path, mark);
				break;
			}
			out->items = lg_xgrow(out->items, sizeof(*out->items), out->nitems + 1, &ialloc);
			if ((err = parse_value(p, &out->items[out->nitems++])) < 0)
				goto done;
			lg_buf_truncate(&p->path, mark);
		}
		break;
	case YAML_MAPPING_START_EVENT:
		out->type = LG_VALUE_MAP;
		for (;;) {
			const struct kslot *dup;
			yaml_mark_t m;
			size_t i;

			if ((err = next(p)) < 0)
				goto done;
			if (p->ev.type == YAML_MAPPING_END_EVENT)
				break;
			if ((err = check_key(p)) < 0)
				goto done;
			path_push_key(p, sval(p));
			m = p->ev.start_mark;
			/* YAML 1.1 merge keys would splice mappings together;
			 * YAML 1.2 has none. Refuse rather than pick one. */
			if (is_plain(p) && !strcmp(sval(p), "<<")) {
				err = perr(p, &m, "merge keys (<<) are not allowed");
				goto done;
			}
			out->keys = lg_xgrow(out->keys, sizeof(*out->keys), out->nitems + 1, &kalloc);
			out->items = lg_xgrow(out->items, sizeof(*out->items), out->nitems + 1, &ialloc);
			i = out->nitems++;
			out->keys[i] = lg_xstrdup(sval(p));
			memset(&out->items[i], 0, sizeof(out->items[i]));
			if ((dup = keyset_add(&ks, out->keys[i], &m))) {
				err = duplicate(p, &m, &dup->mark);
				goto done;
			}
			if ((err = next(p)) < 0 || (err = parse_value(p, &out->items[i])) < 0)
				goto done;
			lg_buf_truncate(&p->path, mark);
		}
		break;
	default:
		err = perr(p, &p->ev.start_mark, "unexpected YAML event");
		break;
	}
done:
	free(ks.slot);
	return err;
}

static int h_params(struct cfgp *p, void *base, const struct field *f)
{
	struct lg_config *cfg = base;
	struct lg_value v;
	int err;

	if ((err = expect(p, YAML_MAPPING_START_EVENT)) < 0)
		return err;
	if ((err = parse_value(p, &v)) < 0) {
		lg_value_release(&v);
		return err;
	}
	lg_value_release(&cfg->params);
	cfg->params = v;
	return 0;
}

/* Reads a mapping whose keys are the names of fields[] (at most 32). */
static int parse_fields(struct cfgp *p, void *base, const struct field *fields)
{
	yaml_mark_t first[32];
	uint32_t seen = 0;
	size_t mark = p->path.len;
	int err;

	if ((err = expect(p, YAML_MAPPING_START_EVENT)) < 0)
		return err;
	for (;;) {
		yaml_mark_t m;
		size_t k;

		if ((err = next(p)) < 0)
			return err;
		if (p->ev.type == YAML_MAPPING_END_EVENT)
			return 0;
		if ((err = check_key(p)) < 0)
			return err;
		path_push_key(p, sval(p));
		m = p->ev.start_mark;
		for (k = 0; fields[k].name; k++)
			if (!strcmp(fields[k].name, sval(p)))
				break;
		if (!fields[k].name)
			return perr(p, &m, "unknown key");
		if (seen & ((uint32_t)1 << k))
			return duplicate(p, &m, &first[k]);
		seen |= (uint32_t)1 << k;
		first[k] = m;
		if ((err = next(p)) < 0 || (err = fields[k].fn(p, base, &fields[k])) < 0)
			return err;
		lg_buf_truncate(&p->path, mark);
	}
}

#define CFG(member) offsetof(struct lg_config, member)

static const struct field refs_fields[] = {
	{ .name = "include", .fn = h_strlist, .off = CFG(refs_include), .flags = V_NONEMPTY | V_GLOB },
	{ .name = "exclude", .fn = h_strlist, .off = CFG(refs_exclude), .flags = V_NONEMPTY | V_GLOB },
	{ .name = "deny_delete", .fn = h_strlist, .off = CFG(refs_deny_delete), .flags = V_NONEMPTY | V_GLOB },
	{ .name = NULL },
};

static const struct field paths_fields[] = {
	{ .name = "exclude", .fn = h_strlist, .off = CFG(paths_exclude), .flags = V_NONEMPTY | V_GLOB },
	{ .name = NULL },
};

static const struct field trailers_fields[] = {
	{ .name = "issue", .fn = h_string, .off = CFG(trailers.issue), .flags = V_TRAILER },
	{ .name = "owner", .fn = h_string, .off = CFG(trailers.owner), .flags = V_TRAILER },
	{ .name = "remove_by", .fn = h_string, .off = CFG(trailers.remove_by), .flags = V_TRAILER },
	{ .name = "signoff", .fn = h_string, .off = CFG(trailers.signoff), .flags = V_TRAILER },
	{ .name = NULL },
};

static const struct field signoff_fields[] = {
	{ .name = "team", .fn = h_team },
	{ .name = "verify", .fn = h_verify, .off = CFG(signoff.verify) },
	{ .name = "allowed_signers", .fn = h_string, .off = CFG(signoff.allowed_signers) },
	{ .name = NULL },
};

static const struct field pusher_fields[] = {
	{ .name = "from", .fn = h_strlist, .off = CFG(pusher_from), .flags = V_ENVNAME },
	{ .name = NULL },
};

/* Upper bounds keep products such as megabytes × 2^20 and now + timeout
 * far from overflow. */
static const struct field removal_fields[] = {
	{ .name = "max_days", .fn = h_long, .off = CFG(removal_max_days), .min = 1, .max = 36500 },
	{ .name = NULL },
};

static const struct field limits_fields[] = {
	{ .name = "timeout_ms", .fn = h_long, .off = CFG(limits.timeout_ms), .min = 1, .max = 86400000 },
	{ .name = "lua_memory_mb", .fn = h_long, .off = CFG(limits.lua_memory_mb), .min = 1, .max = 1048576 },
	{ .name = "lua_instructions", .fn = h_long, .off = CFG(limits.lua_instructions), .min = 1, .max = LONG_MAX },
	{ .name = "max_commits", .fn = h_long, .off = CFG(limits.max_commits), .min = 1, .max = LONG_MAX },
	{ .name = "max_blob_mb", .fn = h_long, .off = CFG(limits.max_blob_mb), .min = 1, .max = 1048576 },
	{ .name = "max_findings", .fn = h_long, .off = CFG(limits.max_findings), .min = 1, .max = LONG_MAX },
	{ .name = "max_output_lines", .fn = h_long, .off = CFG(limits.max_output_lines), .min = 1, .max = LONG_MAX },
	{ .name = NULL },
};

static const struct field bypass_fields[] = {
	{ .name = "push_option", .fn = h_string, .off = CFG(bypass.push_option), .flags = V_OPTNAME },
	{ .name = "allowed", .fn = h_strlist, .off = CFG(bypass.allowed), .flags = V_NONEMPTY },
	{ .name = NULL },
};

static const struct field audit_fields[] = {
	{ .name = "log", .fn = h_string, .off = CFG(audit.log), .flags = V_ABSPATH },
	{ .name = "syslog", .fn = h_bool, .off = CFG(audit.syslog) },
	{ .name = "metrics", .fn = h_string, .off = CFG(audit.metrics), .flags = V_ABSPATH },
	{ .name = NULL },
};

static const struct field root_fields[] = {
	{ .name = "mode", .fn = h_mode, .off = CFG(mode) },
	{ .name = "scope", .fn = h_scope, .off = CFG(scope) },
	{ .name = "policies", .fn = h_policies },
	{ .name = "rules", .fn = h_rules },
	{ .name = "params", .fn = h_params },
	{ .name = "refs", .fn = h_map, .sub = refs_fields },
	{ .name = "paths", .fn = h_map, .sub = paths_fields },
	{ .name = "trailers", .fn = h_map, .sub = trailers_fields },
	{ .name = "issue_pattern", .fn = h_string, .off = CFG(issue_pattern), .flags = V_REGEX },
	{ .name = "owners", .fn = h_strlist, .off = CFG(owners), .flags = V_NONEMPTY | V_REGEX },
	{ .name = "signoff", .fn = h_signoff, .sub = signoff_fields },
	{ .name = "pusher", .fn = h_map, .sub = pusher_fields },
	{ .name = "removal", .fn = h_map, .sub = removal_fields },
	{ .name = "go_source", .fn = h_strlist, .off = CFG(go_source), .flags = V_NONEMPTY },
	{ .name = "limits", .fn = h_map, .sub = limits_fields },
	{ .name = "on_error", .fn = h_on_error, .off = CFG(on_error) },
	{ .name = "bypass", .fn = h_map, .sub = bypass_fields },
	{ .name = "audit", .fn = h_map, .sub = audit_fields },
	{ .name = "help_url", .fn = h_string, .off = CFG(help_url) },
	{ .name = NULL },
};

static int parse_stream(struct cfgp *p, struct lg_config *cfg)
{
	int err;

	if ((err = next(p)) < 0 || (err = next(p)) < 0) /* stream start, then a document or the end */
		return err;
	if (p->ev.type == YAML_STREAM_END_EVENT)
		return 0; /* empty, or only comments */
	if ((err = next(p)) < 0)
		return err;
	if (p->ev.type == YAML_MAPPING_START_EVENT) {
		if ((err = parse_fields(p, cfg, root_fields)) < 0)
			return err;
	} else if (!(p->ev.type == YAML_SCALAR_EVENT && is_plain(p) && !p->ev.data.scalar.length)) {
		/* (an explicit but empty document, "---" alone, is fine) */
		return perr(p, &p->ev.start_mark, "expected a mapping at the top level, got %s", describe(p));
	}
	if ((err = next(p)) < 0 || (err = next(p)) < 0) /* document end, then the stream's */
		return err;
	if (p->ev.type != YAML_STREAM_END_EVENT)
		return perr(p, &p->ev.start_mark, "multiple documents are not allowed");
	return 0;
}

int lg_config_parse(struct lg_config *cfg, const char *buf, size_t len, const char *filename)
{
	struct cfgp p;
	int err;

	memset(&p, 0, sizeof(p));
	p.file = filename ? filename : "<config>";
	p.buf = buf ? buf : "";
	p.len = buf ? len : 0;
	lg_buf_init(&p.path);
	lg_buf_init(&p.show);
	free(cfg->source);
	cfg->source = lg_xstrdup(p.file);
	if (!yaml_parser_initialize(&p.parser)) {
		err = lg_error_set(LG_ECONFIG, "%s:1:1: cannot initialise the YAML parser", p.file);
		goto done;
	}
	yaml_parser_set_input_string(&p.parser, (const unsigned char *)p.buf, p.len);
	err = parse_stream(&p, cfg);
	if (p.have_ev)
		yaml_event_delete(&p.ev);
	yaml_parser_delete(&p.parser);
done:
	lg_buf_release(&p.path);
	lg_buf_release(&p.show);
	return err;
}

int lg_config_load_file(struct lg_config *cfg, const char *path)
{
	struct lg_buf b = LG_BUF_INIT;
	int err = lg_buf_read_file(&b, path, 16 << 20);

	if (err < 0) {
		lg_buf_release(&b);
		return lg_error_set(LG_ECONFIG, "cannot read configuration: %s", lg_error_last());
	}
	err = lg_config_parse(cfg, b.ptr, b.len, path);
	lg_buf_release(&b);
	return err;
}

/*
 * Dump: every key, in the order of SPEC's example, strings double-quoted so
 * any text reads back the same; lg_config_parse() accepts the output.
 */

static void dump_indent(struct lg_buf *b, int indent)
{
	int i;

	for (i = 0; i < indent; i++)
		lg_buf_putc(b, ' ');
}

/* A mapping key, after its indentation. YAML allows an implicit key of at
 * most 1024 characters, so a longer one is written as an explicit key:
 * "? KEY", then ":" on the next line at the same indentation. */
static void dump_key(struct lg_buf *b, int indent, const char *key)
{
	struct lg_buf q = LG_BUF_INIT;

	lg_buf_init(&q);
	yaml_quote_str(&q, key);
	if (q.len > 1000) {
		lg_buf_puts(b, "? ");
		lg_buf_put(b, q.ptr, q.len);
		lg_buf_putc(b, '\n');
		dump_indent(b, indent);
	} else {
		lg_buf_put(b, q.ptr, q.len);
	}
	lg_buf_putc(b, ':');
	lg_buf_release(&q);
}

static void dump_strlist(struct lg_buf *b, int indent, const char *key, const struct lg_strlist *l)
{
	size_t i;

	dump_indent(b, indent);
	lg_buf_printf(b, "%s:", key);
	if (!l->n) {
		lg_buf_puts(b, " []\n");
		return;
	}
	lg_buf_putc(b, '\n');
	for (i = 0; i < l->n; i++) {
		dump_indent(b, indent + 2);
		lg_buf_puts(b, "- ");
		yaml_quote_str(b, l->v[i]);
		lg_buf_putc(b, '\n');
	}
}

static void dump_string(struct lg_buf *b, int indent, const char *key, const char *value)
{
	dump_indent(b, indent);
	lg_buf_printf(b, "%s: ", key);
	yaml_quote_str(b, value);
	lg_buf_putc(b, '\n');
}

static void dump_long(struct lg_buf *b, int indent, const char *key, long value)
{
	dump_indent(b, indent);
	lg_buf_printf(b, "%s: %ld\n", key, value);
}

/* Writes v after "key:" or "-"; nested lines are indented by indent. */
static void dump_value(struct lg_buf *b, const struct lg_value *v, int indent)
{
	size_t i;

	switch (v->type) {
	case LG_VALUE_NULL:
		lg_buf_puts(b, " null\n");
		return;
	case LG_VALUE_BOOL:
		lg_buf_puts(b, v->b ? " true\n" : " false\n");
		return;
	case LG_VALUE_INT:
		lg_buf_printf(b, " %lld\n", v->i);
		return;
	case LG_VALUE_STRING:
		lg_buf_putc(b, ' ');
		yaml_quote_str(b, v->s);
		lg_buf_putc(b, '\n');
		return;
	case LG_VALUE_SEQ:
	case LG_VALUE_MAP:
		break;
	}
	if (!v->nitems) {
		lg_buf_puts(b, v->type == LG_VALUE_MAP ? " {}\n" : " []\n");
		return;
	}
	lg_buf_putc(b, '\n');
	for (i = 0; i < v->nitems; i++) {
		dump_indent(b, indent);
		if (v->type == LG_VALUE_MAP) {
			dump_key(b, indent, v->keys[i]);
		} else {
			lg_buf_putc(b, '-');
		}
		dump_value(b, &v->items[i], indent + 2);
	}
}

static void dump_member(struct lg_buf *b, const struct lg_team_member *t)
{
	const char *names[] = { "user", "email", "principal" };
	const char *vals[] = { t->user, t->email, t->principal };
	bool first = true;
	size_t i;

	if (t->user && t->email && t->principal && !strcmp(t->user, t->email) && !strcmp(t->user, t->principal)) {
		lg_buf_puts(b, "    - ");
		yaml_quote_str(b, t->user);
		lg_buf_putc(b, '\n');
		return;
	}
	for (i = 0; i < LG_ARRAY_SIZE(names); i++) {
		if (!vals[i])
			continue;
		lg_buf_puts(b, first ? "    - " : "      ");
		lg_buf_printf(b, "%s: ", names[i]);
		yaml_quote_str(b, vals[i]);
		lg_buf_putc(b, '\n');
		first = false;
	}
	if (first)
		lg_buf_puts(b, "    - {}\n");
}

void lg_config_dump_buf(const struct lg_config *cfg, struct lg_buf *b)
{
	static const char *const scopes[] = { "commit", "push" };
	static const char *const on_error[] = { "reject", "accept" };
	size_t i;

	lg_buf_puts(b, "# source: ");
	yaml_quote_str(b, cfg->source);
	lg_buf_putc(b, '\n');
	dump_string(b, 0, "mode", lg_mode_name(cfg->mode));
	dump_string(b, 0, "scope", scopes[cfg->scope == LG_SCOPE_PUSH]);
	lg_buf_puts(b, cfg->npolicies ? "policies:\n" : "policies: []\n");
	for (i = 0; i < cfg->npolicies; i++) {
		const struct lg_policy_ref *r = &cfg->policies[i];

		if (!r->has_mode) {
			lg_buf_puts(b, "  - ");
			yaml_quote_str(b, r->path);
			lg_buf_putc(b, '\n');
			continue;
		}
		lg_buf_puts(b, "  - path: ");
		yaml_quote_str(b, r->path);
		lg_buf_printf(b, "\n    mode: \"%s\"\n", lg_mode_name(r->mode));
	}
	lg_buf_puts(b, cfg->nrules ? "rules:\n" : "rules: {}\n");
	for (i = 0; i < cfg->nrules; i++) {
		size_t s = cfg->rules[i].setting;

		lg_buf_puts(b, "  ");
		dump_key(b, 2, cfg->rules[i].id);
		lg_buf_printf(b, " \"%s\"\n", s < LG_ARRAY_SIZE(rule_names) ? rule_names[s] : "error");
	}
	lg_buf_puts(b, "params:");
	if (cfg->params.type == LG_VALUE_MAP)
		dump_value(b, &cfg->params, 2);
	else
		lg_buf_puts(b, " {}\n");
	lg_buf_puts(b, "refs:\n");
	dump_strlist(b, 2, "include", &cfg->refs_include);
	dump_strlist(b, 2, "exclude", &cfg->refs_exclude);
	dump_strlist(b, 2, "deny_delete", &cfg->refs_deny_delete);
	lg_buf_puts(b, "paths:\n");
	dump_strlist(b, 2, "exclude", &cfg->paths_exclude);
	lg_buf_puts(b, "trailers:\n");
	dump_string(b, 2, "issue", cfg->trailers.issue);
	dump_string(b, 2, "owner", cfg->trailers.owner);
	dump_string(b, 2, "remove_by", cfg->trailers.remove_by);
	dump_string(b, 2, "signoff", cfg->trailers.signoff);
	dump_string(b, 0, "issue_pattern", cfg->issue_pattern);
	dump_strlist(b, 0, "owners", &cfg->owners);
	lg_buf_puts(b, "signoff:\n");
	lg_buf_puts(b, cfg->signoff.nteam ? "  team:\n" : "  team: []\n");
	for (i = 0; i < cfg->signoff.nteam; i++)
		dump_member(b, &cfg->signoff.team[i]);
	dump_string(b, 2, "verify", lg_verify_name(cfg->signoff.verify));
	dump_string(b, 2, "allowed_signers", cfg->signoff.allowed_signers);
	lg_buf_puts(b, "pusher:\n");
	dump_strlist(b, 2, "from", &cfg->pusher_from);
	lg_buf_puts(b, "removal:\n");
	dump_long(b, 2, "max_days", cfg->removal_max_days);
	dump_strlist(b, 0, "go_source", &cfg->go_source);
	lg_buf_puts(b, "limits:\n");
	dump_long(b, 2, "timeout_ms", cfg->limits.timeout_ms);
	dump_long(b, 2, "lua_memory_mb", cfg->limits.lua_memory_mb);
	dump_long(b, 2, "lua_instructions", cfg->limits.lua_instructions);
	dump_long(b, 2, "max_commits", cfg->limits.max_commits);
	dump_long(b, 2, "max_blob_mb", cfg->limits.max_blob_mb);
	dump_long(b, 2, "max_findings", cfg->limits.max_findings);
	dump_long(b, 2, "max_output_lines", cfg->limits.max_output_lines);
	dump_string(b, 0, "on_error", on_error[cfg->on_error == LG_ON_ERROR_ACCEPT]);
	lg_buf_puts(b, "bypass:\n");
	dump_string(b, 2, "push_option", cfg->bypass.push_option);
	dump_strlist(b, 2, "allowed", &cfg->bypass.allowed);
	lg_buf_puts(b, "audit:\n");
	dump_string(b, 2, "log", cfg->audit.log);
	lg_buf_printf(b, "  syslog: %s\n", cfg->audit.syslog ? "true" : "false");
	dump_string(b, 2, "metrics", cfg->audit.metrics);
	dump_string(b, 0, "help_url", cfg->help_url);
}

void lg_config_dump(const struct lg_config *cfg, FILE *out)
{
	struct lg_buf b = LG_BUF_INIT;

	lg_buf_init(&b);
	lg_config_dump_buf(cfg, &b);
	fwrite(b.ptr, 1, b.len, out);
	lg_buf_release(&b);
}
