package lsp

import (
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/lint"
)

func hasPath(path []string, key string) bool {
	for _, k := range path {
		if k == key {
			return true
		}
	}
	return false
}

func last(path []string) string {
	if len(path) == 0 {
		return ""
	}
	return path[len(path)-1]
}

func (st *state) completion(p TextDocumentPositionParams) CompletionList {
	out := CompletionList{Items: []CompletionItem{}}
	f := st.file(p.TextDocument.URI)
	if f == nil {
		return out
	}
	t := f.text()
	off := t.offset(p.Position)
	c := cursorAt(t, off)
	replace := Range{Start: t.position(c.prefixAt), End: p.Position}
	seen := map[string]bool{}
	add := func(label string, k int, detail, doc string) {
		if seen[label] {
			return
		}
		seen[label] = true
		it := CompletionItem{Label: label, Kind: k, Detail: detail, TextEdit: &TextEdit{Range: replace, NewText: label}}
		if doc != "" {
			it.Documentation = &MarkupContent{Kind: "markdown", Value: doc}
		}
		out.Items = append(out.Items, it)
	}
	if c.disable {
		for _, r := range lint.Rules {
			add(r.ID, KindValue, string(r.Severity), r.Summary)
		}
		return out
	}
	if c.comment {
		return out
	}
	sch := f.schema()
	if f.isConfig() && last(c.path) == "rules" || f.isConfig() && c.key == "rules" && c.atKey {
		if c.atKey {
			for _, r := range lint.Rules {
				add(r.ID, KindValue, string(r.Severity), r.Summary)
			}
		} else {
			for _, v := range []string{"error", "warning", "info", "off"} {
				add(v, KindEnumMember, "severity", "")
			}
		}
		return out
	}
	j := f.nav
	if f.isConfig() {
		j = nil
	}
	stages := func(jj *journey.Journey) {
		if jj == nil {
			return
		}
		for _, s := range jj.Stages {
			detail := s.Name
			if s.IsOutcome() {
				detail = "outcome " + s.Outcome + ": " + s.Name
			}
			add(s.ID.Value, KindEnumMember, detail, "")
		}
	}
	cfg := f.set.ws.Config
	if c.key != "" && j != nil {
		switch {
		case c.key == "to" || c.key == "next" && c.listItem && hasPath(c.path, "stages") && last(c.path) == "stages" ||
			c.key == "next" && !c.listItem && last(c.path) == "reasons" ||
			c.key == "next" && last(c.path) == "stages" && !c.atKey:
			target := j
			if jid := c.siblings["journey"]; jid != "" && jid != j.ID.Value && c.key == "to" {
				target = nil
				if tf := f.set.index().journeys[jid]; tf != nil {
					target = tf.nav
				}
			}
			stages(target)
		case c.key == "journey" && hasPath(c.path, "next"):
			for _, o := range f.set.files {
				if o.nav != nil && o.nav.ID.Value != "" {
					add(o.nav.ID.Value, KindModule, o.nav.Title, "")
				}
			}
		case c.key == "phase":
			for _, ph := range j.Phases {
				add(ph.ID.Value, KindEnumMember, ph.Name, "")
			}
		case c.key == "personas" && last(c.path) == "stages":
			st.personaItems(j, cfg, add)
		case c.key == "emotion" && last(c.path) == "stages" && c.atKey:
			st.personaItems(j, cfg, add)
		case c.key == "channel":
			for _, ch := range j.Channels {
				add(ch.ID.Value, KindEnumMember, ch.Name, "")
			}
			if cfg != nil {
				for _, ch := range cfg.Channels {
					add(ch.ID.Value, KindEnumMember, ch.Name, "workspace channel")
				}
			}
			for _, id := range journey.BuiltinChannels {
				add(id, KindEnumMember, "built-in channel", "")
			}
		case c.key == "owner":
			if cfg != nil {
				for _, tm := range cfg.Teams {
					add(tm.Value, KindValue, "team", "")
				}
			}
		case c.key == "after":
			for _, d := range []string{"30m", "1h", "4h", "1d", "2d", "3d", "1w", "2w"} {
				add(d, KindUnit, "duration", "")
			}
		}
		if len(out.Items) > 0 && !c.atKey {
			return out
		}
	}
	if c.key != "" && !c.atKey {
		if vals := sch.enum(sch.property(c.path, c.key)); len(vals) > 0 {
			for _, v := range vals {
				add(v, KindEnumMember, c.key, "")
			}
			return out
		}
		if c.key == "after" {
			for _, d := range []string{"30m", "1h", "4h", "1d", "2d", "3d", "1w", "2w"} {
				add(d, KindUnit, "duration", "")
			}
		}
		return out
	}
	// A key: those the mapping may hold and does not yet.
	path := c.path
	if c.listItem && c.key != "" {
		path = append(append([]string(nil), path...), c.key)
		if c.key == "next" && j != nil && last(c.path) == "stages" {
			stages(j)
		}
		if c.key == "personas" && j != nil && last(c.path) == "stages" {
			st.personaItems(j, cfg, add)
		}
	}
	o := sch.at(path)
	if o == nil {
		return out
	}
	for _, k := range sortedProps(o) {
		if c.siblings[k] != "" || hasKeySibling(c, k) {
			continue
		}
		d := sch.description(o.Properties[k])
		it := CompletionItem{Label: k, Kind: KindProperty, Detail: "key", TextEdit: &TextEdit{Range: replace, NewText: k + ": "}}
		if d != "" {
			it.Documentation = &MarkupContent{Kind: "markdown", Value: d}
		}
		if !seen[k] {
			seen[k] = true
			out.Items = append(out.Items, it)
		}
	}
	return out
}

func hasKeySibling(c cursor, k string) bool {
	_, ok := c.siblings[k]
	return ok
}

func (st *state) personaItems(j *journey.Journey, cfg *journey.Config, add func(string, int, string, string)) {
	for _, pe := range j.Personas {
		add(pe.ID.Value, KindEnumMember, pe.Name, "")
	}
	if cfg != nil {
		for _, pe := range cfg.Personas {
			add(pe.ID.Value, KindEnumMember, pe.Name, "workspace persona")
		}
	}
}
