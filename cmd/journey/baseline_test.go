package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const baselineJourney = `journey: trial
title: Free trial
owner: growth
phases:
  - {id: start, name: Start}
stages:
  - id: signs-up
    name: Signs up
    phase: start
    entry: true
    next: [welcomes, welcom]
  - id: welcomes
    name: Welcome e-mail
    phase: start
    next: [done]
  - id: done
    name: Done
    phase: start
    outcome: success
  - id: done
    name: Done again
    phase: start
    outcome: exit
`

// A baseline written in one place keeps matching after unrelated edits,
// from other working directories and with other spellings of the path, in
// a real git repository; a genuinely new finding still comes back
// (issue 12).
func TestBaselineSurvivesEdits(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is not installed: this test needs a real repository")
	}
	parent := t.TempDir()
	repo := filepath.Join(parent, "repo")
	journeys := filepath.Join(repo, "journeys")
	file := filepath.Join(journeys, "trial.journey.yaml")
	write(t, filepath.Join(repo, ".journey.yaml"), "journeys: [\"journeys/**/*.journey.yaml\"]\n")
	write(t, file, baselineJourney)
	git(t, repo, "init", "-q", "-b", "main")

	code, _, errOut := inDir(t, journeys, "lint", "--write-baseline", "../.journey-baseline.json")
	if code != 0 || !strings.Contains(errOut, "recorded 2 finding(s)") {
		t.Fatalf("write baseline: exit %d %s", code, errOut)
	}
	var b struct {
		Version  int
		Findings []struct{ File string }
	}
	data, _ := os.ReadFile(filepath.Join(repo, ".journey-baseline.json"))
	if err := json.Unmarshal(data, &b); err != nil || b.Version != 2 || len(b.Findings) != 2 || b.Findings[0].File != "journeys/trial.journey.yaml" {
		t.Fatalf("baseline %s (%v): want version 2, files relative to the repository root", data, err)
	}
	baseline := filepath.Join(repo, ".journey-baseline.json")

	clean := func(step, dir string, args ...string) {
		t.Helper()
		code, out, errOut := inDir(t, dir, append([]string{"lint", "--baseline", baseline}, args...)...)
		if code != 0 || !strings.Contains(out, "no findings") {
			t.Errorf("%s: exit %d, a baselined finding came back:\n%s%s", step, code, out, errOut)
		}
	}
	clean("as written", journeys)

	// (a) comment lines at the top move every line.
	edited := "# Owned by growth.\n# Reviewed quarterly.\n\n" + baselineJourney
	write(t, file, edited)
	clean("comments on top", journeys)

	// (b) an unrelated stage closer to the typo changes the suggestion.
	edited = strings.Replace(edited, "  - id: welcomes\n", "  - id: welcome\n    name: Welcome page\n    phase: start\n    next: [welcomes]\n  - id: welcomes\n", 1)
	edited = strings.Replace(edited, "next: [welcomes, welcom]", "next: [welcome, welcom]", 1)
	write(t, file, edited)
	code, out, _ := inDir(t, journeys, "lint", "--format", "json")
	if code != 1 || !strings.Contains(out, `"text": "welcome"`) {
		t.Fatalf("the new stage must change the suggestion:\n%s", out)
	}
	clean("unrelated stage", journeys)

	// (c) other working directories and spellings.
	clean("from the repository root", repo, "journeys/trial.journey.yaml")
	clean("with ./", repo, "./journeys/trial.journey.yaml")
	clean("with ./ and ..", journeys, "./../journeys/./trial.journey.yaml")
	clean("from outside the repository", parent, "repo/journeys")
	clean("by absolute path", t.TempDir(), file)
	clean("whole workspace", repo)

	// A new finding of the same rule in the same stage comes back.
	write(t, file, strings.Replace(edited, "next: [welcome, welcom]", "next: [welcome, welcom, welcom]", 1))
	code, out, _ = inDir(t, parent, "lint", "--baseline", baseline, "--format", "json", "repo")
	if code != 1 || strings.Count(out, `"rule": "unknown-reference"`) != 1 {
		t.Errorf("a second identical finding must come back once: exit %d\n%s", code, out)
	}
	write(t, file, strings.Replace(edited, "next: [welcome, welcom]", "next: [welcome, welcom, welcum]", 1))
	code, out, _ = inDir(t, parent, "lint", "--baseline", baseline, "--format", "json", "repo")
	if code != 1 || !strings.Contains(out, `unknown stage \"welcum\"`) || strings.Contains(out, `unknown stage \"welcom\"`) {
		t.Errorf("only the new reference must come back: exit %d\n%s", code, out)
	}

	// A version 1 baseline is refused with what to do.
	write(t, baseline, `{"version": 1, "findings": []}`)
	code, _, errOut = inDir(t, journeys, "lint", "--baseline", baseline)
	if code != 2 || !strings.Contains(errOut, "baseline version 1 is no longer read") || !strings.Contains(errOut, "--write-baseline") {
		t.Errorf("v1 baseline: exit %d %s", code, errOut)
	}
}

// SARIF and GitHub annotations name files relative to the repository root
// when lint runs from a subdirectory, and SARIF says where that root is.
func TestRepositoryRelativeLocations(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is not installed: this test needs a real repository")
	}
	repo := t.TempDir()
	journeys := filepath.Join(repo, "journeys")
	write(t, filepath.Join(journeys, "trial.journey.yaml"), baselineJourney)
	git(t, repo, "init", "-q", "-b", "main")

	_, out, _ := inDir(t, journeys, "lint", "--format", "github", "trial.journey.yaml")
	if !strings.Contains(out, "::error file=journeys/trial.journey.yaml,line=11,") {
		t.Errorf("github annotation not relative to the repository root:\n%s", out)
	}
	_, out, _ = inDir(t, journeys, "lint", "--format", "sarif", "./trial.journey.yaml")
	var log struct {
		Runs []struct {
			OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
			Results            []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				RelatedLocations []json.RawMessage `json:"relatedLocations"`
				Fixes            []json.RawMessage `json:"fixes"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	run := log.Runs[0]
	root, _ := filepath.EvalSymlinks(repo)
	if base := run.OriginalURIBaseIDs["%SRCROOT%"].URI; base != "file://"+filepath.ToSlash(repo)+"/" && base != "file://"+filepath.ToSlash(root)+"/" {
		t.Errorf("%%SRCROOT%% is %q, want the repository %s", base, repo)
	}
	fixes, related := 0, 0
	for _, r := range run.Results {
		loc := r.Locations[0].PhysicalLocation.ArtifactLocation
		if loc.URI != "journeys/trial.journey.yaml" || loc.URIBaseID != "%SRCROOT%" {
			t.Errorf("location %+v, want journeys/trial.journey.yaml under %%SRCROOT%%", loc)
		}
		fixes += len(r.Fixes)
		related += len(r.RelatedLocations)
	}
	if fixes != 1 || related != 1 {
		t.Errorf("%d fixes and %d related locations, want 1 and 1:\n%s", fixes, related, out)
	}
}
