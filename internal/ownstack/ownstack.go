// Package ownstack runs stack-hungry work on a goroutine of its own, so that it does not grow the stack of a
// goroutine that lives long (a stream's handler).
package ownstack

// Run runs f on a fresh goroutine and waits for it. A goroutine's stack grows to the deepest call it has made and
// shrinks only at a collection, by half, and only while less than a quarter of it is in use: decoding a large
// request or an RSA signature (about 8 KB of stack) on a stream's handler goroutine would leave it 16 or 32 KB for
// the stream's whole life. The fresh goroutine's stack is freed when it ends; it costs a goroutine start and the
// growth of that stack, some microseconds (about 1 % of a non-streaming request's CPU for a signature).
// A panic in f is raised again on the caller's goroutine, where the caller's recovery sees it.
func Run(f func()) {
	var p any
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { p = recover() }()
		f()
	}()
	<-done
	if p != nil {
		panic(p)
	}
}
