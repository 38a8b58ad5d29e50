/*
 * promcheck — checks a Prometheus text-format file (exposition format
 * 0.0.4, what node_exporter's textfile collector reads) for the shell
 * tests, and reads values out of it.
 *
 *   promcheck FILE               validates; prints the number of samples
 *   promcheck FILE SERIES        validates; prints the value of SERIES, given
 *                                exactly as written (name{label="v",...}),
 *                                or "absent"
 *   promcheck FILE --sum PREFIX  validates; prints the sum of the values of
 *                                every series whose text starts with PREFIX
 *
 * Validation: metric and label names, label value escapes (only \\, \"
 * and \n), UTF-8 label values, values that parse as floats, # HELP and
 * # TYPE lines (TYPE once per family, before its samples), families not
 * split, no duplicate series or label names, and for histograms cumulative
 * buckets in increasing le order ending in +Inf equal to _count.
 *
 * Exit status: 0 valid, 1 invalid (a message names the line), 2 usage.
 */
#ifdef HAVE_CONFIG_H
#include "build-config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sample {
	char *series;   /* name{labels} as written */
	char *name;
	char *family;
	char *le;       /* histogram buckets: the le label's value */
	double value;
};

static struct sample *samples;
static size_t nsamples, alloc_samples;

struct family {
	char *name;
	char *type;
	bool seen_samples;
	bool closed;
};

static struct family families[256];
static size_t nfamilies;
static const char *file;
static size_t lineno;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "promcheck: %s:%zu: ", file, lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static bool name_start(int c)
{
	return isalpha(c) || c == '_' || c == ':';
}

static bool name_char(int c)
{
	return isalnum(c) || c == '_' || c == ':';
}

static struct family *family_get(const char *name, bool create)
{
	size_t i;

	for (i = 0; i < nfamilies; i++)
		if (!strcmp(families[i].name, name))
			return &families[i];
	if (!create)
		return NULL;
	if (nfamilies == sizeof(families) / sizeof(families[0]))
		fail("%s", "too many families");
	families[nfamilies].name = strdup(name);
	families[nfamilies].type = NULL;
	return &families[nfamilies++];
}

/* The family a sample belongs to: a histogram's _bucket/_sum/_count fold
 * into it when its TYPE says histogram. */
static struct family *family_of(const char *name)
{
	static const char *const suffixes[] = { "_bucket", "_sum", "_count" };
	size_t i, len = strlen(name);

	for (i = 0; i < 3; i++) {
		size_t sl = strlen(suffixes[i]);

		if (len > sl && !strcmp(name + len - sl, suffixes[i])) {
			char *base = strndup(name, len - sl);
			struct family *f = family_get(base, false);

			free(base);
			if (f && f->type && !strcmp(f->type, "histogram"))
				return f;
		}
	}
	return family_get(name, true);
}

static bool valid_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		size_t k;

		if (!n || i + n > len || (n == 2 && c < 0xc2))
			return false;
		for (k = 1; k < n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		i += n;
	}
	return true;
}

static void parse_comment(char *line)
{
	char *kw = line + 1, *name, *rest;
	struct family *f;

	while (*kw == ' ')
		kw++;
	if (strncmp(kw, "HELP ", 5) && strncmp(kw, "TYPE ", 5))
		return; /* a plain comment */
	name = kw + 5;
	rest = strchr(name, ' ');
	if (!rest)
		fail("%s", "HELP or TYPE without text");
	*rest++ = '\0';
	if (!name_start((unsigned char)name[0]))
		fail("bad metric name '%s'", name);
	f = family_get(name, true);
	if (!strncmp(kw, "TYPE", 4)) {
		if (f->type)
			fail("second TYPE for %s", name);
		if (f->seen_samples)
			fail("TYPE after samples of %s", name);
		if (strcmp(rest, "counter") && strcmp(rest, "gauge") && strcmp(rest, "histogram") &&
		    strcmp(rest, "summary") && strcmp(rest, "untyped"))
			fail("unknown type '%s'", rest);
		f->type = strdup(rest);
	}
}

static double parse_value(const char *s)
{
	char *end;
	double v;

	if (!strcmp(s, "+Inf"))
		return INFINITY;
	if (!strcmp(s, "-Inf"))
		return -INFINITY;
	if (!strcmp(s, "NaN"))
		return NAN;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end)
		fail("bad value '%s'", s);
	return v;
}

static struct family *current;

static void parse_sample(char *line)
{
	char *p = line, *name, *series_end, *le = NULL;
	char labels[64][128];
	size_t nlabels = 0, i;
	struct family *f;
	struct sample *s;

	if (!name_start((unsigned char)*p))
		fail("bad metric name in '%s'", line);
	while (name_char((unsigned char)*p))
		p++;
	name = strndup(line, (size_t)(p - line));
	if (*p == '{') {
		p++;
		while (*p != '}') {
			char *ln = p;
			size_t lnlen;
			char *value_start;

			if (!name_start((unsigned char)*p))
				fail("bad label name in '%s'", line);
			while (name_char((unsigned char)*p))
				p++;
			lnlen = (size_t)(p - ln);
			if (lnlen >= sizeof(labels[0]) || nlabels == 64)
				fail("%s", "label too long or too many labels");
			memcpy(labels[nlabels], ln, lnlen);
			labels[nlabels][lnlen] = '\0';
			for (i = 0; i < nlabels; i++)
				if (!strcmp(labels[i], labels[nlabels]))
					fail("duplicate label %s", labels[nlabels]);
			nlabels++;
			if (p[0] != '=' || p[1] != '"')
				fail("expected =\" in '%s'", line);
			p += 2;
			value_start = p;
			while (*p && *p != '"') {
				if ((unsigned char)*p < 0x20)
					fail("%s", "raw control character in a label value");
				if (*p == '\\') {
					if (p[1] != '\\' && p[1] != '"' && p[1] != 'n')
						fail("bad escape in '%s'", line);
					p++;
				}
				p++;
			}
			if (*p != '"')
				fail("unterminated label value in '%s'", line);
			if (!valid_utf8((const unsigned char *)value_start, (size_t)(p - value_start)))
				fail("label value is not UTF-8 in '%s'", line);
			if (!strcmp(labels[nlabels - 1], "le"))
				le = strndup(value_start, (size_t)(p - value_start));
			p++;
			if (*p == ',')
				p++;
			else if (*p != '}')
				fail("expected , or } in '%s'", line);
		}
		p++;
	}
	series_end = p;
	if (*p != ' ')
		fail("expected a space before the value in '%s'", line);
	*series_end = '\0';
	p++;
	{
		char *ts = strchr(p, ' ');

		if (ts) {
			*ts++ = '\0';
			parse_value(ts);
		}
	}
	f = family_of(name);
	if (f->closed)
		fail("family %s is split", f->name);
	if (current && current != f)
		current->closed = true;
	current = f;
	f->seen_samples = true;
	for (i = 0; i < nsamples; i++)
		if (!strcmp(samples[i].series, line))
			fail("duplicate series %s", line);
	if (nsamples == alloc_samples) {
		alloc_samples = alloc_samples ? 2 * alloc_samples : 64;
		samples = realloc(samples, alloc_samples * sizeof(*samples));
		if (!samples)
			abort();
	}
	s = &samples[nsamples++];
	s->series = strdup(line);
	s->name = name;
	s->family = f->name;
	s->le = le;
	s->value = parse_value(p);
	if (f->type && !strcmp(f->type, "counter") && !(s->value >= 0))
		fail("negative counter %s", line);
}

/* Buckets of one histogram (without other labels, as linkgate writes it):
 * increasing le, cumulative counts, +Inf last and equal to _count. */
static void check_histograms(void)
{
	size_t f, i;

	for (f = 0; f < nfamilies; f++) {
		double last_le = -INFINITY, last_count = 0, inf = NAN, count = NAN;
		char *bucket, *countname;

		if (!families[f].type || strcmp(families[f].type, "histogram"))
			continue;
		if (asprintf(&bucket, "%s_bucket", families[f].name) < 0 ||
		    asprintf(&countname, "%s_count", families[f].name) < 0)
			abort();
		for (i = 0; i < nsamples; i++) {
			if (!strcmp(samples[i].name, countname))
				count = samples[i].value;
			if (strcmp(samples[i].name, bucket))
				continue;
			if (!samples[i].le)
				fail("bucket without le: %s", samples[i].series);
			{
				double le = parse_value(samples[i].le);

				if (!(le > last_le))
					fail("buckets out of order at %s", samples[i].series);
				if (samples[i].value < last_count)
					fail("buckets not cumulative at %s", samples[i].series);
				last_le = le;
				last_count = samples[i].value;
				if (isinf(le))
					inf = samples[i].value;
			}
		}
		if (isnan(inf) || isnan(count) || inf != count)
			fail("histogram %s: the +Inf bucket must equal _count", families[f].name);
		free(bucket);
		free(countname);
	}
}

int main(int argc, char **argv)
{
	FILE *in;
	char *line = NULL;
	size_t cap = 0, i;
	ssize_t n;

	if (argc < 2 || argc > 4 || (argc == 4 && strcmp(argv[2], "--sum"))) {
		fprintf(stderr, "usage: promcheck FILE [SERIES | --sum PREFIX]\n");
		return 2;
	}
	file = argv[1];
	in = fopen(file, "r");
	if (!in) {
		fprintf(stderr, "promcheck: %s: %s\n", file, strerror(errno));
		return 1;
	}
	while ((n = getline(&line, &cap, in)) >= 0) {
		lineno++;
		if (n == 0 || line[n - 1] != '\n')
			fail("%s", "the last line has no newline");
		line[n - 1] = '\0';
		if (!line[0])
			continue;
		if (line[0] == '#')
			parse_comment(line);
		else
			parse_sample(line);
	}
	fclose(in);
	free(line);
	lineno = 0;
	check_histograms();
	if (argc == 2) {
		printf("%zu\n", nsamples);
	} else if (argc == 3) {
		for (i = 0; i < nsamples; i++)
			if (!strcmp(samples[i].series, argv[2]))
				break;
		if (i == nsamples)
			puts("absent");
		else
			printf("%.17g\n", samples[i].value);
	} else {
		double sum = 0;

		for (i = 0; i < nsamples; i++)
			if (!strncmp(samples[i].series, argv[3], strlen(argv[3])))
				sum += samples[i].value;
		printf("%.17g\n", sum);
	}
	return 0;
}
