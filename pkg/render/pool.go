package render

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/journeykit/journey/pkg/render/internal/gvcache"
)

// Layouts side by side. go-graphviz has one WebAssembly instance per
// process (see layout.go), so a second layout at the same time runs in a
// layout worker: this same executable started again with workerEnv set,
// which lays out what it reads from file descriptor 3 and answers on
// descriptor 4 until descriptor 3 ends. The pool holds this process's own
// instance (preferred: it costs nothing to start) and up to GOMAXPROCS-1
// workers, each started in the background when a layout finds every slot
// busy, kept for the life of the process or maxWorkerLayouts layouts. A
// caller that never asks for two layouts at once never starts a worker.
//
// Safety after a failure is the same as in this process: a worker resets
// its Graphviz context after a failed layout; a worker that stops
// answering (it crashed, or its answer is malformed or too large) is
// killed and the call fails with ErrLayout; the next call starts a new
// worker. A worker that fails before it is ready (the executable cannot be
// started again, its Graphviz does not initialise) turns workers off for
// the life of the process: layouts then run one at a time here, as before.

// workerEnv marks a layout worker process. Its value is not read.
const workerEnv = "JOURNEY_INTERNAL_LAYOUT_WORKER"

// Bounds of the worker protocol.
const (
	// maxWorkerRequest is the largest DOT sent to a worker; a larger one
	// is laid out in this process.
	maxWorkerRequest = 64 << 20
	// maxWorkerReply is the largest SVG or error message taken back from
	// a worker; a larger answer fails the call and ends the worker.
	maxWorkerReply = 256 << 20
)

// maxWorkerLayouts is how many layouts a worker runs before it is
// replaced: go-graphviz's WebAssembly memory only grows (about 150 KiB
// more for each 20-stage layout, measured over 400), and a new process
// gives it back.
var maxWorkerLayouts = 500

// maxNotSent bounds the tries of one layout on workers found dead.
const maxNotSent = 4

// workerReady is the first byte a worker writes, once its Graphviz is
// initialised.
const workerReady = 'R'

const (
	replyOK    = 0
	replyError = 1
)

func init() {
	if _, ok := os.LookupEnv(workerEnv); !ok {
		return
	}
	os.Exit(serveWorker())
}

// serveWorker is the whole life of a layout worker process.
func serveWorker() int {
	os.Unsetenv(workerEnv)
	gvcache.Restore()
	in, out := os.NewFile(3, "layout requests"), os.NewFile(4, "layout replies")
	if !isPipe(in) || !isPipe(out) {
		fmt.Fprintf(os.Stderr, "journey: %s is set: it is only for journey's own layout processes; unset it\n", workerEnv)
		return 2
	}
	if err := serveLayouts(in, out); err != nil {
		return 1
	}
	return 0
}

// isPipe reports whether f is an open pipe, as the descriptors a worker
// is given are (the Go runtime may hold descriptors 3 and 4 otherwise).
func isPipe(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeNamedPipe != 0
}

// serveLayouts answers layout requests from r on w until r ends: each
// request is a 4-byte big-endian length and the DOT; each reply a status
// byte (replyOK or replyError), a 4-byte length and the SVG or the error
// message.
func serveLayouts(r io.Reader, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := bw.WriteByte(workerReady); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	br := bufio.NewReaderSize(r, 64<<10)
	var head [5]byte
	for {
		if _, err := io.ReadFull(br, head[:4]); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		n := binary.BigEndian.Uint32(head[:4])
		if n > maxWorkerRequest {
			return fmt.Errorf("a request of %d bytes", n)
		}
		dot := make([]byte, n)
		if _, err := io.ReadFull(br, dot); err != nil {
			return err
		}
		svg, err := localLayout(dot)
		head[0] = replyOK
		if err != nil {
			head[0], svg = replyError, []byte(err.Error())
		}
		if len(svg) > maxWorkerReply {
			head[0], svg = replyError, []byte(fmt.Sprintf("%v: the SVG has %d bytes, more than the %d a layout process may return", ErrLayout, len(svg), maxWorkerReply))
		}
		binary.BigEndian.PutUint32(head[1:], uint32(len(svg)))
		if _, err := bw.Write(head[:]); err != nil {
			return err
		}
		if _, err := bw.Write(svg); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
	}
}

// workerError is a failed layout reported by a worker: its message, and
// ErrLayout for errors.Is.
type workerError struct{ msg string }

func (e *workerError) Error() string { return e.msg }
func (e *workerError) Unwrap() error { return ErrLayout }

// worker is a running layout worker process, used by one call at a time.
type worker struct {
	cmd  *exec.Cmd
	req  *os.File
	resp *os.File
	br   *bufio.Reader
	dead bool
	// served counts the layouts sent to it.
	served int
}

// startWorker starts a layout worker and waits until it is ready.
func startWorker() (*worker, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	respR, respW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	// Standard input, output and error are the null device: go-graphviz
	// lets Graphviz write to standard output, which must not mix with the
	// replies.
	cmd.ExtraFiles = []*os.File{reqR, respW}
	err = cmd.Start()
	reqR.Close()
	respW.Close()
	if err != nil {
		reqW.Close()
		respR.Close()
		return nil, err
	}
	w := &worker{cmd: cmd, req: reqW, resp: respR, br: bufio.NewReaderSize(respR, 64<<10)}
	if b, err := w.br.ReadByte(); err != nil || b != workerReady {
		w.kill()
		if err == nil {
			err = fmt.Errorf("it began its answer with byte %d", b)
		}
		return nil, err
	}
	return w, nil
}

// errNotSent is a worker that ended while it was idle: the graph never
// reached it, and another worker or this process may lay it out.
var errNotSent = errors.New("the layout process had ended before the graph was sent")

// layout sends dot to the worker and reads its answer. Any failure other
// than a layout error it reports ends the worker.
func (w *worker) layout(dot []byte) ([]byte, error) {
	msg := make([]byte, 4+len(dot))
	binary.BigEndian.PutUint32(msg, uint32(len(dot)))
	copy(msg[4:], dot)
	fail := func(what string) ([]byte, error) {
		status := w.kill()
		return nil, fmt.Errorf("%w: the layout process %s (%s)", ErrLayout, what, status)
	}
	if _, err := w.req.Write(msg); err != nil {
		w.kill()
		return nil, errNotSent
	}
	w.served++
	var head [5]byte
	if _, err := io.ReadFull(w.br, head[:]); err != nil {
		return fail("stopped before it answered")
	}
	n := binary.BigEndian.Uint32(head[1:])
	if n > maxWorkerReply || head[0] > replyError {
		return fail("gave a malformed answer")
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(w.br, body); err != nil {
		return fail("stopped in the middle of its answer")
	}
	if head[0] == replyError {
		return nil, &workerError{string(body)}
	}
	return body, nil
}

// kill ends the worker and says how it ended.
func (w *worker) kill() string {
	w.dead = true
	w.req.Close()
	w.resp.Close()
	_ = w.cmd.Process.Kill()
	err := w.cmd.Wait()
	if err == nil {
		return "exit status 0"
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ProcessState.String()
	}
	return err.Error()
}

// layoutPool hands out this process's Graphviz (the local slot) and the
// layout workers.
type layoutPool struct {
	mu        sync.Mutex
	cond      *sync.Cond
	localBusy bool
	idle      []*worker
	started   int  // workers alive, idle or busy
	noWorkers bool // starting one failed: lay out here only
	stopped   bool // StopWorkers ran: a worker that starts late is ended
	// remote counts the layouts run by workers (for tests).
	remote atomic.Int64
}

var layouts = newLayoutPool()

func newLayoutPool() *layoutPool {
	p := &layoutPool{}
	p.cond = sync.NewCond(&p.mu)
	return p
}

func (p *layoutPool) layout(dot []byte) ([]byte, error) {
	for attempt := 1; ; attempt++ {
		w := p.acquire(len(dot) <= maxWorkerRequest)
		if w == nil {
			defer p.release(nil)
			return localLayout(dot)
		}
		svg, err := w.layout(dot)
		p.release(w)
		if err == errNotSent {
			if attempt < maxNotSent {
				// A worker that died idle (killed, out of memory) costs
				// no failed layout: the graph goes to another slot.
				continue
			}
			err = fmt.Errorf("%w: %v, %d times in a row", ErrLayout, errNotSent, attempt)
		}
		p.remote.Add(1)
		return svg, err
	}
}

// acquire returns a worker, or nil for the local slot: the local slot
// when it is free, else an idle worker, else whichever of the two is free
// first, starting a worker while there are fewer than GOMAXPROCS-1.
func (p *layoutPool) acquire(remoteOK bool) *worker {
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		if !p.localBusy {
			p.localBusy = true
			return nil
		}
		if remoteOK {
			if n := len(p.idle); n > 0 {
				w := p.idle[n-1]
				p.idle = p.idle[:n-1]
				return w
			}
			if !p.noWorkers && p.started < runtime.GOMAXPROCS(0)-1 {
				// Started in the background: if this process's Graphviz
				// is free first, the caller takes it instead of waiting
				// for the worker's start-up.
				p.started++
				go p.spawn()
			}
		}
		p.cond.Wait()
	}
}

// spawn starts a worker and makes it idle, or turns workers off when it
// cannot start.
func (p *layoutPool) spawn() {
	w, err := startWorker()
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case err != nil:
		p.started--
		p.noWorkers = true
	case p.stopped:
		p.started--
		go w.stop()
	default:
		p.idle = append(p.idle, w)
	}
	p.cond.Broadcast()
}

// StopWorkers ends the idle layout workers and waits for them, so that no
// process of journey outlives the command (a worker would otherwise end
// only when it reads the end of its input, after this process has exited).
// Layouts after it run in this process. main calls it before exiting.
func StopWorkers() {
	layouts.stopAll()
}

func (p *layoutPool) stopAll() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.started -= len(idle)
	p.stopped, p.noWorkers = true, true
	p.cond.Broadcast()
	p.mu.Unlock()
	var wg sync.WaitGroup
	for _, w := range idle {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.stop()
		}()
	}
	wg.Wait()
}

// stop closes the worker's input, which ends it, and waits for it; one
// that has not ended after workerStopWait is killed.
func (w *worker) stop() {
	w.dead = true
	w.req.Close()
	done := make(chan struct{})
	go func() {
		_ = w.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(workerStopWait):
		_ = w.cmd.Process.Kill()
		<-done
	}
	w.resp.Close()
}

// workerStopWait is how long StopWorkers lets a worker end by itself.
var workerStopWait = 2 * time.Second

func (p *layoutPool) release(w *worker) {
	retire := w != nil && !w.dead && w.served >= maxWorkerLayouts
	p.mu.Lock()
	switch {
	case w == nil:
		p.localBusy = false
	case w.dead || retire:
		p.started--
	default:
		p.idle = append(p.idle, w)
	}
	p.cond.Broadcast()
	p.mu.Unlock()
	if retire {
		w.kill()
	}
}
