// Package bufpool lends out encode buffers, so answers are built without a new buffer each time.
package bufpool

import (
	"bytes"
	"sync"
)

// pool holds the buffers; big ones (an embeddings answer) are dropped so the pool stays small.
var pool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Get returns an empty buffer.
func Get() *bytes.Buffer { return pool.Get().(*bytes.Buffer) }

// Put returns b to the pool, unless it grew over 64 KiB.
func Put(b *bytes.Buffer) {
	if b.Cap() <= 64<<10 {
		b.Reset()
		pool.Put(b)
	}
}
