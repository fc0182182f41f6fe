#!/usr/bin/env bash
# Runs every test of nixbuild-lint on a fresh machine: installs what the
# tests need (Debian packages, Go modules), then checks formatting, vet and
# the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: Nix for the differential parse test and the
# end-to-end verify test (with OpenSSH and QEMU user emulation), git for
# checking that --diff output applies, pre-commit for the hook test,
# Graphviz for checking the DOT graphs, npm to fetch the SARIF schema,
# man-db for rendering the man page.
# Each is package:command; a command already on PATH needs no package.
NBL_APT_PACKAGES="${NBL_APT_PACKAGES-nix-bin:nix-instantiate git:git pre-commit:pre-commit graphviz:dot npm:npm openssh-server:/usr/sbin/sshd openssh-client:ssh-keygen qemu-user-static:qemu-aarch64-static man-db:man}"
need_apt=()
for entry in $NBL_APT_PACKAGES; do
	pkg="${entry%%:*}" cmd="${entry#*:}"
	command -v "$cmd" >/dev/null 2>&1 || need_apt+=("$pkg")
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

# reviewdog, to check that it reads --format rdjson (its JSON schema comes
# with its module; the binary is installed once into .tools/, git-ignored).
go mod download github.com/reviewdog/reviewdog@v0.21.3
if [ ! -x .tools/reviewdog ]; then
	GOBIN="$PWD/.tools" go install github.com/reviewdog/reviewdog/cmd/reviewdog@v0.21.0
fi
export NBL_REVIEWDOG="$PWD/.tools/reviewdog"

# The SARIF 2.1.0 schema (OASIS; as published in Microsoft's jest-sarif
# package) for the SARIF validation test; kept out of the repository.
schema=testdata/sarif/sarif-2.1.0.json
if [ ! -s "$schema" ]; then
	mkdir -p testdata/sarif
	tmp=$(mktemp -d)
	(cd "$tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null && tar xzf ./*.tgz)
	cp "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$schema"
	rm -rf "$tmp"
fi
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change: $unformatted" >&2
	exit 1
fi
go vet ./...
# Each fuzz target runs a fixed number of executions, about 10 s each on
# 2 cores (FUZZTIME overrides it for all, e.g. FUZZTIME=60s). A count, not
# a duration: Go 1.26's fuzz coordinator can report "context deadline
# exceeded" when a -fuzztime duration ends while a worker is mid-execution
# (go.dev/issue/75804, fixed in Go 1.27), failing a run that found nothing.
# New interesting inputs are not minimized (-fuzzminimizetime=1x): in so
# short a run, minimizing a fixture-sized input took the whole time.
for target in nixeval/lang:FuzzParse:100000x nixeval:FuzzReadFleet:4000x fixer:FuzzFixRoundTrip:2500x; do
	pkg="${target%%:*}" rest="${target#*:}"
	name="${rest%%:*}" fuzztime="${FUZZTIME:-${rest#*:}}"
	echo "fuzzing $name for $fuzztime"
	go test -run='^$' -fuzz="^$name\$" -fuzztime="$fuzztime" -fuzzminimizetime=1x "./$pkg" > /tmp/nixbuild-lint-fuzz.log 2>&1 || {
		cat /tmp/nixbuild-lint-fuzz.log
		exit 1
	}
done

# The hostile-input tests (issue 22; every one is named TestHostile…) once
# more as one group, under a 4 GB address-space cap and a timeout: a case
# that runs away in memory or time fails here instead of taking the machine.
(ulimit -v 4000000 && go test -count=1 -timeout 600s -run Hostile ./...)

go test -count=1 ./... "$@"

