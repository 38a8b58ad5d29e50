#!/bin/sh
# Adversarial: twenty pushes into one repository at once, half of them bad.
# Each gets its own verdict about its own commits: no quarantine, temporary
# file or output is shared between hook runs.
. "$LG_SRCDIR/tests/test-lib.sh"
. "$LG_SRCDIR/tests/lib-hostile.sh"

write_test_config trailer
N=20

test_setup 'set up a server and twenty clones, each with one commit' '
	make_server srv "$TRASH/linkgate.yml" &&
	make_clone seed srv && (cd seed &&
	echo "package m" >m.go && commit_all "initial" &&
	git push -q origin main 2>/dev/null) &&
	i=1 && while [ $i -le $N ]; do
		git clone -q srv.git c$i 2>/dev/null && (cd c$i &&
		git checkout -q -b b$i &&
		if [ $((i % 2)) -eq 1 ]; then
			bare_linkname_go | write_file p$i/bad$i.go && commit_all "bad $i"
		else
			compliant_go | write_file p$i/good$i.go && git add -A &&
			git commit -q -m "good $i

$COMPLIANT_TRAILERS"
		fi) || return 1
		i=$((i + 1))
	done
'

test_expect_success 'twenty concurrent pushes get correct, independent verdicts' '
	i=1 && while [ $i -le $N ]; do
		(cd c$i && git push origin b$i >"$TRASH/out.$i" 2>"$TRASH/err.$i"; echo $? >"$TRASH/status.$i") &
		i=$((i + 1))
	done && wait &&
	i=1 && while [ $i -le $N ]; do
		s=$(cat "$TRASH/status.$i") || return 1
		if [ $((i % 2)) -eq 1 ]; then
			test "$s" -ne 0 || { echo "push $i was accepted"; cat "$TRASH/err.$i"; return 1; }
			expect_grep "remote: linkgate: push rejected" "$TRASH/err.$i" &&
			expect_grep "p$i/bad$i.go:5" "$TRASH/err.$i" &&
			expect_grep "checked 1 commit and 1 finding" "$TRASH/err.$i" || return 1
			test "$(grep -c "bad[0-9]*.go:5  \[linkname.rationale\]" "$TRASH/err.$i")" -eq 1 || {
				echo "push $i reports other pushes:"; cat "$TRASH/err.$i"; return 1; }
			test -z "$(git --git-dir=srv.git for-each-ref refs/heads/b$i)" || return 1
		else
			test "$s" -eq 0 || { echo "push $i was rejected"; cat "$TRASH/err.$i"; return 1; }
			expect_no_grep "remote: linkgate" "$TRASH/err.$i" || return 1
			test "$(git --git-dir=srv.git rev-parse b$i)" = "$(git -C c$i rev-parse b$i)" || return 1
		fi
		i=$((i + 1))
	done
'

test_expect_success 'no quarantine is left behind' '
	test -z "$(ls -d srv.git/objects/incoming-* srv.git/objects/tmp_objdir-* 2>/dev/null)"
'

test_done
