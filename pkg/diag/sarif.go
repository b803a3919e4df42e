package diag

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/journeykit/journey/pkg/journey"
)

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// InformationURI is the project's home page, named by SARIF output.
	InformationURI = "https://github.com/journeykit/journey"
	// fingerprintKey is versioned so the hash can change without code
	// scanning confusing old and new fingerprints.
	fingerprintKey = "journeyFinding/v2"
	// srcRoot names the repository root in SARIF URIs.
	srcRoot = "%SRCROOT%"
)

// The types below hold only the parts of SARIF 2.1.0 journey fills in, as
// structs so the key order, and so the bytes, never change between runs.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                        `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                           `json:"columnKind"`
	Results            []sarifResult                    `json:"results"`
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
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifText            `json:"message,omitempty"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Replacements     []sarifReplacement    `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent sarifText   `json:"insertedContent"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
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

	paths := NewPaths(r.Root)
	results := make([]sarifResult, 0, len(r.Findings))
	seen := map[string]int{}
	for _, d := range r.Findings {
		res := sarifResult{
			RuleID:    d.Rule,
			Level:     sarifLevel(d.Severity),
			Message:   sarifText{Text: d.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical(paths, d.File, d.Range)}},
		}
		for i, rel := range d.Related {
			id := i + 1
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
				ID:               &id,
				PhysicalLocation: sarifPhysical(paths, rel.File, rel.Range),
				Message:          &sarifText{Text: rel.Message},
			})
		}
		if s := d.Suggestion; s != nil {
			res.Fixes = []sarifFix{{
				Description: sarifText{Text: s.Help()},
				ArtifactChanges: []sarifArtifactChange{{
					ArtifactLocation: sarifArtifact(paths, d.File),
					Replacements: []sarifReplacement{{
						DeletedRegion:   *sarifRegionOf(s.Range),
						InsertedContent: sarifText{Text: s.Text},
					}},
				}},
			}}
		}
		if i, ok := index[d.Rule]; ok {
			res.RuleIndex = &i
		}
		// Identical findings (same file, rule, journey, stage and message)
		// are told apart by their order, as GitHub does for its own
		// line hashes, so each keeps its own alert.
		fp := fingerprint(paths.Key(d.File), d)
		seen[fp]++
		res.PartialFingerprints = map[string]string{
			fingerprintKey: fp + ":" + strconv.Itoa(seen[fp]),
		}
		results = append(results, res)
	}

	run := sarifRun{
		Tool:       sarifTool{Driver: driver},
		ColumnKind: "unicodeCodePoints", // journey.Pos columns count code points
		Results:    results,
	}
	if r.Root != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLocation{
			srcRoot: {URI: fileURI(r.Root) + "/"},
		}
	}
	return encodeJSON(w, sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
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

func sarifPhysical(paths Paths, file string, at journey.Range) sarifPhysicalLocation {
	loc := sarifPhysicalLocation{ArtifactLocation: sarifArtifact(paths, file)}
	if at.Start.Line > 0 {
		loc.Region = sarifRegionOf(at)
	}
	return loc
}

func sarifRegionOf(at journey.Range) *sarifRegion {
	start, end := spanOf(at)
	return &sarifRegion{StartLine: start.Line, StartColumn: start.Column, EndLine: end.Line, EndColumn: end.Column}
}

// sarifArtifact names file relative to the repository root (%SRCROOT%)
// when the report has one and the file is under it, so code scanning puts
// the alert on the right file wherever lint was started from.
func sarifArtifact(paths Paths, file string) sarifArtifactLocation {
	if rel, ok := paths.Under(file); ok {
		return sarifArtifactLocation{URI: fileURI(rel), URIBaseID: srcRoot}
	}
	return sarifArtifactLocation{URI: fileURI(file)}
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
func fingerprint(path string, d Diagnostic) string {
	h := sha256.New()
	for _, part := range []string{path, d.Rule, d.Journey, d.Stage, d.Message} {
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
