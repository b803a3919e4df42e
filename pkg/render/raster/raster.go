// Package raster turns the SVG that journey writes into PNG, in pure Go.
package raster

import "errors"

// PNG rasterises svg at the given scale (1 = one pixel per SVG unit).
func PNG(svg []byte, scale float64) ([]byte, error) {
	return nil, errors.New("raster: not implemented yet")
}
