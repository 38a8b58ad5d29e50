#!/bin/sh
# Platform sign-off through real pushes in the three modes of SPEC
# "Sign-off": trailer (trusted), pusher (the pusher must be a team member)
# and ssh (the commit carrying the trailer is signed, for ssh-keygen, by the
# key of the team member the trailer names).
. "$LG_SRCDIR/tests/test-lib.sh"

# The checklinkname flag needs the most trailers; everything but the
# sign-off is filled in correctly, so only the sign-off rule can fail.
soon=$(date -u -d "+30 days" +%F)
TRAILERS="Issue: PLAT-7
Owner: platform-runtime@example.com
Remove-By: $soon"

# flag_commit FILE SIGNOFF [GIT-COMMIT-OPTIONS...]: a commit adding the flag
# in FILE whose message ends in the trailers and the sign-off line.
flag_commit() {
	f=$1 so=$2 && shift 2 &&
	echo "LDFLAGS=-checklinkname=0" >"$f" && git add "$f" &&
	git commit -q "$@" -m "switch the check off in $f

$TRAILERS${so:+
Platform-Signoff: $so}"
}

write_cfg() {
	cat >"$TRASH/$1.yml" <<-CFG
	signoff:
	  team:
	    - {user: alice, email: alice@example.com, principal: alice@example.com}
	    - {user: bob, email: bob@example.com, principal: bob@example.com}
	  verify: $1
	  allowed_signers: $TRASH/allowed_signers
	CFG
}

test_setup 'set up keys, allowed signers and three servers' '
	for k in alice bob mallory eve; do
		ssh-keygen -q -t ed25519 -N "" -C "$k" -f "$TRASH/$k.key" || return 1
	done &&
	{
		echo "alice@example.com $(cat "$TRASH/alice.key.pub")" &&
		echo "bob@example.com namespaces=\"git\" $(cat "$TRASH/bob.key.pub")" &&
		echo "mallory@example.com $(cat "$TRASH/mallory.key.pub")"
	} >"$TRASH/allowed_signers" &&
	write_cfg trailer && write_cfg pusher && write_cfg ssh &&
	make_server tr "$TRASH/trailer.yml" &&
	make_server pu "$TRASH/pusher.yml" &&
	make_server ssh "$TRASH/ssh.yml" &&
	git init -q work && cd work &&
	git config gpg.format ssh &&
	echo "package m" >m.go && commit_all "initial" &&
	git push -q "$TRASH/tr.git" main && git push -q "$TRASH/pu.git" main && git push -q "$TRASH/ssh.git" main
'

test_expect_success 'trailer: a sign-off naming a member is trusted, whoever pushes' '
	git checkout -q -b t1 main && flag_commit a.mk "Alice <alice@example.com>" &&
	GL_USERNAME=mallory push "$TRASH/tr.git" HEAD:main && expect_push_accepted
'

test_expect_success 'pusher: the same commit pushed by someone outside the team is rejected' '
	GL_USERNAME=mallory push "$TRASH/pu.git" HEAD:main && expect_push_rejected &&
	expect_grep "checklinkname.signoff" "$ERR" &&
	expect_grep "pusher .mallory. is not a member of signoff.team" "$ERR"
'

test_expect_success 'pusher: an unknown pusher is rejected' '
	push "$TRASH/pu.git" HEAD:main && expect_push_rejected &&
	expect_grep "the pusher is unknown" "$ERR"
'

test_expect_success 'pusher: the same commit pushed by a team member is accepted' '
	GL_USERNAME=bob push "$TRASH/pu.git" HEAD:main && expect_push_accepted
'

test_expect_success 'ssh: an unsigned commit is rejected' '
	push "$TRASH/ssh.git" HEAD:refs/heads/$(git branch --show-current) && expect_push_rejected &&
	expect_grep "checklinkname.signoff" "$ERR" &&
	expect_grep "is not on a commit with an SSH signature by a team member" "$ERR"
'

test_expect_success 'ssh: a commit signed by a key outside allowed_signers is rejected' '
	git checkout -q -b s1 main &&
	flag_commit b.mk "Alice <alice@example.com>" --gpg-sign="$TRASH/eve.key" &&
	push "$TRASH/ssh.git" HEAD:refs/heads/$(git branch --show-current) && expect_push_rejected &&
	expect_grep "is not on a commit with an SSH signature by a team member" "$ERR"
'

test_expect_success 'ssh: a commit signed by a key of someone outside the team is rejected' '
	git checkout -q -b s2 main &&
	flag_commit c.mk "Alice <alice@example.com>" --gpg-sign="$TRASH/mallory.key" &&
	push "$TRASH/ssh.git" HEAD:refs/heads/$(git branch --show-current) && expect_push_rejected &&
	expect_grep "is signed by .mallory@example.com., who is not the team member it names" "$ERR"
'

test_expect_success 'ssh: a commit a member signed with a trailer naming another member is rejected' '
	git checkout -q -b s3 main &&
	flag_commit d.mk "Bob <bob@example.com>" --gpg-sign="$TRASH/alice.key" &&
	push "$TRASH/ssh.git" HEAD:refs/heads/$(git branch --show-current) && expect_push_rejected &&
	expect_grep "is signed by .alice@example.com., who is not the team member it names" "$ERR"
'

test_expect_success 'ssh: a commit signed by the member its trailer names is accepted' '
	git checkout -q -b s4 main &&
	flag_commit e.mk "Alice <alice@example.com>" --gpg-sign="$TRASH/alice.key" &&
	push "$TRASH/ssh.git" HEAD:refs/heads/$(git branch --show-current) && expect_push_accepted
'

test_expect_success 'ssh: a trailer added after signing (the signature no longer matches) is rejected' '
	git checkout -q -b s5 main &&
	flag_commit f.mk "" --gpg-sign="$TRASH/alice.key" &&
	sig=$(git cat-file commit HEAD | sed -n "/^gpgsig /,/END SSH SIGNATURE/p" | wc -l) && test "$sig" -gt 2 &&
	git cat-file commit HEAD | sed -e "\$a\\
Platform-Signoff: Alice <alice@example.com>" >forged &&
	forged=$(git hash-object -t commit -w forged) && git reset -q --hard "$forged" &&
	git log -1 --format=%B | grep -q "^Platform-Signoff: Alice" &&
	push "$TRASH/ssh.git" HEAD:refs/heads/$(git branch --show-current) && expect_push_rejected &&
	expect_grep "checklinkname.signoff" "$ERR" &&
	expect_grep "is not on a commit with an SSH signature by a team member" "$ERR"
'

test_expect_success 'ssh: a merge signed by a member signs off the commits it merges' '
	git checkout -q -b feature main &&
	flag_commit g.mk "" &&
	git checkout -q -b integ main && echo "package n" >n.go && commit_all "unrelated" &&
	git merge -q --no-ff --no-edit feature &&
	push "$TRASH/ssh.git" HEAD:refs/heads/$(git branch --show-current) && expect_push_rejected &&
	git commit -q --amend --gpg-sign="$TRASH/bob.key" -m "Merge feature

Platform-Signoff: Bob <bob@example.com>" &&
	push "$TRASH/ssh.git" HEAD:refs/heads/$(git branch --show-current) && expect_push_accepted
'

test_expect_success 'ssh: an allowed_signers file that cannot be read is a configuration error' '
	cat >"$TRASH/bad.yml" <<-CFG &&
	signoff:
	  verify: ssh
	  allowed_signers: $TRASH/nonexistent
	CFG
	"$LINKGATE" config check --config "$TRASH/bad.yml" 2>err; expect_status $? 2 &&
	expect_grep "allowed_signers .*nonexistent.* cannot be read" err
'

test_done
