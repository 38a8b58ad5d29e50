/*
 * fuzz-buildexpr.c — build constraints evaluated over Go releases
 * (buildexpr.h), the step after gofacts has read the //go:build line. The
 * input is EXPR NUL PATH NUL EXPR2 (missing parts are empty; an empty
 * EXPR stands for no constraint).
 *
 * Properties: evaluation succeeds or fails with LG_ERROR and a message;
 * the releases a constraint admits are ordered, disjoint ranges, open only
 * at the ends; "(EXPR)" and "!!(EXPR)" admit the same releases as EXPR;
 * the truth matrix of two constraints has ascending classes and answers
 * for every cell.
 */
#include "fuzz.h"
#include "linkgate/buf.h"
#include "linkgate/buildexpr.h"
#include "linkgate/error.h"

static void check_ranges(const struct lg_goranges *r, const char *expr)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct lg_gorange *g = &r->v[i];

		FUZZ_CHECK(g->lo != LG_GO_OPEN || i == 0, "'%s': range %zu open below", expr, i);
		FUZZ_CHECK(g->hi != LG_GO_OPEN || i == r->n - 1, "'%s': range %zu open above", expr, i);
		FUZZ_CHECK(g->lo == LG_GO_OPEN || g->hi == LG_GO_OPEN || g->lo <= g->hi, "'%s': range %zu is [%d, %d]",
			   expr, i, g->lo, g->hi);
		if (i)
			FUZZ_CHECK(r->v[i - 1].hi != LG_GO_OPEN && g->lo != LG_GO_OPEN && r->v[i - 1].hi + 1 < g->lo,
				   "'%s': ranges %zu and %zu touch or overlap", expr, i - 1, i);
	}
}

static bool same_ranges(const struct lg_goranges *a, const struct lg_goranges *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->v[i].lo != b->v[i].lo || a->v[i].hi != b->v[i].hi)
			return false;
	return true;
}

/* go_versions(expr, path) into *out; returns whether it succeeded. */
static bool versions(struct lg_goranges *out, const char *expr, const char *path)
{
	int err;

	memset(out, 0, sizeof(*out));
	err = lg_build_go_versions(out, expr, path);
	if (err < 0) {
		FUZZ_CHECK(err == LG_ERROR, "'%s': code %d", expr ? expr : "(none)", err);
		FUZZ_CHECK(*lg_error_last(), "'%s': no message", expr ? expr : "(none)");
		return false;
	}
	check_ranges(out, expr ? expr : "(none)");
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *expr, *rest, *path, *expr2;
	struct lg_goranges r0, r1;
	struct lg_buf wrapped = LG_BUF_INIT;
	struct lg_bconstraint c[2];
	struct lg_bmatrix m;
	size_t bad = 0, k, a, cls;
	bool ok;
	char *implicit;

	fuzz_split2(data, size, &expr, &rest);
	fuzz_split2((const uint8_t *)rest, strlen(rest), &path, &expr2);

	ok = versions(&r0, *expr ? expr : NULL, *path ? path : NULL);
	if (ok && *expr) {
		lg_buf_printf(&wrapped, "(%s)", expr);
		if (versions(&r1, wrapped.ptr, *path ? path : NULL))
			FUZZ_CHECK(same_ranges(&r0, &r1), "'%s' and '(%s)' admit different releases", expr, expr);
		lg_goranges_release(&r1);
		lg_buf_clear(&wrapped);
		lg_buf_printf(&wrapped, "!!(%s)", expr);
		if (versions(&r1, wrapped.ptr, *path ? path : NULL))
			FUZZ_CHECK(same_ranges(&r0, &r1), "'%s' and '!!(%s)' admit different releases", expr, expr);
		lg_goranges_release(&r1);
	}
	lg_goranges_release(&r0);

	c[0].expr = *expr ? expr : NULL;
	c[0].path = *path ? path : NULL;
	c[1].expr = *expr2 ? expr2 : NULL;
	c[1].path = NULL;
	memset(&m, 0, sizeof(m));
	if (lg_bmatrix_eval(&m, &bad, c, 2, NULL, 0) == 0) {
		FUZZ_CHECK(m.n == 2 && m.nclass >= 1 && m.nassign >= 1, "matrix %zu x %zu x %zu", m.n, m.nassign, m.nclass);
		for (k = 1; k < m.nclass; k++)
			FUZZ_CHECK(m.class_lo[k - 1] < m.class_lo[k], "classes out of order");
		for (k = 0; k < m.n; k++)
			for (a = 0; a < m.nassign; a++)
				for (cls = 0; cls < m.nclass; cls++)
					(void)lg_bmatrix_get(&m, k, a, cls);
	} else {
		FUZZ_CHECK(bad <= 2, "bad index %zu", bad);
	}
	lg_bmatrix_release(&m);

	FUZZ_CHECK(lg_build_go_tag(expr, strlen(expr)) == -1 || lg_build_go_tag(expr, strlen(expr)) >= 1,
		   "go tag of '%s'", expr);
	implicit = lg_build_implicit(path);
	free(implicit);
	lg_buf_release(&wrapped);
	free(expr);
	free(rest);
	free(path);
	free(expr2);
	return 0;
}
