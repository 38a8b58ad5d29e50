#!/bin/sh
# The update hook decides each ref on its own.
. "$LG_SRCDIR/tests/test-lib.sh"

write_test_config trailer

test_setup 'set up a server with the update hook' '
	git init -q --bare srv.git &&
	"$LINKGATE" install --update --config "$TRASH/linkgate.yml" srv.git >/dev/null &&
	make_clone work srv && cd work &&
	echo "package m" >m.go && commit_all "initial" &&
	push origin main && expect_push_accepted
'

test_expect_success 'the update hook rejects only its own ref' '
	git checkout -q -b good origin/main && echo "package g" >g.go && commit_all "good" &&
	git checkout -q -b bad origin/main && bare_linkname_go | write_file b/b.go && commit_all "bad" &&
	push origin good bad &&
	test "$push_status" -ne 0 &&
	expect_grep "b/b.go" "$ERR" &&
	git --git-dir=../srv.git rev-parse -q --verify refs/heads/good >/dev/null &&
	! git --git-dir=../srv.git rev-parse -q --verify refs/heads/bad >/dev/null
'

test_done
