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

// go-graphviz runs Graphviz compiled to WebAssembly in ONE module instance
// per process (a package variable of its internal/wasm package, made by
// its package init): every graphviz.Graphviz shares that instance's memory
// and stack, so two layouts can never run at the same time in one
// process, whatever the number of graphviz.New values. A failed layout
// can also leave a Graphviz context unusable. In this process every call
// goes through localMu, and the context is replaced after any error or
// suspicious output. Layouts run side by side in worker processes
// instead: see pool.go.
var (
	localMu  sync.Mutex
	instance *graphviz.Graphviz
)

// ErrLayout wraps every failure of the Graphviz layout.
var ErrLayout = errors.New("graphviz layout failed")

// LayoutSVG lays out a DOT graph with Graphviz's dot engine and returns the
// SVG. It is safe for concurrent use: up to GOMAXPROCS calls run at the
// same time, one in this process and the others in layout worker
// processes (see pool.go). A failure resets the Graphviz context (or ends
// the worker process) that ran it, so that the next call starts clean.
func LayoutSVG(dot []byte) ([]byte, error) {
	return layouts.layout(dot)
}

// localLayout runs one layout in this process. The caller holds the local
// slot of the pool (or is a worker process, which serves one request at a
// time); localMu guards the instance all the same.
func localLayout(dot []byte) (out []byte, err error) {
	localMu.Lock()
	defer localMu.Unlock()
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
