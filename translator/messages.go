package translator

import (
	"strconv"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// genericMessages converts OpenAI messages to GENERIC messages. All content
// parts and tool calls share two backing arrays (one allocation each), and
// text is aliased from the request instead of copied.
func genericMessages(in []hub.Message) ([]OCIMessage, error) {
	if len(in) == 0 {
		return nil, reqErr("messages", "'messages' must contain at least one message.")
	}
	nParts, nCalls := 0, 0
	for i := range in {
		if n := len(in[i].Content.Parts); n > 0 {
			nParts += n
		} else {
			nParts++
		}
		nCalls += len(in[i].ToolCalls)
	}
	out := make([]OCIMessage, len(in))
	parts := make([]OCIContent, 0, nParts)
	var calls []OCIToolCall
	if nCalls > 0 {
		calls = make([]OCIToolCall, 0, nCalls)
	}
	var err error
	for i := range in {
		m, o := &in[i], &out[i]
		switch m.Role {
		case "system":
			o.Role, o.Name = "SYSTEM", m.Name
		case "developer":
			o.Role, o.Name = "DEVELOPER", m.Name
		case "user":
			o.Role, o.Name = "USER", m.Name
		case "assistant":
			o.Role, o.Name, o.Refusal, o.ReasoningContent = "ASSISTANT", m.Name, m.Refusal, m.ReasoningContent
			start := len(calls)
			if calls, err = appendToolCalls(calls, m.ToolCalls, i); err != nil {
				return nil, err
			}
			if len(calls) > start {
				o.ToolCalls = calls[start:len(calls):len(calls)]
			}
		case "tool":
			if m.ToolCallID == "" {
				return nil, reqErr(msgParam(i, ".tool_call_id"), "Missing required parameter: '"+msgParam(i, ".tool_call_id")+"'.")
			}
			o.Role, o.ToolCallID = "TOOL", m.ToolCallID
		case "function":
			return nil, reqErr(msgParam(i, ".role"), "Legacy 'function' messages are not supported; use role 'tool' with 'tool_call_id'.")
		default:
			return nil, reqErr(msgParam(i, ".role"), "Invalid value for '"+msgParam(i, ".role")+"': "+strconv.Quote(m.Role)+". Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.")
		}
		start := len(parts)
		if parts, err = appendParts(parts, m, i, o); err != nil {
			return nil, err
		}
		if len(parts) == start && len(o.ToolCalls) == 0 {
			// every message needs content or tool calls (e.g. a refusal-only turn)
			parts = append(parts, OCIContent{Type: "TEXT", Text: &emptyText})
		}
		if len(parts) > start {
			o.Content = parts[start:len(parts):len(parts)]
		}
	}
	return out, nil
}

func appendToolCalls(dst []OCIToolCall, in []hub.ToolCall, i int) ([]OCIToolCall, error) {
	for j := range in {
		tc := &in[j]
		if err := checkToolCall(tc, i, j); err != nil {
			return nil, err
		}
		dst = append(dst, OCIToolCall{Type: "FUNCTION", ID: tc.ID, Name: tc.Function.Name, Arguments: arguments(&tc.Function)})
	}
	return dst, nil
}

// appendParts appends m's content as GENERIC parts. A string becomes one TEXT
// part; an empty assistant content is omitted (tool-call-only turns).
func appendParts(dst []OCIContent, m *hub.Message, i int, o *OCIMessage) ([]OCIContent, error) {
	c := &m.Content
	if len(c.Parts) == 0 {
		if c.Text == "" && m.Role == "assistant" {
			return dst, nil
		}
		return append(dst, OCIContent{Type: "TEXT", Text: &c.Text}), nil
	}
	for j := range c.Parts {
		p := &c.Parts[j]
		switch p.Type {
		case "text", "input_text":
			dst = append(dst, OCIContent{Type: "TEXT", Text: &p.Text})
		case "image_url":
			u, err := mediaURL(p.ImageURL, i, j, ".image_url")
			if err != nil {
				return nil, err
			}
			dst = append(dst, OCIContent{Type: "IMAGE", ImageURL: u})
		case "video_url":
			u, err := mediaURL(p.VideoURL, i, j, ".video_url")
			if err != nil {
				return nil, err
			}
			dst = append(dst, OCIContent{Type: "VIDEO", VideoURL: u})
		case "input_audio":
			if p.InputAudio == nil || p.InputAudio.Data == "" {
				pp := partParam(i, j, ".input_audio.data")
				return nil, reqErr(pp, "Missing required parameter: '"+pp+"'.")
			}
			dst = append(dst, OCIContent{Type: "AUDIO", AudioURL: &OCIMediaURL{URL: dataURL(audioMIME(p.InputAudio.Format), p.InputAudio.Data)}})
		case "file":
			if p.File == nil || p.File.FileData == "" {
				pp := partParam(i, j, ".file.file_data")
				if p.File != nil && p.File.FileID != "" {
					return nil, reqErr(partParam(i, j, ".file.file_id"), "Uploaded file references ('file_id') are not supported by this gateway; send the document inline as 'file_data'.")
				}
				return nil, reqErr(pp, "Missing required parameter: '"+pp+"'.")
			}
			dst = append(dst, OCIContent{Type: "DOCUMENT", DocumentURL: &OCIMediaURL{URL: dataURL(fileMIME(p.File.Filename), p.File.FileData)}})
		case "refusal":
			if m.Role != "assistant" {
				pp := partParam(i, j, ".type")
				return nil, reqErr(pp, "Content parts of type 'refusal' are only allowed in assistant messages.")
			}
			o.Refusal = &p.Refusal
		default:
			pp := partParam(i, j, ".type")
			return nil, reqErr(pp, "Invalid value for '"+pp+"': "+strconv.Quote(p.Type)+". Supported values are: 'text', 'image_url', 'input_audio' and 'file'.")
		}
	}
	return dst, nil
}

func mediaURL(u *hub.MediaURL, i, j int, field string) (*OCIMediaURL, error) {
	if u == nil || u.URL == "" {
		p := partParam(i, j, field+".url")
		return nil, reqErr(p, "Missing required parameter: '"+p+"'.")
	}
	d, ok := lookupEnum(u.Detail, detailEnum)
	if !ok {
		p := partParam(i, j, field+".detail")
		return nil, reqErr(p, "Invalid value for '"+p+"': "+strconv.Quote(u.Detail)+". Supported values are: 'auto', 'low' and 'high'.")
	}
	return &OCIMediaURL{URL: u.URL, Detail: d}, nil
}

// dataURL passes data URLs (and http(s) URLs) through and wraps bare base64.
func dataURL(mime, data string) string {
	if strings.HasPrefix(data, "data:") || strings.HasPrefix(data, "http://") || strings.HasPrefix(data, "https://") {
		return data
	}
	return "data:" + mime + ";base64," + data
}

func audioMIME(format string) string {
	switch strings.ToLower(format) {
	case "", "wav":
		return "audio/wav"
	case "mp3", "mpeg":
		return "audio/mpeg"
	}
	return "audio/" + strings.ToLower(format)
}

func fileMIME(name string) string {
	ext := ""
	if k := strings.LastIndexByte(name, '.'); k >= 0 {
		ext = strings.ToLower(name[k+1:])
	}
	switch ext {
	case "txt":
		return "text/plain"
	case "md":
		return "text/markdown"
	case "csv":
		return "text/csv"
	case "html", "htm":
		return "text/html"
	case "json":
		return "application/json"
	}
	return "application/pdf" // OpenAI's file parts are PDFs
}

func msgParam(i int, field string) string { return "messages[" + strconv.Itoa(i) + "]" + field }

func partParam(i, j int, field string) string {
	return msgParam(i, ".content["+strconv.Itoa(j)+"]"+field)
}
