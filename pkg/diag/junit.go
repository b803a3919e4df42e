package diag

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
)

type junitTestSuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Suites   []junitTestSuite `xml:"testsuite"`
}

type junitTestSuite struct {
	Name     string          `xml:"name,attr"`
	Tests    int             `xml:"tests,attr"`
	Failures int             `xml:"failures,attr"`
	Cases    []junitTestCase `xml:"testcase"`
}

type junitTestCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Type    string `xml:"type,attr"`
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit prints r as JUnit XML for CI test reports: one testsuite per
// file with findings, one testcase per finding.
//
// Errors and warnings are failures. Infos are passing testcases whose text
// is in <system-out>: they are reported, but they do not fail the build
// (neither does lint's exit code), so they must not turn the CI test red.
// With no findings there is one passing testcase "lint", so CI shows a
// green test rather than an empty report.
//
// encoding/xml escapes every string and replaces characters XML cannot hold
// (control characters) with U+FFFD, so no message can break the document.
func WriteJUnit(w io.Writer, r Report) error {
	out := junitTestSuites{Name: "journey lint"}
	suiteOf := map[string]int{}
	for _, d := range r.Findings {
		i, ok := suiteOf[d.File]
		if !ok {
			i = len(out.Suites)
			suiteOf[d.File] = i
			out.Suites = append(out.Suites, junitTestSuite{Name: d.File})
		}
		suite := &out.Suites[i]

		start, _ := span(d)
		text := fmt.Sprintf("%s: %s: %s", position(d.File, start.Line, start.Column), d.Severity, d.Message)
		if d.Suggestion != nil {
			text += "\nhelp: " + d.Suggestion.Help()
		}
		for _, rel := range d.Related {
			text += "\nnote: " + relatedText(rel)
		}
		tc := junitTestCase{
			Name:      d.Rule + " " + strconv.Itoa(start.Line) + ":" + strconv.Itoa(start.Column),
			Classname: d.File,
		}
		if d.Severity == Error || d.Severity == Warning {
			tc.Failure = &junitFailure{Type: d.Rule, Message: d.Message, Text: text}
			suite.Failures++
			out.Failures++
		} else {
			tc.SystemOut = text
		}
		suite.Cases = append(suite.Cases, tc)
		suite.Tests++
		out.Tests++
	}
	if len(r.Findings) == 0 {
		out.Tests = 1
		out.Suites = []junitTestSuite{{
			Name:  "journey lint",
			Tests: 1,
			Cases: []junitTestCase{{Name: "lint", Classname: "journey"}},
		}}
	}

	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
