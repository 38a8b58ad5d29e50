#!/bin/sh
# setup.sh — installs what linkgate needs on Debian 12 (apt packages only),
# then configures and builds it out of tree in _build/. Safe to run again.
#
#   scripts/setup.sh [configure options...]
#
# LG_BUILD_DIR overrides the build directory.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${LG_BUILD_DIR:-$top/_build}

# Build tools, the five libraries (found with pkg-config), and git for the
# tests, and ssh-keygen (openssh-client) for signoff.verify: ssh. The
# real-server tests start sshd (openssh-server), lighttpd (smart HTTP through
# git-http-backend) and gitolite3 on 127.0.0.1. clang and its libFuzzer
# runtime build the fuzz targets (scripts/test.sh fuzzes each for a while).
# Every one is a maintained Debian package.
packages="build-essential autoconf automake libtool pkg-config git ca-certificates
libgit2-dev liblua5.4-dev libpcre2-dev libyaml-dev libjansson-dev openssh-client
openssh-server lighttpd gitolite3 clang libclang-rt-14-dev"

missing=""
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup: missing Debian packages:$missing" >&2
		echo "setup: run as root, or: sudo apt-get install$missing" >&2
		exit 1
	fi
	echo "setup: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
	echo "setup: autoreconf"
	autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
fi
mkdir -p "$build"
cd "$build"
if [ ! -f Makefile ] || [ $# -gt 0 ]; then
	echo "setup: configure $*"
	"$top/configure" -q "$@"
fi
echo "setup: make"
make -s -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
echo "setup: built $build/linkgate"
