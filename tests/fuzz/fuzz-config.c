/*
 * fuzz-config.c — the strict YAML configuration loader (lg_config_parse).
 *
 * Properties: an invalid document is LG_ECONFIG with a one-line message
 * that starts with `FILE:LINE:COLUMN: `; a valid one dumps (`config check`)
 * to YAML that parses back to a configuration with the same dump.
 */
#include "fuzz.h"
#include "linkgate/buf.h"
#include "linkgate/config.h"
#include "linkgate/error.h"

#define NAME "fuzz.yml"

static void check_message(const char *msg)
{
	const char *p = msg + strlen(NAME ":");

	FUZZ_CHECK(!strncmp(msg, NAME ":", strlen(NAME ":")), "message '%s'", msg);
	FUZZ_CHECK(*p >= '1' && *p <= '9', "no line in '%s'", msg);
	while (*p >= '0' && *p <= '9')
		p++;
	FUZZ_CHECK(*p == ':' && p[1] >= '1' && p[1] <= '9', "no column in '%s'", msg);
	for (p++; *p >= '0' && *p <= '9'; p++)
		;
	FUZZ_CHECK(*p == ':' && p[1] == ' ', "no ': ' after the position in '%s'", msg);
	FUZZ_CHECK(!strchr(msg, '\n'), "message of several lines: '%s'", msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lg_config cfg, again;
	struct lg_buf d1 = LG_BUF_INIT, d2 = LG_BUF_INIT;
	int err;

	lg_config_init_defaults(&cfg);
	err = lg_config_parse(&cfg, (const char *)data, size, NAME);
	if (err < 0) {
		FUZZ_CHECK(err == LG_ECONFIG, "code %d: %s", err, lg_error_last());
		check_message(lg_error_last());
		lg_config_release(&cfg);
		return 0;
	}
	lg_config_dump_buf(&cfg, &d1);
	lg_config_init_defaults(&again);
	err = lg_config_parse(&again, d1.ptr, d1.len, NAME);
	FUZZ_CHECK(err == 0, "the dump does not parse back: %s\n%s", lg_error_last(), d1.ptr);
	lg_config_dump_buf(&again, &d2);
	FUZZ_CHECK(d1.len == d2.len && !memcmp(d1.ptr, d2.ptr, d1.len), "the dump changed on reparsing:\n%s\n---\n%s",
		   d1.ptr, d2.ptr);
	lg_buf_release(&d1);
	lg_buf_release(&d2);
	lg_config_release(&again);
	lg_config_release(&cfg);
	return 0;
}
