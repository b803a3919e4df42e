package lsp

import (
	"context"
	"sort"
	"strings"

	"github.com/journeykit/journey/pkg/journey"
)

// kind is what an id names.
type kind int

const (
	kindStage kind = iota
	kindPhase
	kindPersona
	kindChannel
	kindJourney
)

func (k kind) String() string {
	return [...]string{"stage", "phase", "persona", "channel", "journey"}[k]
}

// symbol is one thing an id names: stage, phase, persona and channel ids
// are scoped by the file that declares them (a journey, or the workspace
// configuration), journey ids by the workspace.
type symbol struct {
	kind  kind
	scope string
	id    string
}

// occurrence is one place an id is written: its definition or a reference.
type occurrence struct {
	sym  symbol
	file *sfile
	rng  journey.Range
	def  bool
}

// index lists every occurrence of an id in one workspace.
type index struct {
	occs   []occurrence
	byFile map[string][]int
	bySym  map[symbol][]int
	// journeys maps a journey id to the file declaring it (the first).
	journeys map[string]*sfile
}

const builtinScope = "builtin"

func (set *wset) index() *index {
	if set.idx != nil {
		return set.idx
	}
	ix := &index{byFile: map[string][]int{}, bySym: map[symbol][]int{}, journeys: map[string]*sfile{}}
	for _, f := range set.files {
		if f.nav != nil && f.nav.ID.Value != "" && ix.journeys[f.nav.ID.Value] == nil {
			ix.journeys[f.nav.ID.Value] = f
		}
	}
	add := func(f *sfile, sym symbol, t journey.Text, def bool) {
		if t.Value == "" || t.Range.IsZero() {
			return
		}
		ix.occs = append(ix.occs, occurrence{sym: sym, file: f, rng: t.Range, def: def})
		i := len(ix.occs) - 1
		ix.byFile[f.abs] = append(ix.byFile[f.abs], i)
		ix.bySym[sym] = append(ix.bySym[sym], i)
	}
	var cfg *journey.Config
	if c := set.config; c != nil && c.file != nil && c.file.Config != nil {
		cfg = c.file.Config
		for _, p := range cfg.Personas {
			add(c, symbol{kindPersona, c.abs, p.ID.Value}, p.ID, true)
		}
		for _, ch := range cfg.Channels {
			add(c, symbol{kindChannel, c.abs, ch.ID.Value}, ch.ID, true)
		}
	}
	for _, f := range set.files {
		j := f.nav
		if j == nil {
			continue
		}
		scope := f.abs
		add(f, symbol{kindJourney, "", j.ID.Value}, j.ID, true)
		personas, channels := map[string]bool{}, map[string]bool{}
		for _, p := range j.Personas {
			personas[p.ID.Value] = true
			add(f, symbol{kindPersona, scope, p.ID.Value}, p.ID, true)
		}
		for _, c := range j.Channels {
			channels[c.ID.Value] = true
			add(f, symbol{kindChannel, scope, c.ID.Value}, c.ID, true)
		}
		for _, p := range j.Phases {
			add(f, symbol{kindPhase, scope, p.ID.Value}, p.ID, true)
		}
		persona := func(t journey.Text) {
			sc := scope
			if !personas[t.Value] && cfg != nil && hasPersona(cfg, t.Value) {
				sc = set.config.abs
			}
			add(f, symbol{kindPersona, sc, t.Value}, t, false)
		}
		channel := func(t journey.Text) {
			sc := scope
			if !channels[t.Value] {
				switch {
				case cfg != nil && hasChannel(cfg, t.Value):
					sc = set.config.abs
				case isBuiltinChannel(t.Value):
					sc = builtinScope
				}
			}
			add(f, symbol{kindChannel, sc, t.Value}, t, false)
		}
		for _, s := range j.Stages {
			add(f, symbol{kindStage, scope, s.ID.Value}, s.ID, true)
			add(f, symbol{kindPhase, scope, s.Phase.Value}, s.Phase, false)
			for _, p := range s.Personas {
				persona(p)
			}
			for _, p := range s.Emotion.PerPersona {
				persona(p.Persona)
			}
			channel(s.Channel)
			for _, tp := range s.Touchpoints {
				channel(tp.Channel)
			}
			for _, r := range s.Reasons {
				add(f, symbol{kindStage, scope, r.Next.Value}, r.Next, false)
			}
			for _, t := range s.Next {
				if t.IsHandoff() && t.Journey.Value != j.ID.Value {
					add(f, symbol{kindJourney, "", t.Journey.Value}, t.Journey, false)
					target := "journey:" + t.Journey.Value
					if tf := ix.journeys[t.Journey.Value]; tf != nil {
						target = tf.abs
					}
					add(f, symbol{kindStage, target, t.To.Value}, t.To, false)
					continue
				}
				add(f, symbol{kindStage, scope, t.To.Value}, t.To, false)
			}
		}
	}
	set.idx = ix
	return ix
}

func hasPersona(c *journey.Config, id string) bool {
	for _, p := range c.Personas {
		if p.ID.Value == id {
			return true
		}
	}
	return false
}

func hasChannel(c *journey.Config, id string) bool {
	for _, ch := range c.Channels {
		if ch.ID.Value == id {
			return true
		}
	}
	return false
}

func isBuiltinChannel(id string) bool {
	for _, c := range journey.BuiltinChannels {
		if c == id {
			return true
		}
	}
	return false
}

// contains reports whether position p lies in r, its end included (the
// cursor just after an id is on it).
func contains(r journey.Range, p journey.Pos) bool {
	return !p.Before(r.Start) && !r.End.Before(p)
}

// at returns the occurrence under an LSP position of file f.
func (f *sfile) at(pos Position) (*occurrence, *index) {
	if f.set == nil {
		return nil, nil
	}
	ix := f.set.index()
	p := f.text().ourPos(f.text().offset(pos))
	for _, i := range ix.byFile[f.abs] {
		if contains(ix.occs[i].rng, p) {
			return &ix.occs[i], ix
		}
	}
	return nil, ix
}

func (o *occurrence) location() Location {
	return Location{URI: o.file.uri, Range: o.file.text().rangeToLSP(o.rng)}
}

func (st *state) definition(p TextDocumentPositionParams) []Location {
	f := st.file(p.TextDocument.URI)
	if f == nil {
		return nil
	}
	o, ix := f.at(p.Position)
	if o == nil {
		return nil
	}
	out := []Location{}
	for _, i := range ix.bySym[o.sym] {
		if ix.occs[i].def {
			out = append(out, ix.occs[i].location())
		}
	}
	return out
}

func (st *state) references(ctx context.Context, p ReferenceParams) []Location {
	f := st.file(p.TextDocument.URI)
	if f == nil {
		return nil
	}
	o, ix := f.at(p.Position)
	if o == nil {
		return nil
	}
	out := []Location{}
	for _, i := range ix.bySym[o.sym] {
		if ctx.Err() != nil {
			return nil
		}
		if !ix.occs[i].def || p.Context.IncludeDeclaration {
			out = append(out, ix.occs[i].location())
		}
	}
	sortLocations(out)
	return out
}

func sortLocations(ls []Location) {
	sort.SliceStable(ls, func(a, b int) bool {
		if ls[a].URI != ls[b].URI {
			return ls[a].URI < ls[b].URI
		}
		if ls[a].Range.Start.Line != ls[b].Range.Start.Line {
			return ls[a].Range.Start.Line < ls[b].Range.Start.Line
		}
		return ls[a].Range.Start.Character < ls[b].Range.Start.Character
	})
}

// stageOf finds the stage a stage symbol names.
func (ix *index) stageOf(set *wset, sym symbol) (*journey.Stage, *sfile) {
	for _, f := range set.files {
		if f.abs == sym.scope && f.nav != nil {
			return f.nav.Stage(sym.id), f
		}
	}
	return nil, nil
}

// documentSymbols lists phases with their stages, outcomes marked; stages
// without a known phase come after.
func (st *state) documentSymbols(uri string) []DocumentSymbol {
	f := st.file(uri)
	out := []DocumentSymbol{}
	if f == nil {
		return out
	}
	t := f.text()
	sym := func(name, detail string, k int, m journey.Meta, id journey.Text) DocumentSymbol {
		r := t.rangeToLSP(m.Range)
		sel := t.rangeToLSP(id.Range)
		if id.Range.IsZero() {
			sel = Range{Start: r.Start, End: r.Start}
		}
		if r.End == r.Start {
			r.End = sel.End
		}
		return DocumentSymbol{Name: name, Detail: detail, Kind: k, Range: r, SelectionRange: sel}
	}
	if f.set.config == f && f.file != nil && f.file.Config != nil {
		for _, p := range f.file.Config.Personas {
			out = append(out, sym(p.ID.Value, "persona", SymbolClass, p.Meta, p.ID))
		}
		for _, c := range f.file.Config.Channels {
			out = append(out, sym(c.ID.Value, "channel", SymbolEnum, c.Meta, c.ID))
		}
		return out
	}
	j := f.nav
	if j == nil {
		return out
	}
	for _, p := range j.Personas {
		out = append(out, sym(p.ID.Value, "persona", SymbolClass, p.Meta, p.ID))
	}
	for _, c := range j.Channels {
		out = append(out, sym(c.ID.Value, "channel", SymbolEnum, c.Meta, c.ID))
	}
	stageSym := func(s *journey.Stage) DocumentSymbol {
		detail := s.Name
		k := SymbolFunction
		if s.IsOutcome() {
			detail = strings.TrimSpace("outcome: " + s.Outcome + " " + s.Name)
			k = SymbolEvent
		}
		return sym(s.ID.Value, detail, k, s.Meta, s.ID)
	}
	placed := map[*journey.Stage]bool{}
	for _, p := range j.Phases {
		ps := sym(p.ID.Value, p.Name, SymbolNamespace, p.Meta, p.ID)
		for _, s := range j.Stages {
			if s.Phase.Value == p.ID.Value && !placed[s] {
				placed[s] = true
				ps.Children = append(ps.Children, stageSym(s))
			}
		}
		out = append(out, ps)
	}
	for _, s := range j.Stages {
		if !placed[s] {
			out = append(out, stageSym(s))
		}
	}
	return out
}

func (st *state) workspaceSymbols(ctx context.Context, query string) []SymbolInformation {
	sn := st.snapshot()
	q := strings.ToLower(query)
	out := []SymbolInformation{}
	for _, set := range sn.sets {
		if ctx.Err() != nil {
			return nil
		}
		ix := set.index()
		for _, o := range ix.occs {
			if !o.def || !strings.Contains(strings.ToLower(o.sym.id), q) {
				continue
			}
			k := map[kind]int{kindStage: SymbolFunction, kindPhase: SymbolNamespace, kindPersona: SymbolClass, kindChannel: SymbolEnum, kindJourney: SymbolModule}[o.sym.kind]
			container := o.file.display
			if o.file.nav != nil {
				container = o.file.nav.ID.Value
			}
			out = append(out, SymbolInformation{Name: o.sym.id, Kind: k, Location: o.location(), ContainerName: o.sym.kind.String() + " in " + container})
		}
	}
	return out
}
