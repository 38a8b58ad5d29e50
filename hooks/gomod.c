/* gomod.c — go.mod and vendor/modules.txt (see gomod.h). */
#include "linkgate/gomod.h"

int lg_go_minor(const char *s, size_t n, bool go_prefix)
{
	size_t i;
	long v = 0;

	if (go_prefix) {
		if (n < 2 || memcmp(s, "go", 2))
			return -1;
		s += 2;
		n -= 2;
	}
	if (n < 3 || memcmp(s, "1.", 2))
		return -1;
	for (i = 2; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		if ((v = v * 10 + (s[i] - '0')) > 1000000)
			return -1;
	if (i == 2 || (i > 3 && s[2] == '0'))
		return -1;
	/* What may follow: a patch (.N) or a pre-release (rcN, betaN). */
	if (i < n && s[i] != '.' && !(n - i >= 2 && !memcmp(s + i, "rc", 2)) &&
	    !(n - i >= 4 && !memcmp(s + i, "beta", 4)))
		return -1;
	return (int)v;
}

/* The next field of a go.mod line (space separated, a quoted string is one
 * field); returns false at the end. */
static bool next_field(const char **p, const char *end, const char **f, size_t *flen)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	if (s >= end || (end - s >= 2 && s[0] == '/' && s[1] == '/'))
		return false;
	*f = s;
	if (*s == '"' || *s == '`') {
		char q = *s++;

		while (s < end && *s != q) {
			if (q == '"' && *s == '\\' && s + 1 < end)
				s++;
			s++;
		}
		if (s < end)
			s++;
	} else {
		while (s < end && *s != ' ' && *s != '\t' && *s != '\r')
			s++;
	}
	*flen = (size_t)(s - *f);
	*p = s;
	return true;
}

static void set_error(struct lg_gomod *m, const char *msg, unsigned line)
{
	if (!m->error)
		m->error = line ? lg_xasprintf("line %u: %s", line, msg) : lg_xstrdup(msg);
}

void lg_gomod_parse(struct lg_gomod *out, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	bool in_block = false;

	memset(out, 0, sizeof(*out));
	out->go = out->toolchain = -1;
	if (!buf)
		p = end = NULL;
	if (buf && memchr(buf, '\0', len))
		set_error(out, "go.mod holds a NUL byte", 0);
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *f[3];
		size_t fl[3], nf = 0;
		const char *q = p;

		line++;
		while (nf < 3 && next_field(&q, le, &f[nf], &fl[nf]))
			nf++;
		p = nl ? nl + 1 : end;
		if (!nf)
			continue;
		if (in_block) {
			if (fl[0] == 1 && f[0][0] == ')')
				in_block = false;
			continue;
		}
		if (nf >= 2 && fl[nf - 1] == 1 && f[nf - 1][0] == '(') {
			in_block = true;
			continue;
		}
		if (fl[0] == 6 && !memcmp(f[0], "module", 6)) {
			const char *v = nf >= 2 ? f[1] : NULL;
			size_t vl = nf >= 2 ? fl[1] : 0;

			if (v && vl >= 2 && (v[0] == '"' || v[0] == '`') && v[vl - 1] == v[0]) {
				v++;
				vl -= 2;
			}
			if (!v || !vl || nf > 2 || memchr(v, '\\', vl) || memchr(v, '\0', vl)) {
				set_error(out, "malformed module line", line);
				continue;
			}
			if (out->module) {
				set_error(out, "repeated module line", line);
				continue;
			}
			out->module = lg_xstrndup(v, vl);
		} else if (fl[0] == 2 && !memcmp(f[0], "go", 2)) {
			int minor = nf == 2 ? lg_go_minor(f[1], fl[1], false) : -1;

			if (minor < 0)
				set_error(out, "invalid go version", line);
			else
				out->go = minor;
		} else if (fl[0] == 9 && !memcmp(f[0], "toolchain", 9)) {
			int minor = nf == 2 ? lg_go_minor(f[1], fl[1], true) : -1;

			/* "toolchain default" names no release. */
			if (minor >= 0)
				out->toolchain = minor;
			else if (!(nf == 2 && fl[1] == 7 && !memcmp(f[1], "default", 7)))
				set_error(out, "invalid toolchain", line);
		}
	}
	if (!out->module)
		set_error(out, "no module line", 0);
}

void lg_gomod_release(struct lg_gomod *m)
{
	free(m->module);
	free(m->error);
	memset(m, 0, sizeof(*m));
	m->go = m->toolchain = -1;
}

static bool path_prefix(const char *mod, size_t n, const char *pkg)
{
	return n && !strncmp(pkg, mod, n) && (pkg[n] == '\0' || pkg[n] == '/');
}

char *lg_modules_txt_module(const char *buf, size_t len, const char *pkg)
{
	const char *p = buf, *end = buf + len, *cur = NULL, *best = NULL;
	size_t cur_len = 0, best_len = 0, plen = strlen(pkg);

	if (!buf)
		return NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t n = (size_t)(le - p);

		if (n && p[n - 1] == '\r')
			n--;
		if (n > 2 && p[0] == '#' && p[1] == ' ') {
			/* "# module version [=> replacement]" */
			cur = p + 2;
			for (cur_len = 0; cur + cur_len < p + n && cur[cur_len] != ' '; cur_len++)
				;
			if (path_prefix(cur, cur_len, pkg) && cur_len > best_len) {
				best = cur;
				best_len = cur_len;
			}
		} else if (n && p[0] != '#' && cur && n == plen && !memcmp(p, pkg, n)) {
			return lg_xstrndup(cur, cur_len);
		}
		p = nl ? nl + 1 : end;
	}
	return best ? lg_xstrndup(best, best_len) : NULL;
}
