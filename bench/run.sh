#!/bin/bash
# bench/run.sh — linkgate's benchmark harness (issue: performance).
#
# Builds deterministic Go repositories with bench/genrepo, runs each
# scenario several times and prints medians and ratios measured side by
# side in the same run:
#   A  normal push: one commit touching 3 Go files into a repository of
#      5,000 commits and R refs; linkgate's hook vs a no-op hook (added ms)
#   B  history import: a push of N commits (~6 file changes each) into an
#      empty repository; linkgate vs `git log -p | grep` vs the floor, one
#      `git cat-file --batch` reading every changed blob; findings checked
#      against genrepo's independent count
#   C  peak RSS of B
#   D  B at 1k, 2k, 4k, 8k commits; A at 1k, 10k, 100k refs
#
#   bench/run.sh [--quick] [--runs N] [--density K] [--linkgate PATH] [--keep DIR]
#                [--b-sizes "N ..."] [--a-refs "R ..."]
#
# --b-sizes, --a-refs: the commit counts of B and the ref counts of A to run
# (default "1000 2000 4000 5000 8000" and "1000 10000 100000"; "" skips).
# --density K: in B, every K-th file write adds a linkname and every 2K-th
# commit a disabling flag (default 50; 0 for none).
#
# Needs bash, git, a C compiler; writes only under a temporary directory.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
linkgate="$top/_build/linkgate"
runs=5
density=50
quick=
keep=
b_sizes="1000 2000 4000 5000 8000"
a_refs="1000 10000 100000"
a_commits=5000
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--runs) runs=$2; shift ;;
	--density) density=$2; shift ;;
	--linkgate) linkgate=$2; shift ;;
	--keep) keep=$2; shift ;;
	--b-sizes) b_sizes=$2; shift ;;
	--a-refs) a_refs=$2; shift ;;
	*) echo "usage: bench/run.sh [--quick] [--runs N] [--density K] [--linkgate PATH] [--keep DIR] [--b-sizes LIST] [--a-refs LIST]" >&2; exit 2 ;;
	esac
	shift
done
[ -x "$linkgate" ] || { echo "bench: no linkgate binary at $linkgate (run scripts/setup.sh)" >&2; exit 2; }

work=${keep:-$(mktemp -d "${TMPDIR:-/tmp}/linkgate-bench.XXXXXX")}
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
export HOME="$work" GIT_CONFIG_NOSYSTEM=1 LC_ALL=C
git config --global init.defaultBranch main
git config --global user.name bench && git config --global user.email bench@example.com

genrepo="$work/genrepo"
${CC:-cc} -O2 -o "$genrepo" "$here/genrepo.c" || exit 1
printf 'limits:\n  timeout_ms: 3600000\n  max_findings: 1000000\n' >"$work/linkgate.yml"
zero=0000000000000000000000000000000000000000

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# make_repo NAME COMMITS REFS: a bare repository with genrepo's history.
make_repo() {
	local dir="$work/$1.git"
	[ -d "$dir" ] && return 0
	git init -q --bare "$dir"
	"$genrepo" --commits "$2" --files-per-commit 6 --linkname-every "$density" --flag-every $((density * 2)) --refs "$3" \
		--expect "$work/$1.expect" | git --git-dir="$dir" fast-import --quiet || exit 1
	git --git-dir="$dir" pack-refs --all
}

# Scenario B at N commits: prints "N linkgate_ms baseline_ms floor_ms rss_kb findings expected".
scenario_b() {
	local n=$1 name="import$1-d$density" i t0 t1 tip exp_ln exp_fl
	make_repo "$name" "$n" 0
	local src="$work/$name.git" imp="$work/$name-imp.git"
	tip=$(git --git-dir="$src" rev-parse main)
	rm -rf "$imp" && cp -r "$src" "$imp"
	git --git-dir="$imp" for-each-ref --format='delete %(refname)' | git --git-dir="$imp" update-ref --stdin
	git --git-dir="$src" log --format= --raw --no-abbrev main | awk '$4 !~ /^0+$/ { print $4 }' | sort -u >"$work/$name.blobs"
	printf '%s %s refs/heads/main\n' $zero "$tip" >"$work/$name.in"
	: >"$work/b.lg"; : >"$work/b.base"; : >"$work/b.floor"
	for i in $(seq "$runs"); do
		t0=$(now_ms)
		(cd "$imp" && "$linkgate" pre-receive --config "$work/linkgate.yml" <"$work/$name.in" >/dev/null 2>"$work/$name.err")
		t1=$(now_ms); echo $((t1 - t0)) >>"$work/b.lg"
		t0=$(now_ms)
		git --git-dir="$src" log -p --format=%H main | grep -c -E 'go:linkname|checklinkname' >/dev/null
		t1=$(now_ms); echo $((t1 - t0)) >>"$work/b.base"
		t0=$(now_ms)
		git --git-dir="$src" cat-file --batch <"$work/$name.blobs" >/dev/null
		t1=$(now_ms); echo $((t1 - t0)) >>"$work/b.floor"
	done
	# Peak RSS (VmHWM) of the hook process, as the hook itself reports it
	# with LINKGATE_DEBUG (getrusage; its child processes are apart).
	rss=$(cd "$imp" && LINKGATE_DEBUG=1 "$linkgate" pre-receive --config "$work/linkgate.yml" \
		<"$work/$name.in" 2>&1 >/dev/null | sed -n 's/^linkgate: debug: peak RSS \([0-9]*\) KiB.*/\1/p')
	found=$(sed -n 's/.*checked [0-9]* commits\{0,1\} and \([0-9]*\) findings\{0,1\}.*/\1/p' "$work/$name.err")
	exp_ln=$(awk '$1 == "linkname" { print $2 }' "$work/$name.expect")
	exp_fl=$(awk '$1 == "flags" { print $2 }' "$work/$name.expect")
	# Ratios are taken run by run (the three commands of one run are
	# measured back to back) and their median reported: a shared machine's
	# speed drifts between runs more than within one.
	vs_base=$(paste "$work/b.base" "$work/b.lg" | awk '$2 > 0 { printf "%.4f\n", $1 / $2 }' | median)
	vs_floor=$(paste "$work/b.lg" "$work/b.floor" | awk '$2 > 0 { printf "%.4f\n", $1 / $2 }' | median)
	echo "$n $(median <"$work/b.lg") $(median <"$work/b.base") $(median <"$work/b.floor") ${rss:-?} ${found:-0}" \
		"$((exp_ln + exp_fl)) $vs_base $vs_floor"
}

# Scenario A with R refs: prints "R linkgate_ms noop_ms added_ms".
scenario_a() {
	local refs=$1 commits=$2 name="normal$1" i t0 t1 old
	make_repo "$name" "$commits" "$refs"
	local srv="$work/$name-srv.git" cl="$work/$name-clone"
	rm -rf "$srv" "$cl"
	cp -r "$work/$name.git" "$srv"
	git clone -q "$srv" "$cl" 2>/dev/null
	(cd "$cl" && for f in pkg/p1/f1.go pkg/p2/f2.go pkg/p3/f3.go; do echo "// touched" >>"$f"; done &&
		git commit -qam "a normal change")
	old=$(git --git-dir="$srv" rev-parse main)
	# Both hooks are wrapped alike, and the wrapper notes how long the hook
	# itself ran (microseconds): the push's wall time also holds git's own
	# variance, which at 100,000 refs is larger than the hook.
	"$linkgate" install --config "$work/linkgate.yml" "$srv" >/dev/null
	timed_hook lg "'$linkgate' pre-receive --config '$work/linkgate.yml'" >"$work/lg-hook"
	timed_hook noop "cat >/dev/null" >"$work/noop-hook"
	chmod +x "$work/lg-hook" "$work/noop-hook"
	: >"$work/a.lg"; : >"$work/a.noop"; : >"$work/a.hook.lg"; : >"$work/a.hook.noop"
	for i in $(seq "$runs"); do
		for which in lg noop; do
			cp "$work/$which-hook" "$srv/hooks/pre-receive"
			git --git-dir="$srv" update-ref refs/heads/main "$old"
			# A commit the server has never seen, as in a real push (one
			# it already stores could be reachable from some ref, and the
			# hook would rightly fall back to listing the refs).
			git -C "$cl" commit -q --amend -m "a normal change ($which $i)"
			t0=$(now_ms)
			git -C "$cl" push -q origin HEAD:main 2>/dev/null || { echo "bench: push failed" >&2; exit 1; }
			t1=$(now_ms); echo $((t1 - t0)) >>"$work/a.$which"
		done
	done
	local lg noop hlg hnoop added hadded
	lg=$(median <"$work/a.lg"); noop=$(median <"$work/a.noop")
	hlg=$(median <"$work/a.hook.lg"); hnoop=$(median <"$work/a.hook.noop")
	# Differences run by run (the two pushes of one run are back to back).
	added=$(paste "$work/a.lg" "$work/a.noop" | awk '{ print $1 - $2 }' | median)
	hadded=$(paste "$work/a.hook.lg" "$work/a.hook.noop" | awk '{ print $1 - $2 }' | median)
	echo "$refs $lg $noop $added" \
		"$(awk -v a="$hlg" -v b="$hnoop" -v d="$hadded" 'BEGIN { printf "%.1f %.1f %.1f", a / 1000, b / 1000, d / 1000 }')"
}

# timed_hook NAME COMMAND: a pre-receive hook that runs COMMAND on its input
# and appends its own run time in microseconds to $work/a.hook.NAME.
timed_hook() {
	printf '#!/bin/bash\nt0=${EPOCHREALTIME/./}\n%s\nrc=$?\nt1=${EPOCHREALTIME/./}\necho $((t1 - t0)) >>%q\nexit $rc\n' \
		"$2" "$work/a.hook.$1"
}

echo "# linkgate benchmark — $(date -u +%F), $(nproc) cores, $(git --version), runs=$runs"
echo "# linkgate: $("$linkgate" --version)"
if [ -n "$quick" ]; then
	b_sizes="200"; a_refs="100"; a_commits=200
fi

echo
echo "## B: history import, density $density (C: peak RSS)"
echo "| commits | linkgate ms | git log -p \| grep ms | floor (cat-file) ms | vs baseline (per run) | vs floor (per run) | peak RSS KiB | findings | expected |"
echo "|---|---|---|---|---|---|---|---|---|"
status=0
for n in $b_sizes; do
	set -- $(scenario_b "$n")
	echo "| $1 | $2 | $3 | $4 | $(printf %.2f "$8")x faster | $(printf %.2f "$9")x | $5 | $6 | $7 |"
	[ "$6" = "$7" ] || { echo "bench: findings $6 differ from the independent count $7" >&2; status=1; }
done

echo
echo "## A: normal push (3 Go files) into $a_commits commits"
echo "| refs | linkgate push ms | no-op hook push ms | added ms (per run) | linkgate hook ms | no-op hook ms | hook difference ms (per run) |"
echo "|---|---|---|---|---|---|---|"
for r in $a_refs; do
	set -- $(scenario_a "$r" "$a_commits")
	echo "| $1 | $2 | $3 | $4 | $5 | $6 | $7 |"
done
exit $status
