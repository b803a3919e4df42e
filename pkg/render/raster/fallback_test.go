package raster

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/render/svgtext"
)

// requireEngine skips a test that needs a component installed on the
// machine, or fails it when .ci/run installed it (JOURNEY_REQUIRE_ENGINES
// names it): in CI a missing component is a broken install.
func requireEngine(t *testing.T, engine, msg string) {
	t.Helper()
	if slices.Contains(strings.Split(os.Getenv("JOURNEY_REQUIRE_ENGINES"), ","), engine) {
		t.Fatalf("%s (JOURNEY_REQUIRE_ENGINES requires %s)", msg, engine)
	}
	t.Skip(msg)
}

// textSVG is one line of text per entry of lines, in the font family the
// SVG we write asks for, 16 units high, starting at x = 10.
func textSVG(lines ...string) []byte {
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="400" height="` + itoa(20+30*len(lines)) + `" viewBox="0 0 400 ` + itoa(20+30*len(lines)) + `"><rect width="100%" height="100%" fill="white"/>`)
	for i, l := range lines {
		weight := "normal"
		if i%2 == 1 {
			weight = "bold"
		}
		b.WriteString(`<text x="10" y="` + itoa(35+30*i) + `" font-family="` + svgtext.FontFamily + `" font-size="16" font-weight="` + weight + `" fill="#1a202c">` + l + `</text>`)
	}
	b.WriteString(`</svg>`)
	return []byte(b.String())
}

func itoa(n int) string { return strconv.Itoa(n) }

// rsvgPNG rasterises svg with rsvg-convert (librsvg, fontconfig's fonts).
func rsvgPNG(t *testing.T, bin string, svg []byte) *image.RGBA {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.svg"), filepath.Join(dir, "out.png")
	if err := os.WriteFile(in, svg, 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(bin, "-o", out, in).CombinedOutput(); err != nil {
		t.Fatalf("rsvg-convert: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return decodeRGBA(t, data)
}

func decodeRGBA(t *testing.T, data []byte) *image.RGBA {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Over)
	return out
}

// meanDiff is the mean absolute difference of the grey levels of a and b
// (0 to 255), over the ink's rows (pixels dark in either picture), so that
// a wide white margin does not dilute it.
func meanDiff(t *testing.T, a, b *image.RGBA) float64 {
	t.Helper()
	if a.Bounds() != b.Bounds() {
		t.Fatalf("sizes differ: %v and %v", a.Bounds(), b.Bounds())
	}
	grey := func(img *image.RGBA, x, y int) int {
		c := img.RGBAAt(x, y)
		return (299*int(c.R) + 587*int(c.G) + 114*int(c.B)) / 1000
	}
	var sum, n int
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			ga, gb := grey(a, x, y), grey(b, x, y)
			if ga == 255 && gb == 255 {
				continue
			}
			d := ga - gb
			if d < 0 {
				d = -d
			}
			sum += d
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(sum) / float64(n)
}

// TestCJKLikeRsvg compares our PNG of Japanese stage names with
// rsvg-convert's: drawn with the machine's CJK font (Noto Sans CJK, which
// .ci/run installs), the difference is of the order of the difference on
// Latin text; drawn as tofu boxes it is far larger.
func TestCJKLikeRsvg(t *testing.T) {
	bin, err := exec.LookPath("rsvg-convert")
	if err != nil {
		requireEngine(t, "rsvg", "rsvg-convert is not installed (Debian: librsvg2-bin)")
	}
	if systemFonts().lookup('申', false) == nil || systemFonts().lookup('申', true) == nil {
		requireEngine(t, "noto-cjk", "no CJK font in "+strings.Join(FontDirs(), ", ")+" (Debian: fonts-noto-cjk)")
	}
	MissingGlyphs()
	latin := textSVG("Submits the application form", "Books a campus visit", "Receives the offer letter")
	japanese := textSVG("申し込みフォームを送信する", "キャンパス見学を予約", "合格通知を受け取る（入学手続き）")
	mixed := textSVG("Stage 3: 合格通知 → Enrolled", "ENTRY · 申し込み", "日本語とEnglish")
	diff := func(svg []byte, idx *fontIndex) float64 {
		img, err := render(svg, 2, maxPixels)
		if idx != nil {
			img, err = renderWith(svg, 2, idx)
		}
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		ours := decodeRGBA(t, buf.Bytes())
		// rsvg-convert at the same scale: the SVG's size doubled.
		big := bytes.Replace(svg, []byte(`width="400" height="`), []byte(`width="800" height="`), 1)
		h := 2 * (20 + 30*3)
		big = bytes.Replace(big, []byte(`height="110"`), []byte(`height="`+itoa(h)+`"`), 1)
		theirs := rsvgPNG(t, bin, big)
		return meanDiff(t, ours, theirs)
	}
	dLatin := diff(latin, nil)
	dJapanese := diff(japanese, nil)
	dMixed := diff(mixed, nil)
	dTofu := diff(japanese, newFontIndex(nil)) // no fallback fonts at all
	t.Logf("mean grey difference from rsvg-convert over the ink: Latin %.1f, Japanese %.1f, mixed %.1f, Japanese as tofu %.1f", dLatin, dJapanese, dMixed, dTofu)
	if dJapanese > 2*dLatin+8 || dMixed > 2*dLatin+8 {
		t.Errorf("Japanese differs from rsvg-convert by %.1f (mixed %.1f), Latin by %.1f: not of the same order", dJapanese, dMixed, dLatin)
	}
	if dTofu < 2*dJapanese {
		t.Errorf("tofu (%.1f) is not clearly worse than the fallback (%.1f): the comparison cannot tell them apart", dTofu, dJapanese)
	}
	if m := MissingGlyphs(); len(m) > 0 {
		t.Errorf("missing glyphs reported: %q", string(m))
	}
}

// renderWith is render with the fallback fonts of idx.
func renderWith(svg []byte, scale float64, idx *fontIndex) (*image.RGBA, error) {
	saved := testFontIndex
	testFontIndex = idx
	defer func() { testFontIndex = saved }()
	return render(svg, scale, maxPixels)
}

// drawnWidth is the advance of s as PNG lays it out at size 16 with the
// fonts of idx.
func drawnWidth(s string, bold bool, idx *fontIndex) float64 {
	r := &renderer{vw: 100, vh: 100, fontIndex: idx}
	lay := &textLayout{r: r, lastSpace: true, chunks: []chunk{{}}}
	st := defaultStyle()
	st.fontSize, st.bold = 16, bold
	lay.addText(s, &st)
	return lay.x
}

// What svgtext measures (and the flow and canvas views lay out with) is
// what PNG draws, for Latin text and for CJK text drawn by the machine's
// CJK font; ignorable characters take no room in either.
func TestMeasuredIsDrawn(t *testing.T) {
	for _, s := range []string{"Submits the application form", "Welcome e-mail → day 2", "a\u200db\ufe0f"} {
		for _, bold := range []bool{false, true} {
			// Kerning is read by two libraries: within a fraction of a unit.
			if m, d := svgtext.TextWidth(s, 16, bold), drawnWidth(s, bold, newFontIndex(nil)); math.Abs(m-d) > 0.5 {
				t.Errorf("%q bold=%v: measured %.2f, drawn %.2f", s, bold, m, d)
			}
		}
	}
	if systemFonts().lookup('申', false) == nil {
		requireEngine(t, "noto-cjk", "no CJK font in "+strings.Join(FontDirs(), ", ")+" (Debian: fonts-noto-cjk)")
	}
	for _, s := range []string{"申し込みフォームを送信する", "キャンパス見学を予約", "入学手続き（オンライン）"} {
		for _, bold := range []bool{false, true} {
			if m, d := svgtext.TextWidth(s, 16, bold), drawnWidth(s, bold, systemFonts()); math.Abs(m-d) > 0.5 {
				t.Errorf("%q bold=%v: measured %.2f, drawn %.2f with the machine's CJK font", s, bold, m, d)
			}
		}
	}
	// Hangul is a little narrower in the Japanese face of Noto Sans CJK:
	// measured at least as wide as drawn, so it fits its box.
	if m, d := svgtext.TextWidth("합격 통지", 16, false), drawnWidth("합격 통지", false, systemFonts()); d > m+0.5 || d < 0.8*m {
		t.Errorf("Hangul: measured %.2f, drawn %.2f", m, d)
	}
}

// A character no font has is drawn as the embedded font's box and
// reported once; ignorable characters draw nothing and are not reported.
func TestMissingGlyphsReported(t *testing.T) {
	idx := newFontIndex([]string{t.TempDir()}) // no fonts at all
	svg := textSVG("tofu \U0010FFFD and \U0010FFFD again, 申", "zero\u200dwidth\ufe0f")
	if _, err := renderWith(svg, 1, idx); err != nil {
		t.Fatal(err)
	}
	if got := idx.takeMissing(); string(got) != "申\U0010FFFD" {
		t.Errorf("missing %q, want 申 and U+10FFFD once each", string(got))
	}
	if got := idx.takeMissing(); len(got) != 0 {
		t.Errorf("reported twice: %q", string(got))
	}
	// Only ignorables: no ink at all.
	img, err := renderWith([]byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40"><text x="10" y="30" font-size="20">`+"\u200d\ufe0f\u200b\u2060"+`</text></svg>`), 1, idx)
	if err != nil {
		t.Fatal(err)
	}
	if box := darkBox(img, img.Bounds()); !box.Empty() {
		t.Errorf("ignorable characters drew ink at %v", box)
	}
}

// The font directories are read within bounds: only font files, never
// outside the directories through a symbolic link, a link loop ends, and a
// file too large or whose tables point past its end is passed over.
func TestFontScanBounds(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	write := func(p string, data []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "truetype", "Good-Regular.ttf"), svgtext.Regular)
	write(filepath.Join(dir, "truetype", "Good-Bold.ttf"), svgtext.Bold)
	write(filepath.Join(dir, "readme.txt"), []byte("not a font"))
	write(filepath.Join(dir, "Broken.ttf"), []byte("garbage, not a font"))
	// The embedded font with its first table pushed past the end.
	cut := slices.Clone(svgtext.Regular)
	cut[12+8], cut[12+9] = 0x7f, 0xff
	write(filepath.Join(dir, "PastEnd.ttf"), cut)
	write(filepath.Join(outside, "Secret.ttf"), svgtext.Regular)
	if err := os.Symlink(filepath.Join(outside, "Secret.ttf"), filepath.Join(dir, "Link.ttf")); err != nil {
		t.Skip(err)
	}
	if err := os.Symlink(dir, filepath.Join(dir, "truetype", "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "away")); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "Huge.otf")
	write(huge, nil)
	if err := os.Truncate(huge, maxFontFileSize+1); err != nil { // sparse
		t.Fatal(err)
	}
	idx := newFontIndex([]string{dir, filepath.Join(dir, "missing")})
	idx.scan()
	var names []string
	for _, f := range idx.files {
		if !strings.HasPrefix(f.path, dir) {
			t.Errorf("read outside the font directories: %s", f.path)
		}
		names = append(names, filepath.Base(f.path))
	}
	slices.Sort(names)
	if want := []string{"Broken.ttf", "Good-Bold.ttf", "Good-Regular.ttf", "PastEnd.ttf"}; !slices.Equal(names, want) {
		t.Errorf("font files %q, want %q", names, want)
	}
	for _, f := range idx.files {
		parsed := parseFontFile(f)
		if good := strings.HasPrefix(filepath.Base(f.path), "Good"); (parsed != nil) != good {
			t.Errorf("%s: parsed %v", filepath.Base(f.path), parsed != nil)
		}
	}
	// Regular text tries the regular face first, bold text the bold one.
	if r := idx.ranked(0); filepath.Base(r[0].path) != "Good-Regular.ttf" && filepath.Base(r[0].path) != "Broken.ttf" && filepath.Base(r[0].path) != "PastEnd.ttf" {
		t.Errorf("regular text tries %s first", r[0].path)
	}
	if r := idx.ranked(1); filepath.Base(r[0].path) != "Good-Bold.ttf" {
		t.Errorf("bold text tries %s first", r[0].path)
	}
	// A glyph the fonts have is found; the fonts are parsed once.
	if f := idx.lookup('A', true); f == nil || filepath.Base(f.path) != "Good-Bold.ttf" {
		t.Errorf("lookup A bold = %v", f)
	}
}

func TestNameRanks(t *testing.T) {
	order := []string{
		"NotoSansCJK-Regular.ttc", "DejaVuSans.ttf", "NotoSerifCJK-Regular.ttc", "DejaVuSansMono.ttf",
		"NotoSansCJK-Bold.ttc", "DejaVuSans-Oblique.ttf",
	}
	for i := 1; i < len(order); i++ {
		a, b := nameRanks(order[i-1])[0], nameRanks(order[i])[0]
		if a > b {
			t.Errorf("regular text: %s (%d) ranks after %s (%d)", order[i-1], a, order[i], b)
		}
	}
	if nameRanks("NotoSansCJK-Bold.ttc")[1] >= nameRanks("NotoSansCJK-Regular.ttc")[1] {
		t.Errorf("bold text does not prefer the bold face")
	}
}

// BenchmarkPNGCJK draws three lines of Japanese with the machine's CJK
// font (the search of the font directories happens once, before).
func BenchmarkPNGCJK(b *testing.B) {
	if systemFonts().lookup('申', false) == nil {
		b.Skip("no CJK font on this machine (Debian: fonts-noto-cjk)")
	}
	svg := textSVG("申し込みフォームを送信する", "キャンパス見学を予約", "合格通知を受け取る（入学手続き）")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PNG(svg, 2); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPNGLatin is BenchmarkPNGCJK's picture in Latin text.
func BenchmarkPNGLatin(b *testing.B) {
	svg := textSVG("Submits the application form", "Books a campus visit", "Receives the offer letter")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PNG(svg, 2); err != nil {
			b.Fatal(err)
		}
	}
}
