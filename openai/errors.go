package openai

import "github.com/ociai/ociai-proxy/hub"

// errorBody is OpenAI's error envelope.
type errorBody struct {
	Error errorFields `json:"error"`
}

type errorFields struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

// ErrorBody is the OpenAI error envelope of e: {"error":{"message","type","param","code"}}, param and code null
// when empty.
func ErrorBody(e *hub.Error) any {
	b := errorBody{Error: errorFields{Message: e.Message, Type: e.Type}}
	if e.Param != "" {
		b.Error.Param = &e.Param
	}
	if e.Code != "" {
		b.Error.Code = &e.Code
	}
	return b
}
