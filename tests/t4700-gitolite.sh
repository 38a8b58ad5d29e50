#!/bin/sh
# A real gitolite3 behind sshd on 127.0.0.1: linkgate installed as a
# common hook through LOCAL_CODE (`install --platform gitolite`, then
# `gitolite setup --hooks-only`), running beside gitolite's own update
# hook; the pusher is gitolite's user (GL_USER, in pusher.from by default).
. "$LG_SRCDIR/tests/test-lib.sh"
. "$LG_SRCDIR/tests/lib-server.sh"

JSONCHECK="$LG_BUILDDIR/tests/helpers/jsoncheck"
server_require /usr/sbin/sshd gitolite ssh ssh-keygen useradd runuser flock

GLU="lgt-gl-$$"
GLHOME="$SRV/gl-home"
AUDIT="$SRV/audit/audit.log"

# as_gitolite CMD...: runs a command as the hosting account.
as_gitolite() {
	runuser -u "$GLU" -- env -i HOME="$GLHOME" PATH=/usr/local/bin:/usr/bin:/bin USER="$GLU" "$@"
}

test_setup 'set up gitolite with linkgate as a common hook, and sshd' '
	write_test_config trailer && cp "$TRASH/linkgate.yml" "$SRV/linkgate.yml" &&
	printf "audit: {log: \"%s\"}\n" "$AUDIT" >>"$SRV/linkgate.yml" &&
	server_account "$GLU" /bin/sh "$GLHOME" &&
	for k in admin alice bob; do ssh_client_key $k || return 1; done &&
	cp "$SRV/keys/admin.pub" "$GLHOME/admin.pub" && chown "$GLU" "$GLHOME/admin.pub" &&
	as_gitolite gitolite setup -pk "$GLHOME/admin.pub" >"$SRV/setup.log" 2>&1 &&
	sed -e "s|^\( *\)# LOCAL_CODE *=> *\"\$ENV{HOME}/local\",|\1LOCAL_CODE => \"\$ENV{HOME}/local\",|" \
		"$GLHOME/.gitolite.rc" >"$SRV/rc" && cp "$SRV/rc" "$GLHOME/.gitolite.rc" &&
	grep -q "^ *LOCAL_CODE => " "$GLHOME/.gitolite.rc" &&
	cp "$SRV/keys/alice.pub" "$SRV/keys/bob.pub" "$GLHOME/.gitolite/keydir/" &&
	cat >"$GLHOME/.gitolite/conf/gitolite.conf" <<-\CONF &&
	repo gitolite-admin
	    RW+         =   admin
	repo lg
	    RW+         =   alice
	    RW  main    =   bob
	CONF
	mkdir -p "$GLHOME/local" &&
	"$SRV_LINKGATE" install --platform gitolite --config "$SRV/linkgate.yml" "$GLHOME/local" >"$SRV/install.out" &&
	grep -q "gitolite setup --hooks-only" "$SRV/install.out" &&
	chown -R "$GLU:$GLU" "$GLHOME" &&
	as_gitolite gitolite setup >>"$SRV/setup.log" 2>&1 &&
	as_gitolite gitolite setup --hooks-only >>"$SRV/setup.log" 2>&1 &&
	test -d "$GLHOME/repositories/lg.git" &&
	test "$(readlink "$GLHOME/repositories/lg.git/hooks/pre-receive")" = "$GLHOME/local/hooks/common/pre-receive" &&
	test -e "$GLHOME/repositories/lg.git/hooks/update" &&
	server_sshd sshd .ssh/authorized_keys "$GLU" &&
	git init -q work && cd work &&
	echo "package m" >m.go && commit_all "initial" || { cat "$SRV/setup.log"; false; }
'

url() {
	echo "ssh://$GLU@127.0.0.1:$SSHD_PORT/lg.git"
}

test_expect_success 'an accepted compliant push through gitolite' '
	use_ssh_key alice &&
	compliant_go | write_file fast/fast.go && fallback_go | write_file fast/fallback.go &&
	git add -A && git commit -q -m "fast

$COMPLIANT_TRAILERS" &&
	push "$(url)" HEAD:refs/heads/main && expect_push_accepted &&
	test "$(git --git-dir="$GLHOME/repositories/lg.git" rev-parse main)" = "$(git rev-parse HEAD)"
'

test_expect_success 'a rejected push shows the violations as remote: lines' '
	use_ssh_key bob &&
	git checkout -q -b bad &&
	bare_linkname_go | write_file rand/rand.go && commit_all "use fastrand" &&
	push "$(url)" HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "^remote: linkgate: push rejected: [0-9]* violations of policy" "$ERR" &&
	expect_grep "^remote: [0-9a-f]\{12\} rand/rand.go:5  \[linkname.rationale\] error" "$ERR"
'

test_expect_success 'the gitolite user reaches the audit log as the pusher' '
	test "$("$JSONCHECK" count "$AUDIT")" -eq 2 &&
	test "$("$JSONCHECK" get "$AUDIT" 1 .pusher)" = alice &&
	test "$("$JSONCHECK" get "$AUDIT" 1 .verdict)" = accept &&
	test "$("$JSONCHECK" get "$AUDIT" 2 .pusher)" = bob &&
	test "$("$JSONCHECK" get "$AUDIT" 2 .verdict)" = reject &&
	test "$("$JSONCHECK" get "$AUDIT" 2 .repository)" = "$GLHOME/repositories/lg.git"
'

test_expect_success 'gitolite.s update hook still decides access after linkgate accepts' '
	use_ssh_key bob &&
	git checkout -q -b side main && echo "// side" >>m.go && commit_all "side" &&
	push "$(url)" HEAD:refs/heads/side && test "$push_status" -ne 0 &&
	expect_grep "DENIED" "$ERR" &&
	expect_no_grep "linkgate: push rejected" "$ERR" &&
	test "$("$JSONCHECK" get "$AUDIT" -1 .verdict)" = accept &&
	test "$("$JSONCHECK" get "$AUDIT" -1 .refs[0].ref)" = refs/heads/side &&
	! git --git-dir="$GLHOME/repositories/lg.git" rev-parse -q --verify refs/heads/side >/dev/null
'

test_done
