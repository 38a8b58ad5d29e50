#!/bin/sh
# Adversarial: objects no honest git writes — malformed commits written with
# `git hash-object --literally`, odd encodings, tag chains, tags that lie
# about their target, refs to trees and blobs through tags. A push either
# gets its verdict or is rejected with the reason; it is never accepted
# because something could not be read. t1300 has refs pointing straight at
# a tree or blob.
. "$LG_SRCDIR/tests/test-lib.sh"
. "$LG_SRCDIR/tests/lib-hostile.sh"

write_test_config trailer

test_setup 'set up a server and a clone' '
	make_server srv "$TRASH/linkgate.yml" &&
	make_clone work srv && cd work &&
	echo "package m" >m.go && commit_all "initial" &&
	push origin main && expect_push_accepted &&
	bare_linkname_go >bad.go && git add bad.go &&
	BADTREE=$(git write-tree) && git reset -q --hard &&
	GOODTREE=$(git rev-parse HEAD^{tree}) && BASE=$(git rev-parse HEAD)
'

# raw_commit TEXT: writes TEXT (printf format) as a commit object, prints its id.
raw_commit() {
	printf "$1" | git hash-object -t commit --literally -w --stdin
}

SIG="A U Thor <author@example.com> 1767225600 +0000"

test_expect_success 'a commit without an author line is rejected as unreadable' '
	c=$(raw_commit "tree $GOODTREE\nparent $BASE\ncommitter $SIG\n\nno author\n") &&
	push origin $c:refs/heads/noauthor && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: pushed object $c for refs/heads/noauthor cannot be read: failed to parse" "$ERR" &&
	expect_terminal_safe "$ERR"
'

test_expect_success 'a commit with two tree lines is rejected as unreadable' '
	c=$(raw_commit "tree $GOODTREE\ntree $BADTREE\nparent $BASE\nauthor $SIG\ncommitter $SIG\n\ntwo trees\n") &&
	push origin $c:refs/heads/twotrees && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: pushed object $c for refs/heads/twotrees cannot be read: failed to parse" "$ERR"
'

test_expect_success 'unknown headers with escapes are ignored; the verdict stands' '
	c=$(raw_commit "tree $BADTREE\nparent $BASE\nauthor $SIG\ncommitter $SIG\nx-evil \033[2J\033]0;t\007\nmergetag junk\n\nodd headers\n") &&
	push origin $c:refs/heads/headers && expect_push_rejected &&
	expect_grep "bad.go:5" "$ERR" && expect_terminal_safe "$ERR"
'

test_expect_success 'absurd dates and time zones do not break the verdict' '
	c=$(raw_commit "tree $BADTREE\nparent $BASE\nauthor A <a@e> 99999999999999999999 +9999\ncommitter C <c@e> -5 -2400\n\ndates\n") &&
	push origin $c:refs/heads/dates && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected" "$ERR" && expect_terminal_safe "$ERR"
'

test_expect_success 'a Latin-1 message with an encoding header is shown escaped' '
	c=$(raw_commit "tree $BADTREE\nparent $BASE\nauthor $SIG\ncommitter $SIG\nencoding ISO-8859-1\n\nd\351j\340 \233vu\n\nIssue: \351\233\n") &&
	push origin $c:refs/heads/latin1 && expect_push_rejected &&
	expect_grep "bad.go:5" "$ERR" &&
	expect_grep "\\\\xe9\\\\x9b" "$ERR" &&
	expect_terminal_safe "$ERR"
'

test_expect_success 'a commit whose tree line names a blob never passes' '
	blob=$(echo x | git hash-object -w --stdin) &&
	c=$(raw_commit "tree $blob\nparent $BASE\nauthor $SIG\ncommitter $SIG\n\nblob tree\n") &&
	push origin $c:refs/heads/blobtree && test $push_status -ne 0 &&
	test -z "$(git --git-dir=../srv.git for-each-ref refs/heads/blobtree)"
'

test_expect_success 'a commit with an empty message and no newline is judged' '
	c=$(raw_commit "tree $BADTREE\nparent $BASE\nauthor $SIG\ncommitter $SIG\n") &&
	push origin $c:refs/heads/nomsg && expect_push_rejected &&
	expect_grep "bad.go:5" "$ERR"
'

test_expect_success 'a merge with the same parent twice is judged once' '
	c=$(raw_commit "tree $BADTREE\nparent $BASE\nparent $BASE\nauthor $SIG\ncommitter $SIG\n\ntwice\n") &&
	push origin $c:refs/heads/twice && expect_push_rejected &&
	test "$(grep -c "bad.go:5  \[linkname.rationale\]" "$ERR")" -eq 1
'

# tag_chain N TARGET TYPE: N annotated tags, each of the previous; prints the outermost.
tag_chain() {
	t=$2 type=$3 i=0
	while [ $i -lt $1 ]; do
		t=$(printf "object %s\ntype %s\ntag t%d\ntagger %s\n\nlevel %d\n" $t $type $i "$SIG" $i |
			git hash-object -t tag -w --stdin) || return 1
		type=tag i=$((i + 1))
	done
	echo $t
}

test_expect_success 'a chain of 50 tags is peeled to its commit and judged' '
	c=$(raw_commit "tree $BADTREE\nparent $BASE\nauthor $SIG\ncommitter $SIG\n\nchained\n") &&
	t=$(tag_chain 50 $c commit) &&
	push origin $t:refs/tags/chain && expect_push_rejected &&
	expect_grep "bad.go:5" "$ERR"
'

test_expect_success 'a chain of tags ending in a tree or a blob is refused by name' '
	t=$(tag_chain 20 $GOODTREE tree) &&
	push origin $t:refs/tags/tree-chain && expect_push_rejected &&
	expect_grep "remote: linkgate: push rejected: refs/tags/tree-chain points at a tree" "$ERR" &&
	blob=$(echo y | git hash-object -w --stdin) &&
	t=$(tag_chain 3 $blob blob) &&
	push origin $t:refs/tags/blob-chain && expect_push_rejected &&
	expect_grep "refs/tags/blob-chain points at a blob" "$ERR"
'

test_expect_success 'a tag that says "commit" for a tree is refused, never accepted' '
	t=$(printf "object %s\ntype commit\ntag liar\ntagger %s\n\nlies\n" $BADTREE "$SIG" |
		git hash-object -t tag --literally -w --stdin) &&
	push origin $t:refs/tags/liar && test $push_status -ne 0 &&
	test -z "$(git --git-dir=../srv.git for-each-ref refs/tags/liar)"
'

test_expect_success 'a tag pushed to a branch is peeled like any other ref update' '
	c=$(raw_commit "tree $BADTREE\nparent $BASE\nauthor $SIG\ncommitter $SIG\n\nvia tag\n") &&
	t=$(tag_chain 1 $c commit) &&
	push origin $t:refs/heads/tagged && expect_push_rejected &&
	expect_grep "bad.go:5" "$ERR"
'

test_done
