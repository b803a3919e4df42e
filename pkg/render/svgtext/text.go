// Package svgtext measures and wraps text for the SVG that journey writes,
// with the embedded Go fonts, so that layout and rasterising agree. Text
// is escaped by internal/escape.
package svgtext

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	_ "embed"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// FontFamily is the font every SVG we write asks for. Liberation Sans is
// embedded (SIL Open Font License, fonts/LICENSE) and has the metrics of
// Arial, so text measured here, Graphviz's own Arial metrics, the PNG
// rasteriser and a viewer's Arial or Helvetica all agree on widths.
const FontFamily = "Liberation Sans, Arial, Helvetica, sans-serif"

// Regular and Bold are the embedded TrueType fonts.
var (
	//go:embed fonts/LiberationSans-Regular.ttf
	Regular []byte
	//go:embed fonts/LiberationSans-Bold.ttf
	Bold []byte
)

var (
	fontsOnce   sync.Once
	regularFont *opentype.Font
	boldFont    *opentype.Font
)

func loadFonts() {
	fontsOnce.Do(func() {
		regularFont, _ = opentype.Parse(Regular)
		boldFont, _ = opentype.Parse(Bold)
	})
}

// Fonts returns the embedded fonts, parsed once for the process (nil if
// they do not parse): the measurer here and the rasteriser share them.
func Fonts() (regular, bold *opentype.Font) {
	loadFonts()
	return regularFont, boldFont
}

// faceCache keeps one font.Face per (bold, size): faces are not safe for
// concurrent use, so access is serialised.
var (
	faceMu    sync.Mutex
	faceCache = map[faceKey]font.Face{}
)

type faceKey struct {
	bold bool
	size float64
}

func face(bold bool, size float64) font.Face {
	loadFonts()
	k := faceKey{bold, size}
	if f, ok := faceCache[k]; ok {
		return f
	}
	src := regularFont
	if bold {
		src = boldFont
	}
	f, err := opentype.NewFace(src, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil
	}
	faceCache[k] = f
	return f
}

// TextWidth is the advance width of s in pixels at the given size.
//
// A character the embedded font lacks is measured one em wide: the PNG
// rasteriser draws it with a font of the machine that has it (see package
// raster), and the CJK fonts draw ideographs, kana and Hangul one em wide,
// so for them what is measured is what is drawn; for other scripts one em
// is at least the drawn width, so text still fits its box. The measure
// does not depend on the fonts installed, so the SVG is the same on every
// machine. Ignorable characters (see Ignorable) take no room.
func TextWidth(s string, size float64, bold bool) float64 {
	faceMu.Lock()
	defer faceMu.Unlock()
	f := face(bold, size)
	if f == nil {
		return float64(utf8.RuneCountInString(s)) * size * 0.6
	}
	var w fixed.Int26_6
	prev := rune(-1)
	for _, r := range s {
		if Ignorable(r) {
			continue
		}
		if prev >= 0 {
			w += f.Kern(prev, r)
		}
		adv, ok := f.GlyphAdvance(r)
		if !ok {
			// Glyphs the font lacks (CJK, emoji) are about one em wide.
			adv = fixed.Int26_6(size * 64)
		}
		w += adv
		prev = r
	}
	return float64(w) / 64
}

// Wrap breaks s into lines no wider than width, at spaces where it can and
// inside words that are longer than a line. Newlines in s are kept.
func Wrap(s string, size, width float64, bold bool) []string {
	var lines []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		line := ""
		for _, w := range words {
			candidate := w
			if line != "" {
				candidate = line + " " + w
			}
			if TextWidth(candidate, size, bold) <= width {
				line = candidate
				continue
			}
			if line != "" {
				lines = append(lines, line)
			}
			// A word longer than the line is cut where it overflows.
			for TextWidth(w, size, bold) > width {
				cut := fitPrefix(w, size, width, bold)
				lines = append(lines, w[:cut])
				w = w[cut:]
			}
			line = w
		}
		lines = append(lines, line)
	}
	for len(lines) > 1 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// fitPrefix is the byte length of the longest prefix of w (at least one
// rune) that fits in width.
func fitPrefix(w string, size, width float64, bold bool) int {
	end := 0
	for i, r := range w {
		next := i + utf8.RuneLen(r)
		if end > 0 && TextWidth(w[:next], size, bold) > width {
			break
		}
		end = next
	}
	return end
}

// Truncate shortens s to at most max runes, ending with an ellipsis.
func Truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	runes := []rune(s)
	return strings.TrimSpace(string(runes[:max-1])) + "…"
}

// Ignorable reports a character that is drawn as nothing and takes no
// room: format controls (zero-width joiners and spaces, directional marks,
// the byte order mark, the soft hyphen), variation selectors and the other
// default ignorables. An emoji sequence keeps its visible parts.
func Ignorable(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) || (r >= 0xe0000 && r <= 0xe0fff)
}
