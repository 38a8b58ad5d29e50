/* test-push.c — hook input parsing: good and malformed lines. */
#include "linkgate/error.h"
#include "linkgate/push.h"
#include "tap.h"

#define Z40 "0000000000000000000000000000000000000000"
#define A40 "1111111111111111111111111111111111111111"
#define B40 "2222222222222222222222222222222222222222"
#define A64 "1111111111111111111111111111111111111111111111111111111111111111"
#define B64 "2222222222222222222222222222222222222222222222222222222222222222"

struct line_case {
	const char *name;
	const char *input;
	int want;             /* 0 or LG_EUSAGE */
	size_t nupdates;
	const char *errpart;  /* substring of the error message */
};

static const struct line_case cases[] = {
	{ "empty input is a push of nothing", "", 0, 0, NULL },
	{ "one update", A40 " " B40 " refs/heads/main\n", 0, 1, NULL },
	{ "create and delete", Z40 " " A40 " refs/heads/new\n" A40 " " Z40 " refs/heads/old\n", 0, 2, NULL },
	{ "sha256 ids", A64 " " B64 " refs/heads/main\n", 0, 1, NULL },
	{ "missing final newline", A40 " " B40 " refs/heads/main", LG_EUSAGE, 0, "missing newline" },
	{ "uppercase hex", "ABCDEF1111111111111111111111111111111111 " B40 " refs/heads/main\n", LG_EUSAGE, 0, "hex" },
	{ "short ids", "1111 2222 refs/heads/main\n", LG_EUSAGE, 0, "hex" },
	{ "mixed id lengths on a line", A40 " " B64 " refs/heads/main\n", LG_EUSAGE, 0, "differ" },
	{ "mixed id lengths across lines", A40 " " B40 " refs/heads/a\n" A64 " " B64 " refs/heads/b\n", LG_EUSAGE, 0,
	  "different lengths" },
	{ "two spaces", A40 "  " B40 " refs/heads/main\n", LG_EUSAGE, 0, "expected" },
	{ "extra field", A40 " " B40 " refs/heads/main extra\n", LG_EUSAGE, 0, "expected" },
	{ "missing ref", A40 " " B40 "\n", LG_EUSAGE, 0, "expected" },
	{ "ref not under refs/", A40 " " B40 " HEAD\n", LG_EUSAGE, 0, "invalid ref" },
	{ "ref with ..", A40 " " B40 " refs/heads/a..b\n", LG_EUSAGE, 0, "invalid ref" },
	{ "ref with control byte", A40 " " B40 " refs/heads/a\033[31m\n", LG_EUSAGE, 0, "invalid ref" },
	{ "ref ending .lock", A40 " " B40 " refs/heads/a.lock\n", LG_EUSAGE, 0, "invalid ref" },
	{ "ref with @{", A40 " " B40 " refs/heads/a@{1}\n", LG_EUSAGE, 0, "invalid ref" },
	{ "ref with empty component", A40 " " B40 " refs/heads//a\n", LG_EUSAGE, 0, "invalid ref" },
	{ "ref ending with /", A40 " " B40 " refs/heads/a/\n", LG_EUSAGE, 0, "invalid ref" },
	{ "CRLF line", A40 " " B40 " refs/heads/main\r\n", LG_EUSAGE, 0, "invalid ref" },
	{ "blank line", "\n", LG_EUSAGE, 0, "expected" },
};

int main(void)
{
	size_t i;
	struct lg_push p;

	for (i = 0; i < LG_ARRAY_SIZE(cases); i++) {
		const struct line_case *c = &cases[i];
		int err;

		lg_push_init(&p);
		lg_error_clear();
		err = lg_push_parse_lines(&p, c->input, strlen(c->input));
		tap_is_int(err, c->want, "%s: status", c->name);
		if (c->want == 0)
			tap_is_int((long long)p.nupdates, (long long)c->nupdates, "%s: updates", c->name);
		else
			tap_ok(strstr(lg_error_last(), c->errpart) != NULL, "%s: message '%s' mentions '%s'", c->name,
			       lg_error_last(), c->errpart);
		lg_push_release(&p);
	}

	/* NUL inside a line */
	{
		static const char in[] = A40 " " B40 " refs/heads/a\0b\n";

		lg_push_init(&p);
		tap_is_int(lg_push_parse_lines(&p, in, sizeof(in) - 1), LG_EUSAGE, "NUL byte in a line is refused");
		lg_push_release(&p);
	}

	/* create/delete flags */
	lg_push_init(&p);
	{
		static const char in[] = Z40 " " A40 " refs/heads/new\n" A40 " " Z40 " refs/tags/v1\n";

		tap_is_int(lg_push_parse_lines(&p, in, sizeof(in) - 1), 0, "create and delete parse");
		tap_ok(p.updates[0].is_create && !p.updates[0].is_delete, "zero old id means create");
		tap_ok(p.updates[1].is_delete && !p.updates[1].is_create, "zero new id means delete");
		tap_is_str(p.updates[1].ref, "refs/tags/v1", "ref name kept");
		tap_is_int((long long)p.hexsz, 40, "id length recorded");
	}
	lg_push_release(&p);

	/* update hook argv */
	lg_push_init(&p);
	tap_is_int(lg_push_add_update(&p, "refs/heads/main", A40, B40), 0, "update argv accepted");
	tap_is_int(lg_push_add_update(&p, "refs/heads/main", "xyz", B40), LG_EUSAGE, "update argv with bad id refused");
	tap_is_int(lg_push_add_update(&p, "main", A40, B40), LG_EUSAGE, "update argv with short ref refused");
	lg_push_release(&p);

	/* pre-push lines: <local ref> <local id> <remote ref> <remote id> */
	lg_push_init(&p);
	{
		static const char in[] = "refs/heads/topic " B40 " refs/heads/main " A40 "\n";

		tap_is_int(lg_push_parse_prepush(&p, in, sizeof(in) - 1), 0, "pre-push line parses");
		tap_is_str(p.updates[0].ref, "refs/heads/main", "pre-push records the remote ref");
		tap_is_str(p.updates[0].old_id, A40, "pre-push old id is the remote id");
		tap_is_str(p.updates[0].new_id, B40, "pre-push new id is the local id");
	}
	lg_push_release(&p);

	/* push options */
	lg_push_init(&p);
	setenv("GIT_PUSH_OPTION_COUNT", "2", 1);
	setenv("GIT_PUSH_OPTION_0", "a=b", 1);
	setenv("GIT_PUSH_OPTION_1", "linkgate.bypass=reason", 1);
	tap_is_int(lg_push_read_options(&p), 0, "push options read");
	tap_is_int((long long)p.noptions, 2, "two push options");
	tap_is_str(p.options[1], "linkgate.bypass=reason", "option text kept");
	lg_push_release(&p);
	lg_push_init(&p);
	setenv("GIT_PUSH_OPTION_COUNT", "100000", 1);
	tap_is_int(lg_push_read_options(&p), LG_EUSAGE, "absurd push option count refused");
	lg_push_release(&p);

	tap_ok(lg_refname_valid("refs/heads/feature/x-1"), "ordinary ref name valid");
	tap_ok(!lg_refname_valid("refs/heads/.hidden"), "component starting with . invalid");
	tap_ok(!lg_refname_valid("refs/heads/a."), "trailing . invalid");
	return tap_done();
}
