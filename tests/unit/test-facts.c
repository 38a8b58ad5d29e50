/*
 * test-facts.c — the tree facts and `linkgate scan`.
 *
 * Table-driven: build constraints over Go releases from
 * tests/data/build/go_versions.tsv, and repository fixtures from
 * tests/data/scan/CASE (format: tests/data/scan/README), each built into a
 * real repository, scanned, and compared with its expect.json; every
 * fixture's SARIF and JSON are parsed back and checked for structure.
 * Then the parts a fixture cannot show well (declaration shapes, go.mod and
 * modules.txt edge cases, type sizes) and the hostile inputs of the issue's
 * "Bad input" list, built in memory: none may crash, and the finding must
 * still be reported with the fact marked unknown.
 */
#include "linkgate/buf.h"
#include "linkgate/buildexpr.h"
#include "linkgate/ci.h"
#include "linkgate/config.h"
#include "linkgate/error.h"
#include "linkgate/godecl.h"
#include "linkgate/gomod.h"
#include "linkgate/inventory.h"
#include "linkgate/repo.h"
#include "linkgate/targetclass.h"
#include "linkgate/yamlx.h"
#include "tap.h"

#include <dirent.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

/* 2026-01-01T00:00:00Z: lg.now() for every scan here. */
#define NOW 1767225600

static char *srcpath(const char *rel)
{
	const char *srcdir = getenv("LG_SRCDIR");

	return lg_xasprintf("%s/%s", srcdir && *srcdir ? srcdir : "..", rel);
}

/* ---- build constraints ---- */

static void ranges_text(struct lg_buf *b, const struct lg_goranges *l)
{
	size_t i;

	if (!l->n)
		lg_buf_puts(b, "none");
	for (i = 0; i < l->n; i++) {
		if (i)
			lg_buf_putc(b, ',');
		if (l->v[i].lo == LG_GO_OPEN && l->v[i].hi == LG_GO_OPEN) {
			lg_buf_putc(b, '*');
			continue;
		}
		if (l->v[i].lo != LG_GO_OPEN)
			lg_buf_printf(b, "%d", l->v[i].lo);
		lg_buf_putc(b, '-');
		if (l->v[i].hi != LG_GO_OPEN)
			lg_buf_printf(b, "%d", l->v[i].hi);
	}
}

static void test_go_versions_table(void)
{
	char *path = srcpath("tests/data/build/go_versions.tsv");
	struct lg_buf file = LG_BUF_INIT, got = LG_BUF_INIT;
	char *line, *save = NULL;
	size_t n = 0;

	lg_buf_init(&got);
	if (lg_buf_read_file(&file, path, 1 << 20) < 0) {
		tap_ok(false, "read %s: %s", path, lg_error_last());
		free(path);
		return;
	}
	for (line = file.ptr; line && *line; line = save) {
		char *nl = strchr(line, '\n'), *f[3], *p = line;
		struct lg_goranges r = { NULL, 0, 0 };
		const char *expr;
		int k, err;

		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		if (!*line || *line == '#')
			continue;
		for (k = 0; k < 3; k++) {
			f[k] = p;
			p = k < 2 ? strchr(p, '\t') : NULL;
			if (k < 2 && !p)
				break;
			if (p)
				*p++ = '\0';
		}
		if (k < 3) {
			tap_ok(false, "malformed table line '%s'", line);
			continue;
		}
		expr = !strcmp(f[1], "-") ? NULL : !strcmp(f[1], "<empty>") ? "" : f[1];
		lg_buf_clear(&got);
		lg_error_clear();
		err = lg_build_go_versions(&r, expr, f[0]);
		if (err < 0)
			lg_buf_printf(&got, "error: %s", lg_error_last());
		else
			ranges_text(&got, &r);
		if (!strncmp(f[2], "error: ", 7))
			tap_ok(!strncmp(got.ptr, f[2], strlen(f[2])), "%s //go:build %s -> %s (got %s)", f[0], f[1], f[2], got.ptr);
		else
			tap_is_str(got.ptr, f[2], "%s //go:build %s", f[0], f[1]);
		lg_goranges_release(&r);
		n++;
	}
	tap_ok(n > 50, "the table has its cases (%zu)", n);
	lg_buf_release(&file);
	lg_buf_release(&got);
	free(path);
}

static void test_implicit(void)
{
	static const struct {
		const char *path, *want;
	} cases[] = {
		{ "a/x_linux.go", "linux" }, { "x_linux_amd64.go", "linux && amd64" }, { "x_amd64.go", "amd64" },
		{ "x_windows_test.go", "windows" }, { "x_linux_arm64_test.go", "linux && arm64" },
		{ "linux.go", NULL }, { "x_unix.go", NULL }, { "x_test.go", NULL }, { "x.go", NULL },
		{ "x_linux.pb.go", "linux" }, { "_linux.go", "linux" }, { "x_plan9_mips64p32le.go", "plan9 && mips64p32le" },
		{ "x_Linux.go", NULL }, { "x__linux.go", "linux" }, { "x_wasip1_wasm.go", "wasip1 && wasm" },
	};
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(cases); i++) {
		char *got = lg_build_implicit(cases[i].path);

		tap_is_str(got, cases[i].want, "implicit constraint of %s", cases[i].path);
		free(got);
	}
}

/* Gaps are per assignment of the other tags: a file for linux only does
 * not cover windows. */
static void test_matrix(void)
{
	struct lg_bconstraint c[] = { { "go1.21 && !go1.23", "a_linux.go" }, { "!go1.21 || go1.23", "b.go" } };
	struct lg_bmatrix m;
	struct lg_buf d = LG_BUF_INIT;
	size_t bad, a, k, gaps = 0;
	int min = 20;

	lg_buf_init(&d);
	tap_is_int(lg_bmatrix_eval(&m, &bad, c, 2, &min, 1), 0, "a pair of constraints evaluates");
	tap_is_int((long long)m.nassign, 2, "GOOS linux, and every other");
	tap_is_int((long long)m.nclass, 4, "classes: -19, 20, 21-22, 23-");
	for (a = 0; a < m.nassign; a++)
		for (k = 0; k < m.nclass; k++)
			gaps += !lg_bmatrix_get(&m, 0, a, k) && !lg_bmatrix_get(&m, 1, a, k);
	tap_is_int((long long)gaps, 1, "one gap: go1.21-go1.22 on another GOOS");
	lg_bmatrix_describe(&m, 1, &d);
	tap_is_str(d.ptr, "GOOS=another system", "the assignment is described");
	lg_bmatrix_release(&m);
	lg_buf_release(&d);
}

/* ---- declarations and shapes ---- */

static void test_godecl(void)
{
	static const char src[] =
		"package p\n"
		"import \"unsafe\"\n"
		"func a(x, y int, s string) (n int, err error) { return }\n"
		"func b(int, []byte, ...string) bool\n"
		"func (t *rtype) String() string { return \"\" }\n"
		"func (v Value) Len() int { return 0 }\n"
		"func g[T any](x T) T { return x }\n"
		"func c(f func(int) (bool, error), m map[string]int, ch <-chan int, p unsafe.Pointer) [4]int32\n"
		"var (\n\tv1, v2 int64\n\tv3 = 5\n\tv4 struct{ a, b int } = struct{ a, b int }{\n\t\t1, 2,\n\t}\n)\n"
		"var single *T\n"
		"func d(\n\tx int,\n\ty uintptr,\n) {\n\tfunc() {}()\n}\n"
		"type I interface { m(func()) }\n"
		"func e() interface{ M() } { return nil }\n"
		"func f() struct{} { return struct{}{} }\n";
	struct lg_godecls d = { NULL, 0, 0 };
	const struct lg_godecl *x;
	char *detail = NULL;

	lg_godecls_scan(&d, src, sizeof(src) - 1);
	x = lg_godecls_find(&d, "a");
	tap_ok(x && x->is_func && x->has_body && x->shape_known && x->nparams == 3 && x->nresults == 2,
	       "named parameters share their type");
	if (x && x->nparams == 3)
		tap_is_str(x->params[1], "int", "a: y is int");
	x = lg_godecls_find(&d, "b");
	tap_ok(x && !x->has_body && x->nparams == 3 && x->nresults == 1, "unnamed parameters, no body");
	if (x && x->nparams == 3)
		tap_is_str(x->params[2], "...string", "a variadic parameter");
	x = lg_godecls_find(&d, "(*rtype).String");
	tap_ok(x && x->nparams == 1 && !strcmp(x->params[0], "*rtype"), "a pointer method: its receiver is parameter 1");
	tap_ok(lg_godecls_find(&d, "Value.Len") != NULL, "a value method");
	x = lg_godecls_find(&d, "g");
	tap_ok(x && x->nparams == 1, "type parameters are skipped");
	x = lg_godecls_find(&d, "c");
	tap_ok(x && x->nparams == 4 && x->nresults == 1, "func, map, chan and unsafe.Pointer parameters");
	if (x && x->nparams == 4) {
		tap_is_str(x->params[0], "func(int)(bool,error)", "a func type is normalised");
		tap_is_str(x->params[2], "<-chan int", "a receive-only channel");
		tap_is_str(x->results[0], "[4]int32", "an array result");
	}
	x = lg_godecls_find(&d, "v2");
	tap_ok(x && !x->is_func && x->nparams == 1 && !strcmp(x->params[0], "int64"), "var v1, v2 int64");
	x = lg_godecls_find(&d, "v3");
	tap_ok(x && !x->shape_known, "var without a type: shape unknown");
	tap_ok(lg_godecls_find(&d, "v4") != NULL, "a multi-line value does not end the group");
	tap_ok(lg_godecls_find(&d, "single") != NULL, "var single");
	x = lg_godecls_find(&d, "d");
	tap_ok(x && x->nparams == 2 && x->has_body, "parameters across lines");
	tap_ok(lg_godecls_find(&d, "m") == NULL, "interface methods are not package level");
	x = lg_godecls_find(&d, "e");
	tap_ok(x && x->has_body && x->nresults == 1, "an interface{...} result is not the body");
	x = lg_godecls_find(&d, "f");
	tap_ok(x && x->has_body && x->nresults == 1 && !strcmp(x->results[0], "struct{}"), "a struct{} result");

	tap_is_int(lg_go_type_size("[4]int32"), 16, "size of [4]int32");
	tap_is_int(lg_go_type_size("unsafe.Pointer"), 8, "size of unsafe.Pointer");
	tap_is_int(lg_go_type_size("(string)"), 16, "size of (string)");
	tap_is_int(lg_go_type_size("[]byte"), 24, "size of []byte");
	tap_is_int(lg_go_type_size("Time"), -1, "a named type has no known size");
	tap_is_int(lg_go_type_size("[99999999999999999999]int"), -1, "an absurd array length is unknown");

	{
		struct lg_godecls l = { NULL, 0, 0 }, t = { NULL, 0, 0 };
		static const char ls[] = "package l\nfunc f(p unsafe.Pointer, n int32) (int64, bool)\n";
		static const char ts[] = "package t\nfunc (t *T) f(n int64) int64 { return 0 }\n";

		lg_godecls_scan(&l, ls, sizeof(ls) - 1);
		lg_godecls_scan(&t, ts, sizeof(ts) - 1);
		tap_is_int(lg_godecl_shape_cmp(lg_godecls_find(&l, "f"), lg_godecls_find(&t, "(*T).f"), &detail), 0,
			   "shapes differ");
		tap_is_str(detail, "parameter 2 is int32 (4 bytes), the target's is int64 (8 bytes); 2 results, the target has 1",
			   "every difference is named");
		free(detail);
		tap_is_int(lg_godecl_shape_cmp(NULL, lg_godecls_find(&t, "(*T).f"), &detail), -1, "no local: unknown");
		lg_godecls_release(&l);
		lg_godecls_release(&t);
	}
	lg_godecls_release(&d);
}

/* ---- go.mod, modules.txt, target classes ---- */

static void test_gomod(void)
{
	static const struct {
		const char *text, *module, *error;
		int go, toolchain;
	} cases[] = {
		{ "module example.com/m\n\ngo 1.21\n", "example.com/m", NULL, 21, -1 },
		{ "module \"example.com/q\" // c\ngo 1.22.3\ntoolchain go1.23.1\n", "example.com/q", NULL, 22, 23 },
		{ "module m\ngo 1.23rc1\ntoolchain default\n", "m", NULL, 23, -1 },
		{ "go 1.21\n", NULL, "no module line", 21, -1 },
		{ "module\n", NULL, "line 1: malformed module line", -1, -1 },
		{ "module a\nmodule b\n", "a", "line 2: repeated module line", -1, -1 },
		{ "module a\ngo one\n", "a", "line 2: invalid go version", -1, -1 },
		{ "module a\ngo 1.021\n", "a", "line 2: invalid go version", -1, -1 },
		{ "module a\nrequire (\n\tgo 1.99\n)\ngo 1.20\n", "a", NULL, 20, -1 },
		{ "module a\r\ngo 1.20\r\n", "a", NULL, 20, -1 },
		{ "", NULL, "no module line", -1, -1 },
	};
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(cases); i++) {
		struct lg_gomod m;

		lg_gomod_parse(&m, cases[i].text, strlen(cases[i].text));
		tap_is_str(m.module, cases[i].module, "go.mod %zu: module", i);
		tap_is_str(m.error, cases[i].error, "go.mod %zu: error", i);
		tap_is_int(m.go, cases[i].go, "go.mod %zu: go line", i);
		tap_is_int(m.toolchain, cases[i].toolchain, "go.mod %zu: toolchain", i);
		lg_gomod_release(&m);
	}
	{
		static const char txt[] = "# a.com/x v1\n## explicit\na.com/x\na.com/x/y\n# a.com/x/y/z v2\na.com/x/y/z\n"
					  "# b.com/r v1 => ./local\nb.com/r/s\n";
		static const struct {
			const char *pkg, *want;
		} m[] = {
			{ "a.com/x/y", "a.com/x" }, { "a.com/x/y/z", "a.com/x/y/z" }, { "b.com/r/s", "b.com/r" },
			{ "a.com/x/unlisted", "a.com/x" }, { "c.com/q", NULL }, { "a.com/xy", NULL },
		};

		for (i = 0; i < LG_ARRAY_SIZE(m); i++) {
			char *got = lg_modules_txt_module(txt, sizeof(txt) - 1, m[i].pkg);

			tap_is_str(got, m[i].want, "modules.txt attributes %s", m[i].pkg);
			free(got);
		}
	}
}

static void test_target_class(void)
{
	static const struct {
		const char *target, *module, *want;
	} cases[] = {
		{ NULL, NULL, "self" }, { "_cgo_init", NULL, "c-symbol" }, { "runtime.fastrand", NULL, "runtime" },
		{ "runtime..init_task", NULL, "runtime" }, { "internal/runtime/atomic.Load", NULL, "runtime" },
		{ "reflect.(*rtype).String", NULL, "std-internal" }, { "reflect.Value.String", NULL, "std-exported" },
		{ "reflect.Value.string", NULL, "std-internal" }, { "sync.(*Pool).Get", NULL, "std-exported" },
		{ "internal/abi.FuncPCABI0", NULL, "std-internal" }, { "crypto/internal/boring.Enabled", NULL, "std-internal" },
		{ "time.now", NULL, "std-internal" }, { "time.Now", NULL, "std-exported" },
		{ "net/newproto.Dial", NULL, "std-exported" }, { "net/newproto.Dial", "net", "same-module" },
		{ "example.com/m/x.F", "example.com/m", "same-module" }, { "example.com/m.F", "example.com/m", "same-module" },
		{ "example.com/mx.F", "example.com/m", "other-module" }, { "github.com/a/b.c.F", NULL, "other-module" },
		{ "mylib/x.F", NULL, "other-module" }, { "mylib/x.F", "mylib", "same-module" },
		{ "strings.Index[go.shape.int]", NULL, "std-exported" },
	};
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(cases); i++) {
		char *pkg = NULL, *sym = NULL;

		if (cases[i].target) {
			const char *t = cases[i].target;
			const char *end = t + strcspn(t, "(["), *slash = t, *dot;

			for (; t < end; t++)
				if (*t == '/')
					slash = t + 1;
			dot = memchr(slash, '.', (size_t)(end - slash));
			if (dot) {
				pkg = lg_xstrndup(cases[i].target, (size_t)(dot - cases[i].target));
				sym = lg_xstrdup(dot + 1);
			}
		}
		tap_is_str(lg_target_class(cases[i].target, pkg, sym, cases[i].module), cases[i].want, "class of %s",
			   cases[i].target ? cases[i].target : "(one-argument form)");
		free(pkg);
		free(sym);
	}
	tap_ok(lg_std_package_listed("internal/runtime/atomic") && lg_std_package_listed("runtime/internal/atomic") &&
	       lg_std_package_listed("iter") && !lg_std_package_listed("cmd/go"),
	       "the list has Go 1.23's and 1.22's packages, not cmd");
}

/* ---- repository fixtures ---- */

static int add_tree(git_repository *repo, const char *dir, git_oid *out)
{
	git_treebuilder *tb = NULL;
	DIR *d = opendir(dir);
	struct dirent *e;
	int err = 0;

	if (!d || git_treebuilder_new(&tb, repo, NULL) < 0) {
		if (d)
			closedir(d);
		return -1;
	}
	while (err == 0 && (e = readdir(d)) != NULL) {
		char *p;
		struct stat st;
		git_oid id;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		p = lg_xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) < 0) {
			err = -1;
		} else if (S_ISDIR(st.st_mode)) {
			err = add_tree(repo, p, &id);
			if (err == 0)
				err = git_treebuilder_insert(NULL, tb, e->d_name, &id, GIT_FILEMODE_TREE);
		} else {
			struct lg_buf b = LG_BUF_INIT;

			lg_buf_init(&b);
			err = lg_buf_read_file(&b, p, 64u << 20);
			if (err == 0)
				err = git_blob_create_from_buffer(&id, repo, b.ptr, b.len);
			if (err == 0)
				err = git_treebuilder_insert(NULL, tb, e->d_name, &id, GIT_FILEMODE_BLOB);
			lg_buf_release(&b);
		}
		free(p);
	}
	closedir(d);
	if (err == 0)
		err = git_treebuilder_write(out, tb);
	git_treebuilder_free(tb);
	return err;
}

/* A file of the in-memory trees of the hostile tests. */
struct mem_file {
	const char *path;
	const char *data;
	size_t len;
};

static int add_mem_tree(git_repository *repo, const struct mem_file *files, size_t n, const char *dir, git_oid *out)
{
	git_treebuilder *tb = NULL;
	size_t i, dl = dir ? strlen(dir) : 0;
	int err;

	if ((err = git_treebuilder_new(&tb, repo, NULL)) < 0)
		return err;
	for (i = 0; i < n && err == 0; i++) {
		const char *p = files[i].path, *slash;
		git_oid id;

		if (dir) {
			if (strncmp(p, dir, dl) || p[dl] != '/')
				continue;
			p += dl + 1;
		}
		slash = strchr(p, '/');
		if (slash) {
			char *sub = lg_xstrndup(files[i].path, (size_t)(slash - p) + (size_t)(p - files[i].path));
			const char *name = sub + (p - files[i].path);

			if (git_treebuilder_get(tb, name) == NULL) {
				err = add_mem_tree(repo, files, n, sub, &id);
				if (err == 0)
					err = git_treebuilder_insert(NULL, tb, name, &id, GIT_FILEMODE_TREE);
			}
			free(sub);
			continue;
		}
		err = git_blob_create_from_buffer(&id, repo, files[i].data, files[i].len);
		if (err == 0)
			err = git_treebuilder_insert(NULL, tb, p, &id, GIT_FILEMODE_BLOB);
	}
	if (err == 0)
		err = git_treebuilder_write(out, tb);
	git_treebuilder_free(tb);
	return err;
}

static int commit_tree(git_repository *repo, const git_oid *tree_id)
{
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_oid cid;
	int err;

	if ((err = git_signature_new(&sig, "A U Thor", "author@example.com", NOW, 0)) < 0 ||
	    (err = git_tree_lookup(&tree, repo, tree_id)) < 0)
		goto done;
	err = git_commit_create_v(&cid, repo, "HEAD", sig, sig, NULL, "fixture\n", tree, 0);
done:
	git_tree_free(tree);
	git_signature_free(sig);
	return err;
}

static char *tmp_root;

/* The string value of a JSON member, "" when it is not a string. */
static const char *jstr(const json_t *j)
{
	const char *v = json_string_value(j);

	return v ? v : "";
}

static git_repository *new_repo(const char *name)
{
	git_repository *repo = NULL;
	char *path = lg_xasprintf("%s/%s.git", tmp_root, name);

	if (git_repository_init(&repo, path, 1) < 0)
		tap_diag("cannot create %s: %s", path, git_error_last() ? git_error_last()->message : "?");
	free(path);
	return repo;
}

/* Whether got has everything want names (see tests/data/scan/README). */
static bool json_sub(const json_t *want, const json_t *got, struct lg_buf *at)
{
	size_t mark = at->len, i;
	const char *key;
	json_t *v;

	if (json_is_object(want)) {
		if (!json_is_object(got))
			return false;
		json_object_foreach((json_t *)want, key, v) {
			if (key[0] == '$')
				continue;
			lg_buf_printf(at, ".%s", key);
			if (!json_object_get(got, key) || !json_sub(v, json_object_get(got, key), at))
				return false;
			lg_buf_truncate(at, mark);
		}
		return true;
	}
	if (json_is_array(want)) {
		if (!json_is_array(got) || json_array_size(got) != json_array_size(want)) {
			lg_buf_puts(at, " (array length)");
			return false;
		}
		for (i = 0; i < json_array_size(want); i++) {
			lg_buf_printf(at, "[%zu]", i);
			if (!json_sub(json_array_get(want, i), json_array_get(got, i), at))
				return false;
			lg_buf_truncate(at, mark);
		}
		return true;
	}
	return json_equal((json_t *)want, (json_t *)got);
}

static const char *violation_status(const json_t *finding, const char *rule)
{
	json_t *vs = json_object_get(finding, "violations"), *v;
	size_t i;

	json_array_foreach(vs, i, v) {
		if (!strcmp(jstr(json_object_get(v, "rule")), rule))
			return json_string_value(json_object_get(v, "status"));
	}
	return NULL;
}

static void check_rules(const char *name, size_t idx, const json_t *want, const json_t *got)
{
	static const struct {
		const char *member, *status;
	} kinds[] = { { "$fails", "fail" }, { "$unknown", "unknown" }, { "$passes", NULL } };
	size_t k, i;
	json_t *r;

	for (k = 0; k < LG_ARRAY_SIZE(kinds); k++) {
		json_array_foreach(json_object_get(want, kinds[k].member), i, r) {
			const char *rule = json_string_value(r), *st = violation_status(got, rule ? rule : "");

			tap_is_str(st, kinds[k].status, "%s: finding %zu: %s %s", name, idx, rule ? rule : "?",
				   kinds[k].status ? kinds[k].status : "passes");
		}
	}
}

/* SARIF 2.1.0's required structure, as code-scanning upload checks it. */
static void check_sarif(const char *name, const char *text, size_t nviolations)
{
	json_error_t je;
	json_t *root = json_loads(text, 0, &je), *run, *rules, *results, *r;
	size_t i;
	bool ok = true;

	if (!tap_ok(root != NULL, "%s: SARIF parses back", name)) {
		tap_diag("%s", je.text);
		return;
	}
	run = json_array_get(json_object_get(root, "runs"), 0);
	rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	results = json_object_get(run, "results");
	ok &= !strcmp(jstr(json_object_get(root, "version")), "2.1.0");
	ok &= json_string_value(json_object_get(root, "$schema")) != NULL;
	ok &= json_array_size(json_object_get(root, "runs")) == 1;
	ok &= !strcmp(jstr(json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "name")),
		      "linkgate");
	ok &= json_is_array(rules) && json_is_array(results) && json_array_size(results) == nviolations;
	json_array_foreach(results, i, r) {
		json_t *loc = json_object_get(json_array_get(json_object_get(r, "locations"), 0), "physicalLocation");
		json_int_t idx = json_integer_value(json_object_get(r, "ruleIndex"));
		const char *level = json_string_value(json_object_get(r, "level"));
		const char *uri = json_string_value(json_object_get(json_object_get(loc, "artifactLocation"), "uri"));

		ok &= json_string_value(json_object_get(json_object_get(r, "message"), "text")) != NULL;
		ok &= level && (!strcmp(level, "error") || !strcmp(level, "warning") || !strcmp(level, "note"));
		ok &= idx >= 0 && (size_t)idx < json_array_size(rules);
		ok &= !strcmp(jstr(json_object_get(json_array_get(rules, (size_t)idx), "id")),
			      jstr(json_object_get(r, "ruleId")));
		ok &= uri && !strchr(uri, ' ') && uri[0] != '/';
		ok &= json_integer_value(json_object_get(json_object_get(loc, "region"), "startLine")) >= 1;
		ok &= json_string_value(json_object_get(json_object_get(r, "partialFingerprints"), "linkgate/v1")) != NULL;
	}
	tap_ok(ok, "%s: SARIF has 2.1.0's structure (version, runs, tool.driver, results with ruleId/ruleIndex, level, "
	       "message.text, a relative URI, startLine)", name);
	json_decref(root);
}

static void run_case(const char *name)
{
	char *dir = srcpath("tests/data/scan"), *cdir = lg_xasprintf("%s/%s", dir, name), *p;
	struct lg_config cfg;
	struct lg_scan s;
	struct lg_scan_opts o;
	struct lg_buf out = LG_BUF_INIT, at = LG_BUF_INIT, gs = LG_BUF_INIT;
	git_repository *repo = new_repo(name);
	json_t *want = NULL, *got = NULL, *wf, *f;
	json_error_t je;
	git_oid tree;
	size_t i;

	lg_config_init_defaults(&cfg);
	lg_scan_init(&s);
	lg_buf_init(&at);
	memset(&o, 0, sizeof(o));
	o.now = NOW;
	p = lg_xasprintf("%s/config.yml", cdir);
	if (access(p, F_OK) == 0 && lg_config_load_file(&cfg, p) < 0)
		tap_ok(false, "%s: config: %s", name, lg_error_last());
	free(p);
	p = lg_xasprintf("%s/go_source", cdir);
	if (lg_buf_read_file(&gs, p, 4096) == 0) {
		char *line = gs.ptr, *nl;

		for (; line && *line; line = nl ? nl + 1 : NULL) {
			char *rel;

			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			rel = lg_xasprintf("tests/data/gosrc/%s", line);
			cfg.go_source.v = lg_xrealloc(cfg.go_source.v, (cfg.go_source.n + 1) * sizeof(char *));
			cfg.go_source.v[cfg.go_source.n++] = srcpath(rel);
			free(rel);
		}
	}
	lg_error_clear();
	free(p);
	p = lg_xasprintf("%s/tree", cdir);
	if (!repo || add_tree(repo, p, &tree) < 0 || commit_tree(repo, &tree) < 0) {
		tap_ok(false, "%s: build the repository", name);
		goto done;
	}
	free(p);
	p = lg_xasprintf("%s/expect.json", cdir);
	want = json_load_file(p, 0, &je);
	if (!tap_ok(want != NULL, "%s: expect.json parses", name)) {
		tap_diag("%s:%d: %s", p, je.line, je.text);
		goto done;
	}
	if (!tap_is_int(lg_scan_run(&s, repo, &cfg, &o), 0, "%s: scan runs", name)) {
		tap_diag("%s", lg_error_last());
		goto done;
	}
	tap_is_int(lg_scan_errors(&s) ? 1 : 0, json_integer_value(json_object_get(want, "exit")), "%s: exit status", name);
	tap_is_int(lg_scan_json(&out, &s), 0, "%s: JSON is written", name);
	got = json_loads(out.ptr, 0, &je);
	if (!tap_ok(json_is_array(got), "%s: JSON parses back as an array", name))
		goto done;
	wf = json_object_get(want, "findings");
	if (!tap_is_int((long long)json_array_size(got), (long long)json_array_size(wf), "%s: number of findings", name)) {
		json_array_foreach(got, i, f)
			tap_diag("  %s:%lld", json_string_value(json_object_get(f, "path")),
				 (long long)json_integer_value(json_object_get(f, "line")));
	}
	json_array_foreach(wf, i, f) {
		json_t *g = json_array_get(got, i);

		lg_buf_clear(&at);
		if (!tap_ok(g && json_sub(f, g, &at), "%s: finding %zu has the expected facts", name, i)) {
			char *dump = g ? json_dumps(g, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;

			tap_diag("mismatch at %s in:\n%s", at.ptr, dump ? dump : "(none)");
			free(dump);
			continue;
		}
		check_rules(name, i, f, g);
	}
	lg_buf_clear(&out);
	tap_is_int(lg_scan_sarif(&out, &s, "https://wiki.example.com/linkname"), 0, "%s: SARIF is written", name);
	check_sarif(name, out.ptr, s.verdict.n);
	lg_buf_clear(&out);
	lg_scan_markdown(&out, &s);
	tap_ok(strstr(out.ptr, "| Location |") != NULL || !s.findings.n, "%s: markdown has its table", name);
	lg_buf_clear(&out);
	lg_scan_text(&out, &s);
	tap_ok(!strncmp(out.ptr, "linkgate scan of HEAD", 21), "%s: text starts with its summary", name);
done:
	json_decref(want);
	json_decref(got);
	free(p);
	free(cdir);
	free(dir);
	lg_buf_release(&out);
	lg_buf_release(&at);
	lg_buf_release(&gs);
	lg_scan_release(&s);
	lg_config_release(&cfg);
	git_repository_free(repo);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_fixtures(void)
{
	char *dir = srcpath("tests/data/scan"), **names = NULL;
	size_t n = 0, i;
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL) {
		char *p = lg_xasprintf("%s/%s/expect.json", dir, e->d_name);

		if (e->d_name[0] != '.' && access(p, F_OK) == 0) {
			names = lg_xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = lg_xstrdup(e->d_name);
		}
		free(p);
	}
	if (d)
		closedir(d);
	tap_ok(n >= 8, "scan fixtures found (%zu)", n);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		run_case(names[i]);
		free(names[i]);
	}
	free(names);
	free(dir);
}

/* ---- hostile inputs ---- */

static char *repeat(const char *unit, size_t times, size_t *len)
{
	size_t u = strlen(unit), i;
	char *s = lg_xmalloc(u * times + 1);

	for (i = 0; i < times; i++)
		memcpy(s + i * u, unit, u);
	s[u * times] = '\0';
	*len = u * times;
	return s;
}

static const struct lg_finding *finding_at(const struct lg_scan *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->findings.n; i++)
		if (!strcmp(s->findings.v[i]->path, path))
			return s->findings.v[i];
	return NULL;
}

static void test_hostile(void)
{
	static const char directive[] = "//go:linkname fastrand runtime.fastrand\nfunc fastrand() uint32\n";
	static const char other_go[] = "//go:build !go1.21\n\npackage p\n\nfunc fastrand() uint32 { return 0 }\n";
	struct lg_buf deep = LG_BUF_INIT, comments = LG_BUF_INIT, longline = LG_BUF_INIT, nul = LG_BUF_INIT,
		      bomb = LG_BUF_INIT, nest = LG_BUF_INIT, unterminated = LG_BUF_INIT, badmod = LG_BUF_INIT,
		      many = LG_BUF_INIT, flags = LG_BUF_INIT;
	char *parens_open, *parens_close, *stars, *xs, *brackets;
	size_t l1, l2, l3, l4, l5, i;
	struct lg_config cfg;
	struct lg_scan s;
	struct lg_scan_opts o;
	git_repository *repo = new_repo("hostile");
	const struct lg_finding *f;
	git_oid tree;

	/* Absurdly deep parentheses in a constraint. */
	parens_open = repeat("(", 1000000, &l1);
	parens_close = repeat(")", 1000000, &l2);
	lg_buf_printf(&deep, "//go:build %sgo1.21%s\n\npackage p\n\nimport _ \"unsafe\"\n\n%s", parens_open, parens_close,
		      directive);
	/* A million block-comment openers after the directive. */
	stars = repeat("/*", 1000000, &l3);
	lg_buf_printf(&comments, "package p\n\nimport _ \"unsafe\"\n\n%s%s", directive, stars);
	/* A 10 MB line, then the directive. */
	xs = repeat("x", 10u << 20, &l4);
	lg_buf_printf(&longline, "package p\n\nimport _ \"unsafe\"\n\n// %s\n%s", xs, directive);
	/* NUL bytes and invalid UTF-8 around the directive. */
	lg_buf_puts(&nul, "package p\n\nimport _ \"unsafe\"\n// \xff\xfe\xc0\x80\n");
	lg_buf_put(&nul, "\0\0\0\n", 4);
	lg_buf_puts(&nul, directive);
	lg_buf_put(&nul, "var s = \"\0\xff\"\n", 13);
	/* Unterminated string and comment at the end. */
	lg_buf_printf(&unterminated, "package p\n\nimport _ \"unsafe\"\n\n%svar s = `never closed\n/* nor this", directive);
	/* A go.mod that is a 10 MB line with NULs. */
	lg_buf_puts(&badmod, "module ");
	lg_buf_put(&badmod, xs, l4);
	lg_buf_put(&badmod, "\0\n", 2);
	/* A YAML "billion laughs" and a million nested brackets. */
	lg_buf_puts(&bomb, "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
	for (i = 1; i < 9; i++)
		lg_buf_printf(&bomb, "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n", 'a' + (int)i, 'a' + (int)i,
			      'a' + (int)i - 1, 'a' + (int)i - 1, 'a' + (int)i - 1, 'a' + (int)i - 1, 'a' + (int)i - 1,
			      'a' + (int)i - 1, 'a' + (int)i - 1, 'a' + (int)i - 1, 'a' + (int)i - 1);
	lg_buf_puts(&bomb, "jobs: {b: {steps: [{with: {go-version: *i}}, {run: go build -ldflags=-checklinkname=0}]}}\n");
	brackets = repeat("[", 1000000, &l5);
	lg_buf_printf(&nest, "jobs: %s\n", brackets);
	/* 5,000 linknames under one constraint, 3,000 flags in one YAML file:
	 * nothing may grow as their product. */
	lg_buf_puts(&many, "//go:build go1.21 && !go1.23\n\npackage many\n\nimport _ \"unsafe\"\n\n");
	for (i = 0; i < 5000; i++)
		lg_buf_printf(&many, "//go:linkname f%zu runtime.f%zu\nfunc f%zu()\n", i, i, i);
	lg_buf_puts(&flags, "steps:\n");
	for (i = 0; i < 3000; i++)
		lg_buf_printf(&flags, "  - run: go build -ldflags=-checklinkname=0 ./cmd/%zu\n", i);
	{
		const struct mem_file files[] = {
			{ "go.mod", badmod.ptr, badmod.len },
			{ "deep/d.go", deep.ptr, deep.len },
			{ "deep/other.go", other_go, sizeof(other_go) - 1 },
			{ "comments/c.go", comments.ptr, comments.len },
			{ "long/l.go", longline.ptr, longline.len },
			{ "nul/n.go", nul.ptr, nul.len },
			{ "open/u.go", unterminated.ptr, unterminated.len },
			{ ".github/workflows/bomb.yml", bomb.ptr, bomb.len },
			{ ".github/workflows/nest.yml", nest.ptr, nest.len },
			{ "many/m.go", many.ptr, many.len },
			{ "build/flags.yml", flags.ptr, flags.len },
		};

		if (!repo || add_mem_tree(repo, files, LG_ARRAY_SIZE(files), NULL, &tree) < 0 || commit_tree(repo, &tree) < 0) {
			tap_ok(false, "hostile: build the repository: %s", git_error_last() ? git_error_last()->message : "?");
			goto done;
		}
	}
	lg_config_init_defaults(&cfg);
	lg_scan_init(&s);
	memset(&o, 0, sizeof(o));
	o.now = NOW;
	if (!tap_is_int(lg_scan_run(&s, repo, &cfg, &o), 0, "hostile: the scan completes"))
		tap_diag("%s", lg_error_last());
	tap_is_int((long long)s.nlinknames, 5005, "hostile: every directive is still reported");
	tap_is_int((long long)s.nflags, 3001, "hostile: every flag is still reported");
	f = finding_at(&s, "many/m.go");
	tap_ok(f && f->siblings_known && f->nsiblings == 100, "5,000 linknames in a file: each lists 100 siblings");
	f = finding_at(&s, "build/flags.yml");
	tap_ok(f && f->yaml_path && !strcmp(f->yaml_path, "steps[0].run"), "3,000 flags in a YAML file: paths found");
	f = s.findings.n ? s.findings.v[s.findings.n - 1] : NULL;
	tap_ok(f && !strcmp(f->path, "open/u.go"), "findings are in path order");
	{
		size_t k;
		bool all = true;

		for (k = 0; k < s.findings.n; k++)
			if (!strcmp(s.findings.v[k]->path, "build/flags.yml"))
				all = all && s.findings.v[k]->yaml_path &&
				      s.findings.v[k]->line == 2 + (unsigned)strtoul(s.findings.v[k]->yaml_path + 6, NULL, 10);
		tap_ok(all, "each flag of the YAML file has its own path");
	}
	f = finding_at(&s, "deep/d.go");
	tap_ok(f && !f->file.go_versions_known && f->file.build_error &&
	       strstr(f->file.build_error, "build expression too large"),
	       "deep parentheses: go_versions unknown, the error says why");
	tap_ok(f && f->fallback.error != NULL, "deep parentheses: the fallback is unknown too");
	tap_ok(f && f->file.gomod_error && !f->file.module && !strcmp(f->target_class, "runtime"),
	       "a 10 MB go.mod with a NUL: the module is unknown, the class still computed");
	f = finding_at(&s, "comments/c.go");
	tap_ok(f && f->line == 5 && f->file.go_versions_known, "a million /* after the directive");
	f = finding_at(&s, "long/l.go");
	tap_ok(f && f->line == 6, "a 10 MB line before the directive");
	f = finding_at(&s, "nul/n.go");
	tap_ok(f && f->line == 6, "NUL bytes and invalid UTF-8 around the directive");
	f = finding_at(&s, "open/u.go");
	tap_ok(f && f->line == 5 && f->fallback.known, "unterminated raw string and comment");
	f = finding_at(&s, ".github/workflows/bomb.yml");
	tap_ok(f && f->yaml_path && !strcmp(f->yaml_path, "jobs.b.steps[1].run"), "a YAML bomb: the path is found, no alias expanded");
	f = finding_at(&s, "comments/c.go");
	tap_ok(f && f->ci.present && f->ci.nerrors == 1 && strstr(f->ci.errors[0], "nest.yml: YAML nested deeper"),
	       "a million nested brackets: that CI file is an error, the others still read");
	lg_scan_release(&s);
	lg_config_release(&cfg);
done:
	free(parens_open);
	free(parens_close);
	free(stars);
	free(xs);
	free(brackets);
	lg_buf_release(&deep);
	lg_buf_release(&comments);
	lg_buf_release(&longline);
	lg_buf_release(&nul);
	lg_buf_release(&bomb);
	lg_buf_release(&nest);
	lg_buf_release(&unterminated);
	lg_buf_release(&badmod);
	lg_buf_release(&many);
	lg_buf_release(&flags);
	git_repository_free(repo);
}

/* A YAML file that does not parse, and aliases as CI values. */
static void test_yaml(void)
{
	static const char y[] = "a:\n  - b: {c: \"-checklinkname=0\"}\n  - \"two\n   lines -checklinkname=0\"\n"
				"\"key.with dots\": -checklinkname=0\nd: |\n  x\n  y -checklinkname=0\n";
	unsigned lines[] = { 2, 4, 5, 8, 1 };
	char *out[5];
	size_t i;
	struct lg_ci ci;

	tap_is_int(lg_yaml_paths(out, y, sizeof(y) - 1, lines, 5, "checklinkname"), 0, "YAML paths");
	tap_is_str(out[0], "a[0].b.c", "a flow map in a sequence");
	tap_is_str(out[1], "a[1]", "a multi-line quoted scalar, on its second line");
	tap_is_str(out[2], "[\"key.with dots\"]", "a key that is not a word is quoted");
	tap_is_str(out[3], "d", "a block scalar's content line");
	tap_is_str(out[4], NULL, "a line with only a key");
	for (i = 0; i < 5; i++)
		free(out[i]);
	memset(&ci, 0, sizeof(ci));
	lg_ci_read(&ci, ".gitlab-ci.yml", "x: [\n", 5, -1);
	tap_ok(ci.present && ci.nerrors == 1 && !ci.nversions, "a CI file that does not parse is an error, not a crash");
	lg_ci_release(&ci);
	tap_ok(lg_ci_path(".github/workflows/a.yml") && lg_ci_path(".gitlab-ci.yml") &&
	       !lg_ci_path(".github/workflows/sub/a.yml") && !lg_ci_path("ci.yml"),
	       "which files are CI files");
}

int main(void)
{
	const char *builddir = getenv("LG_BUILDDIR");
	char *tmpl = lg_xasprintf("%s/tests/unit/tmp.facts.XXXXXX", builddir && *builddir ? builddir : ".");

	lg_repo_global_init(false);
	tmp_root = mkdtemp(tmpl);
	if (!tmp_root) {
		perror("mkdtemp");
		return 1;
	}
	test_go_versions_table();
	test_implicit();
	test_matrix();
	test_godecl();
	test_gomod();
	test_target_class();
	test_yaml();
	test_fixtures();
	test_hostile();
	tap_remove_dir(tmp_root);
	free(tmpl);
	return tap_done();
}
