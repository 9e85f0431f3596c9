package server

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// openPTY returns a new pseudo-terminal: the master side to read what is written to the slave, the terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	var unlock int32
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		t.Fatal(e)
	}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		t.Fatal(e)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close(); slave.Close() })
	return master, slave
}

// On a terminal the generated key is printed once, there only: not in the log.
func TestGeneratedKeyOnATerminal(t *testing.T) {
	dir, path, _ := keylessConfig(t)
	master, slave := openPTY(t)
	port := freePort(t)
	cmd := exec.Command(binary(t), "-host", "127.0.0.1", "-port", fmt.Sprint(port))
	cmd.Dir, cmd.Env, cmd.Stdout = dir, []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, slave
	s := startProcess(t, cmd, port)
	var printed string
	sc := bufio.NewScanner(master)
	for printed == "" && sc.Scan() {
		if m := regexp.MustCompile(`^    ([0-9a-f]{32})\r?$`).FindStringSubmatch(sc.Text()); m != nil {
			printed = m[1]
		}
	}
	saved, _ := os.ReadFile(path)
	if printed == "" || !strings.Contains(string(saved), "api_key = "+printed+"\n") {
		t.Fatalf("terminal showed %q; config file:\n%s", printed, saved)
	}
	s.waitReady(t, http.DefaultClient, s.url)
	if strings.Contains(s.output(), printed) {
		t.Errorf("the key is in the log:\n%s", s.output())
	}
}

// Without a config file and without a terminal a generated key could go nowhere: the start fails and says why.
// The OCI settings come from the environment (-simulate would bring its own key); the start fails before any
// OCI call, and the context only bounds a broken test.
func TestGeneratedKeyWithNowhereToGo(t *testing.T) {
	id := newIdentity(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), "-host", "127.0.0.1", "-port", fmt.Sprint(freePort(t)))
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + cmd.Dir, "OCIAI_USER=" + id.User, "OCIAI_TENANCY=" + id.Tenancy,
		"OCIAI_FINGERPRINT=" + id.Fingerprint, "OCIAI_PRIVATE_KEY=" + string(id.PrivateKeyPEM), "OCIAI_REGION=us-chicago-1",
		"OCIAI_ENDPOINT=http://127.0.0.1:9", "OCIAI_MODELS=llama=meta.llama-3.3-70b-instruct"}
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "could be neither saved (no config file) nor shown (stdout is not a terminal): set OCIAI_API_KEY") {
		t.Fatalf("%v\n%s", err, out)
	}
	if regexp.MustCompile(`[0-9a-f]{32}`).Match(out) {
		t.Errorf("a key in the output:\n%s", out)
	}
}
