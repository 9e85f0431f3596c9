package main

import (
	"bytes"
	"net"
	"sync"
	"time"
)

// tap is a TCP relay in front of the simulator that stamps when each answer token passes through it, so the
// delay a chunk takes from the OCI side to the client can be measured exactly without the simulator having to
// stamp its events. Tokens must be unique across the run (the stream scenario's prompts make them so).
type tap struct {
	ln     net.Listener
	target string

	mu   sync.Mutex
	seen map[string]time.Time // answer token → when it passed towards the client
	sent map[string]time.Time // first word of a request's prompt → when the request passed towards the simulator
}

func newTap(target string) (*tap, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	t := &tap{ln: ln, target: target, seen: map[string]time.Time{}, sent: map[string]time.Time{}}
	go t.serve()
	return t, nil
}

func (t *tap) URL() string { return "http://" + t.ln.Addr().String() }
func (t *tap) close()      { t.ln.Close() }

// sentAt returns when the request whose prompt starts with word passed the tap on its way to the simulator.
func (t *tap) sentAt(word string) (time.Time, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok := t.sent[word]
	return v, ok
}

// at returns when token passed the tap.
func (t *tap) at(token string) (time.Time, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok := t.seen[token]
	return v, ok
}

func (t *tap) serve() {
	for {
		c, err := t.ln.Accept()
		if err != nil {
			return
		}
		go t.relay(c)
	}
}

func (t *tap) relay(c net.Conn) {
	defer c.Close()
	up, err := net.Dial("tcp", t.target)
	if err != nil {
		return
	}
	defer up.Close()
	go func() { _ = t.forward(up, c); up.(*net.TCPConn).CloseWrite() }()
	buf := make([]byte, 32<<10)
	var pending []byte
	for {
		n, err := up.Read(buf)
		if n > 0 {
			now := time.Now()
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
			// Stamp the tokens of every complete line; keep a partial line for the next read.
			pending = append(pending, buf[:n]...)
			if i := bytes.LastIndexByte(pending, '\n'); i >= 0 {
				t.stamp(pending[:i], now)
				pending = append(pending[:0], pending[i+1:]...)
			}
		}
		if err != nil {
			return
		}
	}
}

// forward copies requests from c to up, stamping the first unique word of each request's prompt (the first
// "text" of its OCI body, whichever way built it) when the read that completes it arrives.
func (t *tap) forward(up, c net.Conn) error {
	buf := make([]byte, 32<<10)
	var pending []byte
	for {
		n, err := c.Read(buf)
		if n > 0 {
			now := time.Now()
			if _, werr := up.Write(buf[:n]); werr != nil {
				return werr
			}
			pending = append(pending, buf[:n]...)
			if i := bytes.Index(pending, ociTextKey); i >= 0 {
				if w, _, ok := bytes.Cut(pending[i+len(ociTextKey):], []byte(" ")); ok {
					if uniqueToken(w) {
						t.mu.Lock()
						t.sent[string(w)] = now
						t.mu.Unlock()
					}
					pending = pending[:0]
				}
			} else if len(pending) > 64<<10 {
				pending = append(pending[:0], pending[len(pending)-len(ociTextKey):]...)
			}
		}
		if err != nil {
			return err
		}
	}
}

var ociTextKey = []byte(`"text":"`)

func (t *tap) stamp(b []byte, now time.Time) {
	for {
		i := bytes.Index(b, ociTextKey)
		if i < 0 {
			return
		}
		b = b[i+len(ociTextKey):]
		end := bytes.IndexByte(b, '"')
		if end < 0 {
			return
		}
		if tok := bytes.TrimSpace(b[:end]); uniqueToken(tok) {
			t.mu.Lock()
			t.seen[string(tok)] = now
			t.mu.Unlock()
		}
		b = b[end:]
	}
}

// uniqueToken tells the stream scenario's generated words ("q<stream>w<index>") from the fixed ones.
func uniqueToken(tok []byte) bool {
	return len(tok) > 1 && tok[0] == 'q' && bytes.IndexByte(tok, 'w') > 0
}
