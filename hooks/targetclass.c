/* targetclass.c — linkname target classes and the standard library list
 * (see targetclass.h). */
#include "linkgate/targetclass.h"

struct std_table {
	bool loaded;
	char **paths;           /* sorted */
	size_t n;
	char **firsts;          /* sorted first elements, deduplicated */
	size_t nfirsts;
};

static struct std_table std_table;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void std_load(void)
{
	const char *p = lg_std_packages, *end = lg_std_packages + lg_std_packages_len;
	size_t alloc = 0, falloc = 0, i;

	if (std_table.loaded)
		return;
	std_table.loaded = true;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t n = (size_t)(le - p);

		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
			n--;
		if (n && p[0] != '#') {
			std_table.paths = lg_xgrow(std_table.paths, sizeof(char *), std_table.n + 1, &alloc);
			std_table.paths[std_table.n++] = lg_xstrndup(p, n);
		}
		p = nl ? nl + 1 : end;
	}
	if (std_table.n)
		qsort(std_table.paths, std_table.n, sizeof(char *), cmp_str);
	for (i = 0; i < std_table.n; i++) {
		const char *s = std_table.paths[i];
		size_t k = strcspn(s, "/");
		char *first = lg_xstrndup(s, k);

		if (std_table.nfirsts && !strcmp(std_table.firsts[std_table.nfirsts - 1], first)) {
			free(first);
			continue;
		}
		std_table.firsts = lg_xgrow(std_table.firsts, sizeof(char *), std_table.nfirsts + 1, &falloc);
		std_table.firsts[std_table.nfirsts++] = first;
	}
	if (std_table.nfirsts)
		qsort(std_table.firsts, std_table.nfirsts, sizeof(char *), cmp_str);
}

static bool sorted_has(char **v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof(char *), cmp_str) != NULL;
}

bool lg_std_package_listed(const char *pkg)
{
	std_load();
	return pkg && sorted_has(std_table.paths, std_table.n, pkg);
}

bool lg_path_in_module(const char *path, const char *module)
{
	size_t n;

	if (!path || !module || !*module)
		return false;
	n = strlen(module);
	return !strncmp(path, module, n) && (path[n] == '\0' || path[n] == '/');
}

bool lg_std_package(const char *pkg, const char *module)
{
	char *first;
	bool ret;

	if (!pkg || !*pkg)
		return false;
	if (lg_std_package_listed(pkg))
		return true;
	if (lg_path_in_module(pkg, module))
		return false;
	first = lg_xstrndup(pkg, strcspn(pkg, "/"));
	/* A dot in the first element is a module path, never the standard
	 * library; the list's first elements have none. */
	ret = !strchr(first, '.') && sorted_has(std_table.firsts, std_table.nfirsts, first);
	free(first);
	return ret;
}

static bool upper_ascii(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* The end of a name: up to '.', '[', ')' or the end. */
static size_t name_len(const char *s)
{
	return strcspn(s, ".[)");
}

/* Skips a balanced [...] (type arguments) at s; returns where it ends. */
static const char *skip_brackets(const char *s)
{
	size_t depth = 0;

	if (*s != '[')
		return s;
	for (; *s; s++) {
		if (*s == '[')
			depth++;
		else if (*s == ']' && --depth == 0)
			return s + 1;
	}
	return s;
}

bool lg_go_symbol_exported(const char *sym)
{
	const char *p;

	if (!sym || !*sym)
		return false;
	if (sym[0] == '(') {
		/* "(*T).M" or "(T).M" */
		p = sym + 1;
		if (*p == '*')
			p++;
		if (!upper_ascii(*p))
			return false;
		p = skip_brackets(p + name_len(p));
		if (*p != ')' || p[1] != '.')
			return false;
		return upper_ascii(p[2]);
	}
	if (!upper_ascii(sym[0]))
		return false;
	p = skip_brackets(sym + name_len(sym));
	if (*p == '.')
		return upper_ascii(p[1]);
	return true;
}

/* An import path element equal to "internal" or "vendor". */
static bool has_internal_element(const char *pkg)
{
	const char *p = pkg;

	for (;;) {
		size_t n = strcspn(p, "/");

		if ((n == 8 && !memcmp(p, "internal", 8)) || (n == 6 && !memcmp(p, "vendor", 6)))
			return true;
		if (!p[n])
			return false;
		p += n + 1;
	}
}

const char *lg_target_class(const char *target, const char *pkg, const char *sym, const char *module)
{
	if (!target)
		return "self";
	if (!pkg)
		return "c-symbol";
	if (!strcmp(pkg, "runtime") || !strncmp(pkg, "runtime/", 8) || !strncmp(pkg, "internal/runtime/", 17))
		return "runtime";
	if (lg_std_package(pkg, module)) {
		if (has_internal_element(pkg) || !lg_go_symbol_exported(sym))
			return "std-internal";
		return "std-exported";
	}
	if (lg_path_in_module(pkg, module))
		return "same-module";
	return "other-module";
}
