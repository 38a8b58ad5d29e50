#!/bin/sh
# The built binary is hardened as configure.ac promises (STYLE.md "Build"):
# a position-independent executable, full RELRO (read-only relocations,
# bound at start-up), a stack protector, _FORTIFY_SOURCE's checked libc
# calls, a non-executable stack and no text relocations. Read from the
# ELF file itself with readelf, so a build change that drops a flag fails
# here. Sanitizer builds turn _FORTIFY_SOURCE off (configure.ac), so that
# one check is skipped there.
. "$LG_SRCDIR/tests/test-lib.sh"

test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $1 # SKIP $2"
}

if ! command -v readelf >/dev/null 2>&1; then
	echo "1..0 # SKIP readelf (binutils) is not installed"
	exit 0
fi

B=$LINKGATE
readelf -h -W "$B" >header.txt 2>&1
readelf -l -W "$B" >segments.txt 2>&1
readelf -d -W "$B" >dynamic.txt 2>&1
readelf --dyn-syms -W "$B" >dynsyms.txt 2>&1

test_expect_success 'PIE: the executable is position-independent (ELF type DYN)' '
	expect_grep "Type: *DYN" header.txt &&
	expect_grep "FLAGS_1.*PIE" dynamic.txt
'

test_expect_success 'full RELRO: a GNU_RELRO segment and BIND_NOW' '
	expect_grep "GNU_RELRO" segments.txt &&
	expect_grep "(FLAGS) *BIND_NOW\|FLAGS_1.*NOW" dynamic.txt
'

test_expect_success 'stack protector: __stack_chk_fail is linked' '
	expect_grep " __stack_chk_fail" dynsyms.txt
'

if grep -q "__asan_\|__ubsan_" dynsyms.txt || nm "$B" 2>/dev/null | grep -q "__asan_init\|__ubsan_handle"; then
	test_skip '_FORTIFY_SOURCE: checked libc calls are linked' 'sanitizer build (configure.ac leaves _FORTIFY_SOURCE off)'
else
	test_expect_success '_FORTIFY_SOURCE: checked libc calls are linked' '
		expect_grep " __[a-z]*printf_chk\| __mem[a-z]*_chk\| __str[a-z]*_chk\| __read_chk" dynsyms.txt
	'
fi

test_expect_success 'the stack is not executable' '
	grep "GNU_STACK" segments.txt >stack.txt &&
	expect_no_grep "RWE" stack.txt
'

test_expect_success 'no text relocations, no RPATH' '
	expect_no_grep "TEXTREL" dynamic.txt &&
	expect_no_grep "(RPATH)" dynamic.txt
'

test_done
