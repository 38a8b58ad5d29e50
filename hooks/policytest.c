/*
 * policytest.c — `linkgate policy test [--now DATE] [DIR|FILE]`: runs the
 * policy unit tests of ptest.h and maps the outcome to SPEC's exit
 * statuses: 0 every test passed, 1 a test failed, 2 a bad fixture (or bad
 * usage).
 */
#include "linkgate/common.h"
#include "linkgate/error.h"
#include "linkgate/ptest.h"

int lg_cmd_policy_test(int argc, char **argv);

int lg_cmd_policy_test(int argc, char **argv)
{
	struct lg_ptest_opts o;
	struct lg_ptest_result res;
	const char *path = NULL;
	int i;

	memset(&o, 0, sizeof(o));
	o.out = stdout;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;

		if (!strcmp(a, "--now") && i + 1 < argc)
			v = argv[++i];
		else if (!strncmp(a, "--now=", 6))
			v = a + 6;
		if (v) {
			if (lg_ptest_parse_time(&o.now, v) < 0) {
				fprintf(stderr, "linkgate: policy test: --now: %s\n", lg_error_last());
				return LG_EXIT_CONFIG;
			}
			o.has_now = true;
		} else if (a[0] == '-' || path) {
			fprintf(stderr, "linkgate: policy test: unexpected argument '%s'\n"
					"usage: linkgate policy test [--now DATE] [DIR|FILE]\n", a);
			return LG_EXIT_CONFIG;
		} else {
			path = a;
		}
	}
	if (lg_ptest_run(&res, path ? path : ".", &o) < 0) {
		fprintf(stderr, "linkgate: %s\n", lg_error_last());
		return LG_EXIT_CONFIG;
	}
	lg_ptest_finish(&res, &o);
	if (res.bad)
		return LG_EXIT_CONFIG;
	return res.failed ? LG_EXIT_POLICY : LG_EXIT_ACCEPT;
}
