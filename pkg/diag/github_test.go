package diag

import (
	"bytes"
	"strings"
	"testing"
)

func TestGitHubEscaping(t *testing.T) {
	in := "100%: a,b\r\nc"
	if got, want := escapeGitHubData(in), "100%25: a,b%0D%0Ac"; got != want {
		t.Errorf("data: got %q, want %q", got, want)
	}
	if got, want := escapeGitHubProperty(in), "100%25%3A a%2Cb%0D%0Ac"; got != want {
		t.Errorf("property: got %q, want %q", got, want)
	}
	// Escaping happens once: an existing "%3A" is not decoded back to ':'.
	if got, want := escapeGitHubProperty("%3A"), "%253A"; got != want {
		t.Errorf("property: got %q, want %q", got, want)
	}
}

func TestGitHubOmitsUnknownPositions(t *testing.T) {
	r := Report{Files: 1, Findings: []Diagnostic{
		{File: "a,b:c.journey.yaml", Range: rng(2, 3, 0, 0), Severity: Info, Rule: "r", Message: "m"},
		{File: "x.journey.yaml", Severity: Warning, Message: "whole file"},
	}}
	var b bytes.Buffer
	if err := WriteGitHub(&b, r); err != nil {
		t.Fatal(err)
	}
	want := "::notice file=a%2Cb%3Ac.journey.yaml,line=2,col=3,title=r::m\n" +
		"::warning file=x.journey.yaml::whole file\n" +
		"0 errors, 1 warning, 1 info in 1 file\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if strings.ContainsAny(line, "\r") {
			t.Errorf("raw carriage return in %q", line)
		}
	}
}
