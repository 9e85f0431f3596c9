package server

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
)

// announceKey tells the operator about a key generated at start-up. The key itself is printed once, and only to
// a terminal: where stdout is collected (a service manager, a container runtime, a log shipper) the log says
// where the key was written, without it. A key that could be neither written nor shown is useless, so then the
// start fails and says how to set one.
func announceKey(stdout io.Writer, log *slog.Logger, key, path string) error {
	if isTerminal(stdout) {
		where := "not saved: no config file; set api_key or OCIAI_API_KEY to keep it"
		if path != "" {
			where = "saved to " + path
		}
		fmt.Fprintf(stdout, "Generated API key (%s):\n\n    %s\n\n", where, key)
		return nil
	}
	if path == "" {
		return errors.New("no API key configured, and a generated one could be neither saved (no config file) nor shown (stdout is not a terminal): set OCIAI_API_KEY, or api_key in a config file")
	}
	log.Warn("generated an API key for clients; it is in the config file, not in this log", "file", path)
	return nil
}

// isTerminal reports whether w is a character device, as a terminal is.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
