#!/bin/sh
# A real ssh server: sshd on 127.0.0.1 with git-shell accounts, each
# developer pushing as their own account; the pusher is the account
# (pusher.from: [USER]).
. "$LG_SRCDIR/tests/test-lib.sh"
. "$LG_SRCDIR/tests/lib-server.sh"

JSONCHECK="$LG_BUILDDIR/tests/helpers/jsoncheck"
server_require /usr/sbin/sshd git-shell ssh ssh-keygen useradd flock

ALICE="lgt-alice-$$"
BOB="lgt-bob-$$"
AUDIT="$SRV/audit/audit.log"

test_setup 'start sshd with two git-shell accounts and a shared repository' '
	cat >"$SRV/linkgate.yml" <<-CFG &&
	signoff:
	  team:
	    - {user: pat, email: pat@example.com}
	  verify: trailer
	pusher: {from: [USER]}
	audit: {log: "$AUDIT", metrics: "$SRV/audit/linkgate.prom"}
	CFG
	server_account "$ALICE" "$(command -v git-shell)" "$SRV/home/$ALICE" &&
	server_account "$BOB" "$(command -v git-shell)" "$SRV/home/$BOB" &&
	for u in "$ALICE" "$BOB"; do
		# Each account trusts the shared repository, as a real server would
		# configure it (git refuses repositories owned by someone else).
		printf "[safe]\n\tdirectory = %s\n" "$SRV/repos/s.git" >"$SRV/home/$u/.gitconfig" &&
		chown "$u:$u" "$SRV/home/$u/.gitconfig" &&
		ssh_client_key "$u" && cp "$SRV/keys/$u.pub" "$SRV/keys/authorized.$u" || return 1
	done &&
	git init -q --bare --shared=0777 "$SRV/repos/s.git" &&
	"$SRV_LINKGATE" install --config "$SRV/linkgate.yml" "$SRV/repos/s.git" >/dev/null &&
	chmod -R a+rwX "$SRV/repos/s.git" &&
	server_sshd sshd "$SRV/keys/authorized.%u" "$ALICE $BOB" &&
	git init -q work && cd work &&
	echo "package m" >m.go && commit_all "initial" && git tag clean
'

url() {
	echo "ssh://$1@127.0.0.1:$SSHD_PORT$SRV/repos/s.git"
}

test_expect_success 'an accepted compliant push over ssh' '
	use_ssh_key "$ALICE" &&
	compliant_go | write_file fast/fast.go && fallback_go | write_file fast/fallback.go &&
	git add -A && git commit -q -m "fast

$COMPLIANT_TRAILERS" &&
	push "$(url "$ALICE")" HEAD:refs/heads/main && expect_push_accepted &&
	test "$(git --git-dir="$SRV/repos/s.git" rev-parse main)" = "$(git rev-parse HEAD)"
'

test_expect_success 'a rejected push shows the violations as remote: lines' '
	use_ssh_key "$BOB" &&
	git checkout -q -b bad &&
	bare_linkname_go | write_file rand/rand.go && commit_all "use fastrand" &&
	push "$(url "$BOB")" HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "^remote: linkgate: push rejected: [0-9]* violations of policy" "$ERR" &&
	expect_grep "^remote: [0-9a-f]\{12\} rand/rand.go:5  \[linkname.rationale\] error" "$ERR" &&
	expect_grep "^remote:     hint:" "$ERR" &&
	test "$(git --git-dir="$SRV/repos/s.git" rev-parse main)" != "$(git rev-parse HEAD)"
'

test_expect_success 'the ssh account reaches the audit log as the pusher' '
	expect_grep . "$AUDIT" &&
	test "$("$JSONCHECK" count "$AUDIT")" -eq 2 &&
	test "$("$JSONCHECK" get "$AUDIT" 1 .pusher)" = "$ALICE" &&
	test "$("$JSONCHECK" get "$AUDIT" 1 .verdict)" = accept &&
	test "$("$JSONCHECK" get "$AUDIT" 2 .pusher)" = "$BOB" &&
	test "$("$JSONCHECK" get "$AUDIT" 2 .verdict)" = reject &&
	test "$("$JSONCHECK" get "$AUDIT" 2 .client)" = 127.0.0.1
'

test_expect_success 'a key that is not authorized is refused by sshd, not by linkgate' '
	ssh_client_key stranger && use_ssh_key stranger &&
	push "$(url "$ALICE")" HEAD:refs/heads/x && test "$push_status" -ne 0 &&
	expect_no_grep "linkgate" "$ERR" &&
	test "$("$JSONCHECK" count "$AUDIT")" -eq 2
'

test_done
