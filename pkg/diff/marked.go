package diff

import (
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render"
)

// Marked is the journey the visual diff draws, the new version with the
// removed stages and transitions of the old one, and the marks of its
// changes (classes added, removed and changed), as the SVG diff draws
// them: for other drawings of the diff (the HTML page).
func (d *JourneyDiff) Marked() (*journey.Journey, *render.Marks) {
	m := union(d)
	return m.j, m.marks
}
