/* test-flags.c — the checklinkname-off detector: every disabling spelling in
 * every context, every look-alike, big inputs, limits, carriers, and the
 * data files under tests/data/flags/ (each FILE with its FILE.want). */
#include "linkgate/flags.h"
#include "linkgate/buf.h"
#include "linkgate/error.h"
#include "tap.h"

#include <dirent.h>
#include <time.h>

static struct lg_flags *fl;

static const char *const disabling[] = { "0", "f", "F", "false", "FALSE", "False" };
static const char *const dashes[] = { "-", "--" };

/* Contexts: "{}" stands for the flag; "|" separates lines, written as LF
 * except in the CRLF contexts. want_line is the 1-based line of every {} (all
 * on one line). */
struct context {
	const char *name;
	const char *tmpl;
	unsigned want_line;
	bool crlf;
	bool final_newline;
};

static const struct context contexts[] = {
	{ "-ldflags=", "go build -ldflags={} ./...", 1, false, true },
	{ "-ldflags '...'", "go build -ldflags '-s -w {}' ./...", 1, false, true },
	{ "-ldflags \"...\"", "go build -ldflags \"{}\" ./...", 1, false, true },
	{ "--ldflags=all=", "go build --ldflags=all={} ./...", 1, false, true },
	{ "quoted -ldflags=all=", "go install \"-ldflags=all={} -X main.v=1\" ./cmd/x", 1, false, true },
	{ "GOFLAGS env", "GOFLAGS=-ldflags={} go test ./...", 1, false, true },
	{ "GOFLAGS quoted", "GOFLAGS='-ldflags=\"{}\"' go test ./...", 1, false, true },
	{ "go env -w GOFLAGS", "go env -w GOFLAGS=-ldflags={}", 1, false, true },
	{ "go tool link", "go tool link {} -o app main.a", 1, false, true },
	{ "line start", "{}", 1, false, true },
	{ "after tab", "\t{}\t", 1, false, true },
	{ "backticks", "run `go build -ldflags={}`", 1, false, true },
	{ "YAML flow list", "ldflags: [\"{}\"]", 1, false, true },
	{ "YAML block list", "builds:|  - ldflags:|      - {}", 3, false, true },
	{ "YAML env", "env:|  GOFLAGS: \"-ldflags={}\"", 2, false, true },
	{ "Makefile export", "export GOFLAGS := -ldflags={}|build:|\tgo build ./...", 1, false, true },
	{ "Makefile recipe", "build:|\t$(GO) build -ldflags='{}' ./...", 2, false, true },
	{ "Dockerfile ENV", "FROM golang:1.23|ENV GOFLAGS=\"-ldflags={}\"", 2, false, true },
	{ "Dockerfile RUN", "FROM golang:1.23|RUN go build -ldflags={} -o /app .", 2, false, true },
	{ "bazel gc_linkopts", "go_binary(|    gc_linkopts = [\"{}\"],|)", 2, false, true },
	{ "JSON", "{\"ldflags\": \"{}\"}", 1, false, true },
	{ "CRLF", "# build|go build -ldflags={}|done", 2, true, true },
	{ "CRLF at end of flag", "x|{}", 2, true, true },
	{ "last line without newline", "a|b|go build -ldflags={}", 3, false, false },
	{ "last line CR without newline", "a|{}", 2, true, false },
	{ "several on one line", "go build -ldflags='{} {}' && go test -ldflags={}", 1, false, true },
};

/* Expands a template; returns how many {} it held. */
static size_t expand(struct lg_buf *b, const struct context *c, const char *flag)
{
	const char *p;
	size_t n = 0;

	lg_buf_clear(b);
	for (p = c->tmpl; *p; p++) {
		if (p[0] == '{' && p[1] == '}') {
			lg_buf_puts(b, flag);
			n++;
			p++;
		} else if (*p == '|') {
			lg_buf_puts(b, c->crlf ? "\r\n" : "\n");
		} else {
			lg_buf_putc(b, *p);
		}
	}
	if (c->final_newline)
		lg_buf_puts(b, c->crlf ? "\r\n" : "\n");
	return n;
}

/* The 1-based line's text of b, as the detector should report it. */
static void line_text(const struct lg_buf *b, unsigned line, size_t *off, size_t *len)
{
	size_t i = 0, start = 0;
	unsigned l = 1;

	for (i = 0; i < b->len && l < line; i++)
		if (b->ptr[i] == '\n') {
			l++;
			start = i + 1;
		}
	for (i = start; i < b->len && b->ptr[i] != '\n'; i++)
		;
	if (i > start && b->ptr[i - 1] == '\r')
		i--;
	*off = start;
	*len = i - start;
}

static void test_contexts(void)
{
	struct lg_buf b = LG_BUF_INIT, flag = LG_BUF_INIT;
	size_t c, v, d, k;

	for (c = 0; c < LG_ARRAY_SIZE(contexts); c++)
		for (d = 0; d < LG_ARRAY_SIZE(dashes); d++)
			for (v = 0; v < LG_ARRAY_SIZE(disabling); v++) {
				struct lg_flag_hits hits;
				size_t want_n, off, len;
				bool good;
				int rc;

				lg_flag_hits_init(&hits);
				lg_buf_clear(&flag);
				lg_buf_printf(&flag, "%s%s=%s", dashes[d], LG_FLAGS_NEEDLE, disabling[v]);
				want_n = expand(&b, &contexts[c], flag.ptr);
				line_text(&b, contexts[c].want_line, &off, &len);
				rc = lg_flags_scan(fl, &hits, b.ptr, b.len);
				good = rc == 0 && hits.n == want_n;
				for (k = 0; good && k < hits.n; k++)
					good = hits.v[k].line == contexts[c].want_line && hits.v[k].line_off == off &&
					       hits.v[k].line_len == len && !strcmp(hits.v[k].spelling, flag.ptr);
				if (!tap_ok(good, "match: %s in %s", flag.ptr, contexts[c].name)) {
					tap_diag("rc %d, %zu hits (want %zu)", rc, hits.n, want_n);
					for (k = 0; k < hits.n; k++)
						tap_diag("hit line %u off %zu len %zu '%s' (want line %u off %zu len %zu)",
							 hits.v[k].line, hits.v[k].line_off, hits.v[k].line_len,
							 hits.v[k].spelling, contexts[c].want_line, off, len);
				}
				lg_flag_hits_release(&hits);
			}
	lg_buf_release(&b);
	lg_buf_release(&flag);
}

static const char *const lookalikes[] = {
	"GODEBUG=checklinkname=0",
	"env GODEBUG=checklinkname=0,madvdontneed=1 ./app",
	"-checklinkname=1",
	"-checklinkname=t",
	"-checklinkname=T",
	"-checklinkname=true",
	"-checklinkname=TRUE",
	"-checklinkname=True",
	"--checklinkname=true",
	"go build -ldflags=-checklinkname ./...",
	"-checklinkname",
	"-checklinkname 0",
	"go build -ldflags '-checklinkname 0'",
	"-checklinkname=no",
	"-checklinkname=off",
	"-checklinkname=00",
	"-checklinkname=01",
	"-checklinkname=0x0",
	"-checklinkname=fAlSe",
	"-checklinkname=FAlse",
	"-checklinkname=n",
	"-checklinknames=0",
	"-checklinkname_x=0",
	"-checklinkname-x=0",
	"-checklinkname:0",
	"-checklinkname==0",
	"-checklinkname=",
	"//go:build checklinkname_off",
	"//go:build !checklinkname",
	"go build -tags=checklinkname_off",
	"var nochecklinkname = 0",
	"checklinkname=0",
	"---checklinkname=0",
	"----checklinkname=false",
	"x-checklinkname=0",
	"X--checklinkname=0",
	"9-checklinkname=0",
	"_-checklinkname=0",
	"-checklinkname=0x",
	"-checklinkname=0_",
	"-checklinkname=f1",
	"-checklinkname=false_",
	"-checklinkname=Falsey",
	"-checklinkname=FALSE2",
	"-Checklinkname=0",
	"-CHECKLINKNAME=0",
	"-check-linkname=0",
	"- checklinkname=0",
	"checklinkname",
	"checklinknamechecklinkname=0",
	/* Another tool's flag value: the compiler, assembler or external linker gets it. */
	"go build -gcflags=-checklinkname=0 ./...",
	"go build -gcflags=all=-checklinkname=0 ./...",
	"go build -gcflags '-checklinkname=0' ./...",
	"go build -gcflags \"-checklinkname=0\" ./...",
	"go build -gcflags -checklinkname=0 ./...",
	"go build -asmflags='-checklinkname=false' ./...",
	"go build -gccgoflags=-checklinkname=0 ./...",
	"go build -ldflags=-extldflags=-checklinkname=0 ./...",
	"go build -ldflags '-extldflags \"-checklinkname=0\"' ./...",
	/* Unbalanced quotes are not a value the shell hands over as 0. */
	"-checklinkname='0",
	"-checklinkname=\"0'",
};

/* Spellings that do disable the check, beyond the generated grid. */
static const struct {
	const char *text;
	const char *spelling;
} extra_matches[] = {
	{ "go build -ldflags=-checklinkname='0' ./...", "-checklinkname='0'" },
	{ "go build -ldflags='--checklinkname=\"false\"' ./...", "--checklinkname=\"false\"" },
	{ "go build -ldflags=\"-extldflags=-static -checklinkname=0\" ./...", "-checklinkname=0" },
	{ "go build -gcflags=-N -ldflags=-checklinkname=0 ./...", "-checklinkname=0" },
	{ "GOFLAGS=-ldflags=-checklinkname=F", "-checklinkname=F" },
};

static void test_extra_matches(void)
{
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(extra_matches); i++) {
		struct lg_flag_hits hits;
		int rc;

		lg_flag_hits_init(&hits);
		rc = lg_flags_scan(fl, &hits, extra_matches[i].text, strlen(extra_matches[i].text));
		tap_ok(rc == 0 && hits.n == 1 && !strcmp(hits.v[0].spelling, extra_matches[i].spelling), "match: %s",
		       extra_matches[i].text);
		lg_flag_hits_release(&hits);
	}
}

static void test_lookalikes(void)
{
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(lookalikes); i++) {
		struct lg_flag_hits hits;
		int rc;

		lg_flag_hits_init(&hits);
		rc = lg_flags_scan(fl, &hits, lookalikes[i], strlen(lookalikes[i]));
		if (!tap_ok(rc == 0 && hits.n == 0, "no match: %s", lookalikes[i]))
			tap_diag("rc %d, %zu hits, first '%s'", rc, hits.n, hits.n ? hits.v[0].spelling : "");
		lg_flag_hits_release(&hits);
	}
}

static void expect_hits(const char *name, const char *buf, size_t len, size_t want_n, unsigned want_line,
			const char *want_spelling)
{
	struct lg_flag_hits hits;
	bool good;
	int rc;

	lg_flag_hits_init(&hits);
	rc = lg_flags_scan(fl, &hits, buf, len);
	good = rc == 0 && hits.n == want_n;
	if (good && want_n)
		good = hits.v[want_n - 1].line == want_line && !strcmp(hits.v[want_n - 1].spelling, want_spelling);
	if (!tap_ok(good, "%s", name))
		tap_diag("rc %d, %zu hits (want %zu), last line %u", rc, hits.n, want_n,
			 hits.n ? hits.v[hits.n - 1].line : 0);
	lg_flag_hits_release(&hits);
}

static void test_bytes(void)
{
	static const char nul[] = "\xff\xfe\0 -checklinkname=0\0\x80 \xc0\xaf--checklinkname=False\xe2\x80\xae";
	static const char crlf_mid[] = "a\r\rb -checklinkname=f\r\r\n";
	struct lg_flag_hits hits;

	expect_hits("NUL bytes and invalid UTF-8 around flags", nul, sizeof(nul) - 1, 2, 1, "--checklinkname=False");
	expect_hits("empty buffer", "", 0, 0, 0, NULL);
	expect_hits("buffer shorter than the needle", "-checklink", 10, 0, 0, NULL);
	expect_hits("needle at the very end", "x -checklinkname", 16, 0, 0, NULL);
	expect_hits("value cut by the buffer end is no flag", "-checklinkname=fals", 19, 0, 0, NULL);
	expect_hits("flag ending the buffer", "x\n-checklinkname=f", 18, 1, 2, "-checklinkname=f");

	lg_flag_hits_init(&hits);
	lg_flags_scan(fl, &hits, crlf_mid, sizeof(crlf_mid) - 1);
	tap_ok(hits.n == 1 && hits.v[0].line_len == sizeof(crlf_mid) - 3,
	       "only one trailing CR is dropped from the line length");
	lg_flag_hits_release(&hits);

	/* Appends, never clears. */
	lg_flag_hits_init(&hits);
	lg_flags_scan(fl, &hits, "-checklinkname=0\n", 17);
	lg_flags_scan(fl, &hits, "\n--checklinkname=F\n", 19);
	tap_ok(hits.n == 2 && hits.v[1].line == 2 && hits.v[1].line_off == 1, "scan appends to the hit list");
	lg_flag_hits_release(&hits);
	tap_ok(hits.n == 0 && hits.v == NULL, "release leaves an empty list");
}

#define BIG (50u << 20)

static void test_big(void)
{
	/* Near misses for memmem and many short lines for the line counter. */
	static const char line[] = "checklinknam hecklinkname check linkname GOFLAGS=-ldflags=-s\n";
	size_t n = 0, lines = 0;
	char *buf = lg_xmalloc(BIG + 64);
	clock_t t0;

	while (n + sizeof(line) - 1 <= BIG) {
		memcpy(buf + n, line, sizeof(line) - 1);
		n += sizeof(line) - 1;
		lines++;
	}
	t0 = clock();
	expect_hits("50 MB without the needle: no hits", buf, n, 0, 0, NULL);
	tap_diag("50 MB without the needle: %.0f ms CPU", (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC);

	memcpy(buf + n, "-checklinkname=0", 16);
	t0 = clock();
	expect_hits("50 MB with the flag at the end (no newline): found on the last line", buf, n + 16, 1,
		    (unsigned)lines + 1, "-checklinkname=0");
	tap_diag("50 MB with the needle at the end: %.0f ms CPU", (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC);

	/* One enormous line: only the window around the needle is matched. */
	memset(buf, 'a', BIG);
	memcpy(buf + BIG - 20, " --checklinkname=F ", 19);
	expect_hits("one 50 MB line with the flag near its end", buf, BIG, 1, 1, "--checklinkname=F");

	/* Every line holds the needle but no flag. */
	n = 0;
	lines = 0;
	while (n + 32 <= (5u << 20)) {
		memcpy(buf + n, "GODEBUG=checklinkname=0 -x=1\n", 29);
		n += 29;
		lines++;
	}
	t0 = clock();
	expect_hits("5 MB of needle-bearing look-alike lines: no hits", buf, n, 0, 0, NULL);
	tap_diag("5 MB of look-alike lines (%zu): %.0f ms CPU", lines,
		 (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC);
	free(buf);
}

static void test_limit(void)
{
	struct lg_flags *tight = NULL;
	struct lg_flag_hits hits;
	int rc;

	lg_flag_hits_init(&hits);
	tap_is_int(lg_flags_new(&tight), 0, "limit: second matcher compiles");
	/* The JIT does not count work for a match this simple; the
	 * interpreter does, and the error path is the same. */
	lg_flags_set_jit(tight, false);
	lg_flags_set_limits(tight, 1, 0, 0);
	rc = lg_flags_scan(tight, &hits, "go build -ldflags=-checklinkname=0", 34);
	tap_is_int(rc, LG_ELIMIT, "limit: a match limit hit is LG_ELIMIT, not \"no match\"");
	tap_ok(strstr(lg_error_last(), "limit") != NULL, "limit: the message says so: %s", lg_error_last());
	lg_flags_set_limits(tight, LG_FLAGS_MATCH_LIMIT, 1, 0);
	rc = lg_flags_scan(tight, &hits, "go build -ldflags=-checklinkname=0", 34);
	tap_is_int(rc, LG_ELIMIT, "limit: a depth limit hit is LG_ELIMIT too");
	lg_flags_set_limits(tight, LG_FLAGS_MATCH_LIMIT, LG_FLAGS_DEPTH_LIMIT, 0);
	lg_flag_hits_release(&hits);
	rc = lg_flags_scan(tight, &hits, "go build -ldflags=-checklinkname=0", 34);
	tap_ok(rc == 0 && hits.n == 1, "limit: the interpreter finds the flag under the default limits");
	lg_flag_hits_release(&hits);
	lg_flags_free(tight);
	lg_flags_free(NULL);
}

struct carrier_case {
	const char *path;
	const char *want;
};

static const struct carrier_case carriers[] = {
	{ "Makefile", "makefile" },
	{ "sub/dir/GNUmakefile", "makefile" },
	{ "makefile", "makefile" },
	{ "build/common.mk", "makefile" },
	{ "rules.mak", "makefile" },
	{ "MAKEFILE", "text" },
	{ "Makefile.am", "text" },
	{ "scripts/release.sh", "shell" },
	{ "x.bash", "shell" },
	{ "x.zsh", "shell" },
	{ "x.ksh", "shell" },
	{ ".envrc", "shell" },
	{ "dev/.envrc", "shell" },
	{ "prod.envrc", "shell" },
	{ ".bashrc", "shell" },
	{ "Dockerfile", "dockerfile" },
	{ "dockerfile", "dockerfile" },
	{ "docker/Dockerfile.alpine", "dockerfile" },
	{ "build.Dockerfile", "dockerfile" },
	{ "build.dockerfile", "dockerfile" },
	{ "Containerfile", "dockerfile" },
	{ "Containerfile.ubi", "dockerfile" },
	{ "DOCKERFILE", "text" },
	{ ".goreleaser.yml", "goreleaser" },
	{ ".goreleaser.yaml", "goreleaser" },
	{ "goreleaser.yml", "goreleaser" },
	{ "dist/goreleaser.yaml", "goreleaser" },
	{ "goreleaser.json", "text" },
	{ ".github/workflows/ci.yml", "yaml" },
	{ ".gitlab-ci.yml", "yaml" },
	{ "deploy/values.yaml", "yaml" },
	{ "my.goreleaser.yml", "yaml" },
	{ "BUILD", "bazel" },
	{ "pkg/BUILD.bazel", "bazel" },
	{ "WORKSPACE", "bazel" },
	{ "WORKSPACE.bazel", "bazel" },
	{ "MODULE.bazel", "bazel" },
	{ "tools/defs.bzl", "bazel" },
	{ "x.bazel", "bazel" },
	{ ".bazelrc", "bazel" },
	{ "build", "text" },
	{ "main.go", "go" },
	{ "cmd/gen/gen.go", "go" },
	{ "x_test.go", "go" },
	{ "main.GO", "text" },
	{ "README.md", "doc" },
	{ "README.MD", "doc" },
	{ "docs/guide.markdown", "doc" },
	{ "NOTES.txt", "doc" },
	{ "docs/index.rst", "doc" },
	{ "manual.adoc", "doc" },
	{ "manual.asciidoc", "doc" },
	{ "README", "doc" },
	{ "CHANGELOG", "doc" },
	{ "NOTES", "doc" },
	{ "sub/Readme", "doc" },
	{ "README.rdoc", "text" },
	{ "go.mod", "text" },
	{ "flake.nix", "text" },
	{ "build.json", "text" },
	{ "", "text" },
	{ "dir/", "text" },
};

static void test_carriers(void)
{
	size_t i;

	for (i = 0; i < LG_ARRAY_SIZE(carriers); i++)
		tap_is_str(lg_flags_carrier(carriers[i].path), carriers[i].want, "carrier: '%s'", carriers[i].path);
	tap_is_str(lg_flags_carrier(NULL), "text", "carrier: NULL path");
}

static bool has_suffix(const char *s, const char *sfx)
{
	size_t n = strlen(s), k = strlen(sfx);

	return n >= k && !strcmp(s + n - k, sfx);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* FILE.want: "carrier NAME", then one "LINE SPELLING" per expected hit. */
static void check_data_file(const char *dir, const char *name)
{
	struct lg_buf path = LG_BUF_INIT, data = LG_BUF_INIT, want = LG_BUF_INIT, got = LG_BUF_INIT,
		      expect = LG_BUF_INIT;
	struct lg_flag_hits hits;
	size_t i, start, end;

	lg_flag_hits_init(&hits);
	lg_buf_printf(&path, "%s/%s", dir, name);
	if (lg_buf_read_file(&data, path.ptr, 1 << 20) < 0) {
		tap_ok(false, "data: read %s: %s", name, lg_error_last());
		goto done;
	}
	lg_buf_puts(&path, ".want");
	if (lg_buf_read_file(&want, path.ptr, 1 << 20) < 0) {
		tap_ok(false, "data: %s has a .want file", name);
		goto done;
	}
	for (start = 0; start < want.len; start = end + 1) {
		const char *line = want.ptr + start;

		for (end = start; end < want.len && want.ptr[end] != '\n'; end++)
			;
		want.ptr[end] = '\0';
		if (!strncmp(line, "carrier ", 8))
			tap_is_str(lg_flags_carrier(name), line + 8, "data: %s carrier", name);
		else if (*line && *line != '#')
			lg_buf_printf(&expect, "%s\n", line);
	}
	tap_is_int(lg_flags_scan(fl, &hits, data.ptr, data.len), 0, "data: %s scans", name);
	for (i = 0; i < hits.n; i++)
		lg_buf_printf(&got, "%u %s\n", hits.v[i].line, hits.v[i].spelling);
	tap_is_str(got.ptr ? got.ptr : "", expect.ptr ? expect.ptr : "", "data: %s hits", name);
done:
	lg_flag_hits_release(&hits);
	lg_buf_release(&path);
	lg_buf_release(&data);
	lg_buf_release(&want);
	lg_buf_release(&got);
	lg_buf_release(&expect);
}

static void test_data_files(void)
{
	const char *src = getenv("LG_SRCDIR");
	struct lg_buf dir = LG_BUF_INIT;
	char **names = NULL;
	size_t n = 0, alloc = 0, nwant = 0, i;
	struct dirent *de;
	DIR *d;

	lg_buf_printf(&dir, "%s/tests/data/flags", src && *src ? src : "..");
	d = opendir(dir.ptr);
	if (!tap_ok(d != NULL, "data: open %s (set LG_SRCDIR to the source tree)", dir.ptr)) {
		lg_buf_release(&dir);
		return;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (has_suffix(de->d_name, ".want")) {
			nwant++;
			continue;
		}
		names = lg_xgrow(names, sizeof(*names), n + 1, &alloc);
		names[n++] = lg_xstrdup(de->d_name);
	}
	closedir(d);
	/* Each input has its .want (checked per file); no .want is orphaned. */
	tap_is_int((long long)nwant, (long long)n, "data: as many .want files as inputs");
	qsort(names, n, sizeof(*names), cmp_names);
	tap_ok(n >= 8, "data: %zu input files", n);
	for (i = 0; i < n; i++) {
		check_data_file(dir.ptr, names[i]);
		free(names[i]);
	}
	free(names);
	lg_buf_release(&dir);
}

int main(void)
{
	if (!tap_ok(lg_flags_new(&fl) == 0, "the pattern compiles")) {
		tap_diag("%s", lg_error_last());
		return tap_done();
	}
	test_contexts();
	test_lookalikes();
	test_extra_matches();
	test_bytes();
	test_limit();
	test_carriers();
	test_data_files();
	test_big();
	lg_flags_free(fl);
	return tap_done();
}
