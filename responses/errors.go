package responses

import (
	"net/http"
	"strconv"

	"github.com/ociai/ociai-proxy/hub"
)

// invalid is a 400 for a client mistake in param.
func invalid(param, msg string) *hub.Error {
	return &hub.Error{Status: http.StatusBadRequest, Type: hub.InvalidRequest, Param: param, Message: msg}
}

// at names input item i (and a field of it) the way OpenAI names parameters: input[3].call_id.
func at(i int, field string) string {
	p := "input[" + strconv.Itoa(i) + "]"
	if field != "" {
		p += "." + field
	}
	return p
}

// statelessHint ends every error about stored state.
const statelessHint = " This gateway is stateless: it stores no responses or conversations. Send the whole conversation in `input` on every request (with `store: false`)."

// stateless is the 400 for a request parameter that needs stored state.
func stateless(param string) *hub.Error {
	return &hub.Error{Status: http.StatusBadRequest, Type: hub.InvalidRequest, Code: "unsupported_parameter", Param: param,
		Message: "`" + param + "` is not supported." + statelessHint}
}

// NotStored is the answer to GET, DELETE or POST on /v1/responses/{id} and what lies below it (cancel,
// input_items): the gateway keeps no responses to find.
func NotStored(method, path string) *hub.Error {
	return &hub.Error{Status: http.StatusNotFound, Type: hub.InvalidRequest, Code: "response_not_found",
		Message: method + " " + path + ": no response is stored here." + statelessHint}
}
