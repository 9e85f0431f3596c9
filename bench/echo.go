package main

import (
	"bufio"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"time"
)

// echoChild is the -echo child mode: a TCP echo server on loopback that prints its address.
func echoChild() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr().String())
	c, err := ln.Accept()
	if err != nil {
		return err
	}
	b := make([]byte, 64)
	for {
		n, err := c.Read(b)
		if err != nil {
			return nil
		}
		if _, err := c.Write(b[:n]); err != nil {
			return nil
		}
	}
}

// loopbackRTT measures the round trip of one byte to an echo child process, back to back and after 10 ms of
// idleness (when the machine's cores have gone to sleep and each hop has to wake one): the floor under any
// extra process hop, such as the gateway's, on this machine.
func (r *runner) loopbackRTT() (busy, idle Summary, err error) {
	cmd := exec.Command(r.self, "-echo")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return busy, idle, err
	}
	c, err := r.f.start("echo", cmd)
	if err != nil {
		return busy, idle, err
	}
	defer r.f.stop(c, time.Second)
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return busy, idle, err
	}
	conn, err := net.Dial("tcp", strings.TrimSpace(addr))
	if err != nil {
		return busy, idle, err
	}
	defer conn.Close()
	b := make([]byte, 1)
	for i, gap := range []time.Duration{0, 10 * time.Millisecond} {
		var rtt []time.Duration
		for range 200 {
			time.Sleep(gap)
			t := time.Now()
			if _, err := conn.Write(b); err != nil {
				return busy, idle, err
			}
			if _, err := conn.Read(b); err != nil {
				return busy, idle, err
			}
			rtt = append(rtt, time.Since(t))
		}
		if i == 0 {
			busy = summarize(rtt, 0)
		} else {
			idle = summarize(rtt, 0)
		}
	}
	return busy, idle, nil
}
