/* push.c — parsing what git hands a hook (see push.h). */
#include "linkgate/push.h"
#include "linkgate/buf.h"
#include "linkgate/error.h"

void lg_push_init(struct lg_push *p)
{
	memset(p, 0, sizeof(*p));
}

void lg_push_release(struct lg_push *p)
{
	size_t i;

	for (i = 0; i < p->nupdates; i++)
		free(p->updates[i].ref);
	free(p->updates);
	free(p->pusher);
	for (i = 0; i < p->noptions; i++)
		free(p->options[i]);
	free(p->options);
	lg_push_init(p);
}

bool lg_oid_hex_valid(const char *hex, size_t len)
{
	size_t i;

	if (len != 40 && len != 64)
		return false;
	for (i = 0; i < len; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
			return false;
	return true;
}

bool lg_oid_hex_is_zero(const char *hex)
{
	for (; *hex; hex++)
		if (*hex != '0')
			return false;
	return true;
}

/*
 * git's check_refname_component() and check_refname_format() for a full
 * ref name: no component starts with '.' or ends with ".lock", no "..",
 * no control bytes, space, ~ ^ : ? * [ \ or DEL, no "@{", not "@", no
 * trailing '.' or '/', no empty component.
 */
bool lg_refname_valid(const char *ref)
{
	const char *comp = ref;
	const char *s;

	if (strncmp(ref, "refs/", 5) || !strcmp(ref, "@"))
		return false;
	for (s = ref;; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '/' || c == '\0') {
			size_t n = (size_t)(s - comp);

			if (n == 0 || comp[0] == '.')
				return false;
			if (n >= 5 && !memcmp(s - 5, ".lock", 5))
				return false;
			if (c == '\0')
				break;
			comp = s + 1;
			continue;
		}
		if (c < 0x20 || c == 0x7f || c == ' ' || c == '~' || c == '^' || c == ':' || c == '?' || c == '*' ||
		    c == '[' || c == '\\')
			return false;
		if (c == '.' && s[1] == '.')
			return false;
		if (c == '@' && s[1] == '{')
			return false;
	}
	return s[-1] != '.';
}

static int check_id(struct lg_push *p, const char *id, size_t len, const char *what, size_t lineno)
{
	if (!lg_oid_hex_valid(id, len)) {
		if (lineno)
			return lg_error_set(LG_EUSAGE, "malformed hook input line %zu: %s is not a 40- or 64-digit lowercase hex object id",
					    lineno, what);
		return lg_error_set(LG_EUSAGE, "malformed hook arguments: %s is not a 40- or 64-digit lowercase hex object id",
				    what);
	}
	if (p->hexsz && p->hexsz != len)
		return lg_error_set(LG_EUSAGE, "malformed hook input: object ids of different lengths in one push");
	p->hexsz = len;
	return 0;
}

static int add_update(struct lg_push *p, const char *ref, size_t reflen, const char *old_id, const char *new_id,
		      size_t idlen, size_t lineno)
{
	struct lg_ref_update *u;
	char *name;
	int err;

	if ((err = check_id(p, old_id, idlen, "the old id", lineno)) < 0 ||
	    (err = check_id(p, new_id, idlen, "the new id", lineno)) < 0)
		return err;
	name = lg_xstrndup(ref, reflen);
	if (strlen(name) != reflen || !lg_refname_valid(name)) {
		free(name);
		if (lineno)
			return lg_error_set(LG_EUSAGE, "malformed hook input line %zu: invalid ref name", lineno);
		return lg_error_set(LG_EUSAGE, "malformed hook arguments: invalid ref name");
	}
	p->updates = lg_xgrow(p->updates, sizeof(*p->updates), p->nupdates + 1, &p->alloc);
	u = &p->updates[p->nupdates++];
	memset(u, 0, sizeof(*u));
	memcpy(u->old_id, old_id, idlen);
	memcpy(u->new_id, new_id, idlen);
	u->ref = name;
	u->is_create = lg_oid_hex_is_zero(u->old_id);
	u->is_delete = lg_oid_hex_is_zero(u->new_id);
	return 0;
}

int lg_push_add_update(struct lg_push *p, const char *ref, const char *old_id, const char *new_id)
{
	size_t len = strlen(old_id);

	if (strlen(new_id) != len)
		return lg_error_set(LG_EUSAGE, "malformed hook arguments: old and new ids differ in length");
	return add_update(p, ref, strlen(ref), old_id, new_id, len, 0);
}

/* Splits one line into exactly nf single-space-separated fields. */
static bool split_fields(const char *line, size_t len, size_t nf, const char **f, size_t *flen)
{
	size_t i = 0, start = 0, k;

	for (k = 0; k < nf; k++) {
		if (k + 1 < nf) {
			const char *sp = memchr(line + start, ' ', len - start);

			if (!sp)
				return false;
			i = (size_t)(sp - line);
		} else {
			i = len;
		}
		f[k] = line + start;
		flen[k] = i - start;
		if (!flen[k])
			return false;
		start = i + 1;
	}
	return true;
}

static int parse_lines(struct lg_push *p, const char *buf, size_t len, bool prepush)
{
	size_t off = 0, lineno = 0;

	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - buf) : len;
		const char *line = buf + off;
		size_t llen = end - off;
		const char *f[4];
		size_t fl[4];
		int err;

		lineno++;
		off = nl ? end + 1 : len;
		if (!nl)
			return lg_error_set(LG_EUSAGE, "malformed hook input line %zu: missing newline at end of input", lineno);
		if (memchr(line, '\0', llen))
			return lg_error_set(LG_EUSAGE, "malformed hook input line %zu: NUL byte", lineno);
		if (!prepush) {
			if (!split_fields(line, llen, 3, f, fl) || memchr(f[2], ' ', fl[2]))
				return lg_error_set(LG_EUSAGE,
						    "malformed hook input line %zu: expected '<old-id> <new-id> <ref>'", lineno);
			if (fl[0] != fl[1])
				return lg_error_set(LG_EUSAGE, "malformed hook input line %zu: old and new ids differ in length",
						    lineno);
			err = add_update(p, f[2], fl[2], f[0], f[1], fl[0], lineno);
		} else {
			if (!split_fields(line, llen, 4, f, fl) || memchr(f[3], ' ', fl[3]))
				return lg_error_set(LG_EUSAGE,
						    "malformed pre-push input line %zu: expected '<local-ref> <local-id> <remote-ref> <remote-id>'",
						    lineno);
			if (fl[1] != fl[3])
				return lg_error_set(LG_EUSAGE, "malformed pre-push input line %zu: ids differ in length", lineno);
			err = add_update(p, f[2], fl[2], f[3], f[1], fl[1], lineno);
		}
		if (err < 0)
			return err;
	}
	return 0;
}

int lg_push_parse_lines(struct lg_push *p, const char *buf, size_t len)
{
	return parse_lines(p, buf, len, false);
}

int lg_push_parse_prepush(struct lg_push *p, const char *buf, size_t len)
{
	return parse_lines(p, buf, len, true);
}

/* Push options are free text from the pusher; bounded so a client cannot
 * make the hook hold megabytes of them. */
#define LG_MAX_PUSH_OPTIONS 100

int lg_push_read_options(struct lg_push *p)
{
	const char *count = getenv("GIT_PUSH_OPTION_COUNT");
	char *end = NULL;
	unsigned long n, i;

	if (!count || !*count)
		return 0;
	errno = 0;
	n = strtoul(count, &end, 10);
	if (errno || *end || n > LG_MAX_PUSH_OPTIONS)
		return lg_error_set(LG_EUSAGE, "GIT_PUSH_OPTION_COUNT is not a number up to %d", LG_MAX_PUSH_OPTIONS);
	p->options = lg_xcalloc(n + 1, sizeof(*p->options));
	for (i = 0; i < n; i++) {
		char name[64];
		const char *v;

		snprintf(name, sizeof(name), "GIT_PUSH_OPTION_%lu", i);
		v = getenv(name);
		p->options[p->noptions++] = lg_xstrdup(v ? v : "");
	}
	return 0;
}
