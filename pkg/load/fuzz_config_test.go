package load_test

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/journeykit/journey/pkg/lint"
	"github.com/journeykit/journey/pkg/load"
)

const fuzzJourney = `journey: onboarding
title: Onboarding
owner: marketing
phases: [{id: p, name: P, owner: sales}]
stages:
  - id: signs-up
    name: Signs up
    phase: p
    entry: true
    touchpoints:
      - {channel: email, action: Welcome, utm: {source: email, medium: esp, campaign: welcome-2024-05}}
    next: [{to: done, journey: other}, done]
  - {id: done, name: Done, phase: p, outcome: success}
`

// FuzzWorkspaceConfig puts arbitrary bytes in a workspace's .journey.yaml
// next to a fixed journey (and one in a subdirectory) and runs the loader
// and every lint rule, workspace rules included. Whatever the
// configuration, nothing panics, Load needs no error, and every finding
// has a message and a position inside its file.
func FuzzWorkspaceConfig(f *testing.F) {
	f.Add([]byte(""))
	f.Add([]byte("journeys: [\"**/*.journey.yaml\"]\nteams: [marketing, sales]\n"))
	f.Add([]byte("journeys: [\"**/**/**/**/**/**/**/nomatch.journey.yaml\", \"[\", \"sub/*\"]\n"))
	f.Add([]byte("utm:\n  required: [source, medium, campaign]\n  values: {medium: [esp, sms]}\n  patterns: {campaign: '^[a-z]+-20[0-9]{2}-[0-9]{2}$'}\n"))
	f.Add([]byte("utm: {patterns: {campaign: '(a'}}\nrules: {missing-owner: off, dead-end: warning, nope: error}\n"))
	f.Add([]byte("personas: [{id: buyer, name: Buyer}]\nchannels: [{id: email, name: E-mail}]\ndiff: {breaking: {stage-removed: false}}\n"))
	f.Add([]byte("teams: [a, a]\nteams: [b]\npersonas: &p [{id: x, name: y}]\nchannels: *p\n"))
	f.Add([]byte("journeys: [1, {a: b}, ~]\nrules: [x]\nutm: .inf\n"))
	root := f.TempDir()
	if err := os.WriteFile(filepath.Join(root, "a.journey.yaml"), []byte(fuzzJourney), 0o644); err != nil {
		f.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "sub"), 0o755); err != nil {
		f.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "sub", "other.journey.yaml"), []byte("journey: other\n"), 0o644); err != nil {
		f.Fatal(err)
	}
	cfg := filepath.Join(root, load.ConfigName)
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(cfg, data, 0o644); err != nil {
			t.Fatal(err)
		}
		sets, err := load.Load(load.Options{Dir: root})
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		res := lint.Run(sets, lint.Options{})
		lines := map[string]int{load.ConfigName: lineCount(data), "a.journey.yaml": lineCount([]byte(fuzzJourney)), filepath.Join("sub", "other.journey.yaml"): 2}
		for _, d := range res.Findings {
			if d.Message == "" || !utf8.ValidString(d.Message) && utf8.Valid(data) {
				t.Fatalf("bad message: %+v", d)
			}
			n, known := lines[d.File]
			if !known {
				t.Fatalf("finding in a file that was not loaded: %+v", d)
			}
			r := d.Range
			if r.Start.Line < 0 || r.Start.Line > n || r.Start.Line > 0 && r.Start.Column < 1 {
				t.Fatalf("position outside %s (%d lines): %+v", d.File, n, d)
			}
			if r.End.Line != 0 && r.End.Before(r.Start) {
				t.Fatalf("range ends before it starts: %+v", d)
			}
		}
	})
}

func lineCount(data []byte) int {
	n := 1
	for i, b := range data {
		if b == '\n' || b == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
			n++
		}
	}
	return n
}
