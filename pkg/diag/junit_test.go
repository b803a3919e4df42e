package diag

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

type parsedSuites struct {
	Name     string `xml:"name,attr"`
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Failure   *struct {
				Type    string `xml:"type,attr"`
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, r Report) parsedSuites {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJUnit(&b, r); err != nil {
		t.Fatal(err)
	}
	var p parsedSuites
	if err := xml.Unmarshal(b.Bytes(), &p); err != nil {
		t.Fatalf("invalid XML: %v\n%s", err, b.String())
	}
	return p
}

func TestJUnitCounts(t *testing.T) {
	p := parseJUnit(t, findingsReport())
	if p.Name != "journey lint" || p.Tests != 6 || p.Failures != 5 {
		t.Errorf("testsuites %q tests=%d failures=%d, want journey lint 6 5", p.Name, p.Tests, p.Failures)
	}
	if len(p.Suites) != 2 {
		t.Fatalf("%d testsuites, want 2", len(p.Suites))
	}
	a, b := p.Suites[0], p.Suites[1]
	if a.Name != fileA || a.Tests != 3 || a.Failures != 2 || len(a.Cases) != 3 {
		t.Errorf("suite A: %q tests=%d failures=%d cases=%d", a.Name, a.Tests, a.Failures, len(a.Cases))
	}
	if b.Name != fileB || b.Tests != 3 || b.Failures != 3 || len(b.Cases) != 3 {
		t.Errorf("suite B: %q tests=%d failures=%d cases=%d", b.Name, b.Tests, b.Failures, len(b.Cases))
	}
	first := a.Cases[0]
	if first.Name != "unknown-reference 6:13" || first.Classname != fileA || first.Failure == nil || first.Failure.Type != "unknown-reference" {
		t.Errorf("first testcase: %+v", first)
	}
	warning := a.Cases[1]
	if warning.Failure == nil || warning.Failure.Message != findingsReport().Findings[1].Message {
		t.Errorf("message did not survive escaping: %+v", warning.Failure)
	}
	info := a.Cases[2]
	if info.Failure != nil || !strings.Contains(info.SystemOut, ": info: ") {
		t.Errorf("info testcase: %+v", info)
	}
}

func TestJUnitNoFindingsIsOnePassingTest(t *testing.T) {
	p := parseJUnit(t, emptyReport())
	if p.Tests != 1 || p.Failures != 0 || len(p.Suites) != 1 || len(p.Suites[0].Cases) != 1 {
		t.Fatalf("got %+v", p)
	}
	if c := p.Suites[0].Cases[0]; c.Name != "lint" || c.Failure != nil {
		t.Errorf("testcase %+v, want a passing lint", c)
	}
}

func TestJUnitControlCharacters(t *testing.T) {
	r := Report{Files: 1, Findings: []Diagnostic{{
		File: "a\x01.journey.yaml", Range: rng(1, 1, 1, 2), Severity: Error, Rule: "syntax",
		Message: "bad byte \x00 and escape \x1b and \uFFFE ]]> --> end",
	}}}
	p := parseJUnit(t, r)
	f := p.Suites[0].Cases[0].Failure
	if f == nil {
		t.Fatal("no failure")
	}
	if want := "bad byte \uFFFD and escape \uFFFD and \uFFFD ]]> --> end"; f.Message != want {
		t.Errorf("message %q, want %q", f.Message, want)
	}
	if p.Suites[0].Name != "a\uFFFD.journey.yaml" {
		t.Errorf("suite name %q", p.Suites[0].Name)
	}
}
