// Package canvas draws the classic journey-map sheet as SVG.
package canvas

import (
	"errors"

	"github.com/journeykit/journey/pkg/journey"
)

// Options select what the canvas draws.
type Options struct {
	// Persona, when set, draws that persona's path only.
	Persona string
}

// SVG draws j as a journey-map canvas.
func SVG(j *journey.Journey, opts Options) ([]byte, error) {
	return nil, errors.New("canvas: not implemented yet")
}
