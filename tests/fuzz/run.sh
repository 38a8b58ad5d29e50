#!/bin/sh
# run.sh — fuzzes every target for a bounded time (CI's fuzz step).
#
#   tests/fuzz/run.sh BUILD_DIR [SECONDS]
#
# BUILD_DIR was configured with CC=clang --enable-fuzzing (and ASan+UBSan).
# Each target starts from its seed corpus (tests/fuzz/corpus/NAME, replayed
# first), runs SECONDS (default $LG_FUZZ_SECONDS or 20), as many targets at
# once as there are CPUs. New inputs go to a scratch copy, never into the
# source tree. A crash, a leak, a time-out or a failed property fails the
# run and leaves the input under BUILD_DIR/fuzz-out/; add it to the corpus
# (as regress-<what>) once the bug is fixed.
set -u

build=${1:?usage: run.sh BUILD_DIR [SECONDS]}
seconds=${2:-${LG_FUZZ_SECONDS:-20}}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$build" && pwd) || exit 1
out="$build/fuzz-out"
jobs=$(nproc 2>/dev/null || echo 2)
targets=$(ls "$src/tests/fuzz/corpus")

rm -rf "$out"
mkdir -p "$out" || exit 1

for t in $targets; do
	if [ ! -x "$build/tests/fuzz/fuzz-$t" ]; then
		echo "fuzz: $build/tests/fuzz/fuzz-$t is missing (configure CC=clang --enable-fuzzing)" >&2
		exit 1
	fi
done

# One target: merge-free run from a scratch corpus seeded with the tree's.
# -timeout: one input that takes 10 s is a hang (everything here is linear).
run_one() {
	t=$1
	mkdir -p "$out/$t.corpus" &&
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	"$build/tests/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 -artifact_prefix="$out/$t-" \
		"$out/$t.corpus" "$src/tests/fuzz/corpus/$t" >"$out/$t.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log")
	if [ $rc -eq 0 ]; then
		echo "fuzz: $t ok (${execs:-?} runs in ${seconds}s)"
	else
		echo "fuzz: $t FAILED (exit $rc); log: $out/$t.log"
		grep -E -A25 '^==[0-9]+==ERROR|property failed|runtime error|^SUMMARY' "$out/$t.log" | head -60
		ls "$out/$t"-* 2>/dev/null | sed 's/^/fuzz: input: /'
		return 1
	fi
}

status=0
running=0
pids=""
for t in $targets; do
	run_one "$t" >"$out/$t.summary" &
	pids="$pids $!"
	running=$((running + 1))
	if [ $running -ge "$jobs" ]; then
		for p in $pids; do wait "$p" || status=1; done
		pids=""
		running=0
	fi
done
for p in $pids; do wait "$p" || status=1; done
for t in $targets; do cat "$out/$t.summary"; done
[ $status -eq 0 ] && echo "fuzz: all targets ran ${seconds}s without a finding" || echo "fuzz: FAILED"
exit $status
