#!/usr/bin/env bash
# Runs every test of nixbuild-lint on a fresh machine: installs what the
# tests need (Debian packages, Go modules), then checks formatting, vet and
# the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: Nix's parser for the differential test,
# git for checking that --diff output applies.
NBL_APT_PACKAGES="${NBL_APT_PACKAGES-nix-bin git}"
need_apt=()
for pkg in $NBL_APT_PACKAGES; do
	dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
	echo "installing ${need_apt[*]}" >&2
	if [ "$(id -u)" -ne 0 ]; then
		echo "scripts/test.sh: need root to install ${need_apt[*]}" >&2
		exit 2
	fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

go mod download
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change: $unformatted" >&2
	exit 1
fi
go vet ./...
# Each fuzz target runs for a short fixed time (FUZZTIME, default 10s).
fuzztime="${FUZZTIME:-10s}"
for target in nixeval:FuzzParse nixeval:FuzzReadFleet fixer:FuzzFixRoundTrip; do
	pkg="${target%%:*}" name="${target#*:}"
	echo "fuzzing $name for $fuzztime"
	go test -run='^$' -fuzz="^$name\$" -fuzztime="$fuzztime" "./$pkg" > /tmp/nixbuild-lint-fuzz.log 2>&1 || {
		cat /tmp/nixbuild-lint-fuzz.log
		exit 1
	}
done

go test -count=1 ./... "$@"

