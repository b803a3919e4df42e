package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A workspace layout for the clean-tree property: where configurations
// are, which journeys exist where, and where diff runs from.
type cleanLayout struct {
	files map[string]string // repository-relative path -> content
	wd    string            // where diff runs, relative to the root
	paths []string          // arguments, relative to wd
}

func (l cleanLayout) String() string {
	var names []string
	for p := range l.files {
		names = append(names, p)
	}
	return fmt.Sprintf("files %v, run in %q with %v", names, l.wd, l.paths)
}

// cleanJourney is a journey that is valid only in a workspace that lists
// team owner and declares its persona: read with another configuration,
// or none, it has findings.
func cleanJourney(id, owner string) string {
	return fmt.Sprintf(`journey: %s
title: %s
owner: %s
phases: [{id: p, name: P}]
stages:
  - {id: arrives, name: Arrives, phase: p, entry: true, personas: [%s-buyer], next: [buys]}
  - {id: buys, name: Buys, phase: p, outcome: success}
`, id, id, owner, owner)
}

// randomLayout builds one layout: a configuration at the root, in a
// subdirectory, in both, or nowhere; journeys inside and outside the
// configurations' globs and under skipped directories; diff run from the
// root or a subdirectory, with or without paths.
func randomLayout(r *rand.Rand) cleanLayout {
	l := cleanLayout{files: map[string]string{}}
	config := func(dir, team string, globbed bool) {
		c := "teams: [" + team + "]\npersonas: [{id: " + team + "-buyer, name: Buyer}]\n"
		if globbed {
			c += "journeys: [\"journeys/**/*.journey.yaml\"]\n"
		}
		l.files[filepath.ToSlash(filepath.Join(dir, ".journey.yaml"))] = c
	}
	rootConfig, subConfig := r.IntN(2) == 0, r.IntN(2) == 0
	if rootConfig {
		config(".", "growth", r.IntN(2) == 0)
	}
	if subConfig {
		config("team-a", "sales", r.IntN(2) == 0)
	}
	n := 0
	add := func(dir, owner string) {
		n++
		l.files[filepath.ToSlash(filepath.Join(dir, fmt.Sprintf("j%d.journey.yaml", n)))] = cleanJourney(fmt.Sprintf("j%d", n), owner)
	}
	add("journeys", "growth")
	add(".", "growth")                  // outside a journeys/ glob
	add("team-a/journeys", "sales")     // the subdirectory's workspace
	add("team-a", "sales")              // outside its glob
	add("drafts/nested/deep", "growth") // deep, outside any glob
	// Journeys with findings under their own workspace's configuration,
	// and none under another: the same findings on both sides.
	add("team-a/journeys", "growth")
	add("journeys", "sales")
	if r.IntN(2) == 0 {
		add("vendor", "growth") // skipped by the search
		add("node_modules/x", "growth")
	}
	if r.IntN(3) == 0 {
		l.files["notes/unrelated.yaml"] = "just: yaml\n"
	}
	switch r.IntN(3) {
	case 0:
		l.wd = "."
	case 1:
		l.wd = "team-a"
	default:
		l.wd = "team-a/journeys"
	}
	switch r.IntN(3) {
	case 1:
		l.paths = []string{"."}
	case 2:
		if l.wd == "." {
			l.paths = []string{"journeys", "team-a"}
		} else {
			l.paths = []string{".."}
		}
	}
	return l
}

// Right after a commit, `diff --base HEAD` reports no change, in every
// format, whatever the layout of the workspace (issue 13).
func TestDiffCleanTreeProperty(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is not installed: this test needs a real repository")
	}
	r := rand.New(rand.NewPCG(13, 2026))
	for i := range 24 {
		l := randomLayout(r)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			root := t.TempDir()
			for p, content := range l.files {
				write(t, filepath.Join(root, filepath.FromSlash(p)), content)
			}
			git(t, root, "init", "-q", "-b", "main")
			git(t, root, "add", "-A", "-f")
			git(t, root, "commit", "-q", "-m", "layout")
			wd := filepath.Join(root, filepath.FromSlash(l.wd))
			base := append([]string{"diff", "--base", "HEAD", "--fail-on", "any"}, l.paths...)

			code, out, errOut := inDir(t, wd, append(base, "--format", "json")...)
			var doc diffJSON
			if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil || doc.Summary.Changes != 0 || len(doc.Journeys) != 0 {
				t.Fatalf("%v\njson: exit %d, changes on a clean tree:\n%s%s", l, code, out, errOut)
			}
			for format, want := range map[string]string{"text": "no changes\n", "github": "no changes\n", "markdown": "No changes to journeys."} {
				code, out, errOut := inDir(t, wd, append(base, "--format", format)...)
				if code != 0 || !strings.Contains(out, want) {
					t.Errorf("%v\n%s: exit %d, want %q:\n%s%s", l, format, code, want, out, errOut)
				}
			}
			svg := filepath.Join(t.TempDir(), "diff.svg")
			if code, _, errOut := inDir(t, wd, append(base, "-o", svg)...); code != 0 {
				t.Errorf("%v\nsvg: exit %d: %s", l, code, errOut)
			} else if data, _ := os.ReadFile(svg); strings.Contains(string(data), "added") || strings.Contains(string(data), "removed") {
				t.Errorf("%v\nsvg marks changes on a clean tree", l)
			}
		})
	}
}

// The case of the issue: a workspace configuration in a subdirectory,
// whose teams the journeys use. The old side read only the repository
// root's configuration and reported `unknown team` as a new lint error.
func TestDiffCleanTreeConfigInSubdirectory(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "marketing", ".journey.yaml"), "teams: [growth]\npersonas: [{id: growth-buyer, name: Buyer}]\n")
	write(t, filepath.Join(root, "marketing", "ebook.journey.yaml"), cleanJourney("ebook", "growth"))
	// An existing finding, seen only with the subdirectory's configuration.
	write(t, filepath.Join(root, "marketing", "webinar.journey.yaml"), cleanJourney("webinar", "sales"))
	git(t, root, "init", "-q", "-b", "main")
	git(t, root, "add", "-A")
	git(t, root, "commit", "-q", "-m", "first")
	for _, wd := range []string{root, filepath.Join(root, "marketing")} {
		code, out, errOut := inDir(t, wd, "diff", "--base", "HEAD", "--fail-on", "any")
		if code != 0 || out != "no changes\n" {
			t.Errorf("from %s: exit %d\n%s%s", wd, code, out, errOut)
		}
	}
}
