/*
 * replay.c — runs a fuzz target over its seed corpus without libFuzzer.
 *
 *   replay-NAME [FILE|DIR...]
 *
 * Without arguments it replays $LG_SRCDIR/tests/fuzz/corpus/NAME (make check
 * sets LG_SRCDIR). Every input is one TAP line; a property that fails
 * aborts, so the log's last line names the input that failed. Built with
 * the ordinary compiler, it brings every corpus under the sanitizers of
 * whatever build runs `make check`.
 */
#include "fuzz.h"
#include "linkgate/buf.h"
#include "linkgate/error.h"

#include <dirent.h>
#include <sys/stat.h>

#ifndef LG_FUZZ_NAME
#error "LG_FUZZ_NAME must name the target"
#endif

/* Larger than any seed; libFuzzer's own default is 4096 bytes. */
#define MAX_REPLAY_INPUT (16u << 20)

static unsigned ntests;
static unsigned nfailed;

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names a corpus file from its target's directory on: "flags/ci.yaml". */
static const char *label(const char *path)
{
	const char *c = strstr(path, "/corpus/");

	return c ? c + 8 : path;
}

static void replay_file(const char *path)
{
	struct lg_buf b = LG_BUF_INIT;

	ntests++;
	if (lg_buf_read_file(&b, path, MAX_REPLAY_INPUT) < 0) {
		nfailed++;
		printf("not ok %u - %s\n# %s\n", ntests, label(path), lg_error_last());
		return;
	}
	/* Named before it runs: a failed property aborts before the ok line. */
	printf("# %s\n", label(path));
	fflush(stdout);
	LLVMFuzzerTestOneInput((const uint8_t *)b.ptr, b.len);
	lg_buf_release(&b);
	printf("ok %u - %s\n", ntests, label(path));
}

static void replay_path(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		replay_file(path);
		return;
	}
	if (!(d = opendir(path))) {
		ntests++;
		nfailed++;
		printf("not ok %u - %s\n# cannot open: %s\n", ntests, path, strerror(errno));
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = lg_xgrow(names, sizeof(*names), n + 1, &alloc);
		names[n++] = lg_xasprintf("%s/%s", path, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		replay_file(names[i]);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			replay_path(argv[i]);
	} else {
		const char *src = getenv("LG_SRCDIR");
		char *dir = lg_xasprintf("%s/tests/fuzz/corpus/%s", src && *src ? src : ".", LG_FUZZ_NAME);

		replay_path(dir);
		free(dir);
	}
	if (!ntests) {
		/* A target without seeds replays nothing: that is a broken tree. */
		printf("not ok 1 - the corpus of %s is empty\n1..1\n", LG_FUZZ_NAME);
		return 1;
	}
	printf("1..%u\n", ntests);
	return nfailed ? 1 : 0;
}
