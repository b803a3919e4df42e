package lint

import (
	"regexp"
	"strings"
	"sync"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
)

var ruleUTMConvention = &Rule{
	ID:       "utm-convention",
	Severity: diag.Error,
	Summary:  "A touchpoint's `utm` breaks the workspace UTM convention.",
	Why: "Campaign reports group traffic by exact UTM values: `Email` and `email` are two sources, and a " +
		"missing `campaign` is traffic nobody can attribute. The workspace `.journey.yaml` sets which keys " +
		"are required, which values are allowed (case-sensitive) and which patterns values must match. " +
		"One finding per broken key, at its value (or at `utm` when a key is missing).",
	journey: checkUTM,
}

// compiledPatterns caches the workspace's UTM regular expressions.
var compiledPatterns sync.Map // string -> *regexp.Regexp (nil when invalid)

func utmPattern(expr string) *regexp.Regexp {
	if re, ok := compiledPatterns.Load(expr); ok {
		return re.(*regexp.Regexp)
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		re = nil
	}
	compiledPatterns.Store(expr, re)
	return re
}

func checkUTM(p *pass) {
	cfg := p.ws.Config
	if cfg == nil {
		return
	}
	conv := cfg.UTM
	allowed := map[string]*names{}
	for key, vals := range conv.Values {
		n := &names{}
		for _, v := range vals {
			n.add(v.Value)
		}
		allowed[key] = n
	}
	for _, s := range p.j.Stages {
		for _, tp := range s.Touchpoints {
			if tp.UTM == nil {
				continue
			}
			for _, req := range conv.Required {
				if _, ok := tp.UTM.Values[req.Value]; !ok {
					p.report(tp.KeyRange("utm"), s.ID.Value, "utm.%s is required by the workspace UTM convention but missing", req.Value)
				}
			}
			for _, key := range journey.UTMKeys {
				v, ok := tp.UTM.Values[key]
				if !ok {
					continue
				}
				if n := allowed[key]; n != nil && !n.set[v.Value] {
					msg := "utm." + key + " " + quoteValue(v.Value) + " is not an allowed value (allowed: " + strings.Join(n.order, ", ") + ")"
					if c := journey.Closest(v.Value, n.order); c != "" {
						msg += ", did you mean " + quoteValue(c) + "?"
					}
					p.report(v.Range, s.ID.Value, "%s", msg)
					continue
				}
				if pat, ok := conv.Patterns[key]; ok {
					if re := utmPattern(pat.Value); re != nil && !re.MatchString(v.Value) {
						p.report(v.Range, s.ID.Value, "utm.%s %s does not match the pattern %s", key, quoteValue(v.Value), pat.Value)
					}
				}
			}
		}
	}
}

func quoteValue(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
