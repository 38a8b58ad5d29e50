#!/bin/sh
# test.sh — sets everything up (scripts/setup.sh) and runs the whole test
# suite: C unit tests, fuzz-corpus replays and real-push integration tests,
# all TAP, under `make check`; then `make distcheck`. Then the same suite
# again in a second build with AddressSanitizer, UndefinedBehaviorSanitizer
# and leak checking; then every fuzz target for a bounded time. Any failure
# fails the run. Ends with one line "tests: N passed, N failed" counting
# every run (each fuzz target counts as one test).
#
# Environment: LG_BUILD_DIR, LG_SAN_BUILD_DIR, LG_FUZZ_BUILD_DIR (build
# directories, default _build, _build-san, _build-fuzz); LG_FUZZ_SECONDS
# (per target, default 20); LG_SKIP_DISTCHECK, LG_SKIP_SANITIZERS,
# LG_SKIP_FUZZ (set to skip that step).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${LG_BUILD_DIR:-$top/_build}
san=${LG_SAN_BUILD_DIR:-$top/_build-san}
fuzz=${LG_FUZZ_BUILD_DIR:-$top/_build-fuzz}
jobs=$(nproc 2>/dev/null || echo 2)

"$top/scripts/setup.sh" "$@" || exit 1

status=0
total_passed=0
total_failed=0

# count DIR WHAT: the automake test results of one build.
count() {
	find "$1/tests" -name '*.trs' -exec cat {} + 2>/dev/null | grep -c -E "^:test-result: $2"
}

# check DIR LABEL: `make check` in DIR; shows what failed; adds the counts.
check() {
	rc=0
	(cd "$1" && make -s -j"$jobs" check >check.out 2>&1) || rc=1
	grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP):' "$1/check.out" | grep -v '^PASS' || true
	sed -n '/^# TOTAL/,/^# ERROR/p' "$1/check.out"
	if [ $rc -ne 0 ]; then
		for log in $(find "$1/tests" -name '*.log' -exec grep -l -E '^(not ok|Bail out)' {} + 2>/dev/null); do
			echo "--- $log"
			grep -E -A12 '^(not ok|Bail out)' "$log" | head -60
		done
	fi
	p=$(count "$1" PASS)
	f=$(count "$1" '(FAIL|ERROR|XPASS)')
	echo "tests ($2): $p passed, $f failed"
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	[ $rc -eq 0 ] && [ "$f" -eq 0 ]
}

# configured DIR ARGS...: DIR holds a build configured with ARGS (configure
# runs only when DIR has none, or a different one).
configured() {
	dir=$1
	shift
	mkdir -p "$dir" || return 1
	if [ ! -f "$dir/Makefile" ] || [ "$(cat "$dir/.lg-configure-args" 2>/dev/null)" != "$*" ]; then
		echo "test: configure $dir: $*"
		(cd "$dir" && "$top/configure" -q "$@") || return 1
		echo "$*" >"$dir/.lg-configure-args"
	fi
}

echo "test: make check"
check "$build" build || status=1

if [ $status -eq 0 ] && [ -z "${LG_SKIP_DISTCHECK:-}" ]; then
	echo "test: make distcheck"
	(cd "$build" && make -s distcheck DISTCHECK_CONFIGURE_FLAGS= >distcheck.out 2>&1) || {
		status=1
		total_failed=$((total_failed + 1))
		grep -E '^(FAIL|ERROR):' "$build/distcheck.out" || tail -40 "$build/distcheck.out"
		echo "distcheck: FAILED (counted as one failure below)"
	}
fi

# Sanitizers: every report goes to a file as well, so a hook that trips one
# inside a push that is rejected anyway still fails the run.
if [ -z "${LG_SKIP_SANITIZERS:-}" ]; then
	echo "test: make check with ASan+UBSan in $san"
	if configured "$san" --enable-asan --enable-ubsan && (cd "$san" && make -s -j"$jobs" >build.out 2>&1); then
		rm -rf "$san/sanitizer-logs"
		mkdir -p "$san/sanitizer-logs"
		export ASAN_OPTIONS="detect_leaks=1:log_exe_name=1:log_path=$san/sanitizer-logs/asan"
		export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_exe_name=1:log_path=$san/sanitizer-logs/ubsan"
		check "$san" asan+ubsan || status=1
		unset ASAN_OPTIONS UBSAN_OPTIONS
		if [ -n "$(ls "$san/sanitizer-logs")" ]; then
			status=1
			total_failed=$((total_failed + 1))
			for r in "$san"/sanitizer-logs/*; do
				echo "--- $r"
				head -40 "$r"
			done
			echo "sanitizers: FAILED (reports above)"
		fi
	else
		status=1
		total_failed=$((total_failed + 1))
		tail -40 "$san/build.out" 2>/dev/null
		echo "sanitizers: the build FAILED"
	fi
fi

# Fuzzing: libFuzzer targets under clang, each from its seed corpus (which
# make check has already replayed in both builds above).
if [ -z "${LG_SKIP_FUZZ:-}" ]; then
	echo "test: fuzz every target for ${LG_FUZZ_SECONDS:-20}s in $fuzz"
	if configured "$fuzz" CC=clang --enable-fuzzing --enable-asan --enable-ubsan &&
	   (cd "$fuzz" && make -s -j"$jobs" >build.out 2>&1); then
		"$top/tests/fuzz/run.sh" "$fuzz" "${LG_FUZZ_SECONDS:-20}" || status=1
		p=$(grep -c ' ok (' "$fuzz"/fuzz-out/*.summary 2>/dev/null | awk -F: '{ s += $2 } END { print s + 0 }')
		f=$(grep -c 'FAILED' "$fuzz"/fuzz-out/*.summary 2>/dev/null | awk -F: '{ s += $2 } END { print s + 0 }')
		echo "tests (fuzz): $p passed, $f failed"
		total_passed=$((total_passed + p))
		total_failed=$((total_failed + f))
	else
		status=1
		total_failed=$((total_failed + 1))
		tail -40 "$fuzz/build.out" 2>/dev/null
		echo "fuzz: the build FAILED"
	fi
fi

[ "$total_failed" -eq 0 ] || status=1
echo "tests: $total_passed passed, $total_failed failed"
exit $status
