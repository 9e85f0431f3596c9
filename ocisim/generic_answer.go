package ocisim

import "strings"

// part is a content part of either request shape (GENERIC or COHEREV2).
type part interface {
	partType() string
	partText() *string
}

func (p contentPart) partType() string   { return p.Type }
func (p contentPart) partText() *string  { return p.Text }
func (p cohereV2Part) partType() string  { return p.Type }
func (p cohereV2Part) partText() *string { return p.Text }

// textOf joins the TEXT parts of a message with single spaces and counts its image parts (of imageType).
func textOf[P part](parts []P, imageType string) (text string, images int) {
	var texts []string
	for _, p := range parts {
		switch p.partType() {
		case "TEXT":
			texts = append(texts, *p.partText())
		case imageType:
			images++
		}
	}
	return strings.Join(texts, " "), images
}

// generate applies the answer rules (doc.go) to a validated request.
func (req *genericRequest) generate(m model) generation {
	var g generation
	var userText string
	var userImages int
	for _, msg := range req.Messages {
		t, imgs := textOf(msg.parts, "IMAGE")
		g.prompt += words(t) + imageTokens*imgs
		if msg.Role == "USER" {
			userText, userImages = t, imgs
		}
	}
	last := req.Messages[len(req.Messages)-1]

	reasoning := m.isReasoningModel() || req.ReasoningEffort != ""
	if req.ReasoningEffort == "NONE" {
		reasoning = false
	}
	if reasoning {
		g.reasoning = tokenize("Thinking about: " + userText)
	}

	if calls := req.toolCalls(m, userText, last.Role == "TOOL"); len(calls) > 0 {
		g.toolCalls, g.finish = calls, finishToolCalls
		return g
	}
	var answer string
	if last.Role == "TOOL" {
		t, _ := textOf(last.parts, "IMAGE")
		answer = "The tool " + *last.ToolCallID + " returned: " + t
	} else {
		answer = greeting(m.id, userText+imageSuffix(userImages))
	}
	if req.jsonOutput {
		answer = jsonAnswer(answer)
	}
	limit := req.MaxTokens
	if req.MaxCompletionTokens != nil {
		limit = req.MaxCompletionTokens
	}
	g.text, g.tokens, g.finish = shape(answer, req.Stop, limit)
	return g
}

// toolCalls decides whether to call tools instead of answering (doc.go).
func (req *genericRequest) toolCalls(m model, userText string, afterToolResult bool) []toolCall {
	if len(req.Tools) == 0 || afterToolResult || req.toolChoice.Type == "NONE" {
		return nil
	}
	names := make([]string, len(req.Tools))
	for i, t := range req.Tools {
		names[i] = t.Name
	}
	picked := mentioned(userText, names)
	switch req.toolChoice.Type {
	case "FUNCTION":
		picked = []int{req.toolIndex(req.toolChoice.Name)}
	case "REQUIRED":
		if len(picked) == 0 {
			picked = []int{0}
		}
	}
	if len(picked) > 1 && req.IsParallelToolCalls != nil && !*req.IsParallelToolCalls {
		picked = picked[:1]
	}
	calls := make([]toolCall, len(picked))
	for i, idx := range picked {
		t := req.Tools[idx]
		calls[i] = toolCall{Name: t.Name, Arguments: argsFromSchema(t.Name, t.Parameters, userText)}
		// Gemini via OCI omits tool-call ids in streams (reference §2.1);
		// UNCONFIRMED that non-stream responses omit them too.
		if m.vendor != vendorGoogle {
			calls[i].ID = toolCallID(t.Name, i)
		}
	}
	return calls
}
