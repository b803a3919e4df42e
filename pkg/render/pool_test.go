package render

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/journeykit/journey/internal/synth"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

// holdLocal takes this process's Graphviz away from LayoutSVG until the
// returned function is called, so that the next layouts go to workers.
func holdLocal(t *testing.T) func() {
	t.Helper()
	old := runtime.GOMAXPROCS(2)
	if w := layouts.acquire(true); w != nil {
		t.Fatal("the local slot was not free")
	}
	return func() {
		layouts.release(nil)
		runtime.GOMAXPROCS(old)
	}
}

func synthDOT(t testing.TB, id string, stages int) []byte {
	t.Helper()
	f := load.ParseJourney(id+".journey.yaml", synth.Journey(id, stages))
	if f.Journey == nil {
		t.Fatal(f.Diagnostics)
	}
	dot, err := boundedFlowDOT(f.Journey, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return dot
}

// A layout that finds this process's Graphviz busy runs in a worker
// process and gives the same bytes.
func TestLayoutInWorker(t *testing.T) {
	dot := synthDOT(t, "worker", 12)
	want, err := LayoutSVG(dot)
	if err != nil {
		t.Fatal(err)
	}
	release := holdLocal(t)
	defer release()
	before := layouts.remote.Load()
	got, err := LayoutSVG(dot)
	if err != nil {
		t.Fatal(err)
	}
	if layouts.remote.Load() != before+1 {
		t.Fatalf("the layout did not run in a worker (%d worker layouts before, %d after)", before, layouts.remote.Load())
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("the worker's SVG differs from this process's:\n%s\n---\n%s", got, want)
	}
}

// A failed layout in a worker is reported as ErrLayout with Graphviz's
// reason, and the same worker lays out the next graph correctly.
func TestWorkerAfterFailedLayout(t *testing.T) {
	dot := synthDOT(t, "after-failure", 8)
	want, err := LayoutSVG(dot)
	if err != nil {
		t.Fatal(err)
	}
	release := holdLocal(t)
	defer release()
	if _, err := LayoutSVG(dot); err != nil { // a worker is running
		t.Fatal(err)
	}
	layouts.mu.Lock()
	started := layouts.started
	layouts.mu.Unlock()
	_, err = LayoutSVG([]byte("digraph { a -> "))
	if !errors.Is(err, ErrLayout) || !strings.Contains(err.Error(), "does not parse") {
		t.Fatalf("broken DOT in a worker: got %v, want ErrLayout saying the DOT does not parse", err)
	}
	got, err := LayoutSVG(dot)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("layout after a failed one differs (err %v)", err)
	}
	layouts.mu.Lock()
	defer layouts.mu.Unlock()
	if layouts.started != started {
		t.Fatalf("%d workers before the failed layout, %d after: a layout error must not cost a worker", started, layouts.started)
	}
}

// A worker that died while idle costs no failed layout: the graph goes
// to a new worker.
func TestWorkerDiedIdle(t *testing.T) {
	dot := synthDOT(t, "died-idle", 8)
	want, err := LayoutSVG(dot)
	if err != nil {
		t.Fatal(err)
	}
	release := holdLocal(t)
	defer release()
	if _, err := LayoutSVG(dot); err != nil {
		t.Fatal(err)
	}
	layouts.mu.Lock()
	victims := slices.Clone(layouts.idle)
	layouts.mu.Unlock()
	if len(victims) == 0 {
		t.Fatal("no idle worker after a layout in a worker")
	}
	for _, v := range victims {
		if err := v.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		// Reaped, it has closed both pipes (the end of the replies
		// alone can close first).
		if _, err := v.cmd.Process.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	got, err := LayoutSVG(dot)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("layout after the idle workers died: err %v, same bytes %v", err, bytes.Equal(got, want))
	}
	layouts.mu.Lock()
	defer layouts.mu.Unlock()
	for _, w := range layouts.idle {
		if slices.Contains(victims, w) {
			t.Fatal("a dead worker is still idle in the pool")
		}
	}
}

// A worker is replaced after maxWorkerLayouts layouts (its WebAssembly
// memory only grows).
func TestWorkerRetires(t *testing.T) {
	defer func(n int) { maxWorkerLayouts = n }(maxWorkerLayouts)
	maxWorkerLayouts = 3
	old := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(old)
	dot := synthDOT(t, "retires", 5)
	want, err := LayoutSVG(dot)
	if err != nil {
		t.Fatal(err)
	}
	p := newLayoutPool()
	p.localBusy = true
	var first *worker
	for i := 1; i <= 4; i++ {
		got, err := p.layout(dot)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("layout %d: err %v, same bytes %v", i, err, bytes.Equal(got, want))
		}
		switch {
		case i == 1:
			first = p.idle[0]
		case i < 3 && (len(p.idle) != 1 || p.idle[0] != first):
			t.Fatalf("layout %d: the worker was not kept", i)
		case i == 3 && (len(p.idle) != 0 || p.started != 0 || !first.dead):
			t.Fatalf("after %d layouts: %d idle, %d started, retired %v; want the worker ended", i, len(p.idle), p.started, first.dead)
		case i == 4 && (len(p.idle) != 1 || p.idle[0] == first):
			t.Fatal("no new worker after the retired one")
		}
	}
	for _, w := range p.idle {
		w.kill()
	}
}

// fakeWorker runs script under sh as a worker (requests on descriptor 3,
// answers on 4), without the ready byte.
func fakeWorker(t *testing.T, script string) *worker {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("no sh and no inherited descriptors")
	}
	reqR, reqW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	respR, respW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", script)
	cmd.ExtraFiles = []*os.File{reqR, respW}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reqR.Close()
	respW.Close()
	return &worker{cmd: cmd, req: reqW, resp: respR, br: bufio.NewReader(respR)}
}

// A worker that stops in the middle of a layout, or answers nonsense,
// fails that call with ErrLayout saying so and is ended; the pool starts
// a new worker for the next call. A layout error it reports keeps it.
func TestWorkerFailures(t *testing.T) {
	old := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(old)
	dot := synthDOT(t, "failures", 6)
	want, err := LayoutSVG(dot)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, script, message string
		dead                  bool
	}{
		{"exits", `head -c 4 <&3 >/dev/null; exit 3`, "the layout process stopped before it answered (exit status 3)", true},
		{"bad status", `head -c 4 <&3 >/dev/null; printf '\011\000\000\000\001x' >&4; sleep 30`, "the layout process gave a malformed answer (signal: killed)", true},
		{"too long", `head -c 4 <&3 >/dev/null; printf '\000\377\377\377\377' >&4; sleep 30`, "the layout process gave a malformed answer (signal: killed)", true},
		{"cut short", `head -c 4 <&3 >/dev/null; printf '\000\000\000\000\011<svg' >&4`, "the layout process stopped in the middle of its answer (exit status 0)", true},
		{"layout error", `head -c 4 <&3 >/dev/null; printf '\001\000\000\000\003bad' >&4; cat <&3 >/dev/null`, "bad", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			fake := fakeWorker(t, c.script)
			p := newLayoutPool()
			p.localBusy = true // this process's Graphviz is taken
			p.idle, p.started = []*worker{fake}, 1
			_, err := p.layout(dot)
			if !errors.Is(err, ErrLayout) || !strings.HasSuffix(err.Error(), c.message) {
				t.Fatalf("got %v, want ErrLayout ending in %q", err, c.message)
			}
			if fake.dead != c.dead {
				t.Fatalf("worker ended: %v, want %v", fake.dead, c.dead)
			}
			if !c.dead {
				fake.kill()
				return
			}
			if p.started != 0 || len(p.idle) != 0 {
				t.Fatalf("after a dead worker: %d started, %d idle", p.started, len(p.idle))
			}
			got, err := p.layout(dot) // a real worker
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("layout on a new worker: err %v, same bytes %v", err, bytes.Equal(got, want))
			}
			for _, w := range p.idle {
				w.kill()
			}
		})
	}
}

// Many layouts at once give what one at a time gives.
func TestLayoutsSideBySide(t *testing.T) {
	old := runtime.GOMAXPROCS(3)
	defer runtime.GOMAXPROCS(old)
	const n = 12
	dots := make([][]byte, n)
	want := make([][]byte, n)
	for i := range dots {
		dots[i] = synthDOT(t, fmt.Sprintf("side-%d", i), 5+i)
		svg, err := LayoutSVG(dots[i])
		if err != nil {
			t.Fatal(err)
		}
		want[i] = svg
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range dots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := LayoutSVG(dots[i])
			if err == nil && !bytes.Equal(got, want[i]) {
				err = fmt.Errorf("graph %d: different SVG", i)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

func request(dot string) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(dot)))
	return append(b, dot...)
}

type reply struct {
	status byte
	body   string
}

func readReplies(t *testing.T, out []byte) []reply {
	t.Helper()
	if len(out) == 0 || out[0] != workerReady {
		t.Fatalf("the worker did not start with its ready byte: %q", out)
	}
	out = out[1:]
	var rs []reply
	for len(out) > 0 {
		if len(out) < 5 {
			t.Fatalf("a truncated reply: %q", out)
		}
		n := binary.BigEndian.Uint32(out[1:5])
		rs = append(rs, reply{out[0], string(out[5 : 5+n])})
		out = out[5+n:]
	}
	return rs
}

// The worker's side of the protocol: an answer per request, an error
// answer for a graph that fails, and a stop at a request past the bound.
func TestServeLayouts(t *testing.T) {
	in := append(request("digraph { a -> b }"), request("digraph { a -> ")...)
	in = append(in, request("digraph { c }")...)
	var out bytes.Buffer
	if err := serveLayouts(bytes.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	rs := readReplies(t, out.Bytes())
	if len(rs) != 3 {
		t.Fatalf("%d replies, want 3", len(rs))
	}
	if rs[0].status != replyOK || !strings.Contains(rs[0].body, "</svg>") {
		t.Errorf("reply 1: %d %q", rs[0].status, rs[0].body)
	}
	if rs[1].status != replyError || !strings.HasPrefix(rs[1].body, ErrLayout.Error()+": the DOT does not parse") {
		t.Errorf("reply 2: %d %q", rs[1].status, rs[1].body)
	}
	if rs[2].status != replyOK || !strings.Contains(rs[2].body, "<title>c</title>") {
		t.Errorf("reply 3: %d %q", rs[2].status, rs[2].body)
	}

	huge := binary.BigEndian.AppendUint32(nil, maxWorkerRequest+1)
	out.Reset()
	if err := serveLayouts(bytes.NewReader(huge), &out); err == nil {
		t.Fatal("a request past maxWorkerRequest was accepted")
	}
	out.Reset()
	if err := serveLayouts(bytes.NewReader(request("digraph { a -> b }")[:10]), &out); err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("a truncated request: got %v, want io.ErrUnexpectedEOF", err)
	}
}

// A process started with the worker variable but without its pipes says
// what is wrong and exits 2, instead of running (here: the tests).
func TestWorkerVariableWithoutPipes(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("got %v, want exit status 2: %s", err, out)
	}
	if !strings.Contains(string(out), workerEnv+" is set: it is only for journey's own layout processes; unset it") {
		t.Fatalf("unexpected message: %s", out)
	}
}

func synthJourneys(t testing.TB, n, stages int) []*journey.Journey {
	t.Helper()
	js := make([]*journey.Journey, n)
	for i := range js {
		id := fmt.Sprintf("all-%d", i)
		f := load.ParseJourney(id+".journey.yaml", synth.Journey(id, stages))
		if f.Journey == nil {
			t.Fatal(f.Diagnostics)
		}
		js[i] = f.Journey
	}
	return js
}

// RenderAll emits every drawing in order, with the bytes Render gives,
// and stops at the first error emit returns.
func TestRenderAll(t *testing.T) {
	old := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(old)
	js := synthJourneys(t, 9, 6)
	for _, format := range []string{"svg", "dot"} {
		var order []int
		err := RenderAll(js, "flow", format, Options{}, func(i int, data []byte, err error) error {
			order = append(order, i)
			want, wantErr := Render(js[i], "flow", format, Options{})
			if err != nil || wantErr != nil || !bytes.Equal(data, want) {
				return fmt.Errorf("%s, journey %d: RenderAll and Render differ (%v, %v)", format, i, err, wantErr)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(order) != "[0 1 2 3 4 5 6 7 8]" {
			t.Fatalf("%s: emitted in order %v", format, order)
		}
	}
	stop := errors.New("stop")
	calls := 0
	err := RenderAll(js, "flow", "svg", Options{}, func(i int, data []byte, err error) error {
		calls++
		if i == 3 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 4 {
		t.Fatalf("got %v after %d calls, want the emit error after 4", err, calls)
	}
	bad := &journey.Journey{}
	*bad = *js[0]
	bad.Stages = nil
	err = RenderAll([]*journey.Journey{js[0], bad}, "flow", "nonsense", Options{}, func(i int, data []byte, err error) error {
		if err == nil {
			return fmt.Errorf("journey %d: no error for an unknown format", i)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Flows big enough to pay for a worker's start-up are drawn side by side
// (with the bytes Render gives); the examples, and anything without a
// Graphviz layout, are not held back / not sent to workers.
func TestRenderAllSideBySide(t *testing.T) {
	old := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(old)
	var examples []*journey.Journey
	files, err := filepath.Glob("../../examples/*/*.journey.yaml")
	if err != nil || len(files) < 5 {
		t.Fatalf("examples: %v %v", files, err)
	}
	for _, f := range files {
		examples = append(examples, mustLoad(t, f))
	}
	if sideBySide(examples, "flow", "svg", Options{}) || sideBySide(examples, "flow", "png", Options{}) {
		t.Error("the examples' flows would be laid out side by side: a worker's start-up costs more than it saves there")
	}
	for _, vf := range [][2]string{{"flow", "dot"}, {"flow", "mermaid"}, {"canvas", "svg"}} {
		if !sideBySide(examples, vf[0], vf[1], Options{}) {
			t.Errorf("%s %s: not drawn side by side, though no layout worker is involved", vf[0], vf[1])
		}
	}
	before := layouts.remote.Load()
	if err := RenderAll(examples, "flow", "svg", Options{}, func(i int, data []byte, err error) error { return err }); err != nil {
		t.Fatal(err)
	}
	if n := layouts.remote.Load() - before; n != 0 {
		t.Errorf("rendering the examples ran %d layouts in workers, want 0", n)
	}

	// The bound: journeys whose costs just reach MinParallelLayoutCost.
	js := synthJourneys(t, 40, 20)
	total, n := 0, 0
	for total < MinParallelLayoutCost {
		_, cost := flowDOT(js[n], Options{})
		total += cost
		n++
	}
	if sideBySide(js[:n-1], "flow", "svg", Options{}) || !sideBySide(js[:n], "flow", "svg", Options{}) {
		t.Fatalf("side by side from %d journeys (cost %d), want from cost %d on", n, total, MinParallelLayoutCost)
	}
	err = RenderAll(js[:n], "flow", "svg", Options{}, func(i int, data []byte, err error) error {
		want, wantErr := Render(js[i], "flow", "svg", Options{})
		if err != nil || wantErr != nil || !bytes.Equal(data, want) {
			return fmt.Errorf("journey %d: RenderAll and Render differ (%v, %v)", i, err, wantErr)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A panic while drawing reaches the caller's goroutine.
func TestRenderAllPanic(t *testing.T) {
	old := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(old)
	js := synthJourneys(t, 3, 4)
	js[1] = nil
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(fmt.Sprint(r), "drawing journey 2 of 3") {
			t.Fatalf("got panic %v, want one naming journey 2 of 3", r)
		}
	}()
	_ = RenderAll(js, "flow", "dot", Options{}, func(int, []byte, error) error { return nil })
}

// BenchmarkRenderAll200 draws 200 journeys of 20 stages as SVG with
// RenderAll (layouts side by side: one here, GOMAXPROCS-1 in worker
// processes); BenchmarkRenderSequential200 draws them one at a time, as
// render --out-dir did. Each op is the whole batch.
func BenchmarkRenderAll200(b *testing.B) {
	js := synthJourneys(b, 200, 20)
	b.ResetTimer()
	for b.Loop() {
		if err := RenderAll(js, "flow", "svg", Options{}, func(i int, data []byte, err error) error { return err }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderSequential200(b *testing.B) {
	js := synthJourneys(b, 200, 20)
	b.ResetTimer()
	for b.Loop() {
		for _, j := range js {
			if _, err := Render(j, "flow", "svg", Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// StopWorkers leaves no worker process behind: the idle ones end when
// their input closes and are waited for; one that ignores it is killed; a
// worker that finishes starting afterwards is ended too, and layouts run
// in this process.
func TestStopWorkers(t *testing.T) {
	old := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(old)
	dot := synthDOT(t, "stop", 5)
	p := newLayoutPool()
	p.localBusy = true
	if _, err := p.layout(dot); err != nil {
		t.Fatal(err)
	}
	if len(p.idle) != 1 {
		t.Fatalf("%d idle workers after a layout, want 1", len(p.idle))
	}
	first := p.idle[0]
	stubborn := fakeWorker(t, "trap '' TERM; exec 3<&-; sleep 30")
	p.idle = append(p.idle, stubborn)
	p.started++
	defer func(d time.Duration) { workerStopWait = d }(workerStopWait)
	workerStopWait = 200 * time.Millisecond
	p.stopAll()
	for _, w := range []*worker{first, stubborn} {
		if w.cmd.ProcessState == nil {
			t.Fatalf("worker %d was not waited for", w.cmd.Process.Pid)
		}
	}
	if first.cmd.ProcessState.ExitCode() != 0 {
		t.Errorf("the real worker did not end by itself: %v", first.cmd.ProcessState)
	}
	if len(p.idle) != 0 || p.started != 0 || !p.noWorkers {
		t.Errorf("after StopWorkers: %d idle, %d started, noWorkers %v", len(p.idle), p.started, p.noWorkers)
	}
	// A worker whose start was under way is ended when it arrives.
	p.started++
	p.spawn()
	if len(p.idle) != 0 || p.started != 0 {
		t.Errorf("a late worker was kept: %d idle, %d started", len(p.idle), p.started)
	}
	p.localBusy = false
	if w := p.acquire(true); w != nil {
		t.Error("after StopWorkers a layout went to a worker")
	}
}
