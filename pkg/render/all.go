package render

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/journeykit/journey/pkg/journey"
)

// RenderAll draws every journey of js as Render does, up to GOMAXPROCS at
// a time (the layouts run side by side: see LayoutSVG), and hands each
// result to emit in the order of js, with the error Render gave for it.
// It returns the first error emit returns, after the drawings already
// started have finished; the journeys after it are not drawn. At most
// 2*GOMAXPROCS drawings wait for emit at any time. A panic while drawing
// is raised again in the caller's goroutine when that journey's turn to
// be emitted comes.
func RenderAll(js []*journey.Journey, view, format string, opts Options, emit func(i int, data []byte, err error) error) error {
	workers := min(runtime.GOMAXPROCS(0), len(js))
	if workers <= 1 {
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
