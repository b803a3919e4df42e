package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/internal/termsafe"
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/html"
	"github.com/journeykit/journey/pkg/load"
	"github.com/journeykit/journey/pkg/render"
	"github.com/spf13/cobra"
)

func newServeCommand() *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "serve [PATH...]",
		Short: "Preview journeys in a browser: a local read-only server whose pages update as you save",
		Long: `Serve the workspace's journeys as interactive pages (the same page as
render --format html) on a local web server.

The index lists every journey of the workspace with its title, status and
lint state; each journey's page shows the flow and the canvas. When a
journey file changes, every open page updates within a fraction of a second
through server-sent events, keeping its pan, zoom and selection; lint
findings appear on their stages as you save.

The server binds 127.0.0.1 on a free port unless --addr says otherwise
(a warning is printed when the address is not a loopback one). It is
read-only and serves nothing but the pages of the journeys it loaded: no
file of the workspace is served as it is, and no path outside it. Requests
whose Host header is not this server's (a DNS rebinding attack) are
refused. Its URL and progress go to standard error; Ctrl-C stops it.`,
		Example: `  journey serve
  journey serve examples/
  journey serve --addr 127.0.0.1:8080 journeys/`,
		ValidArgsFunction: completeJourneyFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServe(cmd, args, addr)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:0", "listen on HOST:PORT (port 0: a free port)")
	return cmd
}

func runServe(cmd *cobra.Command, args []string, addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageError("--addr %s: use HOST:PORT, e.g. 127.0.0.1:8080 (port 0 picks a free one)", termsafe.Line(addr))
	}
	s, err := newPreviewServer(args, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("cannot listen on %s: %v", addr, err)}
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		fmt.Fprintf(cmd.ErrOrStderr(), "journey: warning: %s is not a loopback address: other machines can read these journeys\n", termsafe.Line(addr))
		s.allowHost(host)
		s.mu.Lock()
		s.anyIP = true
		s.mu.Unlock()
	}
	// serve writes no file, so main's handler (remove half-written files,
	// exit 130 at once) has nothing to do: Ctrl-C and SIGTERM stop the
	// server instead, which closes its streams and says so.
	signal.Reset(os.Interrupt, syscall.SIGTERM)
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return s.serve(ctx, ln)
}

// previewServer serves the pages of the journeys it loaded, reloading
// them when their files change.
type previewServer struct {
	paths  []string
	stderr io.Writer
	// poll is how often files are checked for changes.
	poll time.Duration

	mu    sync.Mutex
	snap  *snapshot
	subs  map[chan struct{}]bool
	hosts map[string]bool // Host names accepted besides loopback ones
	// anyIP accepts any IP address as the Host (the server listens beyond
	// loopback, where clients name it by one of the machine's addresses);
	// names other than localhost and --addr's stay refused.
	anyIP   bool
	version int
}

// snapshot is one load of the workspace.
type snapshot struct {
	version int
	root    string
	entries map[string]*servedJourney // by URL path under /journey/
	order   []string
	stamps  map[string]fileStamp
	failed  string // why the workspace could not be loaded
}

type servedJourney struct {
	key      string
	file     string // as loaded
	shown    string // relative to the root, for the page
	lj       loadedJourney
	broken   []diag.Diagnostic // syntax or schema errors: no page
	once     sync.Once
	page     []byte
	pageErr  error
	findings []diag.Diagnostic
}

type fileStamp struct {
	size int64
	mod  time.Time
}

func newPreviewServer(paths []string, stderr io.Writer) (*previewServer, error) {
	s := &previewServer{paths: paths, stderr: stderr, poll: 50 * time.Millisecond, subs: map[chan struct{}]bool{}, hosts: map[string]bool{}}
	snap, err := s.load()
	if err != nil {
		return nil, err
	}
	if len(snap.entries) == 0 {
		return nil, usageError("no journey files to serve: name a directory or journey files")
	}
	s.snap = snap
	return s, nil
}

func (s *previewServer) allowHost(h string) {
	s.mu.Lock()
	s.hosts[strings.ToLower(h)] = true
	s.mu.Unlock()
}

// load reads the workspace and lints it.
func (s *previewServer) load() (*snapshot, error) {
	// Stamped before they are read: a file saved meanwhile is read again
	// at the next look, never missed.
	stamps := s.stamps()
	sets, _, byFile, err := loadAndLint(load.Options{Paths: s.paths})
	if err != nil {
		return nil, err
	}
	snap := &snapshot{entries: map[string]*servedJourney{}, stamps: stamps}
	for i, set := range sets {
		root := s.rootOf(set)
		if snap.root == "" {
			snap.root = root
		}
		realRoot, err := filepath.EvalSymlinks(root)
		if err != nil {
			continue
		}
		for _, f := range set.Files {
			if !set.Requested[f] || f.Config != nil {
				continue
			}
			abs, err := filepath.Abs(f.Path)
			if err != nil {
				continue
			}
			rel, err := filepath.Rel(root, abs)
			if err != nil || !filepath.IsLocal(rel) {
				continue
			}
			// A symbolic link out of the workspace is not served.
			if real, err := filepath.EvalSymlinks(abs); err != nil || !within(realRoot, real) {
				continue
			}
			key := filepath.ToSlash(rel)
			if i > 0 {
				key = fmt.Sprintf("w%d/%s", i, key)
			}
			e := &servedJourney{key: key, file: f.Path, shown: filepath.ToSlash(rel), findings: byFile[f.Path]}
			if lj, ok := journeyOf(set, f, byFile[f.Path]); ok {
				e.lj = lj
			} else {
				e.broken = byFile[f.Path]
				if len(e.broken) == 0 {
					e.broken = f.Diagnostics
				}
			}
			snap.entries[key] = e
			snap.order = append(snap.order, key)
		}
	}
	sort.Strings(snap.order)
	return snap, nil
}

// rootOf is the directory a set's pages are named from: its root when
// every file named is inside it, else the directory named (or the
// directory of the file named), else the current directory.
func (s *previewServer) rootOf(set *load.Set) string {
	root, _ := filepath.Abs(set.Root)
	inside := root != ""
	for _, f := range set.Files {
		if abs, err := filepath.Abs(f.Path); err != nil || !within(root, abs) {
			inside = false
			break
		}
	}
	if inside {
		return root
	}
	if len(s.paths) > 0 {
		p, _ := filepath.Abs(s.paths[0])
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			p = filepath.Dir(p)
		}
		return p
	}
	wd, _ := os.Getwd()
	return wd
}

// within reports whether path is dir or inside it.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}

// serve answers on ln until ctx ends, watching the files meanwhile.
func (s *previewServer) serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	u := "http://" + ln.Addr().String() + "/"
	s.mu.Lock()
	n := len(s.snap.entries)
	s.mu.Unlock()
	fmt.Fprintf(s.stderr, "journey: serving %s at %s (Ctrl-C to stop)\n", pluralWord(n, "journey"), u)
	go s.watch(ctx)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return &exitError{code: 2, err: err}
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_ = srv.Shutdown(shut)
	fmt.Fprintln(s.stderr, "journey: stopped")
	return nil
}

// watch reloads the workspace when a file changes: it checks the loaded
// files' size and time every poll, and looks for new files every second.
func (s *previewServer) watch(ctx context.Context) {
	tick := time.NewTicker(s.poll)
	defer tick.Stop()
	n := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		n++
		s.mu.Lock()
		snap := s.snap
		s.mu.Unlock()
		changed := n%int(max(1, time.Second/s.poll)) == 0 && s.filesChanged(snap)
		for abs, st := range snap.stamps {
			if now, err := os.Stat(abs); err != nil || now.Size() != st.size || !now.ModTime().Equal(st.mod) {
				changed = true
				break
			}
		}
		if changed {
			s.reload()
		}
	}
}

// stamps are the files a load of the workspace reads, its journeys and
// its configurations as load.Find lists them (without reading them), with
// their sizes and modification times.
func (s *previewServer) stamps() map[string]fileStamp {
	out := map[string]fileStamp{}
	found, err := load.Find(load.Options{Paths: s.paths})
	if err != nil {
		return out
	}
	for _, f := range found {
		if f.Stdin || f.Problem != "" {
			continue
		}
		if st, err := os.Stat(f.Path); err == nil {
			out[f.Path] = fileStamp{st.Size(), st.ModTime()}
		}
	}
	return out
}

// filesChanged reports a journey file or configuration added or removed.
func (s *previewServer) filesChanged(snap *snapshot) bool {
	fresh := s.stamps()
	if len(fresh) != len(snap.stamps) {
		return true
	}
	for abs := range fresh {
		if _, ok := snap.stamps[abs]; !ok {
			return true
		}
	}
	return false
}

// reload loads the workspace again and tells every open page.
func (s *previewServer) reload() {
	snap, err := s.load()
	if err != nil {
		fmt.Fprintf(s.stderr, "journey: cannot reload: %s\n", termsafe.Line(err.Error()))
		return
	}
	s.mu.Lock()
	s.version++
	snap.version = s.version
	s.snap = snap
	for c := range s.subs {
		select {
		case c <- struct{}{}:
		default:
		}
	}
	s.mu.Unlock()
	fmt.Fprintf(s.stderr, "journey: reloaded %s\n", pluralWord(len(snap.entries), "journey"))
}

// okHost reports whether a request's Host names this server: a loopback
// name or address, or the address given with --addr. Any other name may
// be a DNS rebinding attack: a page elsewhere whose name now resolves to
// 127.0.0.1.
func (s *previewServer) okHost(host string) bool {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	h = strings.ToLower(strings.Trim(h, "[]"))
	if h == "localhost" {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// DNS rebinding needs a name: an address as the Host is safe, but
	// only loopback ones are expected unless the server listens beyond.
	if ip := net.ParseIP(h); ip != nil && (ip.IsLoopback() || s.anyIP) {
		return true
	}
	return s.hosts[h]
}

func (s *previewServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Frame-Options", "DENY")
	if !s.okHost(r.Host) {
		http.Error(w, "this server answers to localhost and 127.0.0.1 only", http.StatusMisdirectedRequest)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hd.Set("Allow", "GET, HEAD")
		http.Error(w, "read-only", http.StatusMethodNotAllowed)
		return
	}
	// The raw path must hold no dot segment, encoded or not, and no
	// backslash: nothing is looked up on disk, but such a path is refused
	// outright rather than cleaned.
	raw := r.URL.EscapedPath()
	if dec, err := url.PathUnescape(raw); err != nil || hasDotSegment(dec) || strings.ContainsAny(dec, "\\\x00") {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	snap := s.snap
	s.mu.Unlock()
	switch p := r.URL.Path; {
	case p == "/":
		s.index(w, snap)
	case p == "/events":
		s.events(w, r)
	case strings.HasPrefix(p, "/journey/"):
		e := snap.entries[strings.TrimPrefix(p, "/journey/")]
		if e == nil {
			http.NotFound(w, r)
			return
		}
		s.journeyPage(w, e)
	default:
		http.NotFound(w, r)
	}
}

func hasDotSegment(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." {
			return true
		}
	}
	return false
}

func (s *previewServer) journeyPage(w http.ResponseWriter, e *servedJourney) {
	if e.broken != nil {
		var b bytes.Buffer
		writeShell(&b, e.shown, "")
		b.WriteString("<h1>" + escape.XML(e.shown) + "</h1><p>This file cannot be read as a journey yet; fix these and save:</p><ul>")
		for _, d := range e.broken {
			fmt.Fprintf(&b, "<li><code>%d:%d</code> %s: %s</li>", d.Range.Start.Line, d.Range.Start.Column, escape.XML(string(d.Severity)), escape.XML(d.Message))
		}
		b.WriteString("</ul><p><a href=\"/\">All journeys</a></p>" + liveReloadScript + "</body></html>\n")
		writeHTML(w, b.Bytes())
		return
	}
	e.once.Do(func() {
		e.page, e.pageErr = html.Page(render.WithCatalog(e.lj.Journey, e.lj.Catalog), html.Options{Findings: e.lj.Findings, File: e.shown, Live: "/events"})
	})
	if e.pageErr != nil {
		http.Error(w, "cannot draw this journey: "+e.pageErr.Error(), http.StatusInternalServerError)
		return
	}
	writeHTML(w, e.page)
}

func writeHTML(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(b)
}

// liveReloadScript reloads the index (or an error page) when a file
// changes; its hash is in the page's policy.
const liveReloadScript = `<script>new EventSource('/events').addEventListener('change',function(){location.reload()});</script>`

func writeShell(b *bytes.Buffer, title, _ string) {
	js := strings.TrimSuffix(strings.TrimPrefix(liveReloadScript, "<script>"), "</script>")
	sum := sha256.Sum256([]byte(js))
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">`)
	b.WriteString(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; connect-src 'self'; script-src 'sha256-` + base64.StdEncoding.EncodeToString(sum[:]) + `'">`)
	b.WriteString(`<meta name="viewport" content="width=device-width, initial-scale=1"><title>` + escape.XML(title) + ` — journey</title>`)
	b.WriteString(`<style>body{font:15px/1.5 "Liberation Sans",Arial,sans-serif;color:#1a202c;margin:24px auto;max-width:70rem;padding:0 16px}` +
		`table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #cbd5e0}` +
		`th{color:#4a5568;font-size:13px}a{color:#1d4ed8}.error{color:#b91c1c;font-weight:bold}.warning{color:#92400e;font-weight:bold}.clean{color:#166534}code{font-size:13px}.u{unicode-bidi:isolate}</style></head><body>`)
}

func (s *previewServer) index(w http.ResponseWriter, snap *snapshot) {
	var b bytes.Buffer
	writeShell(&b, "Journeys", "")
	fmt.Fprintf(&b, "<h1>Journeys</h1><p><code class=\"u\">%s</code> · %s · updates as you save</p>", escape.XML(snap.root), pluralWord(len(snap.order), "journey"))
	b.WriteString("<table><thead><tr><th>Journey</th><th>Id</th><th>Status</th><th>Lint</th><th>File</th></tr></thead><tbody>")
	for _, k := range snap.order {
		e := snap.entries[k]
		href := "/journey/" + escapePath(k)
		title, id, status := e.shown, "", ""
		if j := e.lj.Journey; j != nil {
			title, id, status = j.Title, j.ID.Value, j.Status
			if title == "" {
				title = id
			}
			if status == "" {
				status = "active"
			}
		}
		fmt.Fprintf(&b, "<tr><td><a class=\"u\" href=\"%s\">%s</a></td><td><code class=\"u\">%s</code></td><td>%s</td><td>%s</td><td><code class=\"u\">%s</code></td></tr>",
			escape.XML(href), escape.XML(title), escape.XML(id), escape.XML(status), lintState(e), escape.XML(e.shown))
	}
	b.WriteString("</tbody></table>" + liveReloadScript + "</body></html>\n")
	writeHTML(w, b.Bytes())
}

func escapePath(k string) string {
	parts := strings.Split(k, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

// lintState is the index's lint column: errors, warnings or clean.
func lintState(e *servedJourney) string {
	if e.broken != nil {
		return `<span class="error">cannot be read</span>`
	}
	var errs, warns int
	for _, d := range e.findings {
		switch d.Severity {
		case diag.Error:
			errs++
		case diag.Warning:
			warns++
		}
	}
	switch {
	case errs > 0:
		return fmt.Sprintf(`<span class="error">%s</span>`, pluralWord(errs, "error")) + map[bool]string{true: fmt.Sprintf(`, <span class="warning">%s</span>`, pluralWord(warns, "warning")), false: ""}[warns > 0]
	case warns > 0:
		return fmt.Sprintf(`<span class="warning">%s</span>`, pluralWord(warns, "warning"))
	}
	return `<span class="clean">clean</span>`
}

// events is the server-sent event stream: one "change" event per reload.
func (s *previewServer) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan struct{}, 1)
	s.mu.Lock()
	s.subs[c] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.subs, c)
		s.mu.Unlock()
	}()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, "retry: 500\n: journey serve\n\n")
	fl.Flush()
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ping.C:
			_, _ = io.WriteString(w, ": ping\n\n")
		case <-c:
			s.mu.Lock()
			v := s.version
			s.mu.Unlock()
			_, _ = fmt.Fprintf(w, "event: change\ndata: %d\n\n", v)
		}
		fl.Flush()
	}
}
