package report

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/testenv"
)

// ChromiumEnv names another Chromium binary for TestHTMLRendersInChromium.
const ChromiumEnv = "SVCFLOW_CHROMIUM"

// PNGEnv, when set, is where TestHTMLRendersInChromium copies its screenshot.
const PNGEnv = "SVCFLOW_REPORT_PNG"

// chromium finds the browser or fails the test saying how to install it.
func chromium(t *testing.T) string {
	t.Helper()
	testenv.Integration(t, "Chromium")
	if p := os.Getenv(ChromiumEnv); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatalf("chromium not found (Debian package chromium at /usr/bin/chromium); install it with: apt-get update && apt-get install -y chromium (or set %s)", ChromiumEnv)
	return ""
}

// TestHTMLRendersInChromium renders the page in headless Chromium and checks
// the screenshot is not blank: enough non-white pixels, and the charts'
// colours present.
func TestHTMLRendersInChromium(t *testing.T) {
	bin := chromium(t)
	r := build(t, Filter{From: fixFrom, To: fixTo})
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	shot := filepath.Join(dir, "report.png")
	var buf bytes.Buffer
	if err := r.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--screenshot="+shot, "--window-size=1200,1600", "file://"+page)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v\nchromium said:\n%s", err, out)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if dst := os.Getenv(PNGEnv); dst != "" {
		if b, err := os.ReadFile(shot); err == nil {
			_ = os.WriteFile(dst, b, 0o644)
		}
	}
	b := img.Bounds()
	if b.Dx() != 1200 || b.Dy() != 1600 {
		t.Errorf("screenshot %dx%d, want 1200x1600", b.Dx(), b.Dy())
	}
	nonWhite, blue, red := pixels(img)
	total := b.Dx() * b.Dy()
	t.Logf("screenshot %dx%d: %d non-white pixels (%.1f %%), %d trend-blue, %d breach-red",
		b.Dx(), b.Dy(), nonWhite, 100*float64(nonWhite)/float64(total), blue, red)
	if nonWhite < total/20 {
		t.Errorf("screenshot looks blank: %d of %d pixels not white", nonWhite, total)
	}
	if blue < 200 || red < 200 {
		t.Errorf("charts not drawn: %d pixels of the SLA line colour, %d of the breach bars", blue, red)
	}
}

// pixels counts non-white pixels and those near the SLA line colour
// (#1f6feb) and the team breach colour (#c2410c).
func pixels(img image.Image) (nonWhite, blue, red int) {
	near := func(r, g, b uint32, R, G, B int) bool {
		d := func(x uint32, y int) int { v := int(x>>8) - y; return max(v, -v) }
		return d(r, R) < 24 && d(g, G) < 24 && d(b, B) < 24
	}
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 < 250 || g>>8 < 250 || b>>8 < 250 {
				nonWhite++
			}
			if near(r, g, b, 0x1f, 0x6f, 0xeb) {
				blue++
			}
			if near(r, g, b, 0xc2, 0x41, 0x0c) {
				red++
			}
		}
	}
	return
}
