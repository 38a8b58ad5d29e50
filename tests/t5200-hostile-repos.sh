#!/bin/sh
# Adversarial: the repository around the push — a quarantine the hook
# cannot see, objects that are missing, paths with `:` and quotes (git
# C-quotes them in GIT_ALTERNATE_OBJECT_DIRECTORIES), shallow clients and
# shallow servers. A push is never accepted because the hook saw less than
# was pushed. t1300 has a quarantine directory that does not exist.
. "$LG_SRCDIR/tests/test-lib.sh"
. "$LG_SRCDIR/tests/lib-hostile.sh"

write_test_config trailer

test_setup 'set up a server and a clone' '
	make_server srv "$TRASH/linkgate.yml" &&
	make_clone work srv && cd work &&
	echo "package m" >m.go && commit_all "initial" &&
	push origin main && expect_push_accepted && cd ..
'

# A hook wrapper that hides the quarantine, as an env-scrubbing platform
# wrapper would: the pushed objects are then invisible to linkgate.
test_expect_success 'a quarantine the hook cannot see rejects, never "nothing to check"' '
	git init -q --bare blind.git &&
	cat >blind.git/hooks/pre-receive <<-EOF &&
	#!/bin/sh
	unset GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
	exec "$LINKGATE" pre-receive --config "$TRASH/linkgate.yml"
	EOF
	chmod +x blind.git/hooks/pre-receive &&
	cd work && echo "// clean" >>m.go && commit_all "clean change" &&
	push ../blind.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: pushed object [0-9a-f]* for refs/heads/main cannot be read from the repository or its quarantine" "$ERR" &&
	test -z "$(git --git-dir=../blind.git for-each-ref)"
'

test_expect_success 'a quarantine pointing at an empty object directory rejects' '
	mkdir -p empty-objects &&
	git init -q --bare emptyq.git &&
	cat >emptyq.git/hooks/pre-receive <<-EOF &&
	#!/bin/sh
	GIT_OBJECT_DIRECTORY="$TRASH/empty-objects" exec "$LINKGATE" pre-receive --config "$TRASH/linkgate.yml"
	EOF
	chmod +x emptyq.git/hooks/pre-receive &&
	cd work && push ../emptyq.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "cannot be read from the repository or its quarantine" "$ERR"
'

# Objects that vanish after git checked connectivity (a corrupt or
# concurrently pruned store): the hook runs directly on a copy of the
# server whose pushed commit lost an object.
test_setup 'a pushed commit on an unprotected ref' '
	(cd work && git checkout -q -b lose origin/main &&
	 bare_linkname_go | write_file lost/lost.go && commit_all "lose" &&
	 git push -q ../srv.git HEAD:refs/review/lose 2>/dev/null) &&
	LOSE=$(git -C work rev-parse HEAD) && LOSEBLOB=$(git -C work rev-parse HEAD:lost/lost.go) &&
	LOSEPARENT=$(git -C work rev-parse HEAD^)
'

# copy_without NAME OBJECT: a copy of the server, everything in one pack
# but OBJECT.
copy_without() {
	rm -rf "$1" && cp -R srv.git "$1" && rm -f "$1/hooks/pre-receive" &&
	git -C "$1" repack -q -a -d &&
	old=$(ls "$1"/objects/pack/*.pack) &&
	git -C "$1" rev-list --objects --all | cut -d" " -f1 | grep -v "^$2\$" |
		git -C "$1" pack-objects -q objects/pack/pack >/dev/null &&
	rm -f "$old" "${old%.pack}.idx" &&
	! git -C "$1" cat-file -e "$2" 2>/dev/null
}

test_expect_success 'a blob missing from the store rejects (exit 3), naming the path' '
	copy_without blobless.git $LOSEBLOB &&
	printf "%s %s refs/heads/lose\n" $Z40 $LOSE >in && hook_run blobless.git "$TRASH/linkgate.yml" <in &&
	expect_status $hook_status 3 &&
	expect_grep "lost/lost.go" "$TRASH/hook.err" && expect_lines 1 "$TRASH/hook.err"
'

test_expect_success 'a parent missing from the store rejects (exit 3)' '
	copy_without parentless.git $LOSEPARENT &&
	git -C parentless.git update-ref -d refs/heads/main &&
	printf "%s %s refs/heads/lose\n" $Z40 $LOSE >in && hook_run parentless.git "$TRASH/linkgate.yml" <in &&
	expect_status $hook_status 3 && expect_lines 1 "$TRASH/hook.err" &&
	expect_grep "linkgate: push rejected: " "$TRASH/hook.err"
'

test_expect_success 'a push stream without the objects it names never updates a ref' '
	cd work && git checkout -q -b thin origin/main &&
	bare_linkname_go | write_file thin/thin.go && commit_all "thin" &&
	c=$(git rev-parse HEAD) &&
	l="$Z40 $c refs/heads/thin" &&
	{ printf "%04x%s\0%s\n" $((${#l} + 13 + 6)) "$l" "report-status"; printf 0000;
	  echo $c | git pack-objects -q --stdout; } >"$TRASH/thin.stream" &&
	git receive-pack ../srv.git <"$TRASH/thin.stream" >"$TRASH/thin.out" 2>"$TRASH/thin.err";
	grep -a -q "ng refs/heads/thin" "$TRASH/thin.out" &&
	test -z "$(git --git-dir=../srv.git for-each-ref refs/heads/thin)"
'

# git quotes the real object directory in GIT_ALTERNATE_OBJECT_DIRECTORIES
# when its path holds ":" or starts with a quote; linkgate must unquote it
# the same way to see the objects that were there before the push.
n=0
for name in "colon:repo" "quote\"and:colon" 'back\slash:and "quotes"' ':leading:colon'; do
	n=$((n + 1))
	test_expect_success "a repository path like '$name' gets real verdicts" '
		dir="$TRASH/paths/$name.git" && mkdir -p "$TRASH/paths" &&
		git init -q --bare "$dir" && "$LINKGATE" install --config "$TRASH/linkgate.yml" "$dir" >/dev/null &&
		cd work && git checkout -q -b "path$n" origin/main &&
		push "$dir" HEAD:refs/heads/main && expect_push_accepted &&
		echo "// more" >>m.go && commit_all more &&
		push "$dir" HEAD:refs/heads/main && expect_push_accepted &&
		bare_linkname_go | write_file c/c.go && commit_all bad &&
		push "$dir" HEAD:refs/heads/main && expect_push_rejected &&
		expect_grep "c/c.go:5" "$ERR" &&
		expect_grep "checked 1 commit and 1 finding" "$ERR"
	'
done

test_expect_success 'a push from a shallow clone gets the same verdicts' '
	git clone -q --depth 1 "file://$TRASH/srv.git" shallow 2>/dev/null &&
	cd shallow && test -f .git/shallow &&
	bare_linkname_go | write_file s/s.go && commit_all "bad" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "s/s.go:5" "$ERR" &&
	expect_grep "checked 1 commit and 1 finding" "$ERR" &&
	git reset -q --hard HEAD^ && echo "// ok" >>m.go && commit_all "ok" &&
	push origin HEAD:main && expect_push_accepted
'

# A server that accepts shallow pushes (receive.shallowUpdate) gets
# commits whose parents it does not have; git names the cut in
# GIT_SHALLOW_FILE. The cut commit is judged as a root: it adds all it
# holds.
test_expect_success 'a shallow push into an empty server is judged from the cut' '
	git init -q --bare shsrv.git && git -C shsrv.git config receive.shallowUpdate true &&
	"$LINKGATE" install --config "$TRASH/linkgate.yml" shsrv.git >/dev/null &&
	cd shallow && git reset -q --hard origin/main &&
	bare_linkname_go | write_file s/s.go && commit_all "bad on shallow" &&
	push ../shsrv.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: " "$ERR" &&
	expect_grep "s/s.go:5" "$ERR" && expect_terminal_safe "$ERR" &&
	test -z "$(git --git-dir=../shsrv.git for-each-ref)"
'

test_done
