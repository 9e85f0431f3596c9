package cohere_test

import (
	"testing"

	"github.com/ociai/ociai-proxy/oci/cohere"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/oci/internal/ocitest"
)

func FuzzRequest(f *testing.F) { ocitest.FuzzCohere(f, cohere.Request) }

func FuzzStream(f *testing.F) {
	ocitest.FuzzCohereStream(f, cohereStreamCases, func(u bool) core.Stream { return cohere.NewStream(ocitest.StreamID, "m", 1, u) })
}

func FuzzCompletion(f *testing.F) {
	f.Add([]byte(`{"chatResponse":{"text":"x","finishReason":"COMPLETE","toolCalls":[{"name":"f","parameters":{"a":1}},{"name":"g"}],"usage":{"promptTokens":1}}}`))
	f.Add([]byte(`{"code":"x","message":"y"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if c, err := cohere.Completion(data, "id", "m", 1); err == nil {
			ocitest.CheckCompletion(t, c)
		}
	})
}
