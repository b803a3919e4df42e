package raster

import (
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Fallback fonts. A character the embedded Liberation Sans lacks (Chinese,
// Japanese, Korean, most scripts beyond Latin, Greek, Cyrillic and Hebrew,
// symbols) is drawn with a font installed on the machine that has it, as
// fontconfig would pick one: the font directories are searched lazily,
// once per process, the first time such a character is drawn; faces are
// ranked by their file names (upright before italic, the same weight
// before another, sans before serif and mono), and the first face that has
// the character and an outline for it draws it. Colour bitmap fonts (Noto
// Color Emoji) have no outlines and are passed over: emoji are drawn in
// monochrome by an outline font that has them (Symbola, DejaVu Sans for
// some symbols), or not at all. Characters that no font has are drawn as
// the embedded font's empty box and reported by MissingGlyphs.
//
// Bounds: only files named *.ttf, *.otf, *.ttc or *.otc under the font
// directories are read, never a file whose real path is outside them
// (symbolic links are resolved and checked); the walk stops at
// maxFontDepth levels and maxFontFiles files; a file larger than
// maxFontFileSize, or whose table directory points past its end, is
// skipped. Fonts are read through io.ReaderAt, a few kilobytes at a time
// (a 27 MB CJK collection is never in memory), each read opening and
// closing the file, so no file descriptor stays open.
const (
	maxFontDepth    = 8
	maxFontFiles    = 10000
	maxFontFileSize = 256 << 20
)

// FontDirs lists the directories searched for fallback fonts: fontconfig's
// usual ones ($XDG_DATA_HOME/fonts, ~/.local/share/fonts, ~/.fonts,
// /usr/local/share/fonts, /usr/share/fonts), and macOS's and Windows's.
func FontDirs() []string {
	var dirs []string
	home, _ := os.UserHomeDir()
	if x := os.Getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
		dirs = append(dirs, filepath.Join(x, "fonts"))
	}
	if home != "" {
		dirs = append(dirs, filepath.Join(home, ".local", "share", "fonts"), filepath.Join(home, ".fonts"))
	}
	dirs = append(dirs, "/usr/local/share/fonts", "/usr/share/fonts")
	switch runtime.GOOS {
	case "darwin":
		if home != "" {
			dirs = append(dirs, filepath.Join(home, "Library", "Fonts"))
		}
		dirs = append(dirs, "/Library/Fonts", "/System/Library/Fonts")
	case "windows":
		if w := os.Getenv("WINDIR"); w != "" {
			dirs = append(dirs, filepath.Join(w, "Fonts"))
		}
		if l := os.Getenv("LOCALAPPDATA"); l != "" {
			dirs = append(dirs, filepath.Join(l, "Microsoft", "Windows", "Fonts"))
		}
	}
	return slices.Compact(dirs)
}

// fontFile is one candidate fallback font file.
type fontFile struct {
	path  string // real path, inside a font directory
	size  int64
	rank  [2]int // by name, for regular and for bold text (lower first)
	order int    // discovery order, for ties
}

// sysFont is a parsed fallback face (face 0 of a collection).
type sysFont struct {
	path string
	f    *sfnt.Font
	upem float64
	// outlines is known once a glyph of the font was loaded: 1 it has
	// outlines, -1 it has none (colour bitmaps), 0 not known yet.
	outlines int8
}

// fallbackKey is a character and its weight.
type fallbackKey struct {
	r    rune
	bold bool
}

// fontIndex finds fallback fonts in a set of directories.
type fontIndex struct {
	dirs []string

	scanOnce sync.Once
	files    []fontFile

	mu      sync.Mutex
	parsed  map[string]*sysFont // nil: the file does not parse
	byRune  map[fallbackKey]*sysFont
	missing map[rune]bool // asked for and found nowhere, not yet reported
}

func newFontIndex(dirs []string) *fontIndex {
	return &fontIndex{dirs: dirs, parsed: map[string]*sysFont{}, byRune: map[fallbackKey]*sysFont{}, missing: map[rune]bool{}}
}

// systemFonts is the process's index of the machine's fonts, made on
// first use.
var (
	systemOnce  sync.Once
	systemIndex *fontIndex
)

// testFontIndex, when set, replaces systemFonts in the pictures drawn
// (tests only).
var testFontIndex *fontIndex

func systemFonts() *fontIndex {
	systemOnce.Do(func() { systemIndex = newFontIndex(FontDirs()) })
	return systemIndex
}

// MissingGlyphs returns the characters that PNG drew, since the last call,
// which neither the embedded font nor any font on the machine has (drawn
// as empty boxes), in code point order, and forgets them. A command calls
// it once after drawing to warn once.
func MissingGlyphs() []rune {
	return systemFonts().takeMissing()
}

func (x *fontIndex) takeMissing() []rune {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := make([]rune, 0, len(x.missing))
	for r := range x.missing {
		out = append(out, r)
	}
	clear(x.missing)
	slices.Sort(out)
	return out
}

// lookup returns the fallback face for r, or nil (and notes r as missing).
func (x *fontIndex) lookup(r rune, bold bool) *sysFont {
	k := fallbackKey{r, bold}
	x.mu.Lock()
	defer x.mu.Unlock()
	if f, ok := x.byRune[k]; ok {
		if f == nil {
			x.noteMissing(r)
		}
		return f
	}
	x.scanOnce.Do(x.scan)
	w := boolIdx(bold)
	var found *sysFont
	var buf sfnt.Buffer
	for _, ff := range x.ranked(w) {
		f, ok := x.parsed[ff.path]
		if !ok {
			f = parseFontFile(ff)
			x.parsed[ff.path] = f
		}
		if f == nil {
			continue
		}
		gi, err := f.f.GlyphIndex(&buf, r)
		if err != nil || gi == 0 {
			continue
		}
		// A face without outlines (colour bitmaps) cannot draw it.
		if f.outlines == 0 {
			f.outlines = 1
			if _, err := f.f.LoadGlyph(&buf, gi, fixed.I(int(f.upem)), nil); err != nil {
				f.outlines = -1
			}
		}
		if f.outlines < 0 {
			continue
		}
		found = f
		break
	}
	if len(x.byRune) < 1<<16 {
		x.byRune[k] = found
	}
	if found == nil {
		x.noteMissing(r)
	}
	return found
}

func (x *fontIndex) noteMissing(r rune) {
	if len(x.missing) < 1<<12 {
		x.missing[r] = true
	}
}

// ranked is the candidates in the order tried for weight w (0 regular,
// 1 bold).
func (x *fontIndex) ranked(w int) []fontFile {
	out := slices.Clone(x.files)
	slices.SortStableFunc(out, func(a, b fontFile) int {
		if a.rank[w] != b.rank[w] {
			return a.rank[w] - b.rank[w]
		}
		return a.order - b.order
	})
	return out
}

// scan lists the font files under the directories, within the bounds.
func (x *fontIndex) scan() {
	var roots []string
	for _, d := range x.dirs {
		real, err := filepath.EvalSymlinks(d)
		if err != nil {
			continue
		}
		if real, err = filepath.Abs(real); err == nil && !slices.Contains(roots, real) {
			roots = append(roots, real)
		}
	}
	inside := func(p string) bool {
		for _, r := range roots {
			if rel, err := filepath.Rel(r, p); err == nil && filepath.IsLocal(rel) {
				return true
			}
		}
		return false
	}
	seen := map[string]bool{}
	visited := 0
	var walk func(dir string, depth int)
	walk = func(dir string, depth int) {
		if depth > maxFontDepth || visited >= maxFontFiles {
			return
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			if visited++; visited > maxFontFiles {
				return
			}
			p := filepath.Join(dir, e.Name())
			if e.Type()&fs.ModeSymlink != 0 {
				real, err := filepath.EvalSymlinks(p)
				if err != nil || !inside(real) {
					continue // never read outside the font directories
				}
				p = real
			}
			info, err := os.Stat(p)
			if err != nil {
				continue
			}
			if info.IsDir() {
				if !seen[p] {
					seen[p] = true
					walk(p, depth+1)
				}
				continue
			}
			if !info.Mode().IsRegular() || !isFontName(p) || seen[p] || info.Size() > maxFontFileSize {
				continue
			}
			seen[p] = true
			x.files = append(x.files, fontFile{path: p, size: info.Size(), rank: nameRanks(p), order: len(x.files)})
		}
	}
	for _, r := range roots {
		if !seen[r] {
			seen[r] = true
			walk(r, 0)
		}
	}
}

func isFontName(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".ttf", ".otf", ".ttc", ".otc":
		return true
	}
	return false
}

// nameRanks ranks a font file by its name for regular and for bold text,
// as fontconfig's sans-serif fallback would: italic last; then a weight
// other than the one asked for, mono, serif, condensed or light faces.
func nameRanks(p string) [2]int {
	n := strings.ToLower(filepath.Base(p))
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(n, w) {
				return true
			}
		}
		return false
	}
	base := 0
	if has("italic", "oblique") {
		base += 1000
	}
	if has("mono", "code", "math") {
		base += 40
	}
	if has("serif") && !has("sans") {
		base += 20
	}
	if has("condensed", "narrow", "light", "thin", "extralight", "black", "heavy", "medium", "semibold", "demi") {
		base += 10
	}
	bold := has("bold")
	regular, heavy := base, base
	if bold {
		regular += 100
	} else {
		heavy += 100
	}
	return [2]int{regular, heavy}
}

// parseFontFile parses face 0 of a font file read through readerAt, or
// returns nil. Its table directory must lie within the file, so that no
// read is larger than the file.
func parseFontFile(ff fontFile) *sysFont {
	r := &fileReaderAt{path: ff.path, size: ff.size}
	if !tablesWithin(r, ff.size) {
		return nil
	}
	var f *sfnt.Font
	c, err := sfnt.ParseCollectionReaderAt(r)
	if err != nil {
		return nil
	}
	if f, err = c.Font(0); err != nil {
		return nil
	}
	upem := float64(f.UnitsPerEm())
	if !(upem > 0) {
		return nil
	}
	return &sysFont{path: ff.path, f: f, upem: upem}
}

// tablesWithin reports whether the table directory of face 0 (of a
// collection, or of a single font) lies within size bytes.
func tablesWithin(r io.ReaderAt, size int64) bool {
	var head [12]byte
	if _, err := r.ReadAt(head[:], 0); err != nil {
		return false
	}
	off := int64(0)
	if string(head[:4]) == "ttcf" {
		// The first face's offset follows the face count.
		var first [4]byte
		if _, err := r.ReadAt(first[:], 12); err != nil {
			return false
		}
		off = int64(binary.BigEndian.Uint32(first[:]))
	}
	var dir [12]byte
	if off < 0 || off+12 > size {
		return false
	}
	if _, err := r.ReadAt(dir[:], off); err != nil {
		return false
	}
	n := int64(binary.BigEndian.Uint16(dir[4:]))
	if n == 0 || off+12+16*n > size {
		return false
	}
	recs := make([]byte, 16*n)
	if _, err := r.ReadAt(recs, off+12); err != nil {
		return false
	}
	for i := int64(0); i < n; i++ {
		o := int64(binary.BigEndian.Uint32(recs[16*i+8:]))
		l := int64(binary.BigEndian.Uint32(recs[16*i+12:]))
		if o+l > size {
			return false
		}
	}
	return true
}

// fileReaderAt reads a file by opening it for each read: fonts are read
// rarely (glyph outlines are cached per picture) and no descriptor stays
// open. Reads past size fail.
type fileReaderAt struct {
	path string
	size int64
}

var errPastEnd = errors.New("raster: read past the end of a font file")

func (r *fileReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off+int64(len(p)) > r.size {
		return 0, errPastEnd
	}
	f, err := os.Open(r.path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return f.ReadAt(p, off)
}
