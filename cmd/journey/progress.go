package main

import (
	"fmt"
	"io"
	"os"

	"github.com/mattn/go-isatty"
)

// progress shows "rendering 12/200 ebook-nurture" on a terminal's stderr and
// nothing anywhere else (CI logs, pipes, files).
type progress struct {
	w     io.Writer
	total int
	on    bool
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total}
	if f, ok := w.(*os.File); ok && total > 1 && os.Getenv("CI") == "" && os.Getenv("TERM") != "dumb" {
		p.on = isatty.IsTerminal(f.Fd())
	}
	return p
}

func (p *progress) step(i int, name string) {
	if p.on {
		fmt.Fprintf(p.w, "\r\x1b[Kwriting %d/%d %s", i+1, p.total, name)
	}
}

func (p *progress) done() {
	if p.on {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
