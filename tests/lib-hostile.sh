# lib-hostile.sh — helpers for the adversarial suite (tests/t5xxx-*.sh),
# sourced after test-lib.sh.
#
# Most cases are real pushes. Where a real client would refuse to send what
# a hostile one can, or where the client has to vanish half-way, the push
# is crafted as git's own tests do: the pkt-line commands and a pack from
# `git pack-objects`, replayed into `git receive-pack` on its stdin.

Z40=0000000000000000000000000000000000000000

# The bytes that must never reach a pusher's terminal raw, as an extended
# regex over bytes (LC_ALL=C): C0 controls but TAB and LF, DEL, C1
# controls encoded in UTF-8, bidirectional marks and the line/paragraph
# separators. NUL is checked apart (a shell string cannot hold it).
HOSTILE_RE=$(printf '[\001-\010\013-\037\177]|\302[\200-\237]|\330\234|\342\200[\216\217\250-\256]|\342\201[\246-\251]')

# expect_terminal_safe FILE: the lines linkgate wrote (git's "remote: "
# lines, or every line of a direct run) hold only valid UTF-8 without a
# control byte, C1 control or bidi mark. git's own lines about the refs
# are the client's business and are left out.
expect_terminal_safe() {
	if grep -q "^remote: " "$1"; then
		sed -n "s/^remote: //p" "$1" >"$1.ours"
	else
		cp "$1" "$1.ours"
	fi
	if LC_ALL=C grep -a -n -E "$HOSTILE_RE" "$1.ours" >"$1.bad"; then
		echo "raw terminal-unsafe bytes in $1:"
		od -c "$1.bad" | head -20
		return 1
	fi
	if [ "$(tr -d '\000' <"$1.ours" | wc -c)" -ne "$(wc -c <"$1.ours")" ]; then
		echo "a raw NUL byte in $1"
		return 1
	fi
	if ! iconv -f UTF-8 -t UTF-8 "$1.ours" >/dev/null 2>&1; then
		echo "invalid UTF-8 in $1:"
		od -c "$1.ours" | head -20
		return 1
	fi
}

# expect_lines N FILE: FILE has exactly N lines.
expect_lines() {
	if [ "$(wc -l <"$2")" -ne "$1" ]; then
		echo "expected $1 lines in $2, which holds:"
		cat "$2"
		return 1
	fi
}

# hook_run REPO CONFIG < input: runs the pre-receive hook in REPO as git
# would (GIT_DIR set, stdin the ref lines), stderr to $TRASH/hook.err, the
# exit status in $hook_status. CONFIG may be empty.
hook_run() {
	if [ -n "$2" ]; then
		(cd "$1" && GIT_DIR=. "$LINKGATE" pre-receive --config "$2") 2>"$TRASH/hook.err"
	else
		(cd "$1" && GIT_DIR=. "$LINKGATE" pre-receive) 2>"$TRASH/hook.err"
	fi
	hook_status=$?
	return 0
}

# now_ms: a monotonic-enough wall clock in milliseconds (GNU date).
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# pkt_line TEXT: TEXT as one pkt-line; TEXT must not hold NUL.
pkt_line() {
	printf '%04x%s' $((${#1} + 4)) "$1"
}

# push_stream OUT REPO CAPS LINE...: a push as a client sends it, written to
# OUT: one pkt-line per "OLD NEW REF" LINE (the first carries CAPS), a
# flush, then the pack of every new object from REPO (nothing when all
# updates are deletions).
push_stream() {
	out=$1 repo=$2 caps=$3
	shift 3
	first=1
	revs=""
	: >"$out"
	for l in "$@"; do
		if [ $first -eq 1 ]; then
			printf '%04x%s\0%s\n' $((${#l} + ${#caps} + 6)) "$l" "$caps" >>"$out"
			first=0
		else
			pkt_line "$l
" >>"$out"
		fi
		set -- $l
		[ "$1" = $Z40 ] || revs="$revs ^$1"
		[ "$2" = $Z40 ] || revs="$revs $2"
	done
	printf 0000 >>"$out"
	if [ -n "$revs" ]; then
		echo $revs | tr ' ' '\n' | git -C "$repo" pack-objects --revs --stdout -q >>"$out"
	fi
}

# fast_commits N REF [FROM]: imports N commits on REF, the first one's
# parent FROM (none when empty), in the current repository with git
# fast-import. Each commit changes one line of n.txt. Seconds for a
# hundred thousand commits.
fast_commits() {
	awk -v n="$1" -v ref="$2" -v from="${3:-}" 'BEGIN {
		for (i = 1; i <= n; i++) {
			printf "commit %s\ncommitter C O Mitter <c@example.com> %d +0000\ndata <<EOM\nc%d\nEOM\n", ref, 1767225600 + i, i
			if (i == 1 && from != "") printf "from %s\n", from
			printf "M 100644 inline n.txt\ndata <<EOD\n%d\nEOD\n\n", i
		}
	}' | git fast-import --quiet
}
