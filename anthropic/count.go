package anthropic

import (
	"bytes"
	"encoding/base64"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// OCI has no tokenizer endpoint, so count_tokens estimates over what convert would send (system text without
// Claude Code's billing header, tools a deferred loading still hides left out):
//
//   - text, tool names, descriptions, schemas and call arguments: one token per 4 bytes of UTF-8, rounded
//     up (about 4 characters of English, and about one token per CJK character, as common tokenizers give);
//   - each message and each tool: 3 more tokens for the chat template around it;
//   - each image: 1,600 tokens, what Anthropic documents for a full-size (1.15 megapixel) image;
//   - each PDF: 2,000 tokens per page (Anthropic: 1,500 to 3,000), or one per 4 bytes of its base64 when
//     its pages cannot be counted; a PDF given by URL counts as one page.
//
// The result is at least 1: clients such as Claude Code turn off auto-compaction when it is 0.
const (
	bytesPerToken  = 4
	overheadTokens = 3
	imageTokens    = 1600
	pageTokens     = 2000
)

// countTokens estimates the input tokens of a converted request (see above).
func countTokens(c *hub.ChatRequest) int {
	n := 0
	for i := range c.Messages {
		m := &c.Messages[i]
		n += overheadTokens + textTokens(m.Content.Text) + textTokens(m.ReasoningContent)
		for j := range m.Content.Parts {
			n += partTokens(&m.Content.Parts[j])
		}
		for j := range m.ToolCalls {
			n += textTokens(m.ToolCalls[j].Function.Name) + textTokens(m.ToolCalls[j].Function.Arguments)
		}
	}
	for i := range c.Tools {
		f := &c.Tools[i].Function
		n += overheadTokens + textTokens(f.Name) + textTokens(f.Description) + (len(f.Parameters)+bytesPerToken-1)/bytesPerToken
	}
	return max(n, 1)
}

func textTokens(s string) int { return (len(s) + bytesPerToken - 1) / bytesPerToken }

func partTokens(p *hub.ContentPart) int {
	switch {
	case p.Type == "image_url":
		return imageTokens
	case p.Type == "file" && p.File != nil:
		return pdfTokens(p.File.FileData)
	}
	return textTokens(p.Text)
}

// pdfTokens counts a base64 data: URL's pages ("/Type /Page" objects, not the "/Pages" tree nodes).
func pdfTokens(data string) int {
	_, b64, ok := strings.Cut(data, ";base64,")
	if !ok {
		return pageTokens // a URL: nothing to count, so one page
	}
	pdf, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return textTokens(b64)
	}
	pages := 0
	for _, marker := range [][]byte{[]byte("/Type /Page"), []byte("/Type/Page")} {
		for rest := pdf; ; {
			i := bytes.Index(rest, marker)
			if i < 0 {
				break
			}
			rest = rest[i+len(marker):]
			if len(rest) == 0 || rest[0] != 's' {
				pages++
			}
		}
	}
	if pages == 0 {
		return textTokens(b64)
	}
	return pages * pageTokens
}
