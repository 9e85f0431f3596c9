package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Image is one of the Dockerfile's images, sized from its layers without a Docker engine: the distroless base and
// the one layer the Dockerfile adds, the binary as build.sh builds it in the image's build stage.
type Image struct {
	Name        string  `json:"name"` // function or server
	Target      string  `json:"dockerfile_target"`
	Command     string  `json:"build_command"`
	BuildError  string  `json:"build_error,omitempty"`
	Binary      string  `json:"-"`
	BinaryMB    float64 `json:"binary_mb"`
	LayerGzMB   float64 `json:"layer_gzip_mb"` // the binary's layer as a registry stores it (tar, gzip)
	BaseMB      float64 `json:"base_mb"`       // distroless static-debian12: its README's figure, not measured here
	ImageMB     float64 `json:"image_mb"`      // on disk once pulled: base + binary
	PushedMB    float64 `json:"pushed_mb"`     // compressed: base + the binary's layer
	FirstServed Summary `json:"first_request_served"`
	Errors      int     `json:"errors"`
	FirstErr    string  `json:"first_error,omitempty"`
}

// distrolessStaticMB is the size of gcr.io/distroless/static-debian12 as the distroless README gives it ("around
// 2 MiB"); this machine cannot reach the registry to measure it.
const distrolessStaticMB = 2.0

// images builds both binaries the way the Dockerfile does (./build.sh, CRYPTO=boring by default) and sizes the
// images.
func (r *runner) images(ctx context.Context) []*Image {
	var out []*Image
	for _, im := range []*Image{{Name: "function", Target: "function (default)", Command: "./build.sh . /out/func"},
		{Name: "server", Target: "server", Command: "./build.sh ./cmd/ociai-proxy /out/ociai-proxy"}} {
		out = append(out, im)
		pkg := strings.Fields(im.Command)[1]
		bin := filepath.Join(r.f.tmp, "image-"+im.Name)
		cmd := exec.CommandContext(ctx, "./build.sh", pkg, bin)
		cmd.Dir = r.f.root
		cmd.Env = append(os.Environ(), "VERSION=bench")
		if b, err := cmd.CombinedOutput(); err != nil {
			im.BuildError = firstLines(string(b)+" "+err.Error(), 4)
			continue
		}
		gz, err := layerGz(bin, "/"+filepath.Base(strings.Fields(im.Command)[2]))
		if err != nil {
			im.BuildError = err.Error()
			continue
		}
		im.Binary, im.BinaryMB, im.LayerGzMB, im.BaseMB = bin, fileMB(bin), float64(gz)/(1<<20), distrolessStaticMB
		im.ImageMB, im.PushedMB = im.BaseMB+im.BinaryMB, im.BaseMB+im.LayerGzMB
	}
	return out
}

// layerGz is the size of a gzipped tar holding bin at path, as `COPY --from=build bin path` makes it.
func layerGz(bin, path string) (int64, error) {
	f, err := os.Open(bin)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	var n countWriter
	zw := gzip.NewWriter(&n)
	tw := tar.NewWriter(zw)
	if err := tw.WriteHeader(&tar.Header{Name: path, Mode: 0o755, Size: fi.Size(), ModTime: fi.ModTime()}); err != nil {
		return 0, err
	}
	if _, err := io.Copy(tw, f); err != nil {
		return 0, err
	}
	if err := tw.Close(); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return int64(n), nil
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }
