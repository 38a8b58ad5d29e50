/* test-gofacts.c — file facts, build constraints and rationale blocks from
 * the fixtures in tests/data/go (format: tests/data/go/README), plus the
 * inputs a text fixture cannot hold and target splitting. */
#include "linkgate/buf.h"
#include "linkgate/gofacts.h"
#include "tap.h"

#include <dirent.h>

static const char *const rationale_fields[] = {
	"why", "measured_gain", "target_source", "removed_when", "owner",
};

static const char *rationale_field(const struct lg_rationale *r, size_t i)
{
	const char *v[] = { r->why, r->measured_gain, r->target_source, r->removed_when, r->owner };

	return v[i];
}

/* "-" is NULL. */
static const char *value(const char *s)
{
	return strcmp(s, "-") ? s : NULL;
}

/* Splits off the next space-separated word of *s (modified in place). */
static char *word(char **s)
{
	char *w = *s, *sp;

	if (!w)
		return NULL;
	sp = strchr(w, ' ');
	if (sp) {
		*sp = '\0';
		*s = sp + 1;
	} else {
		*s = NULL;
	}
	return w;
}

struct expect {
	bool has_package, has_imports, has_build_expr, has_misplaced, has_lines;
	char *package;
	long imports_unsafe;
	char *build_expr;
	long build_misplaced, build_legacy, build_lines;
	size_t ndirectives, nrationales;
};

static bool check_directive(const char *name, const struct lg_gofile *g, size_t i, char *rest)
{
	char *line = word(&rest), *local = word(&rest), *target = word(&rest), *rat = word(&rest);
	const struct lg_directive *d;
	bool ok = true;

	if (!rat) {
		tap_ok(false, "%s: directive line %zu of the expectation is incomplete", name, i);
		return false;
	}
	if (i >= g->ndirectives)
		return true; /* counted at the end */
	d = &g->directives[i];
	ok &= tap_is_int(d->line, strtol(line, NULL, 10), "%s: directive %zu line", name, i);
	ok &= tap_is_str(d->localname, value(local), "%s: directive %zu localname", name, i);
	ok &= tap_is_str(d->target, value(target), "%s: directive %zu target", name, i);
	ok &= tap_is_int(d->rationale == LG_NO_RATIONALE ? -1 : (long long)d->rationale,
			 value(rat) ? strtol(rat, NULL, 10) : -1, "%s: directive %zu rationale", name, i);
	ok &= tap_is_str(d->malformed, rest, "%s: directive %zu malformed", name, i);
	return ok;
}

static void check_rationale_fields(const char *name, const struct lg_gofile *g, size_t i, char **want)
{
	size_t f;

	if (i >= g->nrationales)
		return;
	for (f = 0; f < LG_ARRAY_SIZE(rationale_fields); f++)
		tap_is_str(rationale_field(&g->rationales[i], f), want[f], "%s: rationale %zu %s", name, i,
			   rationale_fields[f]);
}

static void check_file(const char *dir, const char *name)
{
	struct lg_buf src = LG_BUF_INIT, exp = LG_BUF_INIT;
	struct expect e;
	struct lg_gofile g;
	char *path, *line, *next, *want[5] = { NULL };
	size_t f;
	bool in_rationale = false;

	memset(&e, 0, sizeof(e));
	path = lg_xasprintf("%s/%s.go", dir, name);
	if (!tap_ok(lg_buf_read_file(&src, path, 0) == 0, "%s: read %s", name, path))
		goto done;
	free(path);
	path = lg_xasprintf("%s/%s.expect", dir, name);
	if (!tap_ok(lg_buf_read_file(&exp, path, 0) == 0, "%s: read %s", name, path))
		goto done;

	lg_gofile_analyze(&g, src.ptr, src.len);
	for (line = exp.ptr; line && *line; line = next) {
		char *rest, *key;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!*line || *line == '#')
			continue;
		rest = line;
		key = word(&rest);
		if (!rest)
			rest = key + strlen(key); /* a key alone: the empty string */
		if (!strcmp(key, "package")) {
			e.has_package = true;
			tap_is_str(g.facts.package, value(rest), "%s: package", name);
		} else if (!strcmp(key, "imports_unsafe")) {
			e.has_imports = true;
			tap_is_int(g.facts.imports_unsafe, strtol(rest, NULL, 10), "%s: imports_unsafe", name);
		} else if (!strcmp(key, "build_expr")) {
			e.has_build_expr = true;
			e.build_expr = value(rest) ? rest : NULL;
			tap_is_str(g.facts.build_expr, e.build_expr, "%s: build_expr", name);
		} else if (!strcmp(key, "build_misplaced")) {
			e.has_misplaced = true;
			tap_is_int(g.facts.build_misplaced, strtol(rest, NULL, 10), "%s: build_misplaced", name);
		} else if (!strcmp(key, "build_legacy")) {
			e.build_legacy = strtol(rest, NULL, 10);
		} else if (!strcmp(key, "build_lines")) {
			e.has_lines = true;
			e.build_lines = strtol(rest, NULL, 10);
		} else if (!strcmp(key, "directive")) {
			check_directive(name, &g, e.ndirectives++, rest);
		} else if (!strcmp(key, "rationale")) {
			if (in_rationale)
				check_rationale_fields(name, &g, e.nrationales - 1, want);
			memset(want, 0, sizeof(want));
			in_rationale = true;
			if (e.nrationales < g.nrationales)
				tap_ok(g.rationales[e.nrationales].present &&
				       g.rationales[e.nrationales].line == (unsigned)strtoul(rest, NULL, 10),
				       "%s: rationale %zu at line %s", name, e.nrationales, rest);
			e.nrationales++;
		} else {
			for (f = 0; f < LG_ARRAY_SIZE(rationale_fields); f++)
				if (!strcmp(key, rationale_fields[f]))
					break;
			if (!tap_ok(f < LG_ARRAY_SIZE(rationale_fields) && in_rationale, "%s: known key '%s'", name,
				    key))
				continue;
			want[f] = value(rest) ? rest : NULL;
		}
	}
	if (in_rationale)
		check_rationale_fields(name, &g, e.nrationales - 1, want);

	tap_ok(e.has_package && e.has_imports && e.has_build_expr && e.has_misplaced,
	       "%s: the expectation names every required fact", name);
	tap_is_int(g.build_legacy, e.build_legacy, "%s: build_legacy", name);
	if (!e.has_lines)
		e.build_lines = e.build_expr && !e.build_legacy ? 1 : 0;
	tap_is_int(g.build_lines, e.build_lines, "%s: build_lines", name);
	tap_is_int((long long)g.ndirectives, (long long)e.ndirectives, "%s: directive count", name);
	tap_is_int((long long)g.nrationales, (long long)e.nrationales, "%s: rationale count", name);
	tap_ok(!g.facts.is_test, "%s: is_test left false", name);
	lg_gofile_release(&g);
done:
	free(path);
	lg_buf_release(&src);
	lg_buf_release(&exp);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_fixtures(void)
{
	const char *srcdir = getenv("LG_SRCDIR");
	char *dir = lg_xasprintf("%s/tests/data/go", srcdir && *srcdir ? srcdir : "..");
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!tap_ok(d != NULL, "open %s", dir)) {
		free(dir);
		return;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len > 3 && !strcmp(de->d_name + len - 3, ".go")) {
			names = lg_xgrow(names, sizeof(*names), n + 1, &alloc);
			names[n++] = lg_xstrndup(de->d_name, len - 3);
		}
	}
	closedir(d);
	/* A broken path must not pass as "nothing to check". */
	tap_ok(n >= 40, "found %zu fixtures", n);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		check_file(dir, names[i]);
		free(names[i]);
	}
	free(names);
	free(dir);
}

static void analyze(struct lg_gofile *g, const char *src, size_t len)
{
	tap_is_int(lg_gofile_analyze(g, src, len), 0, "analyze returns 0");
}

#define SRC(s) s, sizeof(s) - 1

/* Bytes a text fixture cannot keep reliably. */
static void test_inline(void)
{
	struct lg_gofile g;

	analyze(&g, SRC("\xef\xbb\xbf//go:build linux\n\npackage p\n\nimport _ \"unsafe\"\n"));
	tap_ok(g.facts.build_expr && !strcmp(g.facts.build_expr, "linux") && !g.facts.build_misplaced,
	       "BOM before the header");
	tap_ok(g.facts.package && !strcmp(g.facts.package, "p") && g.facts.imports_unsafe == 1,
	       "BOM: package and import");
	lg_gofile_release(&g);

	analyze(&g, SRC("// +build linux\r\n\r\npackage p\r\n\r\nimport \"unsafe\"\r\n"));
	tap_is_str(g.facts.build_expr, "linux", "CRLF: a +build line then a blank CRLF line");
	tap_ok(g.build_legacy && g.facts.imports_unsafe == 1, "CRLF: legacy, unsafe imported");
	lg_gofile_release(&g);

	analyze(&g, SRC("//go:build go1.21 && !go1.23\r\n\r\npackage p\r\n"
			"// linkname rationale:\r\n// why: crlf\r\n//   more\r\n// owner: o\r\n"
			"//go:linkname a runtime.a\r\n"));
	tap_is_str(g.facts.build_expr, "go1.21 && !go1.23", "CRLF: //go:build without the CR");
	tap_ok(g.nrationales == 1 && g.ndirectives == 1 && g.directives[0].rationale == 0 &&
	       g.rationales[0].line == 4, "CRLF: the rationale block serves the directive");
	if (g.nrationales == 1) {
		tap_is_str(g.rationales[0].why, "crlf more", "CRLF: continued field without CRs");
		tap_is_str(g.rationales[0].owner, "o", "CRLF: owner without the CR");
	}
	lg_gofile_release(&g);

	analyze(&g, SRC("package p\n\nimport _ `uns\rafe`\n"));
	tap_is_int(g.facts.imports_unsafe, 1, "CR inside a raw string path is dropped");
	lg_gofile_release(&g);

	analyze(&g, SRC("package p\n\nimport \"unsafe\\x00\"\n\x00//go:linkname a b\n"));
	tap_ok(g.facts.imports_unsafe == 0 && g.ndirectives == 1, "NUL bytes in a path and before a directive");
	lg_gofile_release(&g);

	analyze(&g, SRC("\x00package p"));
	tap_ok(g.facts.package && g.facts.imports_unsafe == 0, "NUL before the package clause is skipped");
	lg_gofile_release(&g);

	analyze(&g, "", 0);
	tap_ok(!g.facts.package && g.facts.imports_unsafe == -1 && !g.facts.build_expr && !g.ndirectives &&
	       !g.nrationales, "empty file");
	lg_gofile_release(&g);

	analyze(&g, NULL, 0);
	tap_ok(!g.facts.package && g.facts.imports_unsafe == -1, "NULL buffer");
	lg_gofile_release(&g);
	lg_gofile_release(NULL);

	analyze(&g, SRC("package p\nimport \"\\uD800\"\n"));
	tap_is_int(g.facts.imports_unsafe, -1, "a surrogate escape is a broken literal");
	lg_gofile_release(&g);

	analyze(&g, SRC("package p\nimport \"\\400\"\n"));
	tap_is_int(g.facts.imports_unsafe, -1, "an octal escape above 255 is a broken literal");
	lg_gofile_release(&g);

	analyze(&g, SRC("package p\nimport \"\\U00000075nsaf\\x65\"\n"));
	tap_is_int(g.facts.imports_unsafe, 1, "\\U and \\x escapes spell unsafe");
	lg_gofile_release(&g);

	analyze(&g, SRC("package p\nimport \"\\u00e9\"\nimport \"unsafe\\\"\"\n"));
	tap_is_int(g.facts.imports_unsafe, 0, "a non-ASCII escape and an escaped quote");
	lg_gofile_release(&g);
}

static char *repeat(const char *head, const char *unit, size_t times, size_t *len_out)
{
	size_t hl = strlen(head), ul = strlen(unit), i;
	char *p = lg_xmalloc(hl + ul * times + 1);

	memcpy(p, head, hl);
	for (i = 0; i < times; i++)
		memcpy(p + hl + i * ul, unit, ul);
	p[hl + ul * times] = '\0';
	*len_out = hl + ul * times;
	return p;
}

static void test_hostile(void)
{
	struct lg_gofile g;
	size_t len, i;
	char *p;

	p = repeat("package p\n", "/* ", 1000000, &len);
	analyze(&g, p, len);
	tap_ok(g.facts.package && g.facts.imports_unsafe == 0 && !g.ndirectives, "a million /* after the package");
	lg_gofile_release(&g);
	free(p);

	p = repeat("", "/* ", 1000000, &len);
	analyze(&g, p, len);
	tap_ok(!g.facts.package && g.facts.imports_unsafe == -1 && !g.facts.build_expr,
	       "a million /* before the package: unknown");
	lg_gofile_release(&g);
	free(p);

	p = repeat("package p\nimport (\n", "\"", 10 * 1024 * 1024, &len);
	analyze(&g, p, len);
	tap_ok(g.facts.imports_unsafe == 0 || g.facts.imports_unsafe == -1, "a 10 MB line of quotes in imports");
	lg_gofile_release(&g);
	free(p);

	p = repeat("", "// +build a\n", 200000, &len);
	analyze(&g, p, len);
	tap_ok(!g.facts.build_expr, "200000 +build lines without a blank line after them");
	lg_gofile_release(&g);
	free(p);

	p = repeat("", "//go:build a\n", 200000, &len);
	analyze(&g, p, len);
	tap_ok(g.build_lines == 200000 && g.facts.build_expr && !strcmp(g.facts.build_expr, "a"),
	       "200000 //go:build lines");
	lg_gofile_release(&g);
	free(p);

	p = repeat("package p\n", "// linkname rationale:\n// why: x\n//go:linkname a b\n", 100000, &len);
	analyze(&g, p, len);
	tap_ok(g.ndirectives == 100000 && g.nrationales == 100000 && g.directives[99999].rationale == 99999,
	       "100000 blocks, each serving its directive");
	lg_gofile_release(&g);
	free(p);

	p = repeat("package p\n// linkname rationale:\n", "// why: x\n", 200000, &len);
	analyze(&g, p, len);
	tap_ok(g.nrationales == 1 && g.rationales[0].why && strlen(g.rationales[0].why) == 200000 * 2 - 1,
	       "a 200000-line why field");
	lg_gofile_release(&g);
	free(p);

	p = repeat("// +build ", "a,", 1000, &len);
	memcpy(p + len - 1, "\n\n", 2); /* replaces the last comma; one byte past the end is the NUL */
	analyze(&g, p, len + 1);
	tap_ok(!g.facts.build_expr, "a +build line with more than 100 operators is skipped");
	lg_gofile_release(&g);
	free(p);

	p = repeat("// +build ", "a,", 50, &len);
	p[len - 1] = '\n';
	{
		char *q = lg_xasprintf("%s\npackage p\n", p);

		analyze(&g, q, strlen(q));
		tap_ok(g.facts.build_expr && strlen(g.facts.build_expr) == 50 + 49 * 4,
		       "a +build line with 49 operators is kept");
		lg_gofile_release(&g);
		free(q);
	}
	free(p);

	/* Random bytes must never crash or trip a sanitizer. */
	{
		static const char alphabet[] = "/*\"'`\\\n\r\t ;()._ukpgib:+!,\xc2\xa0\0";
		uint32_t seed = 99;
		char src[300];
		int round;

		for (round = 0; round < 5000; round++) {
			size_t n;

			seed = seed * 1103515245u + 12345u;
			n = (seed >> 16) % sizeof(src);
			for (i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				src[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
			}
			lg_gofile_analyze(&g, src, n);
			lg_gofile_release(&g);
		}
		tap_ok(true, "5000 random inputs analysed");
	}
}

static void test_split(void)
{
	static const struct {
		const char *target, *pkg, *sym;
	} t[] = {
		{ "runtime.fastrand", "runtime", "fastrand" },
		{ "reflect.(*rtype).String", "reflect", "(*rtype).String" },
		{ "runtime..init_task", "runtime", ".init_task" },
		{ "github.com/a/b.c.F", "github.com/a/b", "c.F" },
		{ "github.com/x/y.T.M", "github.com/x/y", "T.M" },
		{ "internal/runtime/atomic.Load", "internal/runtime/atomic", "Load" },
		{ "sync/atomic.(*Pointer[go.shape.int]).Load", "sync/atomic", "(*Pointer[go.shape.int]).Load" },
		{ "example.com/a.F[example.com/b.T]", "example.com/a", "F[example.com/b.T]" },
		{ "example.com/a.(*T[example.com/b.U]).M", "example.com/a", "(*T[example.com/b.U]).M" },
		{ "gopkg.in/yaml%2ev3.Marshal", "gopkg.in/yaml%2ev3", "Marshal" },
		{ "main.main", "main", "main" },
		{ "x.", "x", "" },
		{ "_cgo_init", NULL, NULL },
		{ "a/b", NULL, NULL },
		{ "github.com/x", NULL, NULL },
		{ "(*T).M", NULL, NULL },
		{ ".x", NULL, NULL },
		{ "", NULL, NULL },
	};
	char *pkg, *sym;
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(t); i++) {
		lg_linkname_split_target(t[i].target, &pkg, &sym);
		tap_is_str(pkg, t[i].pkg, "split '%s': package", t[i].target);
		tap_is_str(sym, t[i].sym, "split '%s': symbol", t[i].target);
		free(pkg);
		free(sym);
	}
	lg_linkname_split_target(NULL, &pkg, &sym);
	tap_ok(!pkg && !sym, "split NULL");
}

int main(void)
{
	test_fixtures();
	test_inline();
	test_hostile();
	test_split();
	return tap_done();
}
