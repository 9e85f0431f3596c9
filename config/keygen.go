package config

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Generate returns a new client API key: 128 random bits as 32 hex characters.
func Generate() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generating API key: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// apiKeyLineRE matches an `api_key = …` line; group 1 keeps everything up to the value.
var apiKeyLineRE = regexp.MustCompile(`(?i)^(\s*` + keyAPIKey + `\s*=[ \t]*)`)

// writeAPIKey stores key as api_key in [DEFAULT] of the file at path, touching
// only that line, atomically and with mode 0600 (the file holds secrets).
func writeAPIKey(path, key string) error {
	real, err := filepath.EvalSymlinks(path) // replace the target, not the link
	if err != nil {
		return err
	}
	data, err := os.ReadFile(real)
	if err != nil {
		return err
	}
	return writeFileAtomic(real, setAPIKeyLine(data, key), 0o600)
}

// setAPIKeyLine edits the ini text itself rather than re-serialising it, so
// comments, order and spacing survive byte for byte. It replaces the value of
// the first api_key line of the default section (keeping the line's inline
// comment), or adds one right after the [DEFAULT] header (before the first
// section when there is no such header).
func setAPIKeyLine(data []byte, key string) []byte {
	eol := "\n"
	if bytes.Contains(data, []byte("\r\n")) {
		eol = "\r\n"
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	inDefault, defaultHeader, firstHeader := true, -1, -1
	for i, line := range lines {
		t := strings.TrimSpace(string(line))
		if i == 0 {
			t = strings.TrimPrefix(t, "\uFEFF")
		}
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			inDefault = strings.EqualFold(strings.TrimSpace(t[1:len(t)-1]), sectionDefault)
			if inDefault && defaultHeader < 0 {
				defaultHeader = i
			}
			if firstHeader < 0 {
				firstHeader = i
			}
			continue
		}
		bom := []byte{}
		if i == 0 && bytes.HasPrefix(line, []byte("\uFEFF")) {
			bom, line = line[:3], line[3:]
		}
		if m := apiKeyLineRE.FindSubmatch(line); inDefault && m != nil {
			lines[i] = slices.Concat(bom, m[1], replaceValue(line[len(m[1]):], key))
			return bytes.Join(lines, nil)
		}
	}
	newLine := []byte(keyAPIKey + " = " + key + eol)
	at := len(lines) // no sections: the whole file is the default section
	switch {
	case defaultHeader >= 0:
		at = defaultHeader + 1
	case firstHeader >= 0:
		at = firstHeader
	}
	if at > 0 && !bytes.HasSuffix(lines[at-1], []byte("\n")) {
		lines[at-1] = append(append([]byte{}, lines[at-1]...), eol...)
	}
	lines = append(lines[:at], append([][]byte{newLine}, lines[at:]...)...)
	return bytes.Join(lines, nil)
}

// replaceValue puts key in place of the value at the start of rest (what follows `api_key =` and its blanks),
// keeping the blanks, inline comment and line ending after it.
func replaceValue(rest []byte, key string) []byte {
	body := bytes.TrimRight(rest, "\r\n")
	c := commentStart(string(body))
	value := bytes.TrimRight(body[:c], " \t")
	after := rest[len(value):]
	if len(value) == 0 && c == 0 && c < len(body) {
		key += " " // `api_key = # comment`: keep the comment a comment
	}
	return slices.Concat([]byte(key), after)
}

// writeFileAtomic replaces path via a temp file in the same directory and a rename.
func writeFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil { // persist the rename; best effort
		d.Sync()
		d.Close()
	}
	return nil
}
