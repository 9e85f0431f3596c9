package core

import "github.com/ociai/ociai-proxy/hub"

// Streamed tool calls come without an index. Two patterns exist: whole calls per event (Grok; Gemini without ids;
// Cohere) and a header {id,name} followed by id-less argument fragments (Llama, gpt-oss, OpenAI models). The hub
// indices are assigned here.

// toolCalls maps one event's tool-call parts to deltas for choice c, in the emitter's reused slice.
func (s *Assembler) toolCalls(c *streamChoice, parts []ToolCallPart) []hub.ToolCallDelta {
	out := s.e.calls[:0]
	for k := range parts {
		p := &parts[k]
		name, args := p.Name, p.Arguments
		j := c.match(p.ID, name)
		if j < 0 { // a new call
			if p.ID == "" && name == "" && args == "" {
				continue
			}
			j = len(c.calls)
			id := p.ID
			if id == "" {
				id = SyntheticCallID(s.id, c.index, j)
			}
			c.calls = append(c.calls, streamCall{id: id, name: name})
			c.cur = j
			c.calls[j].feed(args)
			out = append(out, hub.ToolCallDelta{Index: j, ID: id, Type: hub.TypeFunction, Function: hub.FunctionDelta{Name: name, Arguments: args}})
			continue
		}
		c.cur = j
		call := &c.calls[j]
		fd := hub.FunctionDelta{Arguments: args}
		if call.name == "" && name != "" { // header without a name, name later
			call.name, fd.Name = name, name
		}
		if fd.Name == "" && args == "" {
			continue // empty fragments ("arguments":"") carry nothing
		}
		call.feed(args)
		out = append(out, hub.ToolCallDelta{Index: j, Function: fd})
	}
	s.e.calls = out
	return out
}

// match returns the call a part continues, or -1 when it starts a new one: a known id continues that call, a new
// id starts one; an id-less part continues the current call unless it names a different function, or the same
// function again after that call's arguments were complete (Gemini sends parallel calls to one function without
// ids).
func (c *streamChoice) match(id, name string) int {
	if id != "" {
		for j := range c.calls {
			if c.calls[j].id == id {
				return j
			}
		}
		return -1
	}
	if c.cur < 0 {
		return -1
	}
	cur := &c.calls[c.cur]
	if name == "" || cur.name == "" || (name == cur.name && !cur.args.complete()) {
		return c.cur
	}
	return -1
}

func (sc *streamCall) feed(args string) {
	sc.argBytes += len(args)
	sc.args.feed(args)
}

// argScanner tracks, fragment by fragment and without buffering, whether the arguments seen so far form a
// complete JSON value.
type argScanner struct {
	depth   int
	inStr   bool
	esc     bool
	started bool
}

func (a *argScanner) feed(s string) {
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if a.inStr {
			switch {
			case a.esc:
				a.esc = false
			case ch == '\\':
				a.esc = true
			case ch == '"':
				a.inStr = false
			}
			continue
		}
		switch ch {
		case ' ', '\t', '\r', '\n':
		case '"':
			a.inStr, a.started = true, true
		case '{', '[':
			a.depth++
			a.started = true
		case '}', ']':
			a.depth--
		default:
			a.started = true
		}
	}
}

func (a *argScanner) complete() bool { return a.started && a.depth <= 0 && !a.inStr }
