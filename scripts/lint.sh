#!/usr/bin/env bash
# golangci-lint with the project's .golangci.yml, installed from the Go module
# proxy when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
version=v2.15.0
bin="$(go env GOPATH)/bin/golangci-lint"
if ! "$bin" version 2>/dev/null | grep -q "${version#v}"; then
	go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$version"
fi
"$bin" run ./...
