package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"strconv"
)

var (
	colDirect  = color.RGBA{0x4c, 0x78, 0xa8, 0xff}
	colFloor   = color.RGBA{0x54, 0xa2, 0x4b, 0xff}
	colGateway = color.RGBA{0xf5, 0x85, 0x18, 0xff}
	colAxis    = color.RGBA{0x33, 0x33, 0x33, 0xff}
	colGrid    = color.RGBA{0xdd, 0xdd, 0xdd, 0xff}
)

// barGroup is one x-axis position with a direct, a floor and a gateway bar.
type barGroup struct {
	label                  string
	direct, floor, gateway float64
}

// latencyGroups are the p50/p90/p99 of every latency rate.
func latencyGroups(res []LatencyResult) []barGroup {
	var out []barGroup
	for _, l := range res {
		out = append(out,
			barGroup{fmt.Sprintf("%d/S P50", l.Rate), l.Direct.P50, l.Floor.P50, l.Gateway.P50},
			barGroup{fmt.Sprintf("%d/S P90", l.Rate), l.Direct.P90, l.Floor.P90, l.Gateway.P90},
			barGroup{fmt.Sprintf("%d/S P99", l.Rate), l.Direct.P99, l.Floor.P99, l.Gateway.P99})
	}
	return out
}

// writeChart draws a grouped bar chart (milliseconds) to a PNG file.
func writeChart(path, title string, groups []barGroup) error {
	const w, h, left, right, top, bottom = 1000, 560, 80, 20, 80, 60
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill(img, 0, 0, w, h, color.White)
	drawText(img, (w-textWidth(title, 2))/2, 16, title, 2, colAxis)

	// Legend.
	lx := left + 10
	for _, l := range []struct {
		c    color.Color
		name string
	}{{colDirect, "direct (OCI Go SDK)"}, {colFloor, "floor"}, {colGateway, "via gateway"}} {
		fill(img, lx, 46, 14, 14, l.c)
		drawText(img, lx+20, 46, l.name, 2, colAxis)
		lx += 20 + textWidth(l.name, 2) + 30
	}

	peak := 0.0
	for _, g := range groups {
		peak = math.Max(peak, math.Max(g.direct, math.Max(g.floor, g.gateway)))
	}
	step := niceStep(peak * 1.15 / 5)
	ymax := step * math.Ceil(peak*1.15/step)
	if ymax <= 0 {
		ymax, step = 1, 0.2
	}
	plotH := h - top - bottom
	y := func(v float64) int { return h - bottom - int(v/ymax*float64(plotH)) }
	for v := 0.0; v <= ymax+step/2; v += step {
		fill(img, left, y(v), w-left-right, 1, colGrid)
		label := trimFloat(v)
		drawText(img, left-8-textWidth(label, 2), y(v)-7, label, 2, colAxis)
	}
	drawText(img, 8, top-24, "MS", 2, colAxis)
	fill(img, left, top, 2, plotH, colAxis)
	fill(img, left, h-bottom, w-left-right, 2, colAxis)

	if len(groups) == 0 {
		return savePNG(path, img)
	}
	gw := (w - left - right) / len(groups)
	bw := min(gw*2/7, 60)
	for i, g := range groups {
		x0 := left + i*gw + (gw-3*bw-12)/2
		for j, b := range []struct {
			v float64
			c color.Color
		}{{g.direct, colDirect}, {g.floor, colFloor}, {g.gateway, colGateway}} {
			x := x0 + j*(bw+6)
			fill(img, x, y(b.v), bw, h-bottom-y(b.v), b.c)
			label := shortFloat(b.v)
			scale := 2
			if textWidth(label, 2) > bw+4 {
				scale = 1
			}
			drawText(img, x+(bw-textWidth(label, scale))/2, y(b.v)-8*scale-2, label, scale, colAxis)
		}
		drawText(img, left+i*gw+(gw-textWidth(g.label, 2))/2, h-bottom+14, g.label, 2, colAxis)
	}
	return savePNG(path, img)
}

func savePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// niceStep rounds x up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if x <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

func trimFloat(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }

// shortFloat prints about three significant digits.
func shortFloat(v float64) string {
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f", v)
	case v < 100:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}
