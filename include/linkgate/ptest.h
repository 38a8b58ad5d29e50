/*
 * ptest.h — `linkgate policy test`: policy unit tests as fixture files
 * (docs/POLICY.md, "Testing policies", is the format's reference).
 *
 * A fixture is a YAML file named *.test.yml; each document in it is one
 * case: an optional configuration laid over the directory's linkgate.yml
 * (else the embedded defaults), a commit (message, signature, sign-offs),
 * the finding (stated as data, or detected in files the commit adds, with
 * stated facts laid over what the detectors found), and the expected
 * verdicts: per rule pass, error, warning or fail, with optional message
 * and hint substrings, or an expected evaluation error. Cases run through
 * the same engine as a push (policy.h), with lg.now() fixed.
 *
 * Output is TAP: one test point per expectation, the plan last. A case
 * that cannot be run (bad YAML, an unknown key, a rule no policy defines, a
 * configuration or policy that does not load) is a "bad fixture": its test
 * point fails and is counted apart, so a typo never passes silently.
 */
#ifndef LINKGATE_PTEST_H
#define LINKGATE_PTEST_H

#include "linkgate/common.h"

struct lg_ptest_opts {
	bool has_now;
	int64_t now;            /* lg.now() for cases without now: (else the clock) */
	FILE *out;              /* TAP goes here */
};

struct lg_ptest_result {
	size_t points;          /* TAP test points written */
	size_t failed;          /* of those, failed expectations */
	size_t bad;             /* of those, bad fixtures */
	size_t cases;
};

/* Runs the fixture file path, or every *.test.yml directly in the directory
 * path (in name order). Writes TAP to o->out, except the plan, which
 * lg_ptest_finish() writes. Returns 0 (see *res for the outcome), or
 * LG_EUSAGE when path cannot be read or holds no fixture. */
int lg_ptest_run(struct lg_ptest_result *res, const char *path, const struct lg_ptest_opts *o);

/* Writes the TAP plan for res. */
void lg_ptest_finish(const struct lg_ptest_result *res, const struct lg_ptest_opts *o);

/* Parses a time for --now and now:: "YYYY-MM-DD" (00:00 UTC),
 * "YYYY-MM-DDTHH:MM:SSZ", or "@SECONDS". Returns 0 or LG_EUSAGE. */
int lg_ptest_parse_time(int64_t *out, const char *s);

#endif
