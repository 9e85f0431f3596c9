package responses

import "github.com/ociai/ociai-proxy/hub"

// text adds reasoning or message text, opening the item (and, in a message, the content part of kind) it
// belongs to and closing the one it does not.
func (s *Stream) text(reasoning bool, kind, delta string) {
	if s.cur != nil && s.cur.reasoning != reasoning {
		s.closeCur()
	}
	c := s.cur
	if c == nil {
		c = s.open(reasoning)
	}
	d := &s.deltas
	if reasoning {
		c.text.WriteString(delta)
		d.str = delta
		d.summary = summaryTextEvent{ItemID: c.id, OutputIndex: c.index, Delta: &d.str}
		s.emit("response.reasoning_summary_text.delta", &d.summary)
		return
	}
	if c.kind != kind {
		s.closePart(c)
		s.openPart(c, kind)
	}
	c.text.WriteString(delta)
	ci := len(c.parts)
	if kind == "refusal" {
		d.refusal = refusalEvent{ItemID: c.id, OutputIndex: c.index, ContentIndex: ci, Delta: delta}
		s.emit("response.refusal.delta", &d.refusal)
		return
	}
	d.text = textDelta{ItemID: c.id, OutputIndex: c.index, ContentIndex: ci, Delta: delta, Logprobs: []struct{}{}}
	s.emit("response.output_text.delta", &d.text)
}

// open starts a reasoning or message item.
func (s *Stream) open(reasoning bool) *textItem {
	n := len(s.resp.Output)
	c := &textItem{index: n, reasoning: reasoning}
	var item any
	if reasoning {
		c.id = s.t.itemID("rs_", n)
		item = ReasoningItem{ID: c.id, Type: "reasoning", Summary: []TextPart{}}
	} else {
		c.id = s.t.itemID("msg_", n)
		item = MessageItem{ID: c.id, Type: "message", Status: "in_progress", Role: "assistant", Content: []any{}}
	}
	s.resp.Output = append(s.resp.Output, item)
	s.emit("response.output_item.added", &itemEvent{OutputIndex: n, Item: item})
	if reasoning {
		s.emit("response.reasoning_summary_part.added", &summaryPartEvent{ItemID: c.id, OutputIndex: n, Part: TextPart{Type: "summary_text"}})
	}
	s.cur = c
	return c
}

func (s *Stream) openPart(c *textItem, kind string) {
	c.kind = kind
	var part any = outputText("", nil)
	if kind == "refusal" {
		part = Refusal{Type: "refusal"}
	}
	s.emit("response.content_part.added", &partEvent{ItemID: c.id, OutputIndex: c.index, ContentIndex: len(c.parts), Part: part})
}

// closePart ends the message's open content part, if any.
func (s *Stream) closePart(c *textItem) {
	if c.kind == "" {
		return
	}
	text, ci := c.text.String(), len(c.parts)
	c.text.Reset()
	var part any
	if c.kind == "refusal" {
		part = Refusal{Type: "refusal", Refusal: text}
		s.emit("response.refusal.done", &refusalEvent{ItemID: c.id, OutputIndex: c.index, ContentIndex: ci, Refusal: text})
	} else {
		part = outputText(text, nil)
		s.emit("response.output_text.done", &textDone{ItemID: c.id, OutputIndex: c.index, ContentIndex: ci, Text: text, Logprobs: []struct{}{}})
	}
	s.emit("response.content_part.done", &partEvent{ItemID: c.id, OutputIndex: c.index, ContentIndex: ci, Part: part})
	c.parts = append(c.parts, part)
	c.kind = ""
}

// closeCur ends the open reasoning or message item.
func (s *Stream) closeCur() {
	c := s.cur
	if c == nil {
		return
	}
	s.cur = nil
	var item any
	if c.reasoning {
		text := c.text.String()
		s.emit("response.reasoning_summary_text.done", &summaryTextEvent{ItemID: c.id, OutputIndex: c.index, Text: &text})
		part := TextPart{Type: "summary_text", Text: text}
		s.emit("response.reasoning_summary_part.done", &summaryPartEvent{ItemID: c.id, OutputIndex: c.index, Part: part})
		item = ReasoningItem{ID: c.id, Type: "reasoning", Summary: []TextPart{part}}
	} else {
		s.closePart(c)
		st, _ := status(s.finish)
		item = MessageItem{ID: c.id, Type: "message", Status: st, Role: "assistant", Content: c.parts}
	}
	s.resp.Output[c.index] = item
	s.emit("response.output_item.done", &itemEvent{OutputIndex: c.index, Item: item})
}

// call adds a tool-call fragment. A call's item opens when its name is known (custom or function depends on
// it); function arguments stream as they come, a custom tool's input goes out whole when the call closes.
func (s *Stream) call(d *hub.ToolCallDelta) {
	for len(s.calls) <= d.Index {
		s.calls = append(s.calls, nil)
	}
	c := s.calls[d.Index]
	if c == nil {
		c = &callState{}
		s.calls[d.Index] = c
	}
	if d.ID != "" && c.callID == "" {
		c.callID = d.ID
	}
	if d.Function.Name != "" && c.name == "" {
		c.name = d.Function.Name
	}
	if !c.opened && c.name != "" {
		s.openCall(c)
	}
	args := d.Function.Arguments
	c.args.WriteString(args)
	if c.opened && !c.custom && args != "" {
		e := &s.deltas
		e.str = args
		e.args = argsEvent{ItemID: c.id, OutputIndex: c.index, Delta: &e.str}
		s.emit("response.function_call_arguments.delta", &e.args)
	}
}

func (s *Stream) openCall(c *callState) {
	s.closeCur()
	c.opened, c.index = true, len(s.resp.Output)
	item := s.t.callItem(c.index, c.callID, c.name, "", "in_progress")
	switch it := item.(type) {
	case FunctionCallItem:
		c.id, it.Arguments = it.ID, ""
		item = it
	case CustomToolCallItem:
		c.id, c.custom = it.ID, true
	}
	s.resp.Output = append(s.resp.Output, item)
	s.emit("response.output_item.added", &itemEvent{OutputIndex: c.index, Item: item})
	if args := c.args.String(); args != "" && !c.custom { // fragments that came before the name
		s.emit("response.function_call_arguments.delta", &argsEvent{ItemID: c.id, OutputIndex: c.index, Delta: &args})
	}
}

// closeAll ends every open item, in output order.
func (s *Stream) closeAll() {
	s.closeCur()
	for _, c := range s.calls {
		if c == nil || c.closed {
			continue
		}
		if !c.opened {
			s.openCall(c) // a call whose name never came
		}
		s.closeCall(c)
		c.closed = true
	}
}

func (s *Stream) closeCall(c *callState) {
	args := c.args.String()
	item := s.t.callItem(c.index, c.callID, c.name, args, "completed")
	if c.custom {
		input := item.(CustomToolCallItem).Input
		if input != "" {
			s.emit("response.custom_tool_call_input.delta", &inputEvent{ItemID: c.id, OutputIndex: c.index, Delta: &input})
		}
		s.emit("response.custom_tool_call_input.done", &inputEvent{ItemID: c.id, OutputIndex: c.index, Input: &input})
	} else {
		full := item.(FunctionCallItem).Arguments
		if full != args { // none came: "{}"
			s.emit("response.function_call_arguments.delta", &argsEvent{ItemID: c.id, OutputIndex: c.index, Delta: &full})
		}
		s.emit("response.function_call_arguments.done", &argsEvent{ItemID: c.id, OutputIndex: c.index, Name: c.name, Arguments: &full})
	}
	s.resp.Output[c.index] = item
	s.emit("response.output_item.done", &itemEvent{OutputIndex: c.index, Item: item})
}
