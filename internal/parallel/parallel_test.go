package parallel

import (
	"strings"
	"sync/atomic"
	"testing"
)

func TestEachRunsEveryIndexOnce(t *testing.T) {
	var calls [100]atomic.Int32
	Each(Range(100), func(int) string { return "" }, func(i int) { calls[i].Add(1) })
	for i := range calls {
		if n := calls[i].Load(); n != 1 {
			t.Errorf("index %d ran %d times", i, n)
		}
	}
	Each(nil, func(int) string { return "" }, func(int) { t.Error("work with no index") })
}

// A panic in a worker reaches the caller, naming the first failing piece,
// after every other piece has run.
func TestEachRaisesPanicInCaller(t *testing.T) {
	var done atomic.Int32
	defer func() {
		r := recover()
		if s, _ := r.(string); !strings.Contains(s, "boom 7 (file-7)") {
			t.Errorf("recovered %v", r)
		}
		if done.Load() != 18 {
			t.Errorf("%d pieces done, want the 18 that do not panic", done.Load())
		}
	}()
	Each(Range(20), func(i int) string { return "file-" + string(rune('0'+i%10)) }, func(i int) {
		if i == 7 || i == 13 {
			panic("boom " + string(rune('0'+i%10)))
		}
		done.Add(1)
	})
	t.Error("no panic")
}
