#!/bin/sh
# linkgate pre-push on a developer's clone, and linkgate check in CI, give
# the server's verdict on the same commits.
. "$LG_SRCDIR/tests/test-lib.sh"

write_test_config trailer
CFG="$TRASH/linkgate.yml"

# rules FILE: the sorted rule ids a report names.
rules() {
	grep -o "\[[a-z-]*\.[a-z.-]*\]" "$1" | sort -u
}

# The pre-push hook's lines are git's stderr, without "remote: ".
expect_prepush_rejected() {
	if [ "$push_status" -eq 0 ]; then
		echo "push was accepted:"
		cat "$ERR"
		return 1
	fi
	expect_grep "^linkgate: push rejected" "$ERR" &&
	expect_grep "failed to push some refs" "$ERR"
}

# same_verdict CASE: pushes HEAD to main three ways and compares: the
# pre-push hook, linkgate check, and the server (pushing with --no-verify).
same_verdict() {
	push origin HEAD:main
	pre=$push_status && cp "$ERR" "$TRASH/$1.pre"
	"$LINKGATE" check --config "$CFG" --ref refs/heads/main origin/main..HEAD >"$TRASH/$1.check"
	chk=$?
	if [ "$pre" -ne 0 ]; then
		push --no-verify origin HEAD:main
		srv=$push_status && cp "$ERR" "$TRASH/$1.srv"
	else
		srv=0 && cp "$ERR" "$TRASH/$1.srv"
	fi
	echo "$1: pre-push $pre, check $chk, server $srv"
	if [ "$pre" -ne 0 ]; then [ "$srv" -ne 0 ] || return 1; else [ "$srv" -eq 0 ] || return 1; fi
	[ "$chk" = "$pre" ] || [ "$chk" -ne 0 -a "$pre" -ne 0 ] || return 1
	rules "$TRASH/$1.pre" >"$TRASH/$1.pre.rules"
	rules "$TRASH/$1.check" >"$TRASH/$1.check.rules"
	rules "$TRASH/$1.srv" >"$TRASH/$1.srv.rules"
	cmp "$TRASH/$1.pre.rules" "$TRASH/$1.srv.rules" && cmp "$TRASH/$1.check.rules" "$TRASH/$1.srv.rules"
}

test_setup 'set up a server and a clone with the pre-push hook' '
	make_server srv "$CFG" &&
	make_clone work srv &&
	"$LINKGATE" install --pre-push --config "$CFG" work >/dev/null &&
	cd work &&
	echo "module example.com/m" >go.mod && echo "package m" >m.go && commit_all "initial" &&
	push origin main && expect_push_accepted
'

test_expect_success 'pre-push stops an undocumented linkname before anything is sent' '
	git checkout -q -b bad origin/main &&
	bare_linkname_go | write_file rand/rand.go && commit_all "use fastrand" &&
	push origin HEAD:main && expect_prepush_rejected &&
	expect_grep "rand/rand.go:5" "$ERR" &&
	expect_grep "linkname.rationale" "$ERR" &&
	expect_no_grep "^remote:" "$ERR" &&
	test "$(git --git-dir=../srv.git rev-parse main)" = "$(git rev-parse origin/main)"
'

test_expect_success 'pre-push, check and the server agree: undocumented linkname' '
	same_verdict bad
'

test_expect_success 'pre-push, check and the server agree: a Makefile switching the check off' '
	git checkout -q -b flag origin/main &&
	printf "build:\n\tgo build -ldflags=-checklinkname=0 ./...\n" >Makefile && commit_all "flags" &&
	same_verdict flag &&
	test -s "$TRASH/flag.srv.rules"
'

test_expect_success 'pre-push, check and the server agree: a compliant linkname' '
	git checkout -q -b good origin/main &&
	compliant_go | write_file fast/fast.go &&
	git add -A && git commit -q -m "fast

$COMPLIANT_TRAILERS" &&
	same_verdict good &&
	test "$(git --git-dir=../srv.git rev-parse main)" = "$(git rev-parse HEAD)"
'

test_expect_success 'pre-push, check and the server agree: a rename carries a linkname along' '
	git fetch -q && git checkout -q -b mv origin/main &&
	git mv fast/fast.go fast/renamed.go && commit_all "rename" &&
	same_verdict mv
'

test_expect_success 'pre-push, check and the server agree: a merge that resolves a conflict with a linkname' '
	git fetch -q && git checkout -q -b m1 origin/main &&
	echo "package c" >c.go && commit_all "base" && push --no-verify origin HEAD:main &&
	git checkout -q -b m2 && printf "package c\n// left\n" >c.go && commit_all "left" &&
	git checkout -q m1 && printf "package c\n// right\n" >c.go && commit_all "right" &&
	! git merge -q m2 >/dev/null 2>&1 &&
	printf "package c\n\nimport _ \"unsafe\"\n\n//go:linkname nt runtime.nanotime\nfunc nt() int64\n" >c.go &&
	git add c.go && git commit -q --no-edit &&
	same_verdict merge &&
	test -s "$TRASH/merge.srv.rules"
'

test_expect_success 'pre-push knows what the server has: only commits the remote lacks are judged' '
	git fetch -q && git checkout -q -b only origin/main &&
	echo "// x" >>m.go && commit_all "x" &&
	push origin HEAD:refs/heads/feature && expect_push_accepted &&
	echo "// y" >>m.go && commit_all "y" &&
	push origin HEAD:refs/heads/feature && expect_push_accepted
'

test_expect_success 'pre-push of a branch deletion is accepted' '
	push origin --delete feature && expect_push_accepted
'

test_expect_success 'pre-push to a URL rather than a named remote still decides' '
	git checkout -q bad &&
	push ../srv.git HEAD:refs/heads/other && expect_prepush_rejected
'

test_expect_success 'a link named pre-push acts as the hook' '
	git clone -q ../srv.git ../linked 2>/dev/null &&
	ln -s "$LINKGATE" ../linked/.git/hooks/pre-push &&
	cd ../linked && git config linkgate.config "$CFG" &&
	bare_linkname_go | write_file r/r.go && commit_all "bad" &&
	push origin HEAD:main && expect_prepush_rejected &&
	expect_grep "linkname.rationale" "$ERR"
'

test_expect_success 'a shallow clone gets a clear message, not a wrong verdict' '
	git clone -q --depth 1 "file://$TRASH/srv.git" ../shallow 2>/dev/null &&
	"$LINKGATE" install --pre-push --config "$CFG" ../shallow >/dev/null &&
	cd ../shallow && echo "// z" >>m.go && commit_all "z" &&
	push origin HEAD:main && test "$push_status" -ne 0 &&
	expect_grep "shallow clone" "$ERR" &&
	expect_grep "git fetch --unshallow" "$ERR"
'

test_expect_success 'install --pre-push --chain runs the developer.s own pre-push hook first' '
	git clone -q ../srv.git ../chained 2>/dev/null &&
	printf "#!/bin/sh\necho \"\$1 \$2\" >\"%s/prepush.args\"\ncat >\"%s/prepush.in\"\n" "$TRASH" "$TRASH" \
		>../chained/.git/hooks/pre-push && chmod +x ../chained/.git/hooks/pre-push &&
	"$LINKGATE" install --pre-push --chain --config "$CFG" ../chained >out &&
	expect_grep "(chained)" out &&
	cd ../chained && echo "// c" >>m.go && commit_all "c" &&
	push origin HEAD:refs/heads/chained && expect_push_accepted &&
	expect_grep "^origin " "$TRASH/prepush.args" &&
	expect_grep " refs/heads/chained 0\{40\}$" "$TRASH/prepush.in"
'

test_done
