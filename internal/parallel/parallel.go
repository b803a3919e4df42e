// Package parallel runs independent pieces of work on every core.
package parallel

import (
	"fmt"
	"runtime"
	"sync"
)

// Each calls work(i) for every i in indices on up to GOMAXPROCS goroutines
// and returns when all calls have returned. A panic in a call must not
// kill the process from a goroutine, where the caller's recover cannot
// see it: it is raised again in the caller once every call is done, with
// name(i) saying which piece of work it was (the first in index order).
func Each(indices []int, name func(i int) string, work func(i int)) {
	panics := make(map[int]any)
	var mu sync.Mutex
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), max(len(indices), 1)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				func() {
					defer func() {
						if r := recover(); r != nil {
							mu.Lock()
							panics[i] = r
							mu.Unlock()
						}
					}()
					work(i)
				}()
			}
		}()
	}
	for _, i := range indices {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, i := range indices {
		if r, ok := panics[i]; ok {
			panic(fmt.Sprintf("%v (%s)", r, name(i)))
		}
	}
}

// Range is the indices 0 to n-1.
func Range(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
