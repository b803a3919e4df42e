package lint

import (
	"regexp"
	"sync"
	"sync/atomic"

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

// maxPattern is the longest UTM pattern lint applies: matching costs the
// pattern's length times the value's, for every value of every journey.
const maxPattern = 1000

// utmRules is the workspace UTM convention ready to check against: the
// required keys (UTM keys only, once each: anything else is a schema
// finding of the configuration) and the allowed values per key. It is
// built once per configuration, however many journeys use it.
type utmRules struct {
	required []string
	allowed  map[string]*names
}

// lastUTMRules keeps the rules of the configuration checked last: every
// journey of a workspace shares it. One entry, not a map by configuration:
// a long-running process (a language server) loads a new configuration on
// every change and must not keep them all.
var lastUTMRules atomic.Pointer[utmRulesEntry]

type utmRulesEntry struct {
	cfg   *journey.Config
	rules *utmRules
}

func utmRulesOf(cfg *journey.Config) *utmRules {
	if e := lastUTMRules.Load(); e != nil && e.cfg == cfg {
		return e.rules
	}
	conv := cfg.UTM
	r := &utmRules{allowed: map[string]*names{}}
	want := map[string]bool{}
	for _, req := range conv.Required {
		want[req.Value] = true
	}
	for _, key := range journey.UTMKeys {
		if want[key] {
			r.required = append(r.required, key)
		}
		if vals, ok := conv.Values[key]; ok {
			n := &names{}
			for _, v := range vals {
				n.add(v.Value)
			}
			r.allowed[key] = n
		}
	}
	lastUTMRules.Store(&utmRulesEntry{cfg: cfg, rules: r})
	return r
}

func checkUTM(p *pass) {
	cfg := p.ws.Config
	if cfg == nil {
		return
	}
	conv := cfg.UTM
	rules := utmRulesOf(cfg)
	for _, s := range p.j.Stages {
		for _, tp := range s.Touchpoints {
			if tp.UTM == nil {
				continue
			}
			for _, key := range rules.required {
				if _, ok := tp.UTM.Values[key]; !ok {
					p.report(tp.KeyRange("utm"), s.ID.Value, "utm.%s is required by the workspace UTM convention but missing", key)
				}
			}
			for _, key := range journey.UTMKeys {
				v, ok := tp.UTM.Values[key]
				if !ok {
					continue
				}
				if n := rules.allowed[key]; n != nil && !n.set[v.Value] {
					d := p.report(v.Range, s.ID.Value, "utm.%s %s is not an allowed value (allowed: %s)", key, quote(v.Value), list(n.order, plain))
					if c := n.suggest(p.sug, v.Value); c != "" {
						d.Suggestion = diag.Suggest(c, v.Range)
					}
					continue
				}
				if pat, ok := conv.Patterns[key]; ok && len(pat.Value) <= maxPattern {
					if re := utmPattern(pat.Value); re != nil && !re.MatchString(v.Value) {
						p.report(v.Range, s.ID.Value, "utm.%s %s does not match the pattern %s", key, quote(v.Value), bare(pat.Value))
					}
				}
			}
		}
	}
}
