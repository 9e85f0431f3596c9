package responses

import (
	"strings"

	"github.com/ociai/ociai-proxy/hub"
)

// partParam names part j of the content at param.
func partParam(param string, j int) string { return param + "[" + itoa(j) + "]" }

// textOnly is the text of a system, developer or assistant message: its text, output_text and refusal parts,
// one per line.
func textOnly(c *Content, param string) (string, *hub.Error) {
	if c.Parts == nil {
		return c.Text, nil
	}
	texts := make([]string, 0, len(c.Parts))
	for j := range c.Parts {
		p := &c.Parts[j]
		switch p.Type {
		case "input_text", "output_text", "text":
			texts = append(texts, p.Text)
		case "refusal":
			texts = append(texts, p.Refusal)
		default:
			return "", invalid(partParam(param, j)+".type", "Content parts of type "+quote(p.Type)+" are only supported in user messages; this message takes text.")
		}
	}
	return strings.Join(texts, "\n"), nil
}

// userContent is a user message's content for the hub: text, images and files.
func userContent(c *Content, param string) (hub.Content, *hub.Error) {
	if c.Parts == nil {
		if c.Text == "" {
			return hub.Content{}, invalid(param, "A user message needs content.")
		}
		return hub.TextContent(c.Text), nil
	}
	parts := make([]hub.ContentPart, 0, len(c.Parts))
	for j := range c.Parts {
		p := &c.Parts[j]
		switch p.Type {
		case "input_text", "output_text", "text":
			parts = append(parts, hub.ContentPart{Type: "text", Text: p.Text})
		case "input_image":
			img, err := image(p, partParam(param, j))
			if err != nil {
				return hub.Content{}, err
			}
			parts = append(parts, img)
		case "input_file":
			if p.FileData == "" {
				return hub.Content{}, invalid(partParam(param, j), "Files must be sent inline as file_data: the gateway has no Files API to look up file_id or fetch file_url.")
			}
			parts = append(parts, hub.ContentPart{Type: "file", File: &hub.FilePart{FileData: p.FileData, Filename: p.Filename}})
		default:
			return hub.Content{}, invalid(partParam(param, j)+".type", "Unsupported content part type "+quote(p.Type)+"; supported: input_text, input_image and input_file.")
		}
	}
	if len(parts) == 0 {
		return hub.Content{}, invalid(param, "A user message needs content.")
	}
	return hub.Content{Parts: parts}, nil
}

// image maps an input_image part; only image_url (an https or data: URL) can be forwarded.
func image(p *Part, param string) (hub.ContentPart, *hub.Error) {
	if p.ImageURL == "" {
		return hub.ContentPart{}, invalid(param+".image_url", "Images must be sent as image_url (an https or data: URL): the gateway has no Files API to look up file_id.")
	}
	detail := p.Detail
	if detail != "low" && detail != "high" {
		detail = "auto" // "auto", absent, and levels OCI does not have ("original")
	}
	return hub.ContentPart{Type: "image_url", ImageURL: &hub.MediaURL{URL: p.ImageURL, Detail: detail}}, nil
}

// outputContent is a tool output: its text parts joined, and its images (which the hub takes only in user
// messages).
func outputContent(c *Content, param string) (string, []hub.ContentPart, *hub.Error) {
	if c.Parts == nil {
		return c.Text, nil, nil
	}
	var texts []string
	var images []hub.ContentPart
	for j := range c.Parts {
		p := &c.Parts[j]
		switch p.Type {
		case "input_text", "output_text", "text":
			texts = append(texts, p.Text)
		case "input_image":
			img, err := image(p, partParam(param, j))
			if err != nil {
				return "", nil, err
			}
			images = append(images, img)
		default:
			return "", nil, invalid(partParam(param, j)+".type", "Tool outputs take input_text and input_image parts, not "+quote(p.Type)+".")
		}
	}
	return strings.Join(texts, "\n"), images, nil
}
