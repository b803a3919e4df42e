package diag

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
)

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// InformationURI is the project's home page, named by SARIF output.
	InformationURI = "https://github.com/journeykit/journey"
	// fingerprintKey is versioned so the hash can change without code
	// scanning confusing old and new fingerprints.
	fingerprintKey = "journeyFinding/v1"
)

// The types below hold only the parts of SARIF 2.1.0 journey fills in, as
// structs so the key order, and so the bytes, never change between runs.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string              `json:"id"`
	Name                 string              `json:"name"`
	ShortDescription     *sarifText          `json:"shortDescription,omitempty"`
	FullDescription      *sarifText          `json:"fullDescription,omitempty"`
	Help                 *sarifHelp          `json:"help,omitempty"`
	HelpURI              string              `json:"helpUri"`
	DefaultConfiguration sarifRuleConfigured `json:"defaultConfiguration"`
}

type sarifRuleConfigured struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           *int              `json:"ruleIndex,omitempty"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// WriteSARIF prints r as a SARIF 2.1.0 log with one run, for GitHub code
// scanning and other SARIF viewers. Every rule of r.Rules is listed with its
// help and a link to its documentation.
func WriteSARIF(w io.Writer, r Report) error {
	driver := sarifDriver{
		Name:           "journey",
		Version:        r.Version,
		InformationURI: InformationURI,
		Rules:          make([]sarifRule, 0, len(r.Rules)),
	}
	index := map[string]int{}
	for i, rule := range r.Rules {
		index[rule.ID] = i
		driver.Rules = append(driver.Rules, sarifRuleOf(rule))
	}

	results := make([]sarifResult, 0, len(r.Findings))
	seen := map[string]int{}
	for _, d := range r.Findings {
		res := sarifResult{
			RuleID:    d.Rule,
			Level:     sarifLevel(d.Severity),
			Message:   sarifText{Text: d.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical(d)}},
		}
		if d.Suggestion != "" {
			res.Message.Text += "\nhelp: " + d.Suggestion
		}
		if i, ok := index[d.Rule]; ok {
			res.RuleIndex = &i
		}
		// Identical findings (same file, rule, journey, stage and message)
		// are told apart by their order, as GitHub does for its own
		// line hashes, so each keeps its own alert.
		fp := fingerprint(d)
		seen[fp]++
		res.PartialFingerprints = map[string]string{
			fingerprintKey: fp + ":" + strconv.Itoa(seen[fp]),
		}
		results = append(results, res)
	}

	return encodeJSON(w, sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool:       sarifTool{Driver: driver},
			ColumnKind: "unicodeCodePoints", // journey.Pos columns count code points
			Results:    results,
		}},
	})
}

func sarifRuleOf(rule RuleInfo) sarifRule {
	docs := DocsURL + "#" + rule.ID
	out := sarifRule{
		ID:                   rule.ID,
		Name:                 rule.ID,
		HelpURI:              docs,
		DefaultConfiguration: sarifRuleConfigured{Level: sarifLevel(rule.Severity)},
	}
	if rule.Summary != "" {
		out.ShortDescription = &sarifText{Text: rule.Summary}
	}
	if rule.Help != "" {
		out.FullDescription = &sarifText{Text: rule.Help}
	}
	if help := firstNonEmpty(rule.Help, rule.Summary); help != "" {
		out.Help = &sarifHelp{
			Text:     help + "\n\nDocumentation: " + docs,
			Markdown: help + "\n\n[Documentation of `" + rule.ID + "`](" + docs + ")",
		}
	}
	return out
}

func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "note"
	}
	return "none"
}

func sarifPhysical(d Diagnostic) sarifPhysicalLocation {
	loc := sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: fileURI(d.File)}}
	start, end := span(d)
	if start.Line > 0 {
		loc.Region = &sarifRegion{
			StartLine:   start.Line,
			StartColumn: start.Column,
			EndLine:     end.Line,
			EndColumn:   end.Column,
		}
	}
	return loc
}

// fileURI turns a path as the user gave it into a URI reference: relative
// paths stay relative (code scanning resolves them against the repository
// root), absolute ones become file URIs. Spaces, '%', '#', '?' and non-ASCII
// are percent-encoded; a ':' in the first segment gets a "./" prefix so it
// is not read as a scheme.
func fileURI(path string) string {
	slashed := filepath.ToSlash(path)
	if filepath.IsAbs(path) {
		if !strings.HasPrefix(slashed, "/") {
			slashed = "/" + slashed // Windows: C:/x -> /C:/x
		}
		return (&url.URL{Scheme: "file", Path: slashed}).String()
	}
	return (&url.URL{Path: slashed}).String()
}

// fingerprint identifies a finding by what it is about, not where it is, so
// code scanning keeps tracking it when lines above it move. It matches the
// baseline's notion of "the same finding".
func fingerprint(d Diagnostic) string {
	h := sha256.New()
	for _, part := range []string{filepath.ToSlash(d.File), d.Rule, d.Journey, d.Stage, d.Message} {
		h.Write([]byte(part))
		h.Write([]byte{0}) // separator: ("ab","c") and ("a","bc") differ
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
