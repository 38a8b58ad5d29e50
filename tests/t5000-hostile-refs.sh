#!/bin/sh
# Adversarial: what the push says about itself — many refs, malformed hook
# input, hostile ref names. Every case asserts the exit status and the text
# the pusher sees; t1300-bad-input.sh has the first malformed-input case.
. "$LG_SRCDIR/tests/test-lib.sh"
. "$LG_SRCDIR/tests/lib-hostile.sh"

write_test_config trailer
A=1111111111111111111111111111111111111111
B=2222222222222222222222222222222222222222

test_setup 'set up a server and a clone' '
	make_server srv "$TRASH/linkgate.yml" &&
	make_clone work srv && cd work &&
	echo "package m" >m.go && commit_all "initial" &&
	push origin main && expect_push_accepted && cd ..
'

# 999 branches each add a compliant, signed-off linkname; the last adds a
# bare one. fast-import writes them in a second.
test_setup 'make 1,000 branches, only the last one bad' '
	(cd work && base=$(git rev-parse main) &&
	 compliant_go >"$TRASH/good.go" && bare_linkname_go >"$TRASH/bad.go" &&
	 awk -v base="$base" -v good="$TRASH/good.go" -v bad="$TRASH/bad.go" -v trailers="$COMPLIANT_TRAILERS" "
	 function body(f,   line, s) { s = \"\"; while ((getline line < f) > 0) s = s line \"\\n\"; close(f); return s }
	 BEGIN {
		g = body(good); b = body(bad)
		for (i = 1; i <= 1000; i++) {
			name = sprintf(\"b%04d\", i)
			printf \"commit refs/heads/%s\\ncommitter C O Mitter <c@example.com> 1767225600 +0000\\n\", name
			msg = (i < 1000) ? \"add \" name \"\\n\\n\" trailers \"\\n\" : \"add \" name \"\\n\"
			printf \"data %d\\n%s\", length(msg), msg
			printf \"from %s\\n\", base
			src = (i < 1000) ? g : b
			printf \"M 100644 inline %s/f.go\\ndata %d\\n%s\\n\", name, length(src), src
		}
	 }" | git fast-import --quiet) &&
	test "$(git -C work for-each-ref refs/heads/b* | wc -l)" -eq 1000
'

test_expect_success 'a push of 1,000 refs where only the last is bad is rejected for that one' '
	cd work &&
	push origin "refs/heads/b*:refs/heads/b*" && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected" "$ERR" &&
	expect_grep "b1000/f.go:5" "$ERR" &&
	expect_no_grep "b0999/f.go" "$ERR" &&
	expect_no_grep "b0001/f.go" "$ERR" &&
	expect_grep "checked 1000 commits" "$ERR" &&
	test "$(git --git-dir=../srv.git for-each-ref refs/heads/b* | wc -l)" -eq 0
'

test_expect_success 'the 999 good refs alone are accepted' '
	cd work && git branch -q -D b1000 &&
	push origin "refs/heads/b*:refs/heads/b*" && expect_push_accepted &&
	test "$(git --git-dir=../srv.git for-each-ref refs/heads/b* | wc -l)" -eq 999
'

# A client may send any number of ref updates; the hook input alone may be
# 64 MiB. Every per-ref loop is linear and watches the deadline.
test_expect_success '100,000 ref updates naming one bad commit: decided within the time limit' '
	cd work && git checkout -q -b manyrefs origin/main &&
	{ printf "package p\n\nimport _ \"unsafe\"\n\n"; awk "BEGIN { for (i = 0; i < 1000; i++) print \"//go:linkname f\" i \" runtime.f\" i }"; } >r.go &&
	commit_all "a thousand directives" && git push -q origin HEAD:refs/review/manyrefs 2>/dev/null &&
	awk -v t=$(git rev-parse HEAD) "BEGIN { for (i = 0; i < 100000; i++) printf \"%s %s refs/heads/r%d\\n\", \"$Z40\", t, i }" >"$TRASH/in" &&
	cd .. && t0=$(now_ms) && hook_run srv.git "" <"$TRASH/in" && t1=$(now_ms) &&
	echo "exit $hook_status after $((t1 - t0)) ms" &&
	{ { test $hook_status -eq 1 && expect_grep "r.go:5 " "$TRASH/hook.err"; } ||
	  { test $hook_status -eq 3 && expect_grep "time limit reached" "$TRASH/hook.err"; }; } &&
	test $((t1 - t0)) -lt 5000
'

# Malformed hook input, fed to the hook as git would run it. Each is
# usage (exit 2), one line, naming the line, never echoing raw bytes.
bad_input() {
	test_expect_success "malformed hook input: $1" "
		printf '$2' >\"\$TRASH/in\" && hook_run srv.git '' <\"\$TRASH/in\" && expect_status \$hook_status 2 &&
		expect_grep '$3' \"\$TRASH/hook.err\" &&
		expect_lines 1 \"\$TRASH/hook.err\" &&
		expect_terminal_safe \"\$TRASH/hook.err\"
	"
}
bad_input 'CRLF line ends' "$Z40 $A refs/heads/x\r\n" 'malformed hook input line 1: invalid ref name'
bad_input 'upper-case hex' "$Z40 ABCDEF${A#??????} refs/heads/x\n" 'line 1: the new id is not a 40- or 64-digit'
bad_input 'a 39-digit id' "$Z40 ${A#?} refs/heads/x\n" 'line 1: old and new ids differ in length'
bad_input 'ids of 40 and 64 digits in one push' "$Z40 $A refs/heads/x\n${Z40}000000000000000000000000 ${A}111111111111111111111111 refs/heads/y\n" 'object ids of different lengths in one push'
bad_input 'two spaces between fields' "$Z40  $A refs/heads/x\n" 'line 1: expected'
bad_input 'a fourth field' "$Z40 $A refs/heads/x extra\n" 'line 1: expected'
bad_input 'no newline after the last line' "$Z40 $A refs/heads/x\n$A $B refs/heads/y" 'line 2: missing newline'
bad_input 'a NUL byte' "$Z40 $A refs/heads/x\0y\n" 'line 1: NUL byte'
bad_input 'an empty line' "$Z40 $A refs/heads/x\n\n" 'line 2: expected'
bad_input 'a ref outside refs/' "$Z40 $A HEAD\n" 'line 1: invalid ref name'
bad_input 'a ref with ESC, CSI and BEL' "$Z40 $A refs/heads/\033[2J\033]0;x\007\n" 'line 1: invalid ref name'
bad_input 'a ref with .. and .lock' "$Z40 $A refs/heads/a..b\n" 'line 1: invalid ref name'
bad_input 'a ref ending in .lock' "$Z40 $A refs/heads/a.lock\n" 'line 1: invalid ref name'
bad_input 'binary garbage' '\377\376\000\033\233garbage\n' 'line 1'

test_expect_success 'empty hook input is a push of nothing: accepted, silent' '
	hook_run srv.git "" </dev/null && expect_status $hook_status 0 &&
	expect_lines 0 "$TRASH/hook.err"
'

test_expect_success 'hook input over 64 MiB is refused in one line, not read forever' '
	head -c 70000000 /dev/zero | tr "\0" "a" >"$TRASH/in" && hook_run srv.git "" <"$TRASH/in" &&
	expect_status $hook_status 3 && expect_lines 1 "$TRASH/hook.err" &&
	expect_grep "linkgate: push rejected: input larger than 67108864 bytes" "$TRASH/hook.err" &&
	rm "$TRASH/in"
'

test_expect_success 'SHA-256 ids in a SHA-1 repository are refused, not misread' '
	S=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa &&
	printf "%s %s refs/heads/x\n" 0000000000000000000000000000000000000000000000000000000000000000 $S >"$TRASH/in" &&
	hook_run srv.git "" <"$TRASH/in" && expect_status $hook_status 3 &&
	expect_grep "SHA-256 object ids" "$TRASH/hook.err"
'

# Ref names may hold any byte from 0x80 up (git's rules): C1 controls as
# raw bytes, invalid UTF-8 and right-to-left overrides all reach the hook.
test_expect_success 'a ref name with C1 bytes, invalid UTF-8 and an RLO is shown escaped' '
	cd work && tree=$(git rev-parse HEAD^{tree}) &&
	ref=$(printf "refs/tags/x\233\061m\302\205\377\342\200\256gpj.exe") &&
	push origin "$tree:$ref" && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: refs/tags/x.x9b1m.u{0085}.xff.u{202e}gpj.exe points at a tree" "$ERR" &&
	expect_terminal_safe "$ERR"
'

test_expect_success 'a bad linkname pushed to a hostile ref name: rejected, output safe' '
	cd work && git checkout -q -b hostile-ref origin/main &&
	bare_linkname_go | write_file h/h.go && commit_all "h" &&
	ref=$(printf "refs/heads/\342\200\256\302\233evil") &&
	push origin "HEAD:$ref" && expect_push_rejected &&
	expect_grep "h/h.go:5" "$ERR" &&
	expect_terminal_safe "$ERR" &&
	test -z "$(git --git-dir=../srv.git for-each-ref "refs/heads/*evil")"
'

test_expect_success 'deleting a ref and creating one in the same push: both decided' '
	cd work && git checkout -q -b gone origin/main && echo "// g" >>m.go && commit_all g &&
	push origin HEAD:refs/heads/gone && expect_push_accepted &&
	git checkout -q -b bad-new origin/main &&
	bare_linkname_go | write_file n/n.go && commit_all "n" &&
	push origin :refs/heads/gone HEAD:refs/heads/bad-new && expect_push_rejected &&
	expect_grep "n/n.go:5" "$ERR" &&
	git --git-dir=../srv.git rev-parse -q --verify refs/heads/gone >/dev/null
'

test_done
