package lsp

import (
	"sort"
	"strings"
	"testing"
)

// complete sets the trial document to src without its "|" and asks for
// completion there.
func (s *session) complete(t *testing.T, uri string, version int32, src string) []string {
	t.Helper()
	i := strings.Index(src, "|")
	text := src[:i] + src[i+1:]
	change(s.client, uri, version, TextDocumentContentChangeEvent{Text: text})
	var list CompletionList
	s.call("textDocument/completion", pos(uri, newText([]byte(text)).position(i)), &list)
	var labels []string
	for _, it := range list.Items {
		labels = append(labels, it.Label)
	}
	sort.Strings(labels)
	return labels
}

func has(list []string, want ...string) bool {
	set := map[string]bool{}
	for _, l := range list {
		set[l] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}

func TestCompletion(t *testing.T) {
	s := newSession(t, nil)
	v := int32(10)
	cases := []struct {
		name    string
		edit    func(string) string
		want    []string
		notWant []string
	}{
		{"next flow list", func(src string) string {
			return strings.Replace(src, "next: [pays]", "next: [pa|]", 1)
		}, []string{"paid", "starts-trial", "invites-team"}, []string{"talks-to-sales"}},
		{"to in a flow mapping", func(src string) string {
			return strings.Replace(src, "{to: invites-team, rate: 0.4}", "{to: |, rate: 0.4}", 1)
		}, []string{"paid", "invites-team"}, nil},
		{"hand-off's to: the target journey's stages", func(src string) string {
			return strings.Replace(src, "{to: talks-to-sales, journey: sales}", "{to: t|, journey: sales}", 1)
		}, []string{"talks-to-sales", "signs"}, []string{"paid"}},
		{"journey of a hand-off", func(src string) string {
			return strings.Replace(src, "journey: sales}", "journey: |}", 1)
		}, []string{"sales", "trial"}, nil},
		{"phase", func(src string) string {
			return strings.Replace(src, "phase: signup", "phase: |", 1)
		}, []string{"signup", "activation"}, nil},
		{"personas", func(src string) string {
			return strings.Replace(src, "personas: [buyer]", "personas: [|]", 1)
		}, []string{"buyer"}, nil},
		{"channel: declared and built-in", func(src string) string {
			return strings.Replace(src, "channel: emial", "channel: e|", 1)
		}, []string{"email", "web", "in-person"}, nil},
		{"owner: the workspace's teams", func(src string) string {
			return strings.Replace(src, "owner: growth", "owner: |", 1)
		}, []string{"growth", "sales"}, nil},
		{"outcome enum", func(src string) string {
			return strings.Replace(src, "outcome: success", "outcome: |", 1)
		}, []string{"success", "failure", "exit"}, nil},
		{"status enum", func(src string) string {
			return strings.Replace(src, "owner: growth\n", "owner: growth\nstatus: |\n", 1)
		}, []string{"active", "retired"}, nil},
		{"block next item", func(src string) string {
			return strings.Replace(src, "      - {to: invites-team, rate: 0.4}\n", "      - {to: invites-team, rate: 0.4}\n      - |\n", 1)
		}, []string{"paid", "to", "journey"}, nil},
		{"after: durations", func(src string) string {
			return strings.Replace(src, "{to: invites-team, rate: 0.4}", "{to: invites-team, rate: 0.4, after: |}", 1)
		}, []string{"1d", "1w"}, nil},
		{"stage keys", func(src string) string {
			return strings.Replace(src, "    entry: true\n", "    entry: true\n    ou|\n", 1)
		}, []string{"outcome", "channel", "touchpoints"}, []string{"entry", "name", "phase"}},
		{"top-level keys", func(src string) string {
			return strings.Replace(src, "owner: growth\n", "owner: growth\nta|\n", 1)
		}, []string{"tags", "status"}, []string{"owner", "journey"}},
		{"rule ids in a disable comment", func(src string) string {
			return strings.Replace(src, "    entry: true\n", "    entry: true # journey-lint: disable=unk|\n", 1)
		}, []string{"unknown-reference", "dead-end"}, nil},
	}
	for _, c := range cases {
		v++
		got := s.complete(t, s.trial, v, c.edit(testTrial))
		if !has(got, c.want...) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
		for _, n := range c.notWant {
			if has(got, n) {
				t.Errorf("%s: got %v, not wanting %s", c.name, got, n)
			}
		}
	}
	// Channel kinds in the configuration.
	cfgSrc := testConfig + "channels:\n  - {id: forum, name: Forum, kind: |}\n"
	s.notify("textDocument/didOpen", DidOpenTextDocumentParams{TextDocument: TextDocumentItem{URI: s.cfg, Version: 1, Text: strings.Replace(cfgSrc, "|", "", 1)}})
	got := s.complete(t, s.cfg, 2, cfgSrc)
	if !has(got, "community", "email") {
		t.Errorf("channel kinds in .journey.yaml: %v", got)
	}
	got = s.complete(t, s.cfg, 3, strings.Replace(testConfig, "  unused-persona: off\n", "  unused-persona: off\n  dead|\n", 1))
	if !has(got, "dead-end") {
		t.Errorf("rule ids in rules: %v", got)
	}
	got = s.complete(t, s.cfg, 4, strings.Replace(testConfig, "unused-persona: off", "unused-persona: |", 1))
	if !has(got, "error", "warning", "info", "off") {
		t.Errorf("severities in rules: %v", got)
	}
}
