package coherev2_test

import (
	"testing"

	"github.com/ociai/ociai-proxy/oci/coherev2"
	"github.com/ociai/ociai-proxy/oci/core"
	"github.com/ociai/ociai-proxy/oci/internal/ocitest"
)

func FuzzRequest(f *testing.F) { ocitest.FuzzCohere(f, coherev2.Request) }

func FuzzStream(f *testing.F) {
	ocitest.FuzzCohereStream(f, cohereV2StreamCases, func(u bool) core.Stream { return coherev2.NewStream(ocitest.StreamID, "m", 1, u) })
}

func FuzzCompletion(f *testing.F) {
	f.Add([]byte(`{"chatResponse":{"apiFormat":"COHEREV2","message":{"content":[{"type":"THINKING","thinking":"t"},{"type":"TEXT","text":"x"}],
		"toolCalls":[{"function":{"name":"f","arguments":{"a":1}}},{"id":"x","function":{"arguments":"\"s\""}}]},"finishReason":"TOOL_CALL"}}`))
	f.Add([]byte(`{"code":"x","message":"y"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if c, err := coherev2.Completion(data, "id", "m", 1); err == nil {
			ocitest.CheckCompletion(t, c)
		}
	})
}
