// Package lsp is the journey language server (`journey lsp`): the Language
// Server Protocol 3.17 over a pair of streams (standard input and output),
// JSON-RPC 2.0 with Content-Length framing, one process per editor.
//
// Everything it says comes from the packages the commands use: pkg/load
// discovers and parses the workspace (the same .journey.yaml, globs and
// skip list), pkg/lint.Run checks it with the configuration's severities
// and the `# journey-lint: disable=` comments, so a finding has exactly the
// range, related places and suggestion `journey lint` prints; pkg/format is
// `journey fmt`; the embedded JSON Schemas give keys, descriptions and enum
// values. The editor's copy of an open file replaces the disk's; other
// files are read from disk and read again when the client reports them
// changed (workspace/didChangeWatchedFiles). Each answer is computed from
// that state alone (a snapshot, rebuilt after a change, parsing only files
// whose bytes changed), never from the order of the events; diagnostics
// are published once the queue of incoming messages is empty, and before
// any request is answered.
//
// Positions: the model counts code points (journey.Pos), LSP counts UTF-16
// code units; text converts between them, lines split as internal/lines
// does (LF, CRLF, lone CR).
//
// The protocol types are written here (about 30 of them, protocol.go) with
// encoding/json rather than taken from go.lsp.dev/protocol and
// go.lsp.dev/jsonrpc2: those modules are two more dependencies (with
// their own) and hundreds of generated types for the ~15 methods served,
// their connection owns the message loop where cancellation, panic
// recovery and the "publish before answering" order live here, and
// `go get @latest` resolves to an old release, so the version has to be
// pinned by hand. The JSON-RPC framing is under 150 lines (jsonrpc.go).
//
// Robustness: a panic in a handler becomes an InternalError response (or,
// for a notification, a log line) and the server goes on; $/cancelRequest
// answers a queued request with RequestCancelled and cancels the context
// of a running one; a message is at most MaxMessageSize bytes; shutdown
// and exit follow the specification (exit code 0 after shutdown, else 1).
package lsp
