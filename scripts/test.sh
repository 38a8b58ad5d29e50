#!/bin/sh
# test.sh — sets everything up (scripts/setup.sh) and runs the whole test
# suite: C unit tests and real-push integration tests, all TAP, under
# `make check`; then `make distcheck` unless LG_SKIP_DISTCHECK is set.
# Ends with one line "tests: N passed, N failed".
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${LG_BUILD_DIR:-$top/_build}
jobs=$(nproc 2>/dev/null || echo 2)

"$top/scripts/setup.sh" "$@" || exit 1
cd "$build" || exit 1

status=0
make -s -j"$jobs" check >check.out 2>&1 || status=1
grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP):' check.out | grep -v '^PASS' || true
sed -n '/^# TOTAL/,/^# ERROR/p' check.out
if [ $status -ne 0 ]; then
	for log in $(grep -l -E '^(not ok|Bail out)' tests/*.log tests/unit/*.log 2>/dev/null); do
		echo "--- $log"
		grep -E -A12 '^(not ok|Bail out)' "$log" | head -60
	done
fi

if [ $status -eq 0 ] && [ -z "${LG_SKIP_DISTCHECK:-}" ]; then
	echo "test: make distcheck"
	make -s distcheck DISTCHECK_CONFIGURE_FLAGS= >distcheck.out 2>&1 || {
		status=1
		tail -40 distcheck.out
		echo "distcheck: FAILED"
	}
fi

passed=$(cat tests/*.trs tests/unit/*.trs 2>/dev/null | grep -c '^:test-result: PASS')
failed=$(cat tests/*.trs tests/unit/*.trs 2>/dev/null | grep -c -E '^:test-result: (FAIL|ERROR|XPASS)')
[ "$failed" -eq 0 ] || status=1
echo "tests: $passed passed, $failed failed"
exit $status
