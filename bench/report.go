package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// render is the -render mode: the chart and the report again from saved results (after editing
// bench/analysis.md, say), without measuring anything.
func render(o opts) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	b, err := os.ReadFile(o.json)
	if err != nil {
		return err
	}
	r := &runner{o: o, res: &Results{}}
	if err := json.Unmarshal(b, r.res); err != nil {
		return err
	}
	r.o.json = "" // keep the raw results as they are
	return r.write(root)
}

// write saves the JSON, the chart and the Markdown report (paths relative to the working directory).
func (r *runner) write(root string) error {
	res := r.res
	for _, p := range []string{r.o.json, r.o.png, r.o.out} {
		if p != "" {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
		}
	}
	if r.o.json != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		if err := os.WriteFile(r.o.json, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	if r.o.png != "" && len(res.Latency) > 0 {
		if err := writeChart(r.o.png, "Non-streaming chat latency, open loop", latencyGroups(res.Latency)); err != nil {
			return err
		}
	}
	if r.o.out == "" {
		return nil
	}
	md := r.markdown(root)
	if err := os.WriteFile(r.o.out, []byte(md), 0o644); err != nil {
		return err
	}
	progress("wrote %s, %s, %s", r.o.out, r.jsonPath(), r.o.png)
	return nil
}

// jsonPath is where the raw results are (also when -render leaves them alone).
func (r *runner) jsonPath() string {
	if r.o.json == "" {
		return r.o.renderFrom
	}
	return r.o.json
}

// rel is path as seen from the directory of the report.
func (r *runner) rel(path string) string {
	outDir, _ := filepath.Abs(filepath.Dir(r.o.out))
	abs, _ := filepath.Abs(path)
	if p, err := filepath.Rel(outDir, abs); err == nil {
		return filepath.ToSlash(p)
	}
	return path
}

type mdWriter struct{ strings.Builder }

func (w *mdWriter) p(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }

func (w *mdWriter) row(cells ...any) {
	s := make([]string, len(cells))
	for i, c := range cells {
		switch v := c.(type) {
		case float64:
			s[i] = f3(v)
		default:
			s[i] = fmt.Sprint(v)
		}
	}
	w.p("| %s |", strings.Join(s, " | "))
}

func (w *mdWriter) head(cells ...string) {
	w.p("| %s |", strings.Join(cells, " | "))
	seps := make([]string, len(cells))
	for i := range seps {
		seps[i] = "---"
	}
	w.p("| %s |", strings.Join(seps, " | "))
}

func f3(v float64) string {
	switch a := abs(v); {
	case a == 0:
		return "0"
	case a < 10:
		return fmt.Sprintf("%.3f", v)
	case a < 1000:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
