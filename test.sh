#!/usr/bin/env bash
# The full check CI runs: formatting, vet, staticcheck, the race-enabled test suite and short fuzzing of the input
# decoders, each step announced with the time it starts. Everyday work can use `go test -short ./...` instead (no
# C compiler, no race detector, no fuzzing, no JavaScript clients); see the README's Development section.
#
# FUZZTIME is each fuzz target's budget as go test -fuzztime takes it (by default 50000x, or the count a target is
# listed with below); FUZZTIME=0 skips fuzzing. The default is an execution count, not a duration: on Go 1.26 a duration budget can end a clean run with a spurious
# "context deadline exceeded" failure (a race in the fuzz coordinator, go.dev/issue/75804, fixed in Go 1.27).
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '== [%3ds] %s\n' "$SECONDS" "$*"; }

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt needed on:" $unformatted >&2
	exit 1
fi
step "go vet ./..."
go vet ./...
step "staticcheck ./... (pinned in go.mod's tool block)"
go tool staticcheck ./...
step "go test -race ./... (on a cold cache the race build of the OCI SDK takes several minutes before the first result)"
go test -race -count=1 ./...

# Each fuzz target in turn (go test -fuzz takes one target at a time). New targets must be listed here.
if [ "${FUZZTIME:-}" != "0" ]; then
	fuzz_targets=(
		./ocigenai:FuzzEventReader
		./handler:FuzzChatRequest:10000x # each execution is a signed round trip through the gateway and the simulator
		./handler:FuzzMessagesRequest:10000x
		./anthropic:FuzzStream
		./oci/generic:FuzzRequest
		./oci/generic:FuzzStream
		./oci/generic:FuzzDecodeReuse
		./oci/generic:FuzzCompletion
		./oci/cohere:FuzzRequest
		./oci/cohere:FuzzStream
		./oci/cohere:FuzzDecodeReuse
		./oci/cohere:FuzzCompletion
		./oci/coherev2:FuzzRequest
		./oci/coherev2:FuzzStream
		./oci/coherev2:FuzzDecodeReuse
		./oci/coherev2:FuzzCompletion
		./strictjson:FuzzCheck
		./responses:FuzzDecode
	)
	# Every Fuzz function in the tree must be in the list above, under its package.
	listed=$(printf '%s\n' "${fuzz_targets[@]}" | sed -E 's/:[0-9]+x$//' | sort)
	found=$(grep -rEl '^func Fuzz[A-Za-z0-9_]*\(' --include='*_test.go' . | while read -r f; do
		grep -hoE '^func Fuzz[A-Za-z0-9_]*' "$f" | sed -E "s#^func #$(dirname "$f"):#"
	done | sort)
	if [ "$listed" != "$found" ]; then
		echo "test.sh: fuzz targets listed and found differ:" >&2
		diff <(echo "$listed") <(echo "$found") >&2 || true
		exit 1
	fi
	for t in "${fuzz_targets[@]}"; do
		pkg=${t%%:*} name=${t#*:} count=50000x
		if [ "$name" != "${name%:*}" ]; then
			count=${name#*:} name=${name%:*}
		fi
		fuzztime=${FUZZTIME:-$count}
		step "fuzz $pkg $name ($fuzztime)"
		if ! out=$(go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg" 2>&1); then
			echo "$out" >&2 # the failing input is saved under $pkg/testdata/fuzz/$name
			exit 1
		fi
	done
fi
step "all checks passed"
