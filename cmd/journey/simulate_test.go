package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/golden"

	"github.com/spf13/cobra"
)

// simulateCLI runs the command line like run does, with the simulate
// command added to the root when root.go does not register it yet.
func simulateCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := newRootCommand(strings.NewReader(stdin), &out, &errOut)
	if !slices.ContainsFunc(root.Commands(), func(c *cobra.Command) bool { return c.Name() == "simulate" }) {
		root.AddCommand(newSimulateCommand())
	}
	root.SetArgs(args)
	err := root.Execute()
	code := 0
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.err != nil {
				fmt.Fprintf(&errOut, "journey: %v\n", ee.err)
			}
			code = ee.code
		} else {
			fmt.Fprintf(&errOut, "journey: %v\n", err)
			code = 2
		}
	}
	return code, out.String(), errOut.String()
}

// formatExample is the example of the format spec, which the contract's
// smoke test simulates.
const formatExample = `journey: ebook-nurture
title: E-book download to sales call
owner: marketing
phases:
  - {id: capture, name: Capture}
  - {id: nurture, name: Nurture}
  - {id: sales, name: Sales, owner: sales}
stages:
  - id: downloads-ebook
    name: Downloads the e-book from a landing page
    phase: capture
    entry: true
    emotion: 1
    touchpoints:
      - channel: email
        action: Send "Thanks for the download"
        utm: {source: email, medium: esp, campaign: ebook-2024-05, content: thanks}
    next:
      - {to: reads-related-content, when: clicks a suggested article, after: 2d, rate: 0.3}
      - {to: inactive, when: no click, after: 2d, rate: 0.7}
  - id: reads-related-content
    name: Reads related content
    phase: nurture
    next: [books-sales-call]
  - id: inactive
    name: Stops opening emails
    phase: nurture
    emotion: -1
    next:
      - {to: deactivated, when: no click on "stay subscribed", after: 1d}
  - id: books-sales-call
    name: Books a sales call
    phase: sales
    outcome: success
  - id: deactivated
    name: Removed from the list
    phase: nurture
    outcome: exit
`

func writeJourney(t *testing.T, name, yaml string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// The contract: the JSON keys and the numbers of the format.md example
// (what ../shared/contract/smoke simulate checks).
func TestSimulateContractJSON(t *testing.T) {
	path := writeJourney(t, "ex.journey.yaml", formatExample)
	code, out, errOut := simulateCLI(t, "", "simulate", "--format", "json", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var d struct {
		Journey  *string `json:"journey"`
		Outcomes []struct {
			Stage       *string  `json:"stage"`
			Kind        *string  `json:"kind"`
			Probability *float64 `json:"probability"`
		} `json:"outcomes"`
		DropOff *float64 `json:"drop_off"`
		Stages  []struct {
			Stage            *string  `json:"stage"`
			VisitProbability *float64 `json:"visit_probability"`
		} `json:"stages"`
		BestEdge *struct {
			From *string  `json:"from"`
			To   *string  `json:"to"`
			Gain *float64 `json:"gain"`
		} `json:"best_edge"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if d.Journey == nil || *d.Journey != "ebook-nurture" || d.DropOff == nil || math.Abs(*d.DropOff) > 1e-9 {
		t.Errorf("journey/drop_off: %s", out)
	}
	p := map[string]float64{}
	for _, o := range d.Outcomes {
		if o.Stage == nil || o.Kind == nil || o.Probability == nil || *o.Probability < 0 || *o.Probability > 1 {
			t.Fatalf("outcome keys: %s", out)
		}
		p[*o.Stage] = *o.Probability
	}
	if math.Abs(p["books-sales-call"]-0.3) > 1e-9 || math.Abs(p["deactivated"]-0.7) > 1e-9 {
		t.Errorf("probabilities %v", p)
	}
	if len(d.Stages) != 5 {
		t.Errorf("%d stages", len(d.Stages))
	}
	for _, s := range d.Stages {
		if s.Stage == nil || s.VisitProbability == nil || *s.VisitProbability < 0 || *s.VisitProbability > 1 {
			t.Fatalf("stage keys: %s", out)
		}
	}
	if b := d.BestEdge; b == nil || b.From == nil || b.To == nil || b.Gain == nil {
		t.Fatalf("best_edge keys: %s", out)
	}
	// The best edge by hand: downloads-ebook -> reads-related-content from
	// 0.3 to 0.4 (taken from `inactive`, there is no drop-off) is +0.1.
	if *d.BestEdge.From != "downloads-ebook" || *d.BestEdge.To != "reads-related-content" || math.Abs(*d.BestEdge.Gain-0.1) > 1e-9 {
		t.Errorf("best edge %s -> %s %g", *d.BestEdge.From, *d.BestEdge.To, *d.BestEdge.Gain)
	}
}

// The JSON of an example journey equals the golden file of pkg/sim (to
// 1e-12 for the numbers), read through the workspace as users run it.
func TestSimulateGoldenJSON(t *testing.T) {
	code, out, errOut := simulateCLI(t, "", "simulate", "--format", "json", exampleJourney)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want, err := os.ReadFile("../../pkg/sim/testdata/ebook-nurture.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := sameJSON([]byte(out), want, 1e-12); err != nil {
		t.Errorf("%v (go test ./pkg/sim -run Golden -update rewrites the golden file)", err)
	}
}

func TestSimulateFormats(t *testing.T) {
	code, out, _ := simulateCLI(t, "", "simulate", exampleJourney)
	for _, want := range []string{"ebook-nurture: E-book download to sales call", "Customers start at downloads-ebook (100.00%).", "Outcome", "retention/starts-trial  handoff", "(drop-off)", "Best edge to improve: reaches-mql-score -> books-demo"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("text: exit %d, %q missing:\n%s", code, want, out)
		}
	}
	code, out, _ = simulateCLI(t, "", "simulate", "--format", "markdown", exampleJourney)
	for _, want := range []string{"## Simulation of `ebook-nurture`", "| Outcome | Kind | Probability |", "| `has-sales-call` | success | 2.30% |", "**Best edge to improve:** `reaches-mql-score` → `books-demo`"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("markdown: exit %d, %q missing:\n%s", code, want, out)
		}
	}
	if code, _, errOut := simulateCLI(t, "", "simulate", "--format", "csv", exampleJourney); code != 2 || !strings.Contains(errOut, `unknown --format "csv"`) {
		t.Errorf("unknown format: exit %d %s", code, errOut)
	}
	// Standard input.
	if code, out, errOut := simulateCLI(t, formatExample, "simulate", "-"); code != 0 || !strings.Contains(out, "books-sales-call") {
		t.Errorf("stdin: exit %d %s", code, errOut)
	}
}

func TestSimulateFrom(t *testing.T) {
	code, out, errOut := simulateCLI(t, "", "simulate", "--format", "json", "--from", "gets-topic-survey", exampleJourney)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var d struct {
		Entries []struct {
			Stage string
			Share float64
		}
		Stages []struct {
			Stage            string
			VisitProbability float64 `json:"visit_probability"`
		}
	}
	json.Unmarshal([]byte(out), &d)
	if len(d.Entries) != 1 || d.Entries[0].Stage != "gets-topic-survey" || d.Entries[0].Share != 1 {
		t.Errorf("entries %+v", d.Entries)
	}
	for _, s := range d.Stages {
		if (s.Stage == "downloads-ebook" && s.VisitProbability != 0) || (s.Stage == "gets-topic-survey" && s.VisitProbability != 1) {
			t.Errorf("%s visited with %g", s.Stage, s.VisitProbability)
		}
	}
	code, _, errOut = simulateCLI(t, "", "simulate", "--from", "gets-topic-survy", exampleJourney)
	if code != 2 || !strings.Contains(errOut, `did you mean "gets-topic-survey"?`) {
		t.Errorf("unknown --from: exit %d %s", code, errOut)
	}
	// Several entries: an even split.
	code, out, _ = simulateCLI(t, "", "simulate", "../../examples/devtools/developer-inbound.journey.yaml")
	if code != 0 || !strings.Contains(out, "Customers start at hits-problem (50.00%), signs-up (50.00%).") {
		t.Errorf("two entries: exit %d\n%s", code, out)
	}
	// No entry of its own: customers come by hand-offs from smb-phone-sales.
	code, out, errOut = simulateCLI(t, "", "simulate", "../../examples/telecom/smb-phone-onboarding.journey.yaml")
	if code != 0 || !strings.Contains(out, "Customers start at has-onboarding-meeting (100.00%).") {
		t.Errorf("handed-in start: exit %d %s\n%s", code, errOut, out)
	}
}

// The completion of --from offers the journey's stages.
func TestSimulateFromCompletion(t *testing.T) {
	code, out, errOut := simulateCLI(t, "", "__complete", "simulate", exampleJourney, "--from", "gets-t")
	if code != 0 || !strings.Contains(out, "gets-topic-survey\t") || !strings.Contains(out, "gets-trial-invitation\t") || strings.Contains(out, "books-demo") {
		t.Errorf("exit %d %s\n%s", code, errOut, out)
	}
	_, out, _ = simulateCLI(t, "", "__complete", "simulate", "--format", "")
	if !strings.Contains(out, "markdown") {
		t.Errorf("--format completion:\n%s", out)
	}
}

func TestSimulateUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"simulate", "../../examples/saas"}, "holds 2 journeys (ebook-nurture, retention)"},
		{[]string{"simulate", exampleJourney, exampleJourney}, "accepts at most 1 arg"},
		{[]string{"simulate", "no-such.journey.yaml"}, "no such file"},
	} {
		code, out, errOut := simulateCLI(t, "", c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) || out != "" {
			t.Errorf("%v: exit %d, %q; want exit 2 and %q", c.args, code, errOut, c.want)
		}
	}
}

// A journey with lint errors that make the numbers meaningless is refused:
// the findings on stderr, exit 1, nothing on stdout.
func TestSimulateRefusesLintErrors(t *testing.T) {
	head := "journey: broken\ntitle: Broken\nowner: growth\nphases:\n  - {id: p, name: P}\nstages:\n"
	stage := func(id, extra string) string {
		return fmt.Sprintf("  - id: %s\n    name: %s\n    phase: p\n%s", id, id, extra)
	}
	cases := map[string]string{
		"rate-sum": head + stage("a", "    entry: true\n    next:\n      - {to: won, rate: 0.7}\n      - {to: lost, rate: 0.6}\n") +
			stage("won", "    outcome: success\n") + stage("lost", "    outcome: failure\n"),
		"no-exit-loop": head + stage("a", "    entry: true\n    next: [b, won]\n") + stage("b", "    next: [c]\n") + stage("c", "    next: [b]\n") +
			stage("won", "    outcome: success\n"),
		"no-outcome":        head + stage("a", "    entry: true\n    next: [b]\n") + stage("b", "    next: [a]\n"),
		"no-entry":          head + stage("a", "    next: [won]\n") + stage("won", "    outcome: success\n"),
		"unknown-reference": head + stage("a", "    entry: true\n    next: [wonn]\n") + stage("won", "    outcome: success\n"),
		"schema":            head + stage("a", "    entry: true\n    next:\n      - {to: won, rate: 1.5}\n") + stage("won", "    outcome: success\n"),
		"syntax":            "journey: [unclosed\n",
	}
	for rule, yaml := range cases {
		t.Run(rule, func(t *testing.T) {
			path := writeJourney(t, "broken.journey.yaml", yaml)
			code, out, errOut := simulateCLI(t, "", "simulate", "--format", "json", path)
			if code != 1 || out != "" || !strings.Contains(errOut, "["+rule+"]") {
				t.Errorf("exit %d, stdout %q, stderr:\n%s", code, out, errOut)
			}
		})
	}
	// Other errors, like a dead end, do not stop the simulation: the dead
	// end drops everybody off.
	path := writeJourney(t, "dead.journey.yaml", head+stage("a", "    entry: true\n    next:\n      - {to: b, rate: 0.5}\n      - {to: won, rate: 0.5}\n")+stage("b", "")+stage("won", "    outcome: success\n"))
	code, out, errOut := simulateCLI(t, "", "simulate", "--format", "json", path)
	if code != 0 || !strings.Contains(out, `"drop_off": 0.5`) {
		t.Errorf("dead end: exit %d %s\n%s", code, errOut, out)
	}
	// A way out with rate 0 traps customers: the simulation's own check.
	path = writeJourney(t, "trapped.journey.yaml", head+stage("a", "    entry: true\n    next:\n      - {to: b, rate: 1}\n")+
		stage("b", "    next:\n      - {to: a, rate: 1, after: 1d}\n      - {to: won, rate: 0}\n")+stage("won", "    outcome: success\n"))
	code, out, errOut = simulateCLI(t, "", "simulate", path)
	if code != 1 || out != "" || !strings.Contains(errOut, `customers are trapped: with these rates stages "a" and "b" loop`) {
		t.Errorf("trapped: exit %d %q\n%s", code, out, errOut)
	}
}

func TestSimulateHelp(t *testing.T) {
	c := newSimulateCommand()
	if c.Short == "" || c.Long == "" || c.Example == "" {
		t.Error("summary, description and example are required")
	}
	code, out, _ := simulateCLI(t, "", "simulate", "--help")
	if code != 0 || !strings.Contains(out, "Examples:") || !strings.Contains(out, "--from") {
		t.Errorf("help: exit %d\n%s", code, out)
	}
}

var generatedBlock = regexp.MustCompile("(?s)(<!-- BEGIN GENERATED: ([^\n]*?) -->\n)(.*?)(<!-- END GENERATED -->)")

// docs/analytics.md shows real files and real output between markers:
// `cat PATH` (a file of the repository) and `journey simulate ARGS`. The
// test recomputes every block and fails when one differs; -update rewrites
// them.
func TestSimulateDocExamples(t *testing.T) {
	const doc = "../../docs/analytics.md"
	data, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	blocks := 0
	var failures []string
	updated := generatedBlock.ReplaceAllStringFunc(string(data), func(m string) string {
		parts := generatedBlock.FindStringSubmatch(m)
		command, old := parts[2], parts[3]
		blocks++
		fields := strings.Fields(command)
		var body string
		switch {
		case len(fields) == 2 && fields[0] == "cat":
			content, err := os.ReadFile("../../" + fields[1])
			if err != nil {
				t.Fatal(err)
			}
			body = "```yaml\n" + string(content) + "```\n"
		case len(fields) > 2 && fields[0] == "journey" && fields[1] == "simulate":
			args := slices.Clone(fields[1:])
			for i, a := range args {
				if strings.HasSuffix(a, ".yaml") {
					args[i] = "../../" + a
				}
			}
			code, out, errOut := simulateCLI(t, "", args...)
			if code != 0 {
				t.Fatalf("%s: exit %d %s", command, code, errOut)
			}
			lang := "text"
			if slices.Contains(fields, "json") {
				lang = "json"
				body = "```json\n" + out + "```\n"
				if strings.HasPrefix(old, "```json\n") && strings.HasSuffix(old, "```\n") {
					if sameJSON([]byte(strings.TrimSuffix(strings.TrimPrefix(old, "```json\n"), "```\n")), []byte(out), 1e-12) == nil {
						body = old // equal up to the last bits of a float
					}
				}
				break
			}
			body = "```" + lang + "\n$ " + command + "\n" + out + "```\n"
		default:
			t.Fatalf("unknown generated block %q", command)
		}
		if body != old {
			failures = append(failures, command)
		}
		return parts[1] + body + parts[4]
	})
	if blocks < 4 {
		t.Fatalf("only %d generated blocks in %s", blocks, doc)
	}
	if golden.Update() {
		if err := os.WriteFile(doc, []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, f := range failures {
		t.Errorf("%s: the block of %q is out of date (go test ./cmd/journey -run TestSimulateDocExamples -update)", doc, f)
	}
}

// sameJSON reports how two JSON documents differ, numbers compared within
// tol (relative above 1).
func sameJSON(got, want []byte, tol float64) error {
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		return fmt.Errorf("got: %v", err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		return fmt.Errorf("want: %v", err)
	}
	var same func(at string, g, w any) error
	same = func(at string, g, w any) error {
		switch w := w.(type) {
		case map[string]any:
			gm, ok := g.(map[string]any)
			if !ok || len(gm) != len(w) {
				return fmt.Errorf("%s: got %v, want %v", at, g, w)
			}
			for k, wv := range w {
				if err := same(at+"."+k, gm[k], wv); err != nil {
					return err
				}
			}
		case []any:
			ga, ok := g.([]any)
			if !ok || len(ga) != len(w) {
				return fmt.Errorf("%s: got %v, want %v", at, g, w)
			}
			for i := range w {
				if err := same(fmt.Sprintf("%s[%d]", at, i), ga[i], w[i]); err != nil {
					return err
				}
			}
		case float64:
			gf, ok := g.(float64)
			if !ok || math.Abs(gf-w) > tol*math.Max(1, math.Abs(w)) {
				return fmt.Errorf("%s: got %v, want %v", at, g, w)
			}
		default:
			if g != w {
				return fmt.Errorf("%s: got %v, want %v", at, g, w)
			}
		}
		return nil
	}
	return same("$", g, w)
}
