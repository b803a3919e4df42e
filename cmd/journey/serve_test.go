package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/journeykit/journey/internal/browsertest"
)

// serveWorkspace writes a workspace of two journeys (one with a lint
// warning) and a secret file beside it, and starts a preview server on it.
func serveWorkspace(t *testing.T) (dir string, s *previewServer, ts *httptest.Server) {
	t.Helper()
	base := t.TempDir()
	dir = filepath.Join(base, "ws")
	write(t, filepath.Join(dir, ".journey.yaml"), "journeys: ['**/*.journey.yaml']\n")
	write(t, filepath.Join(dir, "ok.journey.yaml"), validJourney)
	write(t, filepath.Join(dir, "sub", "other.journey.yaml"), strings.Replace(strings.Replace(validJourney, "journey: ok", "journey: other", 1), "title: OK", "title: Other <b>journey</b>", 1))
	write(t, filepath.Join(base, "secret.journey.yaml"), strings.Replace(validJourney, "journey: ok", "journey: secret", 1))
	write(t, filepath.Join(base, "secret.txt"), "TOP SECRET\n")
	var stderr bytes.Buffer
	var err error
	s, err = newPreviewServer([]string{dir}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	s.poll = 20 * time.Millisecond
	ts = httptest.NewServer(s)
	t.Cleanup(ts.Close)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go s.watch(ctx)
	return dir, s, ts
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// rawGet sends path and host as written, with no cleaning by a client.
func rawGet(t *testing.T, addr, path, host string) int {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(body), "TOP SECRET") || strings.Contains(string(body), "journey: secret") {
		t.Errorf("GET %s served a file outside the workspace", path)
	}
	return resp.StatusCode
}

func TestServeIndexAndPages(t *testing.T) {
	dir, s, ts := serveWorkspace(t)
	code, body := get(t, ts.URL+"/")
	if code != 200 || !strings.Contains(body, `href="/journey/ok.journey.yaml"`) || !strings.Contains(body, `href="/journey/sub/other.journey.yaml"`) ||
		!strings.Contains(body, "Other &lt;b&gt;journey&lt;/b&gt;") || !strings.Contains(body, "clean") {
		t.Fatalf("index: %d %s", code, body)
	}
	code, body = get(t, ts.URL+"/journey/sub/other.journey.yaml")
	if code != 200 || !strings.Contains(body, `"live":"/events"`) || !strings.Contains(body, `"file":"sub/other.journey.yaml"`) || !strings.Contains(body, "connect-src 'self'") {
		t.Errorf("page: %d %.300s", code, body)
	}
	if code, _ := get(t, ts.URL+"/journey/nope.journey.yaml"); code != 404 {
		t.Errorf("unknown journey: %d", code)
	}
	// A file that is not a journey yet is listed, and its page shows why.
	write(t, filepath.Join(dir, "broken.journey.yaml"), "journey: [unclosed\n")
	s.reload()
	if _, index := get(t, ts.URL+"/"); !strings.Contains(index, "cannot be read") {
		t.Errorf("the index does not flag the broken file: %s", index)
	}
	if code, body := get(t, ts.URL+"/journey/broken.journey.yaml"); code != 200 || !strings.Contains(body, "cannot be read as a journey yet") || !strings.Contains(body, "<code>1:") {
		t.Errorf("broken file's page: %d %s", code, body)
	}
	resp, err := http.Post(ts.URL+"/journey/ok.journey.yaml", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405 (read-only)", resp.StatusCode)
	}
}

// Nothing outside the workspace is served: dot segments plain or encoded,
// backslashes, absolute paths, and a symbolic link out of the workspace.
func TestServeRefusesTraversal(t *testing.T) {
	dir, s, ts := serveWorkspace(t)
	if err := os.Symlink(filepath.Join(filepath.Dir(dir), "secret.journey.yaml"), filepath.Join(dir, "link.journey.yaml")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	s.reload()
	addr := strings.TrimPrefix(ts.URL, "http://")
	for _, p := range []string{
		"/journey/../secret.txt", "/journey/../../secret.txt", "/../secret.txt",
		"/journey/%2e%2e/secret.txt", "/journey/%2E%2E%2Fsecret.txt", "/journey/..%2fsecret.txt",
		"/journey/%252e%252e/secret.txt", "/journey/..%5csecret.txt", "/journey/sub/..%5c..%5csecret.txt",
		"/journey/" + filepath.Join(filepath.Dir(dir), "secret.journey.yaml"), "/journey//etc/passwd",
		"/journey/link.journey.yaml", "/secret.txt", "/ok.journey.yaml", "/journey/./ok.journey.yaml",
		"/journey/ok.journey.yaml%00", "/.journey.yaml", "/journey/.journey.yaml",
	} {
		if code := rawGet(t, addr, p, "127.0.0.1"); code == 200 {
			t.Errorf("GET %s: 200, want a refusal", p)
		}
	}
	if code := rawGet(t, addr, "/journey/ok.journey.yaml", "127.0.0.1"); code != 200 {
		t.Errorf("the journey itself: %d", code)
	}
}

// A Host header that is not this server's is refused: a page on another
// site whose name was rebound to 127.0.0.1 cannot read the journeys.
func TestServeHostCheck(t *testing.T) {
	_, _, ts := serveWorkspace(t)
	addr := strings.TrimPrefix(ts.URL, "http://")
	_, port, _ := net.SplitHostPort(addr)
	for host, want := range map[string]int{
		"127.0.0.1:" + port: 200, "localhost:" + port: 200, "LOCALHOST": 200, "[::1]:" + port: 200, "127.0.0.1": 200,
		"evil.example:" + port: 421, "evil.example": 421, "127.0.0.1.evil.example": 421, "localhost.evil.example:" + port: 421, "": 400,
	} {
		got := rawGet(t, addr, "/", host)
		if host == "" && got != 200 {
			got = 400
		}
		if got != want {
			t.Errorf("Host %q: %d, want %d", host, got, want)
		}
	}
}

// Listening beyond loopback (--addr 0.0.0.0:PORT), any address is a
// valid Host (clients name the machine by one), names still are not.
func TestServeHostCheckBeyondLoopback(t *testing.T) {
	_, s, ts := serveWorkspace(t)
	s.allowHost("0.0.0.0")
	s.mu.Lock()
	s.anyIP = true
	s.mu.Unlock()
	addr := strings.TrimPrefix(ts.URL, "http://")
	for host, want := range map[string]int{"192.168.1.20:8080": 200, "[fe80::1]:8080": 200, "evil.example": 421, "localhost": 200} {
		if got := rawGet(t, addr, "/", host); got != want {
			t.Errorf("Host %q: %d, want %d", host, got, want)
		}
	}
}

// A change to a file sends a change event to every open stream.
func TestServeEventsOnChange(t *testing.T) {
	dir, _, ts := serveWorkspace(t)
	req, _ := http.NewRequest("GET", ts.URL+"/events", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	r := bufio.NewReader(resp.Body)
	if _, err := r.ReadString('\n'); err != nil { // retry:
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "ok.journey.yaml"), strings.Replace(validJourney, "name: Buys", "name: Buys at last", 1))
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("no change event: %v", err)
		}
		if line == "event: change\n" {
			break
		}
	}
	_, body := get(t, ts.URL+"/journey/ok.journey.yaml")
	if !strings.Contains(body, "Buys at last") {
		t.Error("the page was not drawn again")
	}
	// A finding appears as the file is saved.
	write(t, filepath.Join(dir, "ok.journey.yaml"), strings.Replace(validJourney, "    next: [buys]\n", "    next: [buys]\n  - id: lost\n    name: Lost\n    phase: start\n", 1))
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("no change event: %v", err)
		}
		if line == "event: change\n" {
			break
		}
	}
	_, index := get(t, ts.URL+"/")
	if !strings.Contains(index, "warning") && !strings.Contains(index, "error") {
		t.Errorf("the index shows no finding for the unreachable stage: %s", index)
	}
}

// serve stops cleanly when its context ends (Ctrl-C), with a page still
// listening for events.
func TestServeStopsOnInterrupt(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "ok.journey.yaml"), validJourney)
	var stderr bytes.Buffer
	s, err := newPreviewServer([]string{dir}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(stderr.String(), "journey: serving 1 journey at http://127.0.0.1:") || !strings.Contains(stderr.String(), "journey: stopped") {
		t.Errorf("stderr: %q", stderr.String())
	}
}

func TestServeAddrChecks(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "ok.journey.yaml"), validJourney)
	code, _, errOut := runCLI(t, "", "serve", "--addr", "nonsense", dir)
	if code != 2 || !strings.Contains(errOut, "--addr nonsense: use HOST:PORT") {
		t.Errorf("--addr nonsense: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "serve", filepath.Join(dir, "none"))
	if code != 2 {
		t.Errorf("a missing path: exit %d, %q", code, errOut)
	}
}

// In a real browser: an edit to the file updates the open page without a
// reload, keeping its zoom and selection; the delay is logged.
func TestServeBrowserLiveReload(t *testing.T) {
	b := browsertest.New(t)
	dir, s, ts := serveWorkspace(t)
	s.poll = 50 * time.Millisecond // journey serve's own
	tab := b.Tab(t)
	u := strings.Replace(ts.URL, "127.0.0.1", "localhost", 1) + "/journey/ok.journey.yaml#stage=buys"
	tab.Run(t, chromedp.Navigate(u), chromedp.WaitVisible(`html[data-ready="true"]`, chromedp.ByQuery))
	var live string
	for i := 0; i < 100 && live != "live"; i++ {
		tab.Eval(t, `document.getElementById('live').textContent`, &live)
		time.Sleep(20 * time.Millisecond)
	}
	var before string
	tab.Eval(t, `window.__same_page=1;document.getElementById('zoom-in').click();document.getElementById('layer-flow').style.transform`, &before)
	start := time.Now()
	write(t, filepath.Join(dir, "ok.journey.yaml"), strings.Replace(validJourney, "name: Buys", "name: Buys right now", 1))
	var got struct {
		Title, Transform string
		Same, Reloaded   string
	}
	for time.Since(start) < 20*time.Second {
		tab.Eval(t, `({Title:(document.getElementById('panel-title')||{}).textContent||'',Transform:document.getElementById('layer-flow').style.transform,
			Same:String(window.__same_page),Reloaded:document.documentElement.getAttribute('data-reloaded')||''})`, &got)
		if got.Title == "Buys right now" {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("the page showed the edit %v after the file was written (files polled every 50 ms, as journey serve does; the test reads the page every 10 ms over DevTools)", time.Since(start).Round(time.Millisecond))
	if got.Title != "Buys right now" || got.Same != "1" || got.Reloaded == "" {
		t.Errorf("after the edit: %+v (want the new name in the open panel, same page, reloaded data)", got)
	}
	if got.Transform != before {
		t.Errorf("zoom lost: %q, was %q", got.Transform, before)
	}
	errs, _, dialogs := tab.Snapshot()
	for _, e := range errs {
		t.Errorf("browser error: %s", e)
	}
	if len(dialogs) > 0 {
		t.Errorf("dialogs: %v", dialogs)
	}
}

// The workspace's configuration is watched like its journeys: saving
// .journey.yaml (its teams, rules, personas) updates the open pages.
func TestServeWatchesTheConfiguration(t *testing.T) {
	dir, s, _ := serveWorkspace(t)
	s.mu.Lock()
	before := s.snap.version
	_, stamped := s.snap.stamps[filepath.Join(dir, ".journey.yaml")]
	s.mu.Unlock()
	if !stamped {
		t.Fatalf("the configuration is not watched: %v", s.snap.stamps)
	}
	write(t, filepath.Join(dir, ".journey.yaml"), "journeys: ['**/*.journey.yaml']\nteams: [marketing, sales]\n")
	for i := 0; ; i++ {
		s.mu.Lock()
		v := s.snap.version
		s.mu.Unlock()
		if v > before {
			return
		}
		if i > 1000 {
			t.Fatal("no reload after the configuration changed")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
