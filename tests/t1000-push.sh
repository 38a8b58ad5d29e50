#!/bin/sh
# Real pushes into a bare repository with the pre-receive hook: what counts
# as new, and what the pusher sees.
. "$LG_SRCDIR/tests/test-lib.sh"

write_test_config trailer

test_setup 'set up a server and a clone' '
	make_server srv "$TRASH/linkgate.yml" &&
	make_clone work srv &&
	cd work &&
	echo "module example.com/m" >go.mod &&
	echo "package m" >m.go &&
	commit_all "initial" &&
	push origin main && expect_push_accepted
'

test_expect_success 'a push without linknames is accepted silently' '
	echo "// more" >>m.go && commit_all "more" &&
	push origin main && expect_push_accepted &&
	expect_no_grep "remote: linkgate" "$ERR"
'

test_expect_success 'an undocumented linkname is rejected with path:line and rule ids' '
	git checkout -q -b t1 origin/main &&
	bare_linkname_go | write_file rand/rand.go &&
	commit_all "use fastrand" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected" "$ERR" &&
	expect_grep "rand/rand.go:5" "$ERR" &&
	expect_grep "linkname.rationale" "$ERR" &&
	expect_grep "linkname.issue" "$ERR" &&
	expect_grep "linkname.signoff" "$ERR" &&
	expect_grep "hint:" "$ERR"
'

test_expect_success 'the rejected push changed nothing on the server' '
	test "$(git rev-parse origin/main)" = "$(git --git-dir=../srv.git rev-parse main)"
'

test_expect_success 'a compliant linkname is accepted' '
	git checkout -q -b t2 origin/main &&
	compliant_go | write_file rand/rand.go &&
	git add -A && git commit -q -m "use fastrand

$COMPLIANT_TRAILERS" &&
	push origin HEAD:main && expect_push_accepted
'

test_expect_success 'a file rename that carries a linkname along is not new' '
	git fetch -q && git checkout -q -b t3 origin/main &&
	git mv rand/rand.go rand/fast.go && commit_all "rename" &&
	push origin HEAD:main && expect_push_accepted
'

test_expect_success 'editing elsewhere in the file does not make its directive new' '
	git fetch -q && git checkout -q -b t4 origin/main &&
	printf "\n// trailing comment\n" >>rand/fast.go && commit_all "touch" &&
	push origin HEAD:main && expect_push_accepted
'

test_expect_success 'changing the rationale judges the directive again' '
	git fetch -q && git checkout -q -b t5 origin/main &&
	sed -e "s/^\/\/ owner: .*/\/\/ owner: someone/" rand/fast.go >x && mv x rand/fast.go &&
	commit_all "change owner" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "rand/fast.go" "$ERR" &&
	expect_grep "linkname.issue" "$ERR"
'

test_expect_success 'changing the build constraint judges the directive again' '
	git fetch -q && git checkout -q -b bc origin/main &&
	sed -e "s/^\/\/go:build .*/\/\/go:build go1.21 \&\& !go1.23/" rand/fast.go >x && mv x rand/fast.go &&
	commit_all "widen the constraint" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "rand/fast.go" "$ERR" &&
	expect_grep "linkname.issue" "$ERR"
'

test_expect_success 'dropping the unsafe import judges the directive again' '
	git fetch -q && git checkout -q -b ui origin/main &&
	grep -v "^import _ \"unsafe\"" rand/fast.go >x && mv x rand/fast.go &&
	commit_all "drop unsafe" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "linkname.unsafe-import" "$ERR"
'

# merge_feature N: a feature branch adding linkname fastrandN (its commit
# names an issue but carries no sign-off), merged with --no-ff into a new
# branch from origin/main, which is checked out.
merge_feature() {
	git fetch -q && git checkout -q -b "feat$1" origin/main &&
	compliant_go | sed -e "s/fastrand/fastrand$1/g" | write_file "rand$1/r.go" &&
	git add -A && git commit -q -m "linkname $1

Issue: PLAT-12$1" &&
	git checkout -q -b "integ$1" origin/main &&
	git merge -q --no-ff --no-edit "feat$1"
}

test_expect_success 'a signed-off merge covers the commits it merges' '
	merge_feature 2 &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "linkname.signoff" "$ERR" &&
	git commit -q --amend -m "Merge feat2

Platform-Signoff: Pat Platform <pat@example.com>" &&
	push origin HEAD:main && expect_push_accepted
'

test_expect_success 'a sign-off whose key is written in another case still covers (keys are case-insensitive)' '
	merge_feature 3 &&
	git commit -q --amend -m "Merge feat3

platform-SIGNOFF: Pat Platform <pat@example.com>" &&
	push origin HEAD:main && expect_push_accepted
'

test_expect_success 'a directive inside a raw string in a code generator is not flagged' '
	git fetch -q && git checkout -q -b t6 origin/main &&
	write_file gen/gen.go <<-\GO &&
	package gen

	const tmpl = `
	//go:linkname now runtime.nanotime
	func now() int64
	`
	GO
	commit_all "generator" &&
	push origin HEAD:main && expect_push_accepted
'

test_expect_success 'a directive uncovered by deleting the block comment around it is new' '
	git fetch -q && git checkout -q -b t7 origin/main &&
	write_file hidden/h.go <<-\GO &&
	package hidden

	import _ "unsafe"

	/*
	//go:linkname now runtime.nanotime
	*/
	func now() int64
	GO
	commit_all "commented out" &&
	push origin HEAD:main && expect_push_accepted &&
	grep -v "^/\*\|^\*/" hidden/h.go >x && mv x hidden/h.go &&
	commit_all "uncover" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "hidden/h.go:5" "$ERR"
'

test_expect_success 'an ordinary push learns what is new from the quarantine, not from the refs' '
	git fetch -q && git checkout -q -b qd origin/main &&
	echo "// q" >>m.go && commit_all "q" &&
	LINKGATE_DEBUG=1 git push origin HEAD:main 2>"$ERR" &&
	expect_grep "known history from the quarantine: 1 old tip" "$ERR"
'

test_expect_success 'a new branch falls back to the protected refs, and still sees only what is new' '
	git checkout -q -b qd2 origin/main &&
	bare_linkname_go | write_file qd2/q.go && commit_all "q2" &&
	LINKGATE_DEBUG=1 git push origin HEAD:refs/heads/qd2 2>"$ERR"; test $? -ne 0 &&
	expect_grep "known history from the refs" "$ERR" &&
	expect_grep "checked 1 commit and 1 finding" "$ERR"
'

test_expect_success 'branch deletion is accepted' '
	git fetch -q && git checkout -q -b side origin/main &&
	push origin side && expect_push_accepted &&
	push origin --delete side && expect_push_accepted
'

test_expect_success 'a new branch holding only commits the server already has is accepted' '
	git --git-dir=../srv.git fetch -q "$PWD" t1:refs/heads/legacy &&
	git fetch -q && git checkout -q -b copy origin/legacy &&
	push origin HEAD:refs/heads/copy-of-legacy && expect_push_accepted
'

test_expect_success 'a force push that adds a bad commit is rejected; one that only drops commits is accepted' '
	git fetch -q && git checkout -q -b fp origin/main &&
	git reset -q --hard HEAD~1 &&
	bare_linkname_go | write_file rand/other.go && commit_all "rewrite" &&
	push --force origin HEAD:main && expect_push_rejected &&
	expect_grep "rand/other.go" "$ERR" &&
	git reset -q --hard origin/main~1 &&
	push --force origin HEAD:main && expect_push_accepted
'

test_expect_success 'an annotated tag of a new bad commit is rejected; of a known commit accepted' '
	git fetch -q && git checkout -q -b tg origin/main &&
	bare_linkname_go | write_file tagged/t.go && commit_all "tagged" &&
	git tag -a -m "release" v1.0 &&
	push origin v1.0 && expect_push_rejected &&
	expect_grep "tagged/t.go" "$ERR" &&
	git tag -a -m "release" v0.9 origin/main &&
	push origin v0.9 && expect_push_accepted
'

test_expect_success 'a merge whose conflict resolution introduces a linkname is rejected' '
	git fetch -q && git checkout -q -b m1 origin/main &&
	echo "package c" >conflict.go && commit_all "base" &&
	push origin HEAD:main && expect_push_accepted &&
	git checkout -q -b m2 &&
	printf "package c\n// left\n" >conflict.go && commit_all "left" &&
	git checkout -q m1 &&
	printf "package c\n// right\n" >conflict.go && commit_all "right" &&
	! git merge -q m2 >/dev/null 2>&1 &&
	cat >conflict.go <<-\GO &&
	package c

	import _ "unsafe"

	//go:linkname nanotime runtime.nanotime
	func nanotime() int64
	GO
	git add conflict.go && git commit -q --no-edit &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "conflict.go:5" "$ERR" &&
	expect_grep "$(git rev-parse --short=12 HEAD)" "$ERR"
'

test_expect_success 'a clean merge of already-checked work adds nothing new' '
	git fetch -q && git checkout -q -b cm1 origin/main &&
	echo "package a" >a1.go && commit_all "a1" &&
	git checkout -q -b cm2 origin/main &&
	echo "package b" >b1.go && commit_all "b1" &&
	git merge -q --no-edit cm1 &&
	push origin HEAD:main && expect_push_accepted
'

test_expect_success 'a multi-ref push where only the last ref is bad is rejected whole, listing its problems' '
	git fetch -q &&
	git checkout -q -b r1 origin/main && echo "package r1" >r1.go && commit_all "r1" &&
	git checkout -q -b r2 origin/main && echo "package r2" >r2.go && commit_all "r2" &&
	git checkout -q -b r3 origin/main && bare_linkname_go | write_file r3/r3.go && commit_all "r3" &&
	push origin r1 r2 r3 && expect_push_rejected &&
	expect_grep "r3/r3.go" "$ERR" &&
	! git --git-dir=../srv.git rev-parse -q --verify refs/heads/r1 >/dev/null
'

test_expect_success 'content first pushed to an unprotected ref is checked when it reaches a protected one' '
	cat >../unprot.yml <<-\CFG &&
	refs:
	  exclude: ["refs/heads/review/**"]
	CFG
	git init -q --bare ../up.git && "$LINKGATE" install --config ../unprot.yml ../up.git >/dev/null &&
	git checkout -q -b up1 origin/main &&
	bare_linkname_go | write_file up/up.go && commit_all "for review" &&
	push ../up.git HEAD:refs/heads/review/x && expect_push_accepted &&
	push ../up.git HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "up/up.go" "$ERR"
'

test_expect_success 'a binary asset and a large clean file are accepted' '
	git fetch -q && git checkout -q -b bin origin/main &&
	head -c 300000 /dev/urandom >asset.bin &&
	awk "BEGIN { for (i = 0; i < 200000; i++) print \"// line \" i }" >big.go &&
	commit_all "assets" &&
	push origin HEAD:main && expect_push_accepted
'

test_expect_success 'files the go command skips are not scanned for linknames' '
	git fetch -q && git checkout -q -b skip origin/main &&
	bare_linkname_go | write_file testdata/x.go &&
	bare_linkname_go | write_file _tools/x.go &&
	bare_linkname_go | write_file .hidden/x.go &&
	bare_linkname_go | write_file pkg/_x.go &&
	commit_all "skipped paths" &&
	push origin HEAD:main && expect_push_accepted
'

test_expect_success 'files excluded by build constraints are scanned' '
	git fetch -q && git checkout -q -b ign origin/main &&
	{ printf "//go:build ignore\n\n"; bare_linkname_go; } | write_file ign/x.go &&
	commit_all "ignored by build" &&
	push origin HEAD:main && expect_push_rejected &&
	expect_grep "ign/x.go" "$ERR"
'

# With no known history (an empty repository, nothing protected yet) the
# hook reads the new commits itself, each once; otherwise libgit2's walk
# hides what is known. Both must find the same new commits and findings:
# the hook runs here on the same objects, once with nothing known and once
# with an unrelated protected branch known.
test_expect_success 'branches and merges new to a repository: the same commits and findings whether anything is known' '
	cd "$TRASH" && git init -q imp && cd imp &&
	echo "module example.com/m" >go.mod && echo "package m" >m.go && commit_all "initial" &&
	git checkout -q -b side && bare_linkname_go | write_file a/a.go && commit_all "side linkname" &&
	git checkout -q main && echo "// x" >>m.go && commit_all "c2" &&
	git merge -q --no-ff --no-edit side &&
	git checkout -q -b side2 main~2 && bare_linkname_go | sed "s/fastrand/cheaprand/g" | write_file c/c.go &&
	commit_all "side2 linkname" &&
	git checkout -q main && git merge -q --no-ff --no-edit side2 &&
	git checkout -q -b other side && bare_linkname_go | write_file b/b.go && commit_all "other linkname" &&
	git checkout -q --orphan base && git rm -rqf . && echo "package base" >base.go && commit_all "unrelated" &&
	(cd "$TRASH" && make_server imp-empty "$TRASH/linkgate.yml" && make_server imp-known "$TRASH/linkgate.yml") &&
	push "$TRASH/imp-known.git" base && expect_push_accepted &&
	for s in imp-empty imp-known; do
		push "$TRASH/$s.git" main:refs/review/main other:refs/review/other && expect_push_accepted || return 1
	done &&
	z=0000000000000000000000000000000000000000 &&
	printf "%s %s refs/heads/main\n%s %s refs/heads/other\n" $z $(git rev-parse main) $z $(git rev-parse other) >"$TRASH/imp.in" &&
	for s in imp-empty imp-known; do
		(cd "$TRASH/$s.git" && GIT_DIR=. LINKGATE_DEBUG=1 "$LINKGATE" pre-receive --config "$TRASH/linkgate.yml" \
			<"$TRASH/imp.in" >/dev/null 2>"$TRASH/$s.err"; test $? -eq 1) &&
		expect_grep "checked 7 commits and 3 findings" "$TRASH/$s.err" &&
		grep "^[0-9a-f]\{12\} " "$TRASH/$s.err" | cut -d" " -f1-2 | sort -u >"$TRASH/$s.found" || return 1
	done &&
	expect_grep "known history from the refs: 0 protected tips" "$TRASH/imp-empty.err" &&
	expect_grep "known history from the refs: 1 protected tip" "$TRASH/imp-known.err" &&
	expect_grep "a/a.go:5" "$TRASH/imp-empty.found" && expect_grep "b/b.go:5" "$TRASH/imp-empty.found" &&
	expect_grep "c/c.go:5" "$TRASH/imp-empty.found" &&
	cmp "$TRASH/imp-empty.found" "$TRASH/imp-known.found"
'

test_done
