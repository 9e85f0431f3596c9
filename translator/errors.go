package translator

import "github.com/ociai/ociai-proxy/hub"

func reqErr(param, msg string) *hub.RequestError { return hub.BadRequest(param, msg) }

// UpstreamError is an error object OCI sent inside a stream instead of a
// delta (e.g. {"code":"…","message":"…"}); the stream cannot continue.
type UpstreamError struct {
	Code    string
	Message string
}

func (e *UpstreamError) Error() string {
	if e.Code == "" {
		return "OCI stream error: " + e.Message
	}
	return "OCI stream error " + e.Code + ": " + e.Message
}
