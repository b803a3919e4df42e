package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"sync"
)

// Options configure a server.
type Options struct {
	// Log receives one line per notable event (a panic, a bad message);
	// nil discards them. The protocol itself goes to the output only.
	Log io.Writer
}

// Server is one language server: one client, one process.
type Server struct {
	in  *bufio.Reader
	out io.Writer
	log io.Writer

	outMu sync.Mutex

	// queue holds the messages read and not yet handled; the reader
	// goroutine appends, the main loop takes. $/cancelRequest is handled
	// by the reader at once.
	mu        sync.Mutex
	queue     []*message
	wake      chan struct{}
	readErr   error
	cancelled map[string]bool
	running   string // id of the request being handled
	cancelRun context.CancelFunc

	initialized bool
	shutdown    bool
	nextID      int

	state *state
}

// Serve runs a server on in and out until the client sends exit (or closes
// its end). It returns the process's exit code: 0 after shutdown then
// exit, 1 otherwise, as the specification says.
func Serve(in io.Reader, out io.Writer, o Options) int {
	s := newServer(in, out, o)
	return s.run()
}

func newServer(in io.Reader, out io.Writer, o Options) *Server {
	lg := o.Log
	if lg == nil {
		lg = io.Discard
	}
	return &Server{
		in:        bufio.NewReaderSize(in, 64<<10),
		out:       out,
		log:       lg,
		wake:      make(chan struct{}, 1),
		cancelled: map[string]bool{},
		state:     newState(),
	}
}

func (s *Server) logf(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	line = strings.ReplaceAll(line, "\n", "\n\t")
	fmt.Fprintln(s.log, "journey lsp: "+line)
}

// read is the reader goroutine.
func (s *Server) read() {
	defer func() {
		if r := recover(); r != nil {
			s.logf("internal error while reading: %v\n%s", r, debug.Stack())
			s.mu.Lock()
			s.readErr = fmt.Errorf("internal error while reading: %v", r)
			s.mu.Unlock()
			s.signal()
		}
	}()
	for {
		body, err := readMessage(s.in)
		if err != nil {
			s.mu.Lock()
			s.readErr = err
			s.mu.Unlock()
			s.signal()
			return
		}
		m := &message{}
		if err := json.Unmarshal(body, m); err != nil {
			s.logf("a message is not JSON-RPC: %v", err)
			s.write(errorResponse{JSONRPC: "2.0", ID: json.RawMessage("null"), Error: errorf(codeParseError, "parse error: %v", err)})
			continue
		}
		if m.Method == "$/cancelRequest" {
			var p CancelParams
			if json.Unmarshal(m.Params, &p) == nil && len(p.ID) > 0 {
				id := string(p.ID)
				s.mu.Lock()
				s.cancelled[id] = true
				if s.running == id && s.cancelRun != nil {
					s.cancelRun()
				}
				s.mu.Unlock()
				if testCancelled != nil {
					testCancelled <- id
				}
			}
			continue
		}
		s.mu.Lock()
		s.queue = append(s.queue, m)
		s.mu.Unlock()
		s.signal()
	}
}

func (s *Server) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// next takes the next message, waiting for one; nil when the input ended.
// idle reports whether the queue is empty after it (no other message is
// waiting): diagnostics are published then, once for a burst of changes.
func (s *Server) next() (m *message, idle bool) {
	for {
		s.mu.Lock()
		if len(s.queue) > 0 {
			m = s.queue[0]
			s.queue[0] = nil
			s.queue = s.queue[1:]
			idle = len(s.queue) == 0
			s.mu.Unlock()
			return m, idle
		}
		err := s.readErr
		s.mu.Unlock()
		if err != nil {
			return nil, true
		}
		<-s.wake
	}
}

func (s *Server) pending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue) > 0
}

func (s *Server) run() int {
	go s.read()
	for {
		m, _ := s.next()
		if m == nil {
			s.mu.Lock()
			err := s.readErr
			s.mu.Unlock()
			if err != nil && !errors.Is(err, io.EOF) {
				s.logf("%v", err)
			}
			return 1 // the client went away without exit
		}
		if m.Method == "exit" {
			if s.shutdown {
				return 0
			}
			return 1
		}
		if m.isRequest() && s.initialized {
			// Findings of the edits before a request go out before its
			// answer: a client that asks something sees them first.
			s.safely("publishing diagnostics", func() { s.publishDiagnostics() })
		}
		s.handle(m)
		if !s.pending() {
			s.safely("publishing diagnostics", func() { s.publishDiagnostics() })
		}
	}
}

// safely runs f, turning a panic into a log line and an error.
func (s *Server) safely(what string, f func()) (err *rpcError) {
	defer func() {
		if r := recover(); r != nil {
			s.logf("internal error while %s: %v\n%s", what, r, debug.Stack())
			err = errorf(codeInternalError, "internal error while %s: %v", what, r)
		}
	}()
	f()
	return nil
}

func (s *Server) handle(m *message) {
	if len(m.ID) > 0 && m.Method == "" {
		return // a response to one of our requests (registration)
	}
	if !m.isRequest() {
		if !s.initialized && m.Method != "initialized" {
			return
		}
		s.safely("handling "+m.Method, func() { s.notify(m) })
		return
	}
	id := string(m.ID)
	s.mu.Lock()
	if s.cancelled[id] {
		delete(s.cancelled, id)
		s.mu.Unlock()
		s.reply(m.ID, nil, errorf(codeRequestCancelled, "request cancelled"))
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.running, s.cancelRun = id, cancel
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.running, s.cancelRun = "", nil
		delete(s.cancelled, id)
		s.mu.Unlock()
		cancel()
	}()

	var result any
	var rerr *rpcError
	switch {
	case m.Method == "initialize":
		if s.initialized {
			rerr = errorf(codeInvalidRequest, "initialize was already called")
			break
		}
	case !s.initialized:
		rerr = errorf(codeServerNotInitialized, "the server is not initialized")
	case s.shutdown:
		rerr = errorf(codeInvalidRequest, "the server is shut down")
	}
	if rerr == nil {
		if perr := s.safely("handling "+m.Method, func() { result, rerr = s.call(ctx, m) }); perr != nil {
			result, rerr = nil, perr
		}
	}
	if rerr == nil && ctx.Err() != nil {
		rerr = errorf(codeRequestCancelled, "request cancelled")
	}
	s.reply(m.ID, result, rerr)
}

func (s *Server) reply(id json.RawMessage, result any, err *rpcError) {
	if err != nil {
		s.write(errorResponse{JSONRPC: "2.0", ID: id, Error: err})
		return
	}
	s.write(response{JSONRPC: "2.0", ID: id, Result: result})
}

func (s *Server) write(v any) {
	s.outMu.Lock()
	defer s.outMu.Unlock()
	if err := writeMessage(s.out, v); err != nil {
		s.logf("writing to the client: %v", err)
	}
}

func (s *Server) sendNotification(method string, params any) {
	s.write(notification{JSONRPC: "2.0", Method: method, Params: params})
}

func (s *Server) sendRequest(method string, params any) {
	s.nextID++
	s.write(request{JSONRPC: "2.0", ID: s.nextID, Method: method, Params: params})
}

func decode[T any](raw json.RawMessage) (T, *rpcError) {
	var v T
	if len(raw) == 0 {
		return v, errorf(codeInvalidParams, "missing params")
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, errorf(codeInvalidParams, "invalid params: %v", err)
	}
	return v, nil
}

// call answers a request.
func (s *Server) call(ctx context.Context, m *message) (any, *rpcError) {
	if testHook != nil {
		testHook(m.Method)
	}
	switch m.Method {
	case "initialize":
		p, err := decode[InitializeParams](m.Params)
		if err != nil {
			return nil, err
		}
		return s.initialize(p), nil
	case "shutdown":
		s.shutdown = true
		return nil, nil
	case "textDocument/hover":
		p, err := decode[TextDocumentPositionParams](m.Params)
		if err != nil {
			return nil, err
		}
		return s.state.hover(p), nil
	case "textDocument/definition":
		p, err := decode[TextDocumentPositionParams](m.Params)
		if err != nil {
			return nil, err
		}
		return s.state.definition(p), nil
	case "textDocument/references":
		p, err := decode[ReferenceParams](m.Params)
		if err != nil {
			return nil, err
		}
		return s.state.references(ctx, p), nil
	case "textDocument/documentSymbol":
		p, err := decode[DocumentFormattingParams](m.Params)
		if err != nil {
			return nil, err
		}
		return s.state.documentSymbols(p.TextDocument.URI), nil
	case "workspace/symbol":
		p, err := decode[WorkspaceSymbolParams](m.Params)
		if err != nil {
			return nil, err
		}
		return s.state.workspaceSymbols(ctx, p.Query), nil
	case "textDocument/completion":
		p, err := decode[TextDocumentPositionParams](m.Params)
		if err != nil {
			return nil, err
		}
		return s.state.completion(p), nil
	case "textDocument/prepareRename":
		p, err := decode[TextDocumentPositionParams](m.Params)
		if err != nil {
			return nil, err
		}
		return s.state.prepareRename(p)
	case "textDocument/rename":
		p, err := decode[RenameParams](m.Params)
		if err != nil {
			return nil, err
		}
		return s.state.rename(p)
	case "textDocument/formatting":
		p, err := decode[DocumentFormattingParams](m.Params)
		if err != nil {
			return nil, err
		}
		return s.state.format(p.TextDocument.URI)
	case "textDocument/codeAction":
		p, err := decode[CodeActionParams](m.Params)
		if err != nil {
			return nil, err
		}
		return s.state.codeActions(p), nil
	}
	return nil, errorf(codeMethodNotFound, "method %q is not supported", m.Method)
}

// notify handles a notification.
func (s *Server) notify(m *message) {
	st := s.state
	switch m.Method {
	case "initialized":
		if st.watchDynamic {
			s.sendRequest("client/registerCapability", map[string]any{
				"registrations": []map[string]any{{
					"id":     "journey-watch",
					"method": "workspace/didChangeWatchedFiles",
					"registerOptions": map[string]any{"watchers": []map[string]any{
						{"globPattern": "**/*.journey.yaml"},
						{"globPattern": "**/*.journey.yml"},
						{"globPattern": "**/.journey.yaml"},
						{"globPattern": "**/.journey.yml"},
					}},
				}},
			})
		}
	case "textDocument/didOpen":
		if p, err := decode[DidOpenTextDocumentParams](m.Params); err == nil {
			st.open(p.TextDocument.URI, p.TextDocument.Version, []byte(p.TextDocument.Text))
		}
	case "textDocument/didChange":
		if p, err := decode[DidChangeTextDocumentParams](m.Params); err == nil {
			st.change(p.TextDocument.URI, p.TextDocument.Version, p.ContentChanges)
		}
	case "textDocument/didSave":
		if p, err := decode[DidSaveTextDocumentParams](m.Params); err == nil {
			st.save(p.TextDocument.URI, p.Text)
		}
	case "textDocument/didClose":
		if p, err := decode[DidCloseTextDocumentParams](m.Params); err == nil {
			st.close(p.TextDocument.URI)
		}
	case "workspace/didChangeWatchedFiles":
		if p, err := decode[DidChangeWatchedFilesParams](m.Params); err == nil {
			st.watched(p.Changes)
		}
	}
}

func (s *Server) initialize(p InitializeParams) any {
	s.initialized = true
	root := ""
	switch {
	case len(p.WorkspaceFolders) > 0:
		root = uriToPath(p.WorkspaceFolders[0].URI)
	case p.RootURI != "":
		root = uriToPath(p.RootURI)
	default:
		root = p.RootPath
	}
	var o InitializationOptions
	if len(p.InitializationOptions) > 0 {
		if err := json.Unmarshal(p.InitializationOptions, &o); err != nil {
			s.logf("initializationOptions ignored: %v", err)
		}
	}
	s.state.init(root, o, s.logf)
	s.state.watchDynamic = p.Capabilities.Workspace.DidChangeWatchedFiles.DynamicRegistration
	return map[string]any{
		"capabilities": map[string]any{
			"positionEncoding": "utf-16",
			"textDocumentSync": map[string]any{
				"openClose": true,
				"change":    2, // incremental
				"save":      map[string]any{"includeText": false},
			},
			"hoverProvider":           true,
			"definitionProvider":      true,
			"referencesProvider":      true,
			"documentSymbolProvider":  true,
			"workspaceSymbolProvider": true,
			"completionProvider": map[string]any{
				"triggerCharacters": []string{":", "=", ",", "[", "{"},
			},
			"renameProvider":             map[string]any{"prepareProvider": true},
			"documentFormattingProvider": true,
			"codeActionProvider":         map[string]any{"codeActionKinds": []string{"quickfix"}},
		},
		"serverInfo": map[string]any{"name": "journey", "version": Version},
	}
}

// Test hooks: testHook runs before each request is answered,
// testCancelled receives the ids of cancelled requests.
var (
	testHook      func(method string)
	testCancelled chan string
)

// Version is reported to the client in serverInfo; the command sets it.
var Version = "dev"

// publishDiagnostics sends the findings of every open document that
// changed since they were last sent.
func (s *Server) publishDiagnostics() {
	for _, p := range s.state.diagnostics() {
		s.sendNotification("textDocument/publishDiagnostics", p)
	}
}
