package lsp

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// client drives a server over pipes as an editor does.
type client struct {
	t      *testing.T
	w      io.WriteCloser
	mu     sync.Mutex
	nextID int
	waits  map[int]chan *message
	notes  []*message
	noteCh chan struct{}
	exit   chan int
	log    *strings.Builder
}

func startClient(t *testing.T) *client {
	t.Helper()
	toServer, fromClient := io.Pipe()
	toClient, fromServer := io.Pipe()
	c := &client{t: t, w: fromClient, waits: map[int]chan *message{}, noteCh: make(chan struct{}, 1), exit: make(chan int, 1), log: &strings.Builder{}}
	logw := &syncWriter{b: c.log}
	go func() {
		code := Serve(toServer, fromServer, Options{Log: logw})
		fromServer.Close()
		c.exit <- code
	}()
	go c.read(bufio.NewReader(toClient))
	t.Cleanup(func() { fromClient.Close() })
	return c
}

type syncWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (c *client) read(r *bufio.Reader) {
	for {
		body, err := readMessage(r)
		if err != nil {
			return
		}
		m := &message{}
		if err := json.Unmarshal(body, m); err != nil {
			panic(err)
		}
		switch {
		case m.Method != "" && len(m.ID) > 0: // a request of the server
			_ = writeMessage(c.w, response{JSONRPC: "2.0", ID: m.ID, Result: nil})
		case m.Method != "":
			c.mu.Lock()
			c.notes = append(c.notes, m)
			c.mu.Unlock()
			select {
			case c.noteCh <- struct{}{}:
			default:
			}
		default:
			var id int
			_ = json.Unmarshal(m.ID, &id)
			c.mu.Lock()
			ch := c.waits[id]
			delete(c.waits, id)
			c.mu.Unlock()
			if ch != nil {
				ch <- m
			}
		}
	}
}

// deadlock guards a wait: not a timing assertion, only a bound.
const deadlock = 60 * time.Second

func (c *client) send(id int, method string, params any) chan *message {
	ch := make(chan *message, 1)
	var v any
	if id > 0 {
		c.mu.Lock()
		c.waits[id] = ch
		c.mu.Unlock()
		v = request{JSONRPC: "2.0", ID: id, Method: method, Params: params}
	} else {
		v = notification{JSONRPC: "2.0", Method: method, Params: params}
	}
	if err := writeMessage(c.w, v); err != nil {
		c.t.Fatalf("writing %s: %v", method, err)
	}
	return ch
}

// callErr sends a request and returns its answer.
func (c *client) callErr(method string, params any) (json.RawMessage, *rpcError) {
	c.t.Helper()
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.mu.Unlock()
	ch := c.send(id, method, params)
	select {
	case m := <-ch:
		return m.Result, m.Error
	case <-time.After(deadlock):
		c.t.Fatalf("no answer to %s; server log:\n%s", method, c.log.String())
	}
	return nil, nil
}

func (c *client) call(method string, params any, out any) {
	c.t.Helper()
	res, err := c.callErr(method, params)
	if err != nil {
		c.t.Fatalf("%s: error %d: %s", method, err.Code, err.Message)
	}
	if out != nil {
		if err := json.Unmarshal(res, out); err != nil {
			c.t.Fatalf("%s: %v in %s", method, err, res)
		}
	}
}

func (c *client) notify(method string, params any) { c.send(0, method, params) }

// diagnostics returns the last diagnostics published for uri, after every
// message sent so far was handled (a request is answered after the
// findings of the edits before it are published).
func (c *client) diagnostics(uri string) []Diagnostic {
	c.t.Helper()
	c.call("workspace/symbol", WorkspaceSymbolParams{Query: "\x00sync"}, nil)
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.notes) - 1; i >= 0; i-- {
		m := c.notes[i]
		if m.Method != "textDocument/publishDiagnostics" {
			continue
		}
		var p PublishDiagnosticsParams
		_ = json.Unmarshal(m.Params, &p)
		if p.URI == uri {
			return p.Diagnostics
		}
	}
	return nil
}

func (c *client) publishedCount(uri string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, m := range c.notes {
		var p PublishDiagnosticsParams
		if m.Method == "textDocument/publishDiagnostics" && json.Unmarshal(m.Params, &p) == nil && p.URI == uri {
			n++
		}
	}
	return n
}

func (c *client) initialize(root string, opts any) {
	c.t.Helper()
	params := map[string]any{
		"processId": nil,
		"rootUri":   pathToURI(root),
		"capabilities": map[string]any{
			"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}},
		},
	}
	if opts != nil {
		params["initializationOptions"] = opts
	}
	var res map[string]any
	c.call("initialize", params, &res)
	if res["capabilities"] == nil {
		c.t.Fatalf("initialize: no capabilities: %v", res)
	}
	c.notify("initialized", map[string]any{})
}

func (c *client) open(path string) string {
	c.t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		c.t.Fatal(err)
	}
	uri := pathToURI(path)
	c.notify("textDocument/didOpen", DidOpenTextDocumentParams{TextDocument: TextDocumentItem{URI: uri, LanguageID: "yaml", Version: 1, Text: string(data)}})
	return uri
}

func (c *client) shutdown() int {
	c.t.Helper()
	c.call("shutdown", nil, nil)
	c.notify("exit", nil)
	select {
	case code := <-c.exit:
		return code
	case <-time.After(deadlock):
		c.t.Fatal("the server did not exit")
	}
	return -1
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func describeDiags(ds []Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%d:%d-%d:%d %s %s\n", d.Range.Start.Line, d.Range.Start.Character, d.Range.End.Line, d.Range.End.Character, d.Code, strings.ReplaceAll(d.Message, "\n", " | "))
	}
	return b.String()
}
