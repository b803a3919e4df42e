package lsp

import (
	"testing"

	"github.com/journeykit/journey/pkg/journey"
)

// A file that starts with a byte order mark: our column 10 of line 1 (as
// pkg/load reports it) is the byte after "journey: ", and LSP character 9.
func TestByteOrderMark(t *testing.T) {
	src := []byte("\xef\xbb\xbfjourney: x\ntitle: T\n")
	tx := newText(src)
	if off := tx.posOffset(journey.Pos{Line: 1, Column: 10}); off != 12 || src[off] != 'x' {
		t.Errorf("offset %d, want 12", off)
	}
	if p := tx.toLSP(journey.Pos{Line: 1, Column: 10}); p != (Position{Line: 0, Character: 9}) {
		t.Errorf("LSP position %+v, want 0:9", p)
	}
	if p := tx.ourPos(12); p != (journey.Pos{Line: 1, Column: 10}) {
		t.Errorf("our position %+v, want 1:10", p)
	}
	if p := tx.toLSP(journey.Pos{Line: 2, Column: 1}); p != (Position{Line: 1, Character: 0}) {
		t.Errorf("line 2: %+v", p)
	}
}
