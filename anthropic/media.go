package anthropic

import (
	"strconv"
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// image converts an image source: base64 data becomes a data: URL, a URL is passed on. Files uploaded to
// Anthropic's Files API cannot be reached.
func image(p string, s *Source) (hub.ContentPart, error) {
	if s == nil {
		return hub.ContentPart{}, hub.BadRequest(p+".source", p+".source: Field required")
	}
	var url string
	switch s.Type {
	case "base64":
		if s.MediaType == "" || s.Data == "" {
			return hub.ContentPart{}, hub.BadRequest(p+".source", p+".source: base64 images need media_type and data")
		}
		url = "data:" + s.MediaType + ";base64," + s.Data
	case "url":
		if s.URL == "" {
			return hub.ContentPart{}, hub.BadRequest(p+".source.url", p+".source.url: Field required")
		}
		url = s.URL
	default:
		return hub.ContentPart{}, badSource(p, s.Type, "'base64' or 'url'")
	}
	return hub.ContentPart{Type: "image_url", ImageURL: &hub.MediaURL{URL: url}}, nil
}

// document appends a document block: a PDF (base64 or URL) as a file part, which OCI takes as a DOCUMENT
// where the model accepts documents (others answer with a clear 400); plain text and content sources inline.
func document(p string, b *Block, parts []hub.ContentPart) ([]hub.ContentPart, error) {
	s := b.Source
	if s == nil {
		return nil, hub.BadRequest(p+".source", p+".source: Field required")
	}
	heading := joinNonEmpty("\n", b.Title, b.Context)
	switch s.Type {
	case "base64", "url":
		if s.Type == "base64" && s.MediaType != "application/pdf" {
			return nil, hub.BadRequest(p+".source.media_type", p+".source.media_type: base64 documents must be 'application/pdf'")
		}
		data := s.URL // UNCONFIRMED whether OCI fetches a document URL itself; a data: URL it takes
		if s.Type == "base64" {
			data = "data:application/pdf;base64," + s.Data
		}
		if data == "" || data == "data:application/pdf;base64," {
			return nil, hub.BadRequest(p+".source", p+".source: the document has no data")
		}
		if heading != "" {
			parts = append(parts, hub.ContentPart{Type: "text", Text: heading})
		}
		return append(parts, hub.ContentPart{Type: "file", File: &hub.FilePart{FileData: data, Filename: "document.pdf"}}), nil
	case "text":
		return append(parts, hub.ContentPart{Type: "text", Text: joinNonEmpty("\n\n", heading, s.Data)}), nil
	case "content":
		if heading != "" {
			parts = append(parts, hub.ContentPart{Type: "text", Text: heading})
		}
		if s.Content == nil {
			return parts, nil
		}
		if s.Content.Blocks == nil {
			return append(parts, hub.ContentPart{Type: "text", Text: s.Content.Text}), nil
		}
		for k := range s.Content.Blocks {
			var err error
			cb, cp := &s.Content.Blocks[k], p+".source.content."+strconv.Itoa(k)
			switch cb.Type {
			case "text":
				parts = append(parts, hub.ContentPart{Type: "text", Text: cb.Text})
			case "image":
				var img hub.ContentPart
				img, err = image(cp, cb.Source)
				parts = append(parts, img)
			default:
				err = unknownBlock(cp, cb.Type)
			}
			if err != nil {
				return nil, err
			}
		}
		return parts, nil
	}
	return nil, badSource(p, s.Type, "'base64', 'url', 'text' or 'content'")
}

func badSource(p, typ, want string) error {
	if typ == "file" {
		return hub.BadRequest(p+".source.type", p+".source: files uploaded to Anthropic's Files API are not reachable through this gateway; send the content inline.")
	}
	return hub.BadRequest(p+".source.type", p+".source.type: Input should be "+want)
}

// plainText is the text of a string or of text blocks.
func plainText(c *Content) string {
	if c == nil {
		return ""
	}
	if c.Blocks == nil {
		return c.Text
	}
	var b strings.Builder
	for i := range c.Blocks {
		if c.Blocks[i].Type == "text" {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(c.Blocks[i].Text)
		}
	}
	return b.String()
}
