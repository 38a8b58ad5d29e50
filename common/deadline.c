/* deadline.c — the monotonic deadline of a hook run (see deadline.h). */
#include "linkgate/deadline.h"
#include "linkgate/error.h"

#include <time.h>

static struct timespec start;
static bool started;
static long budget_ms; /* 0: no deadline */
static long configured_ms;

static long now_ms_since_start(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)(t.tv_sec - start.tv_sec) * 1000 + (t.tv_nsec - start.tv_nsec) / 1000000;
}

void lg_deadline_set_ms(long ms)
{
	if (!started) {
		clock_gettime(CLOCK_MONOTONIC, &start);
		started = true;
	}
	configured_ms = ms;
	budget_ms = ms > 0 ? now_ms_since_start() + ms : 0;
}

long lg_deadline_remaining_ms(void)
{
	long left;

	if (!budget_ms)
		return LONG_MAX;
	left = budget_ms - now_ms_since_start();
	return left > 0 ? left : 0;
}

int lg_deadline_check(void)
{
	if (budget_ms && now_ms_since_start() >= budget_ms)
		return lg_error_set(LG_ETIMEOUT, "time limit reached (limits.timeout_ms: %ld)", configured_ms);
	return 0;
}

long lg_deadline_elapsed_ms(void)
{
	return started ? now_ms_since_start() : 0;
}
