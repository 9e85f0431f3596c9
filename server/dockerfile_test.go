package server

import (
	"encoding/json"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The repository's Dockerfile, read as a small parser sees it: enough to check the two images are built alike
// and to run the server binary the way the server image runs it.

type stage struct {
	name, from string
	args       []string          // ARG names
	runs       []string          // RUN commands
	copies     [][]string        // COPY arguments
	env        map[string]string // ENV
	workdir    string
	user       string
	expose     []string
	entrypoint []string
}

func parseDockerfile(t *testing.T, file string) []*stage {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var stages []*stage
	text := regexp.MustCompile(`\\\n\s*`).ReplaceAllString(string(data), "") // line continuations
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		instr, rest, _ := strings.Cut(line, " ")
		instr, rest = strings.ToUpper(instr), strings.TrimSpace(rest)
		if instr == "FROM" {
			f := strings.Fields(rest)
			s := &stage{from: f[0], env: map[string]string{}}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				s.name = f[2]
			}
			stages = append(stages, s)
			continue
		}
		if len(stages) == 0 {
			t.Fatalf("%s: %s before FROM", file, instr)
		}
		s := stages[len(stages)-1]
		switch instr {
		case "ARG":
			for _, a := range strings.Fields(rest) {
				name, _, _ := strings.Cut(a, "=")
				s.args = append(s.args, name)
			}
		case "RUN":
			s.runs = append(s.runs, rest)
		case "COPY":
			s.copies = append(s.copies, strings.Fields(rest))
		case "ENV":
			for _, kv := range strings.Fields(rest) {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					t.Fatalf("%s: ENV %q: use the KEY=value form", file, rest)
				}
				s.env[k] = v
			}
		case "WORKDIR":
			s.workdir = rest
		case "USER":
			s.user = rest
		case "EXPOSE":
			s.expose = strings.Fields(rest)
		case "ENTRYPOINT":
			if err := json.Unmarshal([]byte(rest), &s.entrypoint); err != nil {
				t.Fatalf("%s: ENTRYPOINT %s: use the exec (JSON) form: %v", file, rest, err)
			}
		}
	}
	return stages
}

// image is a final stage and the build.sh call that makes its binary.
type image struct {
	*stage
	pkg, binary string // build.sh arguments; binary is also the path inside the image
	buildArgs   []string
}

// buildRE is the only way the Dockerfile may build a binary: `./build.sh <package> <output>`.
var buildRE = regexp.MustCompile(`^\./build\.sh (\S+) (\S+)$`)

// imageFor resolves the final stage named target: the build stage it copies its binary from, and that stage's
// build.sh call.
func imageFor(t *testing.T, stages []*stage, target string) image {
	t.Helper()
	i := slices.IndexFunc(stages, func(s *stage) bool { return s.name == target })
	if i < 0 {
		t.Fatalf("Dockerfile has no stage %q", target)
	}
	img := image{stage: stages[i]}
	if len(img.copies) != 1 || len(img.copies[0]) != 3 || !strings.HasPrefix(img.copies[0][0], "--from=") {
		t.Fatalf("stage %s: want one COPY --from=<build stage> <binary> <path>, got %v", target, img.copies)
	}
	from, built, dest := strings.TrimPrefix(img.copies[0][0], "--from="), img.copies[0][1], img.copies[0][2]
	j := slices.IndexFunc(stages, func(s *stage) bool { return s.name == from })
	if j < 0 || len(stages[j].runs) != 1 {
		t.Fatalf("stage %s copies from %q, which is not a stage with one RUN", target, from)
	}
	m := buildRE.FindStringSubmatch(stages[j].runs[0])
	if m == nil || m[2] != built {
		t.Fatalf("stage %s: its binary %s must come from `./build.sh <package> %s`, not %q", target, built, built, stages[j].runs[0])
	}
	img.pkg, img.binary, img.buildArgs = m[1], dest, stages[j].args
	if len(img.entrypoint) == 0 || img.entrypoint[0] != dest {
		t.Fatalf("stage %s: ENTRYPOINT %v does not run %s", target, img.entrypoint, dest)
	}
	return img
}

// TestDockerfileTargets: the Function (default, last) and server targets build their binaries with the one
// build.sh, with the same build arguments, on the same static non-root base.
func TestDockerfileTargets(t *testing.T) {
	stages := parseDockerfile(t, "../Dockerfile")
	server, function := imageFor(t, stages, "server"), imageFor(t, stages, "function")
	if last := stages[len(stages)-1]; last != function.stage {
		t.Errorf("the last stage (docker build's default target, what fn deploy builds) is %q, want function", last.name)
	}
	if server.pkg != "./cmd/ociai-proxy" || function.pkg != "." {
		t.Errorf("server builds %s, function builds %s", server.pkg, function.pkg)
	}
	if !slices.Equal(server.buildArgs, function.buildArgs) || !slices.Contains(server.buildArgs, "CRYPTO") || !slices.Contains(server.buildArgs, "VERSION") {
		t.Errorf("build arguments differ or are missing: server %v, function %v", server.buildArgs, function.buildArgs)
	}
	for _, img := range []image{server, function} {
		if img.from != server.from || !strings.HasPrefix(img.from, "gcr.io/distroless/static") || img.user != "65532:65532" {
			// Numeric, so that platforms can verify the user is not root (a name like nonroot cannot be checked).
			t.Errorf("stage %s: FROM %s USER %q, want the same distroless static base, USER 65532:65532", img.name, img.from, img.user)
		}
	}
	for _, s := range stages {
		for _, r := range s.runs {
			if strings.Contains(r, "go build") {
				t.Errorf("stage %s runs go build itself (%q); build with ./build.sh so both images share the flags", s.name, r)
			}
		}
	}
	if server.env["OCIAI_HOST"] != "0.0.0.0" { // the binary's default, loopback, is unreachable from outside a container
		t.Errorf("server image: ENV OCIAI_HOST=%q, want 0.0.0.0", server.env["OCIAI_HOST"])
	}
	if server.env["PORT"] == "" || !slices.Equal(server.expose, []string{server.env["PORT"]}) {
		t.Errorf("server image: ENV PORT=%q, EXPOSE %v", server.env["PORT"], server.expose)
	}
	if server.workdir == "" || !path.IsAbs(server.workdir) {
		t.Errorf("server image: WORKDIR %q (where config.conf is mounted)", server.workdir)
	}
}
