/*
 * jsoncheck — reads JSON Lines (one object per line, as audit.log holds)
 * for the shell tests, so they need no scripting language besides sh.
 *
 *   jsoncheck count FILE            checks every line is a JSON object whose
 *                                   text is pure ASCII; prints how many
 *   jsoncheck get FILE N PATH       prints the value at PATH in line N
 *                                   (1-based; -1 is the last line): a string
 *                                   raw, anything else as compact JSON;
 *                                   PATH is ".key", ".key[3].other", "."
 *   jsoncheck keys FILE N KEY...    checks line N has every KEY at top level
 *
 * Exit status: 0 when the check holds, 1 when it does not (with a message
 * on stderr), 2 on bad usage.
 */
#ifdef HAVE_CONFIG_H
#include "build-config.h"
#endif

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char **lines;
static size_t nlines;

static void read_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	ssize_t n;

	if (!f) {
		fprintf(stderr, "jsoncheck: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		else {
			fprintf(stderr, "jsoncheck: %s: line %zu has no newline at its end\n", path, nlines + 1);
			exit(1);
		}
		if (nlines == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			lines = realloc(lines, alloc * sizeof(*lines));
			if (!lines)
				abort();
		}
		lines[nlines++] = strdup(line);
	}
	free(line);
	fclose(f);
}

static json_t *parse_line(size_t i)
{
	json_error_t e;
	json_t *j = json_loads(lines[i], JSON_REJECT_DUPLICATES, &e);
	const unsigned char *p;

	if (!j || !json_is_object(j)) {
		fprintf(stderr, "jsoncheck: line %zu is not a JSON object: %s\n", i + 1, j ? "another value" : e.text);
		exit(1);
	}
	for (p = (const unsigned char *)lines[i]; *p; p++) {
		if (*p < 0x20 || *p > 0x7e) {
			fprintf(stderr, "jsoncheck: line %zu holds byte 0x%02x\n", i + 1, *p);
			exit(1);
		}
	}
	return j;
}

static size_t line_index(const char *arg)
{
	long n = strtol(arg, NULL, 10);

	if (n < 0)
		n += (long)nlines + 1;
	if (n < 1 || (size_t)n > nlines) {
		fprintf(stderr, "jsoncheck: no line %s (the file has %zu)\n", arg, nlines);
		exit(1);
	}
	return (size_t)n - 1;
}

static json_t *walk(json_t *j, const char *path)
{
	const char *p = path;

	while (*p && j) {
		if (*p == '.') {
			char key[256];
			size_t n = strcspn(p + 1, ".[");

			if (n >= sizeof(key))
				return NULL;
			if (!n) {
				p++;
				continue;
			}
			memcpy(key, p + 1, n);
			key[n] = '\0';
			j = json_object_get(j, key);
			p += n + 1;
		} else if (*p == '[') {
			char *end;
			long i = strtol(p + 1, &end, 10);

			if (*end != ']')
				return NULL;
			j = json_array_get(j, (size_t)i);
			p = end + 1;
		} else {
			return NULL;
		}
	}
	return j;
}

int main(int argc, char **argv)
{
	size_t i;
	json_t *j, *v;
	int k;

	if (argc < 3)
		goto usage;
	read_lines(argv[2]);
	if (!strcmp(argv[1], "count") && argc == 3) {
		for (i = 0; i < nlines; i++)
			json_decref(parse_line(i));
		printf("%zu\n", nlines);
		return 0;
	}
	if (!strcmp(argv[1], "get") && argc == 5) {
		j = parse_line(line_index(argv[3]));
		v = walk(j, argv[4]);
		if (!v) {
			fprintf(stderr, "jsoncheck: line %s has nothing at %s\n", argv[3], argv[4]);
			json_decref(j);
			return 1;
		}
		if (json_is_string(v)) {
			fwrite(json_string_value(v), 1, json_string_length(v), stdout);
			putchar('\n');
		} else {
			char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);

			puts(s);
			free(s);
		}
		json_decref(j);
		return 0;
	}
	if (!strcmp(argv[1], "keys") && argc >= 5) {
		j = parse_line(line_index(argv[3]));
		for (k = 4; k < argc; k++) {
			if (!json_object_get(j, argv[k])) {
				fprintf(stderr, "jsoncheck: line %s has no member %s\n", argv[3], argv[k]);
				json_decref(j);
				return 1;
			}
		}
		json_decref(j);
		return 0;
	}
usage:
	fprintf(stderr, "usage: jsoncheck count FILE | get FILE N PATH | keys FILE N KEY...\n");
	return 2;
}
