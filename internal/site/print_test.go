package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	stdimage "image"
	stdpng "image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestPrintPDF prints an incident and the action items to PDF in
// Chromium, as a reader's "Save as PDF" does (no background colours),
// turns the first page into pixels with pdftoppm and measures each badge
// there: its darkest pixel (the text) against its lightest (the paper)
// must reach 4.5:1, WCAG's level for text. The DOM check in TestBrowser
// reads the colours the stylesheet asks for; this one reads what comes
// out of the printer (Chromium darkens light text printed without
// backgrounds, but not faded or covered text). Needs pdftoppm (Debian's poppler-utils; .ci/run
// installs it); skips without it unless PM_REQUIRE_BROWSER=1.
func TestPrintPDF(t *testing.T) {
	pdftoppm, err := exec.LookPath("pdftoppm")
	if err != nil {
		if os.Getenv("PM_REQUIRE_BROWSER") == "1" {
			t.Fatal("no pdftoppm on PATH, and PM_REQUIRE_BROWSER=1; install it with: apt-get install -y poppler-utils")
		}
		t.Skip("no pdftoppm on PATH (apt-get install -y poppler-utils); skipping the print test")
	}
	bctx := chromium(t, 90*time.Second)
	_, out := build(t, repoWith(t, corpus))
	b := &tab{t: t, ctx: bctx, out: out}
	// A US Letter page without margins, at the 96 pixels an inch of CSS:
	// the layout's pixels are the page's.
	const width, height = 816, 1056
	total := 0
	for _, dark := range []bool{false, true} {
		for _, rel := range []string{"incidents/2026-11-24-api-returns-502.html", "index.html", "actions.html"} {
			name := fmt.Sprintf("%s (dark screen %v)", rel, dark)
			b.do("open "+rel, chromedp.EmulateViewport(width, height), chromedp.Navigate(b.file(rel)), chromedp.WaitReady(chromedp.CSS("main")))
			b.media("print", dark)
			var boxes []struct {
				X, Y, W, H float64
				What       string
			}
			if err := json.Unmarshal([]byte(b.str(`JSON.stringify(Array.prototype.map.call(document.querySelectorAll(".sev, .status, .astate, .entry .kind, .tag, .chip"), function(e){
				var r = e.getBoundingClientRect(); return {X: r.left + scrollX, Y: r.top + scrollY, W: r.width, H: r.height, What: e.className + " " + e.textContent}}))`)), &boxes); err != nil {
				t.Fatal(err)
			}
			zero, no := 0.0, false
			res, err := chromedp.Call(bctx, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PaperWidth: 8.5, PaperHeight: 11,
				MarginTop: &zero, MarginBottom: &zero, MarginLeft: &zero, MarginRight: &zero, PrintBackground: &no})
			pdf := res.Data
			if err != nil {
				t.Fatalf("print %s: %v", rel, err)
			}
			img := firstPage(t, pdftoppm, pdf)
			if got := img.Bounds().Dx(); got != width {
				t.Fatalf("%s: the printed page is %d pixels wide at 96 dpi, want %d", name, got, width)
			}
			checked := 0
			for _, bx := range boxes {
				if bx.W < 8 || bx.Y+bx.H > height-40 {
					continue // hidden, or not on the first page
				}
				// Inside the badge's 1–2 px outline, which is black by design
				// and would pass for any text, and clear of its rounded ends
				// (a radius of up to half its height).
				dx := int(bx.H/2) + 1
				in := stdimage.Rect(int(bx.X)+dx, int(bx.Y)+3, int(bx.X+bx.W)-dx, int(bx.Y+bx.H)-3)
				lo, hi := luminanceRange(img, in)
				ratio := (hi + 0.05) / (lo + 0.05)
				if ratio < 4.5 {
					t.Errorf("%s: printed, the badge %q reaches %.2f:1, want at least 4.5:1", name, strings.TrimSpace(bx.What), ratio)
				}
				checked++
			}
			if checked == 0 {
				t.Errorf("%s: no badge on the first printed page to check", name)
			}
			total += checked
			if err := os.WriteFile(filepath.Join(t.ArtifactDir(), strings.NewReplacer("/", "-", " ", "-").Replace(name)+".pdf"), pdf, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d badges measured on the printed page", name, checked)
			b.media("", false)
		}
	}
	if total < 20 {
		t.Errorf("%d badges measured in all, want at least 20", total)
	}
}

// firstPage renders the PDF's first page at 96 dpi with pdftoppm.
func firstPage(t *testing.T, pdftoppm string, pdf []byte) stdimage.Image {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "page.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(pdftoppm, "-r", "96", "-f", "1", "-l", "1", "-singlefile", "-png", filepath.Join(dir, "page.pdf"), filepath.Join(dir, "page"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	pngData, err := os.ReadFile(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := stdpng.Decode(bytes.NewReader(pngData))
	if err != nil {
		t.Fatalf("pdftoppm's page: %v", err)
	}
	return img
}

// luminanceRange is the lowest and highest relative luminance (WCAG's) of
// the pixels of r in img.
func luminanceRange(img stdimage.Image, r stdimage.Rectangle) (lo, hi float64) {
	lo, hi = 1, 0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			l := 0.2126*linear(cr) + 0.7152*linear(cg) + 0.0722*linear(cb)
			lo, hi = math.Min(lo, l), math.Max(hi, l)
		}
	}
	return lo, hi
}

// linear is an sRGB channel (16-bit) as linear light.
func linear(c uint32) float64 {
	v := float64(c) / 0xffff
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}
