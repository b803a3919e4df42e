package render

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/journeykit/journey/pkg/journey"
)

// MinParallelLayoutCost is the total layout cost (see layoutCost) from
// which RenderAll lays flows out side by side. Below it, about 0.3 s of
// Graphviz work one at a time on our 2-core machine (a 20-stage journey
// costs about 260, the examples 1,564 together), starting a layout
// worker (a second process initialising go-graphviz: 25 ms of CPU on a
// quiet machine, 150 ms on a busy one) would cost more than it saves.
const MinParallelLayoutCost = 4000

// sideBySide reports whether RenderAll draws js in parallel: always when
// no Graphviz layout is involved (DOT, Mermaid, the canvas view, all in
// this process), and for laid-out flows when their layout costs add up
// to MinParallelLayoutCost.
func sideBySide(js []*journey.Journey, view, format string, opts Options) bool {
	if view != "flow" || (format != "svg" && format != "png") {
		return true
	}
	total := 0
	for _, j := range js {
		if j == nil {
			return true // Render's panic is reported in order
		}
		_, cost := flowDOT(j, opts)
		if total += cost; total >= MinParallelLayoutCost {
			return true
		}
	}
	return false
}

// RenderAll draws every journey of js as Render does, up to GOMAXPROCS at
// a time (the layouts run side by side: see LayoutSVG; flows that cost
// less than MinParallelLayoutCost together are drawn one at a time), and
// hands each result to emit in the order of js, with the error Render
// gave for it.
// It returns the first error emit returns, after the drawings already
// started have finished; the journeys after it are not drawn. At most
// 2*GOMAXPROCS drawings wait for emit at any time. A panic while drawing
// is raised again in the caller's goroutine when that journey's turn to
// be emitted comes.
func RenderAll(js []*journey.Journey, view, format string, opts Options, emit func(i int, data []byte, err error) error) error {
	workers := min(runtime.GOMAXPROCS(0), len(js))
	if workers <= 1 || !sideBySide(js, view, format, opts) {
		for i, j := range js {
			data, err := Render(j, view, format, opts)
			if err := emit(i, data, err); err != nil {
				return err
			}
		}
		return nil
	}
	type result struct {
		data  []byte
		err   error
		panic any
	}
	results := make([]chan result, len(js))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	window := make(chan struct{}, 2*workers)
	next := make(chan int)
	stop := make(chan struct{})
	go func() {
		defer close(next)
		for i := range js {
			select {
			case window <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case next <- i:
			case <-stop:
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				func() {
					var r result
					defer func() {
						if p := recover(); p != nil {
							r = result{panic: p}
						}
						results[i] <- r
					}()
					r.data, r.err = Render(js[i], view, format, opts)
				}()
			}
		}()
	}
	var once sync.Once
	finish := func() {
		once.Do(func() {
			close(stop)
			wg.Wait()
		})
	}
	defer finish()
	for i := range js {
		r := <-results[i]
		<-window
		if r.panic != nil {
			finish()
			panic(fmt.Sprintf("%v (drawing journey %d of %d)", r.panic, i+1, len(js)))
		}
		if err := emit(i, r.data, r.err); err != nil {
			return err
		}
	}
	return nil
}
