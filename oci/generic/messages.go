package generic

import (
	"strconv"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
	"github.com/ociai/ociai-proxy/oci/core"
)

// emptyText backs content "" without an allocation; never written through.
var emptyText = ""

// messages converts hub messages to GENERIC messages. All content parts and tool calls share two backing arrays
// (one allocation each), and text is aliased from the request instead of copied.
func messages(in []hub.Message) ([]Message, error) {
	if err := core.CheckMessages(in); err != nil {
		return nil, err
	}
	nParts, nCalls := 0, 0
	for i := range in {
		nParts += max(len(in[i].Content.Parts), 1)
		nCalls += len(in[i].ToolCalls)
	}
	out := make([]Message, len(in))
	parts := make([]Content, 0, nParts)
	var calls []ToolCall
	if nCalls > 0 {
		calls = make([]ToolCall, 0, nCalls)
	}
	var err error
	for i := range in {
		m, o := &in[i], &out[i]
		if err = core.CheckRole(m.Role, i); err != nil {
			return nil, err
		}
		o.Name = m.Name
		switch m.Role {
		case "system":
			o.Role = "SYSTEM"
		case "developer":
			o.Role = "DEVELOPER"
		case "user":
			o.Role = "USER"
		case "assistant":
			o.Role, o.Refusal, o.ReasoningContent = "ASSISTANT", m.Refusal, m.ReasoningContent
			start := len(calls)
			if calls, err = appendToolCalls(calls, m.ToolCalls, i); err != nil {
				return nil, err
			}
			if len(calls) > start {
				o.ToolCalls = calls[start:len(calls):len(calls)]
			}
		case "tool":
			if err = core.CheckToolMessage(m, i); err != nil {
				return nil, err
			}
			o.Role, o.Name, o.ToolCallID = "TOOL", "", m.ToolCallID
		}
		start := len(parts)
		if parts, err = appendParts(parts, m, i, o); err != nil {
			return nil, err
		}
		if len(parts) == start && len(o.ToolCalls) == 0 {
			// every message needs content or tool calls (e.g. a refusal-only turn)
			parts = append(parts, Content{Type: "TEXT", Text: &emptyText})
		}
		if len(parts) > start {
			o.Content = parts[start:len(parts):len(parts)]
		}
	}
	return out, nil
}

func appendToolCalls(dst []ToolCall, in []hub.ToolCall, i int) ([]ToolCall, error) {
	for j := range in {
		tc := &in[j]
		if err := core.CheckToolCall(tc, i, j); err != nil {
			return nil, err
		}
		dst = append(dst, ToolCall{Type: "FUNCTION", ID: tc.ID, Name: tc.Function.Name, Arguments: core.Arguments(&tc.Function)})
	}
	return dst, nil
}

// appendParts appends m's content as GENERIC parts. A string becomes one TEXT part; an empty assistant content is
// omitted (tool-call-only turns).
func appendParts(dst []Content, m *hub.Message, i int, o *Message) ([]Content, error) {
	c := &m.Content
	if len(c.Parts) == 0 {
		if c.Text == "" && m.Role == "assistant" {
			return dst, nil
		}
		return append(dst, Content{Type: "TEXT", Text: &c.Text}), nil
	}
	for j := range c.Parts {
		p := &c.Parts[j]
		switch p.Type {
		case "text", "input_text":
			dst = append(dst, Content{Type: "TEXT", Text: &p.Text})
		case "image_url":
			u, err := core.MediaPart(p.ImageURL, i, j, ".image_url")
			if err != nil {
				return nil, err
			}
			dst = append(dst, Content{Type: "IMAGE", ImageURL: u})
		case "video_url":
			u, err := core.MediaPart(p.VideoURL, i, j, ".video_url")
			if err != nil {
				return nil, err
			}
			dst = append(dst, Content{Type: "VIDEO", VideoURL: u})
		case "input_audio":
			if p.InputAudio == nil || p.InputAudio.Data == "" {
				pp := core.PartParam(i, j, ".input_audio.data")
				return nil, hub.BadRequest(pp, "Missing required parameter: '"+pp+"'.")
			}
			dst = append(dst, Content{Type: "AUDIO", AudioURL: &core.MediaURL{URL: dataURL(audioMIME(p.InputAudio.Format), p.InputAudio.Data)}})
		case "file":
			if p.File == nil || p.File.FileData == "" {
				if p.File != nil && p.File.FileID != "" {
					return nil, hub.BadRequest(core.PartParam(i, j, ".file.file_id"), "Uploaded file references ('file_id') are not supported by this gateway; send the document inline as 'file_data'.")
				}
				pp := core.PartParam(i, j, ".file.file_data")
				return nil, hub.BadRequest(pp, "Missing required parameter: '"+pp+"'.")
			}
			dst = append(dst, Content{Type: "DOCUMENT", DocumentURL: &core.MediaURL{URL: dataURL(fileMIME(p.File.Filename), p.File.FileData)}})
		case "refusal":
			if err := core.CheckRefusalPart(m.Role, i, j); err != nil {
				return nil, err
			}
			o.Refusal = &p.Refusal
		default:
			pp := core.PartParam(i, j, ".type")
			return nil, hub.BadRequest(pp, "Invalid value for '"+pp+"': "+strconv.Quote(p.Type)+". Supported values are: 'text', 'image_url', 'input_audio' and 'file'.")
		}
	}
	return dst, nil
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
