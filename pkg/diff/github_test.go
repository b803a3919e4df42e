package diff

import (
	"bytes"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/journey"
)

// where finds the line and column (1-based, in code points) of the first
// token after the first line containing marker, in src.
func where(t *testing.T, src, marker, token string) (int, int) {
	t.Helper()
	for i, line := range strings.Split(src, "\n") {
		if strings.Contains(line, marker) {
			if c := strings.Index(line, token); c >= 0 {
				return i + 1, len([]rune(line[:c])) + 1
			}
		}
	}
	t.Fatalf("%q after %q not found", token, marker)
	return 0, 0
}

// Every change says where it is: the new version's file, line and column,
// or the old version's for a removal.
func TestChangePositions(t *testing.T) {
	removeSMS := strings.Replace(base, "      - {channel: sms, action: Send the login link}\n", "", 1)
	cases := []struct {
		name, new, kind string
		side            string
		src             string // the version the position is in
		marker, token   string
	}{
		{"utm value", strings.Replace(base, "campaign: trial-2024-05", "campaign: trial-2024-06", 1), UTMChanged, SideNew, "", "campaign: trial-2024-06", "trial-2024-06"},
		{"stage name", strings.Replace(base, "name: Invites the team", "name: Invites colleagues", 1), StageChanged, SideNew, "", "name: Invites colleagues", "Invites colleagues"},
		{"stage added", base + "  - {id: refers, name: Refers a friend, phase: activation, outcome: success}\n", StageAdded, SideNew, "", "id: refers", "refers"},
		{"stage removed", strings.Replace(base, "  - id: churns\n    name: Lets the trial expire\n    phase: activation\n    outcome: failure\n    reasons: [{id: price, name: Too expensive, next: starts-trial}]\n", "", 1), StageRemoved, SideOld, base, "id: churns", "churns"},
		{"transition removed", strings.Replace(base, "      - {to: pays, when: upgrades, rate: 0.3}\n", "", 1), TransitionRemoved, SideOld, base, "{to: pays, when: upgrades", "{"},
		{"transition rate", strings.Replace(base, "rate: 0.3", "rate: 0.35", 1), TransitionChanged, SideNew, "", "rate: 0.35", "0.35"},
		{"touchpoint removed", removeSMS, StageChanged, SideOld, base, "channel: sms", "{"},
		{"entry removed", strings.Replace(base, "    entry: true\n", "", 1), EntryRemoved, SideNew, "", "- id: starts-trial", "id"},
		{"renamed", renameBase(), StageRenamed, SideNew, "", "id: upgrades", "upgrades"},
		{"journey title", strings.Replace(base, "title: Free trial", "title: Free 14-day trial", 1), JourneyChanged, SideNew, "", "title:", "Free 14-day"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := c.src
			if src == "" {
				src = c.new
			}
			line, col := where(t, src, c.marker, c.token)
			r := compare(t, base, c.new)
			for _, ch := range r.Journeys[0].Changes {
				if ch.Kind != c.kind {
					continue
				}
				if ch.Side != c.side || ch.File != "trial.journey.yaml" || ch.Line != line || ch.Column != col {
					t.Errorf("%s at %s %s:%d:%d, want %s trial.journey.yaml:%d:%d", ch.Kind, ch.Side, ch.File, ch.Line, ch.Column, c.side, line, col)
				}
				return
			}
			t.Errorf("no %s change in\n%s", c.kind, dump(r))
		})
	}
}

// Every change of every golden case has a position.
func TestEveryChangeHasAPosition(t *testing.T) {
	for _, name := range []string{"edtech", "rename"} {
		same := name + ".journey.yaml"
		r := Compare(loadVersion(t, "testdata/"+name+"/old.journey.yaml", same), loadVersion(t, "testdata/"+name+"/new.journey.yaml", same))
		for _, d := range r.Journeys {
			for _, c := range d.Changes {
				if c.File == "" || c.Line <= 0 || c.Column <= 0 || (c.Side != SideNew && c.Side != SideOld) {
					t.Errorf("%s: %s %q has no position: %q %d:%d %q", name, c.Kind, c.Message, c.File, c.Line, c.Column, c.Side)
				}
			}
		}
	}
}

// --format github: one annotation per breaking change, on the new file's
// line (a removal on the key it was removed from), escaped as lint's.
func TestWriteGitHub(t *testing.T) {
	new := strings.Replace(strings.Replace(base, "campaign: trial-2024-05", "campaign: \"50%, then: more\"", 1),
		"  - id: churns\n    name: Lets the trial expire\n    phase: activation\n    outcome: failure\n    reasons: [{id: price, name: Too expensive, next: starts-trial}]\n", "", 1)
	r := compare(t, base, new)
	var b bytes.Buffer
	if err := WriteGitHub(&b, r, GitHubOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "::warning file=trial.journey.yaml,line=15,col=103,title=journey diff%3A utm-changed::trial: starts-trial: touchpoints[0].utm.campaign: trial-2024-05 -> 50%25, then: more\n" +
		"::warning file=trial.journey.yaml,line=9,col=1,title=journey diff%3A stage-removed::trial: churns: stage \"churns\" removed (a failure outcome) (was at trial.journey.yaml:29:9)\n" +
		"2 changes (2 breaking) in 1 journey\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	WriteGitHub(&b, r, GitHubOptions{Error: true})
	if strings.Count(b.String(), "::error ") != 2 || strings.Contains(b.String(), "::warning") {
		t.Errorf("with Error: %s", b.String())
	}
}

// Property values (a file name) escape %, CR, LF, ':' and ','; the message
// escapes %, CR and LF, and has no raw control character.
func TestWriteGitHubEscapes(t *testing.T) {
	old := parse(t, base)
	new := parse(t, strings.Replace(base, "campaign: trial-2024-05", "campaign: trial-2024-06", 1))
	new.File = "a,b:c%\n.journey.yaml"
	r := Compare(Version{Journeys: []*journey.Journey{old}}, Version{Journeys: []*journey.Journey{new}})
	var utm *Change
	for i, c := range r.Journeys[0].Changes {
		if c.Kind == UTMChanged {
			utm = &r.Journeys[0].Changes[i]
		}
	}
	if utm == nil || r.Summary.Breaking != 1 {
		t.Fatalf("want one breaking utm-changed change:\n%s", dump(r))
	}
	utm.Message += "\r\nnext\x1b[31m"
	var b bytes.Buffer
	WriteGitHub(&b, r, GitHubOptions{})
	line := strings.SplitN(b.String(), "\n", 2)[0]
	if !strings.HasPrefix(line, "::warning file=a%2Cb%3Ac%25\\n.journey.yaml,line=15,") {
		t.Errorf("file property not escaped: %q", line)
	}
	if !strings.HasSuffix(line, "trial-2024-06 next\\x1b[31m") || strings.ContainsAny(line, "\r\x1b") || strings.Count(b.String(), "\n") != 2 {
		t.Errorf("raw control characters or line breaks: %q", b.String())
	}
	utm.Message = strings.Repeat("é", 10000)
	b.Reset()
	WriteGitHub(&b, r, GitHubOptions{})
	if n := strings.Count(b.String(), "é"); n != maxMessageRunes-len([]rune("trial: starts-trial: "))-1 || !strings.Contains(b.String(), "…") {
		t.Errorf("a long message is cut to %d characters: %d é in %q", maxMessageRunes, n, b.String())
	}
}
