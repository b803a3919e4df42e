package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/goccy/go-graphviz"
	"github.com/goccy/go-graphviz/cgraph"

	"github.com/journeykit/journey/pkg/render/internal/gvcache" // initialised before go-graphviz: see its package doc
)

// go-graphviz runs Graphviz compiled to WebAssembly in one module instance
// that is not safe for concurrent use and can be left unusable by a failed
// layout. Every call goes through layoutMu, and the instance is replaced
// after any error or suspicious output.
var (
	layoutMu sync.Mutex
	instance *graphviz.Graphviz
)

// ErrLayout wraps every failure of the Graphviz layout.
var ErrLayout = errors.New("graphviz layout failed")

// LayoutSVG lays out a DOT graph with Graphviz's dot engine and returns the
// SVG. Calls are serialised; a failure resets the Graphviz instance so that
// the next call starts clean.
func LayoutSVG(dot []byte) (out []byte, err error) {
	layoutMu.Lock()
	defer layoutMu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrLayout, r)
		}
		if err != nil {
			resetInstance()
		}
	}()
	ctx := context.Background()
	if instance == nil {
		g, err := graphviz.New(ctx)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrLayout, err)
		}
		instance = g
	}
	graph, err := cgraph.ParseBytes(dot)
	if err != nil {
		return nil, fmt.Errorf("%w: the DOT does not parse: %v", ErrLayout, err)
	}
	if graph == nil {
		return nil, fmt.Errorf("%w: the DOT does not parse", ErrLayout)
	}
	defer graph.Close()
	var buf bytes.Buffer
	if err := instance.Render(ctx, graph, graphviz.SVG, &buf); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrLayout, err)
	}
	svg := buf.Bytes()
	if !bytes.Contains(svg, []byte("<svg")) || !bytes.Contains(svg, []byte("</svg>")) {
		return nil, fmt.Errorf("%w: Graphviz produced no SVG (%d bytes)", ErrLayout, len(svg))
	}
	return svg, nil
}

func resetInstance() {
	if instance != nil {
		func() {
			defer func() { _ = recover() }()
			instance.Close()
		}()
	}
	instance = nil
}

// RestoreTempDir undoes the TMPDIR change that made go-graphviz's package
// init safe (see package gvcache). main calls it first.
func RestoreTempDir() { gvcache.Restore() }
