package html

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/golden"
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/lint"
	"github.com/journeykit/journey/pkg/load"
	"github.com/journeykit/journey/pkg/render"
)

// loadFile loads one journey file and its lint findings.
func loadFile(t testing.TB, path string) (*journey.Journey, []diag.Diagnostic) {
	t.Helper()
	sets, err := load.Load(load.Options{Paths: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	res := lint.Run(sets, lint.Options{})
	for _, s := range sets {
		for _, f := range s.Files {
			if f.Journey != nil {
				// As journey render does: the workspace catalog names the
				// personas and channels the journey uses.
				return render.WithCatalog(f.Journey, s.Workspace.Config), res.Findings
			}
		}
	}
	t.Fatalf("%s: no journey", path)
	return nil, nil
}

// Examples lists the journeys of examples/.
func examples(t testing.TB) []string {
	files, err := filepath.Glob("../../examples/*/*.journey.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	sort.Strings(files)
	return files
}

func page(t testing.TB, path string, opts Options) ([]byte, *journey.Journey) {
	t.Helper()
	j, fs := loadFile(t, path)
	opts.Findings = fs
	out, err := Page(j, opts)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out, j
}

var dataRE = regexp.MustCompile(`(?s)<script type="application/json" id="journey-data">(.*?)</script>`)

// pageData is the page's embedded JSON, decoded.
func pageData(t testing.TB, out []byte) data {
	t.Helper()
	m := dataRE.FindSubmatch(out)
	if m == nil {
		t.Fatal("no journey-data script")
	}
	var d data
	if err := json.Unmarshal(m[1], &d); err != nil {
		t.Fatalf("journey-data: %v", err)
	}
	return d
}

// external finds what could make a browser fetch something: a URL in an
// attribute or stylesheet, or any http(s) address outside the data (the
// SVG and XLink namespace names are names, not addresses).
func external(out []byte) []string {
	s := dataRE.ReplaceAllString(string(out), "")
	s = strings.Replace(s, "<script>"+pageJS+"</script>", "", 1)
	// Escaped markup is text.
	s = regexp.MustCompile(`&lt;.*?&gt;`).ReplaceAllString(s, "")
	s = strings.ReplaceAll(s, "http://www.w3.org/2000/svg", "")
	s = strings.ReplaceAll(s, "http://www.w3.org/1999/xlink", "")
	var bad []string
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)https?://`),
		regexp.MustCompile(`(?i)\b(src|href|action|poster|srcset|xlink:href)\s*=\s*["']?[a-z/]`),
		regexp.MustCompile(`(?i)url\(\s*['"]?[^'")#\s]`),
		regexp.MustCompile(`(?i)@import|<link\b|<iframe\b|<object\b|<embed\b`),
	} {
		bad = append(bad, re.FindAllString(s, 3)...)
	}
	return bad
}

func TestPageExamplesSelfContained(t *testing.T) {
	for _, path := range examples(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			out, j := page(t, path, Options{})
			if bad := external(out); len(bad) > 0 {
				t.Errorf("reaches outside the page: %q", bad)
			}
			if n := bytes.Count(out, []byte("<script")); n != 2 {
				t.Errorf("%d script elements, want 2 (data, code)", n)
			}
			d := pageData(t, out)
			if len(d.Stages) != len(j.Stages) {
				t.Errorf("%d stages in the data, want %d", len(d.Stages), len(j.Stages))
			}
			for _, s := range j.Stages {
				for _, id := range []string{`id="f-` + strings.ReplaceAll("stage-"+s.ID.Value, "-", "&#45;") + `"`, `id="c-stage-` + s.ID.Value + `"`} {
					if !bytes.Contains(out, []byte(id)) {
						t.Errorf("stage %s: no %s element", s.ID.Value, id)
					}
				}
			}
			again, _ := page(t, path, Options{})
			if !bytes.Equal(out, again) {
				t.Error("two pages of one journey differ")
			}
		})
	}
}

func TestPageCSPAllowsOnlyItsScript(t *testing.T) {
	out, _ := page(t, "../../examples/saas/retention.journey.yaml", Options{})
	sum := sha256.Sum256([]byte(pageJS))
	want := "script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	if !bytes.Contains(out, []byte(want)) || !bytes.Contains(out, []byte("default-src 'none'")) || !bytes.Contains(out, []byte("connect-src 'none'")) {
		t.Errorf("Content-Security-Policy lacks %q, default-src 'none' or connect-src 'none'", want)
	}
	if !bytes.Contains(out, []byte("<script>"+pageJS+"</script>")) {
		t.Error("the script is not the one hashed")
	}
	live, _ := page(t, "../../examples/saas/retention.journey.yaml", Options{Live: "/events"})
	if !bytes.Contains(live, []byte("connect-src 'self'")) {
		t.Error("a live page cannot reach its server")
	}
}

func TestPageHostileStrings(t *testing.T) {
	out, j := page(t, "testdata/hostile.journey.yaml", Options{})
	if n := bytes.Count(out, []byte("<script")); n != 2 {
		t.Errorf("%d <script in the page, want 2: a string from the file opened one", n)
	}
	if n := bytes.Count(out, []byte("</script")); n != 2 {
		t.Errorf("%d </script in the page, want 2: a string from the file closed one", n)
	}
	for _, bad := range []string{"<img src", "<iframe", "<style>body", "<svg onload", "<b>team", "onerror"} {
		if bytes.Contains(dataRE.ReplaceAll(out, nil), []byte(bad)) {
			t.Errorf("the page holds %q unescaped", bad)
		}
	}
	m := dataRE.FindSubmatch(out)
	for _, c := range []string{"<", ">", "&", "\u2028", "\u2029"} {
		if bytes.Contains(m[1], []byte(c)) {
			t.Errorf("the JSON holds a raw %q", c)
		}
	}
	d := pageData(t, out)
	if d.Journey.Title != j.Title || d.Stages[0].Name != j.Stages[0].Name || d.Stages[1].Name != j.Stages[1].Name {
		t.Errorf("strings did not survive the trip: %q %q", d.Journey.Title, d.Stages[0].Name)
	}
	if tp := d.Stages[0].Touchpoints[0]; tp.Template != "javascript:alert(6)" || tp.UTM[0][1] != `"><script>alert(7)</script>` {
		t.Errorf("touchpoint: %+v", tp)
	}
	if bad := external(out); len(bad) > 0 {
		t.Errorf("reaches outside the page: %q", bad)
	}
	if strings.Contains(pageJS, "innerHTML") || strings.Contains(pageJS, "insertAdjacentHTML") || strings.Contains(pageJS, "document.write") || strings.Contains(pageJS, "eval(") {
		t.Error("the script parses strings as HTML or code")
	}
}

func TestPageFindingsOnStages(t *testing.T) {
	j, _ := loadFile(t, "../../examples/saas/retention.journey.yaml")
	fs := []diag.Diagnostic{
		{File: j.File, Severity: diag.Warning, Rule: "dead-end", Message: "stage has no way on", Stage: j.Stages[2].ID.Value, Range: j.Stages[2].ID.Range},
		{File: j.File, Severity: diag.Error, Rule: "x", Message: "about the journey"},
	}
	out, err := Page(j, Options{Findings: fs})
	if err != nil {
		t.Fatal(err)
	}
	d := pageData(t, out)
	if len(d.Findings) != 2 || len(d.Stages[2].Findings) != 1 || d.Stages[2].Findings[0] != 0 || len(d.Stages[0].Findings) != 0 {
		t.Errorf("findings: %+v; stage 2: %v", d.Findings, d.Stages[2].Findings)
	}
}

func TestPageViewAndPersona(t *testing.T) {
	out, _ := page(t, "../../examples/higher-ed/university-applicant.journey.yaml", Options{View: "canvas", Persona: "international-student"})
	d := pageData(t, out)
	if d.View != "canvas" || d.Persona != "international-student" {
		t.Errorf("view %q persona %q", d.View, d.Persona)
	}
	if !bytes.Contains(out, []byte(`<div class="layer" id="layer-flow" data-view="flow" hidden>`)) {
		t.Error("the flow is not hidden behind the canvas")
	}
	if len(d.Paths) == 0 {
		t.Error("no persona paths")
	}
	if _, err := Page(&journey.Journey{}, Options{View: "landscape"}); err == nil {
		t.Error("the landscape as the first tab was accepted")
	}
}

func TestPageDataGolden(t *testing.T) {
	out, _ := page(t, "../../examples/saas/ebook-nurture.journey.yaml", Options{})
	m := dataRE.FindSubmatch(out)
	var buf bytes.Buffer
	if err := json.Indent(&buf, m[1], "", "  "); err != nil {
		t.Fatal(err)
	}
	buf.WriteByte('\n')
	golden.Check(t, "testdata/ebook-nurture.data.json", buf.Bytes())
}

func TestInlineSVGPrefixesIDs(t *testing.T) {
	in := []byte(`<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "x" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<!-- comment -->
<svg width="10"><g id="a" fill="url(#g)"><use href="#a"/></g></svg>`)
	got := string(InlineSVG(in, "f-", "flow-svg"))
	want := `<svg id="flow-svg" role="img" aria-label="flow view" width="10"><g id="f-a" fill="url(#f-g)"><use href="#f-a"/></g></svg>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestScriptNamesNoAddress(t *testing.T) {
	s := strings.NewReplacer("http://www.w3.org/2000/svg", "", "http://www.w3.org/1999/xlink", "").Replace(pageJS + pageCSS)
	if regexp.MustCompile(`(?i)https?:|//[a-z0-9.-]+\.[a-z]{2,}/|@import|fetch\(['"]h`).MatchString(s) {
		t.Error("the page's script or style names a network address")
	}
}
