package main

import (
	"bufio"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"
)

// signKey is the RSA-2048 key the signature timers use.
var signKey = func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

// measureSignCost times n RSA-2048 PKCS#1 v1.5 SHA-256 signatures of a 32-byte digest on one locked thread,
// taking that thread's CPU time (clock_gettime CLOCK_THREAD_CPUTIME_ID).
func measureSignCost(n int) SignCost {
	key := signKey()
	digest := sha256.Sum256([]byte("ociai-proxy benchmark"))
	for range 5 { // warm up
		_, _ = rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:])
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0, t0 := threadCPU(), time.Now()
	for range n {
		if _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:]); err != nil {
			panic(err)
		}
	}
	wall, cpu := time.Since(t0), threadCPU()-cpu0
	return SignCost{N: n, CPUPerSigMs: ms(cpu) / float64(n), WallPerSigMs: ms(wall) / float64(n), Impl: cryptoImpl()}
}

// sampleSignCost signs once every period until ctx ends, on one locked thread, so the signatures see the same
// machine (busy cores, caches) as a load running at the same time while adding almost nothing to it.
func sampleSignCost(ctx context.Context, period time.Duration) SignCost {
	key := signKey()
	digest := sha256.Sum256([]byte("ociai-proxy benchmark"))
	_, _ = rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:])
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var cpu, wall time.Duration
	n := 0
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			sc := SignCost{N: n, Impl: cryptoImpl()}
			if n > 0 {
				sc.CPUPerSigMs, sc.WallPerSigMs = ms(cpu)/float64(n), ms(wall)/float64(n)
			}
			return sc
		case <-t.C:
		}
		c0, t0 := threadCPU(), time.Now()
		_, _ = rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:])
		cpu += threadCPU() - c0
		wall += time.Since(t0)
		n++
	}
}

const clockThreadCPUTime = 3 // CLOCK_THREAD_CPUTIME_ID (Linux)

// threadCPU is the calling thread's CPU time in nanoseconds (getrusage(RUSAGE_THREAD) is adjusted to ticks
// and under-reports short intervals).
func threadCPU() time.Duration {
	var ts syscall.Timespec
	_, _, _ = syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}

// signChild is the child mode used to time another build's crypto:
//
//	-sign-cost N        time N signatures now and print the SignCost as JSON
//	-sign-during PERIOD sign once per PERIOD until SIGTERM, then print the SignCost
func signChild(mode, arg string) error {
	var sc SignCost
	switch mode {
	case "-sign-cost":
		n, err := strconv.Atoi(arg)
		if err != nil {
			return err
		}
		sc = measureSignCost(n)
	default:
		period, err := time.ParseDuration(arg)
		if err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
		defer stop()
		fmt.Println("ready")
		sc = sampleSignCost(ctx, period)
	}
	return json.NewEncoder(os.Stdout).Encode(sc)
}

// signTimer times signatures with the crypto of bin (this program, or this program built with boringcrypto).
type signTimer struct{ bin string }

// idle times n signatures in a child process.
func (s signTimer) idle(ctx context.Context, n int) *SignCost {
	out, err := exec.CommandContext(ctx, s.bin, "-sign-cost", strconv.Itoa(n)).Output()
	var sc SignCost
	if err != nil || json.Unmarshal(out, &sc) != nil {
		return nil
	}
	return &sc
}

// during starts a sampling child; the returned function stops it and returns what it measured.
func (s signTimer) during(period time.Duration) func() *SignCost {
	cmd := exec.Command(s.bin, "-sign-during", period.String())
	out, err := cmd.StdoutPipe()
	if err != nil || cmd.Start() != nil {
		return func() *SignCost { return nil }
	}
	br := bufio.NewReader(out)
	_, _ = br.ReadString('\n') // "ready"
	return func() *SignCost {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		line, _ := br.ReadString('\n')
		_ = cmd.Wait()
		var sc SignCost
		if json.Unmarshal([]byte(line), &sc) != nil || sc.N == 0 {
			return nil
		}
		return &sc
	}
}

// cryptoImpl names the RSA implementation this binary was built with.
func cryptoImpl() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "GOEXPERIMENT" && strings.Contains(s.Value, "boringcrypto") {
				return "BoringCrypto (GOEXPERIMENT=boringcrypto)"
			}
		}
	}
	return "Go crypto/rsa"
}
