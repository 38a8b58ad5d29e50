#!/bin/sh
# A real smart-HTTP server: lighttpd on 127.0.0.1 running git-http-backend
# as CGI behind basic authentication, so git runs the hook with REMOTE_USER
# set to the authenticated user (in pusher.from by default).
. "$LG_SRCDIR/tests/test-lib.sh"
. "$LG_SRCDIR/tests/lib-server.sh"

JSONCHECK="$LG_BUILDDIR/tests/helpers/jsoncheck"
BACKEND=$(git --exec-path)/git-http-backend
server_require lighttpd "$BACKEND" useradd flock

WWW="lgt-www-$$"
AUDIT="$SRV/audit/audit.log"

# server_lighttpd: starts lighttpd on a free loopback port; sets HTTP_PORT.
server_lighttpd() {
	attempt=0
	while [ $attempt -lt 10 ]; do
		HTTP_PORT=$(server_port $((attempt + 50)))
		cat >"$SRV/lighttpd.conf" <<-EOF
		server.bind = "127.0.0.1"
		server.port = $HTTP_PORT
		server.document-root = "$SRV/www"
		server.username = "$WWW"
		server.groupname = "$WWW"
		server.errorlog = "$SRV/lighttpd.log"
		server.modules = ("mod_alias", "mod_setenv", "mod_auth", "mod_authn_file", "mod_cgi")
		auth.backend = "plain"
		auth.backend.plain.userfile = "$SRV/users"
		alias.url = ("/git" => "$BACKEND")
		\$HTTP["url"] =~ "^/git" {
			cgi.assign = ("" => "")
			setenv.set-environment = ("GIT_PROJECT_ROOT" => "$SRV/repos", "GIT_HTTP_EXPORT_ALL" => "")
			auth.require = ("" => ("method" => "basic", "realm" => "git", "require" => "valid-user"))
		}
		EOF
		: >"$SRV/lighttpd.log" && chown "$WWW" "$SRV/lighttpd.log"
		lighttpd -D -f "$SRV/lighttpd.conf" >"$SRV/lighttpd.out" 2>&1 &
		pid=$!
		SRV_PIDS="$SRV_PIDS $pid"
		if server_wait "$SRV/lighttpd.log" "server started" $pid >"$SRV/lighttpd.wait"; then
			return 0
		fi
		if ! grep -q "Address already in use" "$SRV/lighttpd.log" "$SRV/lighttpd.out"; then
			cat "$SRV/lighttpd.wait" "$SRV/lighttpd.out"
			return 1
		fi
		attempt=$((attempt + 1))
	done
	echo "no free port for lighttpd after 10 tries"
	return 1
}

test_setup 'start lighttpd with git-http-backend behind basic auth' '
	write_test_config trailer && cp "$TRASH/linkgate.yml" "$SRV/linkgate.yml" &&
	printf "audit: {log: \"%s\", metrics: \"%s\"}\n" "$AUDIT" "$SRV/audit/linkgate.prom" >>"$SRV/linkgate.yml" &&
	server_account "$WWW" /usr/sbin/nologin "$SRV/www" &&
	printf "alice:wonderland\nbob:builder\n" >"$SRV/users" && chmod 644 "$SRV/users" &&
	git init -q --bare "$SRV/repos/h.git" &&
	"$SRV_LINKGATE" install --config "$SRV/linkgate.yml" "$SRV/repos/h.git" >/dev/null &&
	chown -R "$WWW:$WWW" "$SRV/repos" &&
	server_lighttpd &&
	git init -q work && cd work &&
	echo "package m" >m.go && commit_all "initial"
'

url() {
	echo "http://$1@127.0.0.1:$HTTP_PORT/git/h.git"
}

test_expect_success 'an accepted compliant push over smart HTTP' '
	compliant_go | write_file fast/fast.go && fallback_go | write_file fast/fallback.go &&
	git add -A && git commit -q -m "fast

$COMPLIANT_TRAILERS" &&
	push "$(url alice:wonderland)" HEAD:refs/heads/main && expect_push_accepted &&
	test "$(git --git-dir="$SRV/repos/h.git" rev-parse main)" = "$(git rev-parse HEAD)"
'

test_expect_success 'a rejected push shows the violations as remote: lines' '
	git checkout -q -b bad &&
	bare_linkname_go | write_file rand/rand.go && commit_all "use fastrand" &&
	push "$(url bob:builder)" HEAD:refs/heads/main && expect_push_rejected &&
	expect_grep "^remote: linkgate: push rejected: [0-9]* violations of policy" "$ERR" &&
	expect_grep "^remote: [0-9a-f]\{12\} rand/rand.go:5  \[linkname.rationale\] error" "$ERR" &&
	test "$(git --git-dir="$SRV/repos/h.git" rev-parse main)" != "$(git rev-parse HEAD)"
'

test_expect_success 'the authenticated user reaches the audit log as the pusher' '
	test "$("$JSONCHECK" count "$AUDIT")" -eq 2 &&
	test "$("$JSONCHECK" get "$AUDIT" 1 .pusher)" = alice &&
	test "$("$JSONCHECK" get "$AUDIT" 1 .verdict)" = accept &&
	test "$("$JSONCHECK" get "$AUDIT" 2 .pusher)" = bob &&
	test "$("$JSONCHECK" get "$AUDIT" 2 .verdict)" = reject &&
	test "$("$JSONCHECK" get "$AUDIT" 2 .client)" = 127.0.0.1
'

test_expect_success 'a wrong password never reaches the hook' '
	push "$(url alice:wrong)" HEAD:refs/heads/x && test "$push_status" -ne 0 &&
	expect_no_grep "linkgate" "$ERR" &&
	test "$("$JSONCHECK" count "$AUDIT")" -eq 2
'

test_done
