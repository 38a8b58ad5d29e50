/*
 * genrepo — writes a deterministic `git fast-import` stream of a Go
 * repository for linkgate's benchmarks and their quick correctness tests.
 *
 *   genrepo [--commits N] [--files-per-commit F] [--pool P]
 *           [--linkname-every K] [--flag-every K] [--refs R]
 *           [--seed S] [--expect FILE] > stream
 *
 * The first commit adds P Go files (and a Makefile) without linknames.
 * Every later commit rewrites F files chosen from the pool; every K-th
 * rewrite (over the whole history) puts a directive with a name used
 * nowhere else into the file, and every K-th commit rewrites the Makefile
 * with a disabling -checklinkname flag on a line used nowhere else. So each
 * such write adds exactly one finding, and --expect writes the independent
 * count ("linkname N", "flags M", "commits C", "changes X") that linkgate's
 * own count must equal. R branch refs are spread evenly over the history.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

/* splitmix64: tiny, seeded, the same everywhere. */
static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static long gcd(long a, long b)
{
	while (b) {
		long t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static char *buf;
static size_t buflen, bufcap;

static void put(const char *s, size_t n)
{
	if (buflen + n > bufcap) {
		bufcap = (buflen + n) * 2 + 4096;
		buf = realloc(buf, bufcap);
		if (!buf) {
			perror("genrepo");
			exit(1);
		}
	}
	memcpy(buf + buflen, s, n);
	buflen += n;
}

static void putf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void putf(const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	put(tmp, (size_t)n);
}

static void emit_file(const char *path)
{
	printf("M 100644 inline %s\ndata %zu\n", path, buflen);
	fwrite(buf, 1, buflen, stdout);
	putchar('\n');
}

static long arg(int argc, char **argv, const char *name, long dflt)
{
	int i;

	for (i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return strtol(argv[i + 1], NULL, 10);
	return dflt;
}

static const char *sarg(int argc, char **argv, const char *name)
{
	int i;

	for (i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

int main(int argc, char **argv)
{
	long commits = arg(argc, argv, "--commits", 100);
	long per = arg(argc, argv, "--files-per-commit", 6);
	long pool = arg(argc, argv, "--pool", 0);
	long ln_every = arg(argc, argv, "--linkname-every", 0);
	long flag_every = arg(argc, argv, "--flag-every", 0);
	long refs = arg(argc, argv, "--refs", 0);
	const char *expect = sarg(argc, argv, "--expect");
	long c, f, writes = 0, n_ln = 0, n_flags = 0, changes = 0, i;
	long time0 = 1700000000;

	rng_state = (uint64_t)arg(argc, argv, "--seed", 1);
	if (pool <= 0)
		pool = per * 20 > 200 ? per * 20 : 200;
	if (commits < 1 || per < 0 || per > pool) {
		fprintf(stderr, "genrepo: bad arguments\n");
		return 2;
	}
	for (c = 1; c <= commits; c++) {
		printf("commit refs/heads/main\nmark :%ld\n", c);
		printf("author A U Thor <author@example.com> %ld +0000\n", time0 + c);
		printf("committer C O Mitter <committer@example.com> %ld +0000\n", time0 + c);
		printf("data <<EOM\ncommit %ld\nEOM\n", c);
		if (c > 1)
			printf("from :%ld\n", c - 1);
		if (c == 1) {
			for (f = 0; f < pool; f++) {
				char path[64];

				buflen = 0;
				putf("package p%ld\n\nimport _ \"unsafe\"\n\n", f % 50);
				for (i = 0; i < 40; i++)
					putf("// initial filler %ld %ld\n", f, i);
				snprintf(path, sizeof(path), "pkg/p%ld/f%ld.go", f % 50, f);
				emit_file(path);
				changes++;
			}
			buflen = 0;
			putf("build:\n\tgo build ./...\n");
			emit_file("Makefile");
			changes++;
		} else {
			/* F distinct files of the pool, chosen by a seeded walk. */
			long start = (long)(rng() % (uint64_t)pool), step = 1 + (long)(rng() % 7);

			while (gcd(pool, step) != 1)
				step--;
			for (f = 0; f < per; f++) {
				long k = (start + f * step) % pool;
				char path[64];

				buflen = 0;
				writes++;
				putf("package p%ld\n\nimport _ \"unsafe\"\n\n", k % 50);
				for (i = 0; i < 40; i++)
					putf("// filler %ld %ld %ld\n", c, k, i);
				if (ln_every > 0 && writes % ln_every == 0) {
					putf("//go:linkname f%ld_%ld runtime.nanotime\nfunc f%ld_%ld() int64\n", c, k, c, k);
					n_ln++;
				}
				snprintf(path, sizeof(path), "pkg/p%ld/f%ld.go", k % 50, k);
				emit_file(path);
				changes++;
			}
			if (flag_every > 0 && c % flag_every == 0) {
				buflen = 0;
				putf("build:\n\tgo build -ldflags=-checklinkname=0 ./... # commit %ld\n", c);
				emit_file("Makefile");
				changes++;
				n_flags++;
			}
		}
		putchar('\n');
	}
	for (i = 0; i < refs; i++)
		printf("reset refs/heads/b%ld\nfrom :%ld\n\n", i, 1 + (i * (commits - 1)) / (refs > 1 ? refs - 1 : 1));
	if (expect) {
		FILE *e = fopen(expect, "w");

		if (!e) {
			perror(expect);
			return 1;
		}
		fprintf(e, "linkname %ld\nflags %ld\ncommits %ld\nchanges %ld\n", n_ln, n_flags, commits, changes);
		fclose(e);
	}
	free(buf);
	return 0;
}
