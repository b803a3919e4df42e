// Package peakheap measures the largest heap a benchmark reaches, for the
// memory figures of docs/performance.md (tests and benchmarks only).
package peakheap

import (
	"runtime"
	"runtime/metrics"
	"time"
)

// Sample samples the heap (live and not yet collected objects) every
// millisecond until the returned function is called, which gives the
// largest seen, in MiB.
func Sample() func() float64 {
	runtime.GC()
	var peak uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(stop)
		<-done
		return float64(peak) / (1 << 20)
	}
}
