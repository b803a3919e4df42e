package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/journeykit/journey/internal/termsafe"
	"github.com/journeykit/journey/pkg/render/raster"
)

// maxNamedGlyphs is how many characters the warning names.
const maxNamedGlyphs = 12

// warnMissingGlyphs warns, once after the pictures of a command are drawn,
// about the characters that neither the embedded font nor any font of the
// machine has: the PNG shows them as empty boxes.
func warnMissingGlyphs(w io.Writer) {
	missing := raster.MissingGlyphs()
	if len(missing) == 0 {
		return
	}
	names := make([]string, 0, maxNamedGlyphs+1)
	for i, r := range missing {
		if i == maxNamedGlyphs {
			names = append(names, fmt.Sprintf("and %d more", len(missing)-maxNamedGlyphs))
			break
		}
		names = append(names, fmt.Sprintf("%s (U+%04X)", termsafe.Line(string(r)), r))
	}
	fmt.Fprintf(w, "journey: warning: no font on this machine draws %s: the PNG shows empty boxes for them; install a font that has them (Chinese, Japanese, Korean: e.g. Debian's fonts-noto-cjk; emoji in monochrome: fonts-symbola), or draw SVG, which the viewer's fonts render\n",
		strings.Join(names, ", "))
}
