#!/bin/sh
# A quick version of the benchmark scenarios, as a correctness check: the
# findings linkgate reports equal genrepo's independent count. No timing is
# asserted here; timings live in bench/run.sh and docs/PERFORMANCE.md.
. "$LG_SRCDIR/tests/test-lib.sh"

test_setup 'build the repository generator' '
	${CC:-cc} -O2 -o genrepo "$LG_SRCDIR/bench/genrepo.c"
'

test_expect_success 'history import (B, 300 commits) through a real push: findings equal the independent count' '
	git init -q --bare src.git &&
	./genrepo --commits 300 --files-per-commit 6 --linkname-every 7 --flag-every 5 --expect exp |
		git --git-dir=src.git fast-import --quiet &&
	printf "limits:\n  max_findings: 100000\n" >cfg.yml &&
	make_server srv "$TRASH/cfg.yml" &&
	git --git-dir=src.git push "$TRASH/srv.git" main 2>"$ERR"; test $? -ne 0 &&
	want=$(awk "\$1 == \"linkname\" || \$1 == \"flags\" { n += \$2 } END { print n }" exp) &&
	test "$want" -gt 0 &&
	expect_grep "checked 300 commits and $want findings" "$ERR"
'

test_expect_success 'the same import without linknames or flags is accepted' '
	git init -q --bare clean.git &&
	./genrepo --commits 300 --files-per-commit 6 | git --git-dir=clean.git fast-import --quiet &&
	make_server srv2 &&
	git --git-dir=clean.git push "$TRASH/srv2.git" main 2>"$ERR" &&
	expect_no_grep "remote: linkgate" "$ERR"
'

test_expect_success 'normal push (A): one commit on a history with many refs adds nothing new' '
	git init -q --bare many.git &&
	./genrepo --commits 200 --refs 500 | git --git-dir=many.git fast-import --quiet &&
	git --git-dir=many.git pack-refs --all &&
	"$LINKGATE" install many.git >/dev/null &&
	git clone -q many.git cl 2>/dev/null && cd cl &&
	echo "// touched" >>pkg/p1/f1.go && git commit -qam "normal change" &&
	push origin HEAD:main && expect_push_accepted &&
	expect_no_grep "remote: linkgate" "$ERR"
'

test_expect_success 'a long push whose revert brings back a blob the reader has not answered yet adds nothing' '
	git init -q --bare rv.git && git init -q rvw && cd rvw &&
	bare_linkname_go | write_file f/f.go && commit_all base &&
	git push -q ../rv.git HEAD:refs/heads/main &&
	"$LINKGATE" install ../rv.git >/dev/null &&
	cp f/f.go "$TRASH/base.go.keep" &&
	echo "// edited" >>f/f.go && commit_all "edit beside the directive" &&
	i=0; while [ $i -lt 258 ]; do echo $i >n.txt; git add n.txt; git commit -q -m "n $i"; i=$((i + 1)); done &&
	cp "$TRASH/base.go.keep" f/f.go && commit_all "revert the edit" &&
	LINKGATE_DEBUG=1 git push ../rv.git HEAD:refs/heads/main 2>"$ERR" &&
	expect_grep "walked 260 new commits" "$ERR" &&
	expect_grep "0 findings" "$ERR"
'

test_expect_success 'the harness itself runs (quick mode) and its counts agree' '
	bash "$LG_SRCDIR/bench/run.sh" --quick --runs 1 --linkgate "$LINKGATE" >bench.out 2>&1 || { cat bench.out; false; } &&
	expect_grep "^| 200 |" bench.out
'

test_done
