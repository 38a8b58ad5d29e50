/*
 * fuzz-push.c — the hook input parsers: pre-receive's `<old> <new> <ref>`
 * lines and pre-push's four-field lines. The first byte picks the parser.
 *
 * Properties: a parse either fails with LG_EUSAGE and a one-line message
 * naming the input, or yields updates whose ids are valid hex of one length
 * and whose ref names pass git's rules; create and delete follow the zero
 * ids.
 */
#include "fuzz.h"
#include "linkgate/error.h"
#include "linkgate/push.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lg_push p;
	const char *buf;
	bool prepush;
	size_t i;
	int err;

	if (!size)
		return 0;
	prepush = data[0] & 1;
	buf = (const char *)data + 1;
	size--;
	lg_push_init(&p);
	err = prepush ? lg_push_parse_prepush(&p, buf, size) : lg_push_parse_lines(&p, buf, size);
	if (err < 0) {
		const char *msg = lg_error_last();

		FUZZ_CHECK(err == LG_EUSAGE, "code %d", err);
		FUZZ_CHECK(!strncmp(msg, "malformed ", 10), "message '%s'", msg);
		FUZZ_CHECK(!strchr(msg, '\n'), "message '%s'", msg);
	} else {
		FUZZ_CHECK(p.nupdates == 0 || p.hexsz == 40 || p.hexsz == 64, "hexsz %zu", p.hexsz);
		for (i = 0; i < p.nupdates; i++) {
			const struct lg_ref_update *u = &p.updates[i];

			FUZZ_CHECK(strlen(u->old_id) == p.hexsz && lg_oid_hex_valid(u->old_id, p.hexsz), "old '%s'", u->old_id);
			FUZZ_CHECK(strlen(u->new_id) == p.hexsz && lg_oid_hex_valid(u->new_id, p.hexsz), "new '%s'", u->new_id);
			FUZZ_CHECK(lg_refname_valid(u->ref), "ref '%s'", u->ref);
			FUZZ_CHECK(u->is_create == lg_oid_hex_is_zero(u->old_id), "create");
			FUZZ_CHECK(u->is_delete == lg_oid_hex_is_zero(u->new_id), "delete");
		}
	}
	lg_push_release(&p);
	return 0;
}
