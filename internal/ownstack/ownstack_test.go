package ownstack

import (
	"errors"
	"testing"
)

func TestRunWaitsForF(t *testing.T) {
	n := 0
	Run(func() { n = 42 })
	if n != 42 {
		t.Fatalf("after Run, n = %d, want 42: Run returned before f ended", n)
	}
}

func TestRunRaisesFsPanicOnTheCaller(t *testing.T) {
	boom := errors.New("boom")
	defer func() {
		if p := recover(); p != boom {
			t.Fatalf("recovered %v, want %v", p, boom)
		}
	}()
	Run(func() { panic(boom) })
	t.Fatal("Run returned after f panicked")
}
