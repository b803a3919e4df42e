package escape

import "testing"

// The escapes of Mermaid's journey grammar, one per reserved thing.
func TestMermaidJourneyEscapes(t *testing.T) {
	for _, c := range []struct{ in, task, actor, title string }{
		{"Make tea", "Make tea", "Make tea", "Make tea"},
		{"a: b; c # d", "a： b； c ＃ d", "a： b； c ＃ d", "a: b； c ＃ d"},
		{"Ann, admin", "Ann, admin", "Ann， admin", "Ann, admin"},
		{"%% x", "％％ x", "％％ x", "％％ x"},
		{"x%%y 50% off", "x％％y 50% off", "x％％y 50% off", "x％％y 50% off"},
		{"Journey planning", "\u200bJourney planning", "Journey planning", "Journey planning"},
		{"journeys", "journeys", "journeys", "journeys"},
		{"title page", "\u200btitle page", "title page", "title page"},
		{"Section 2", "\u200bSection 2", "Section 2", "Section 2"},
		{"accDescr {", "\u200baccDescr {", "accDescr {", "accDescr {"},
		{" two\nlines\t", "two lines", "two lines", "two lines"},
		{"bell\a", "bell", "bell", "bell"},
	} {
		if got := MermaidJourneyTask(c.in); got != c.task {
			t.Errorf("MermaidJourneyTask(%q) = %q, want %q", c.in, got, c.task)
		}
		if got := MermaidJourneyActor(c.in); got != c.actor {
			t.Errorf("MermaidJourneyActor(%q) = %q, want %q", c.in, got, c.actor)
		}
		if got := MermaidJourneyTitle(c.in); got != c.title {
			t.Errorf("MermaidJourneyTitle(%q) = %q, want %q", c.in, got, c.title)
		}
	}
}
