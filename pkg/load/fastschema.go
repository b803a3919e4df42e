package load

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// fastSchema answers one question, "is this document valid?", by walking
// the YAML tree against the schema without building any value. jsonschema
// then runs only on documents that are not, to word every problem. Valid
// files, the common case in CI, so cost a fraction of a full validation.
//
// It understands the keywords our schemas use; compileFast refuses a schema
// with any other keyword, and validation then always takes the full path.
type fastSchema struct {
	ref        string // unresolved $ref, resolved after compiling
	target     *fastSchema
	types      []string
	properties map[string]*fastSchema
	patterns   []patternSchema
	additional *fastSchema
	noExtra    bool // additionalProperties: false
	required   []string
	items      *fastSchema
	minItems   int
	maxItems   int
	enum       []any
	pattern    func(string) bool
	minimum    *float64
	maximum    *float64
	minLength  int
	anyOf      []*fastSchema
	propNames  *fastSchema
}

type patternSchema struct {
	re *regexp.Regexp
	s  *fastSchema
}

// annotations are keywords that do not affect validity.
var annotations = map[string]bool{
	"$schema": true, "$id": true, "$comment": true, "$defs": true, "title": true,
	"description": true, "examples": true, "default": true, "format": true,
	"markdownDescription": true, "deprecated": true,
}

type fastCompiler struct {
	root map[string]any
	refs map[string]*fastSchema
	err  error
}

// compileFast compiles the raw schema; nil when it uses a keyword the fast
// validator does not know.
func compileFast(raw map[string]any) *fastSchema {
	c := &fastCompiler{root: raw, refs: map[string]*fastSchema{}}
	s := c.compile(raw)
	for ref, target := range c.refs {
		if target == nil {
			c.err = fmt.Errorf("unresolved $ref %s", ref)
		}
	}
	if c.err != nil {
		return nil
	}
	link(s, c.refs, map[*fastSchema]bool{})
	return s
}

func (c *fastCompiler) compile(v any) *fastSchema {
	if b, ok := v.(bool); ok {
		if b {
			return &fastSchema{minItems: -1, maxItems: -1, minLength: -1}
		}
		return &fastSchema{types: []string{}, minItems: -1, maxItems: -1, minLength: -1}
	}
	m, ok := v.(map[string]any)
	if !ok {
		c.err = fmt.Errorf("schema is %T", v)
		return nil
	}
	s := &fastSchema{minItems: -1, maxItems: -1, minLength: -1}
	for k, x := range m {
		switch k {
		case "$ref":
			ref, _ := x.(string)
			s.ref = ref
			if _, done := c.refs[ref]; !done {
				c.refs[ref] = nil
				frag := strings.TrimPrefix(ref, "#")
				if !strings.HasPrefix(ref, "#") {
					c.err = fmt.Errorf("external $ref %s", ref)
					return nil
				}
				var cur any = c.root
				for _, seg := range splitPointer(frag) {
					mm, _ := cur.(map[string]any)
					cur = mm[seg]
				}
				c.refs[ref] = c.compile(cur)
			}
		case "type":
			switch t := x.(type) {
			case string:
				s.types = []string{t}
			case []any:
				s.types = []string{}
				for _, e := range t {
					name, _ := e.(string)
					s.types = append(s.types, name)
				}
			}
		case "properties":
			s.properties = map[string]*fastSchema{}
			for name, sub := range x.(map[string]any) {
				s.properties[name] = c.compile(sub)
			}
		case "patternProperties":
			for pat, sub := range x.(map[string]any) {
				re, err := regexp.Compile(pat)
				if err != nil {
					c.err = err
					return nil
				}
				s.patterns = append(s.patterns, patternSchema{re: re, s: c.compile(sub)})
			}
		case "additionalProperties":
			if b, ok := x.(bool); ok && !b {
				s.noExtra = true
			} else {
				s.additional = c.compile(x)
			}
		case "required":
			for _, e := range x.([]any) {
				name, _ := e.(string)
				s.required = append(s.required, name)
			}
		case "items":
			s.items = c.compile(x)
		case "minItems":
			s.minItems = int(x.(float64))
		case "maxItems":
			s.maxItems = int(x.(float64))
		case "minLength":
			s.minLength = int(x.(float64))
		case "enum", "const":
			values, isList := x.([]any)
			if k == "const" || !isList {
				values = []any{x}
			}
			for _, e := range values {
				switch e.(type) {
				case map[string]any, []any:
					c.err = fmt.Errorf("enum of objects or lists not supported")
					return nil
				}
			}
			s.enum = values
		case "pattern":
			re, err := regexp.Compile(x.(string))
			if err != nil {
				c.err = err
				return nil
			}
			s.pattern = matcher(x.(string), re)
		case "minimum":
			f := x.(float64)
			s.minimum = &f
		case "maximum":
			f := x.(float64)
			s.maximum = &f
		case "anyOf":
			for _, sub := range x.([]any) {
				s.anyOf = append(s.anyOf, c.compile(sub))
			}
		case "propertyNames":
			s.propNames = c.compile(x)
		default:
			if !annotations[k] {
				c.err = fmt.Errorf("keyword %s not supported by the fast validator", k)
				return nil
			}
		}
	}
	return s
}

// link resolves every $ref of the compiled tree once.
func link(s *fastSchema, refs map[string]*fastSchema, seen map[*fastSchema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	if s.ref != "" {
		s.target = refs[s.ref]
		link(s.target, refs, seen)
	}
	for _, p := range s.properties {
		link(p, refs, seen)
	}
	for _, p := range s.patterns {
		link(p.s, refs, seen)
	}
	for _, x := range append([]*fastSchema{s.additional, s.items, s.propNames}, s.anyOf...) {
		link(x, refs, seen)
	}
}

// errFallback says the tree has something the fast walk leaves to the full
// validator (a merge key).
var errFallback = fmt.Errorf("needs the full validator")

// valid walks node against s. It returns false at the first problem; an
// error when the alias budget runs out or the full validator must decide.
func (s *fastSchema) valid(n *yaml.Node, e *expander, depth int) (bool, error) {
	n, err := e.resolve(n)
	if err != nil {
		return false, err
	}
	if err := e.spend(1); err != nil {
		return false, err
	}
	if depth > MaxDepth {
		return false, errAliasBudget
	}
	return s.check(n, e, depth)
}

func (s *fastSchema) check(n *yaml.Node, e *expander, depth int) (bool, error) {
	if s.target != nil {
		if ok, err := s.target.check(n, e, depth); !ok || err != nil {
			return ok, err
		}
	}
	kind := jsonKind(n)
	if s.types != nil {
		ok := false
		for _, t := range s.types {
			if typeAccepts(t, kind) {
				ok = true
				break
			}
		}
		if !ok {
			return false, nil
		}
	}
	if len(s.anyOf) > 0 {
		any := false
		for _, alt := range s.anyOf {
			ok, err := alt.check(n, e, depth)
			if err != nil {
				return false, err
			}
			if ok {
				any = true
				break
			}
		}
		if !any {
			return false, nil
		}
	}
	if s.enum != nil && n.Kind != yaml.ScalarNode {
		return false, nil // every enum of our schemas lists scalars only
	}
	switch n.Kind {
	case yaml.MappingNode:
		return s.checkMapping(n, e, depth)
	case yaml.SequenceNode:
		if (s.minItems >= 0 && len(n.Content) < s.minItems) || (s.maxItems >= 0 && len(n.Content) > s.maxItems) {
			return false, nil
		}
		if s.items != nil {
			for _, c := range n.Content {
				if ok, err := s.items.valid(c, e, depth+1); !ok || err != nil {
					return ok, err
				}
			}
		}
		return true, nil
	}
	return s.checkScalar(n), nil
}

func (s *fastSchema) checkMapping(n *yaml.Node, e *expander, depth int) (bool, error) {
	for _, req := range s.required {
		found := false
		for i := 0; i < len(n.Content); i += 2 {
			if n.Content[i].Value == req && n.Content[i].Kind == yaml.ScalarNode {
				found = true
				break
			}
		}
		if !found {
			return false, nil
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, err := e.resolve(n.Content[i])
		if err != nil {
			return false, err
		}
		if k.Kind != yaml.ScalarNode {
			return false, nil
		}
		if k.Tag == "!!merge" {
			return false, errFallback
		}
		if s.propNames != nil {
			// A property name is always text, whatever it looks like.
			name := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k.Value}
			if ok, err := s.propNames.check(name, e, depth+1); !ok || err != nil {
				return ok, err
			}
		}
		v := n.Content[i+1]
		matched := false
		if sub, ok := s.properties[k.Value]; ok {
			matched = true
			if ok, err := sub.valid(v, e, depth+1); !ok || err != nil {
				return ok, err
			}
		}
		for _, p := range s.patterns {
			if p.re.MatchString(k.Value) {
				matched = true
				if ok, err := p.s.valid(v, e, depth+1); !ok || err != nil {
					return ok, err
				}
			}
		}
		if !matched {
			if s.noExtra {
				return false, nil
			}
			if s.additional != nil {
				if ok, err := s.additional.valid(v, e, depth+1); !ok || err != nil {
					return ok, err
				}
			}
		}
	}
	return true, nil
}

func (s *fastSchema) checkScalar(n *yaml.Node) bool {
	switch n.ShortTag() {
	case "!!null", "!!bool", "!!int", "!!float":
		return s.checkValue(scalarValue(n))
	}
	// Text (scalarValue would return n.Value): checked without boxing it.
	x := n.Value
	if s.enum != nil {
		ok := false
		for _, want := range s.enum {
			if w, isText := want.(string); isText && w == x {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return s.checkText(x)
}

func (s *fastSchema) checkText(x string) bool {
	if s.pattern != nil && !s.pattern(x) {
		return false
	}
	return s.minLength < 0 || utf8.RuneCountInString(x) >= s.minLength
}

func (s *fastSchema) checkValue(v any) bool {
	if s.enum != nil {
		ok := false
		for _, want := range s.enum {
			if sameJSON(want, v) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	switch x := v.(type) {
	case string:
		return s.checkText(x)
	case int64:
		return s.inRange(float64(x))
	case float64:
		return s.inRange(x)
	}
	return true
}

func (s *fastSchema) inRange(f float64) bool {
	return (s.minimum == nil || f >= *s.minimum) && (s.maximum == nil || f <= *s.maximum)
}

// sameJSON compares a schema constant (from encoding/json) with a value
// from scalarValue.
func sameJSON(want, got any) bool {
	switch w := want.(type) {
	case float64:
		switch g := got.(type) {
		case int64:
			return float64(g) == w
		case float64:
			return g == w && !math.IsNaN(g)
		}
		return false
	case nil:
		return got == nil
	}
	return want == got
}

// Patterns of the embedded schemas matched by hand: a regular expression
// was 4% of loading a journey. Each function matches exactly what its
// pattern does (TestPatternMatchers).
const (
	idPattern       = "^[a-z0-9]+([_-][a-z0-9]+)*$"
	durationPattern = "^([0-9]+[mhdw])+$"
)

// matcher is the fastest exact test of pattern, compiled as re.
func matcher(pattern string, re *regexp.Regexp) func(string) bool {
	switch pattern {
	case idPattern:
		return isID
	case durationPattern:
		return isDuration
	}
	return re.MatchString
}

func isLowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// isID matches idPattern: runs of [a-z0-9] joined by single _ or -.
func isID(s string) bool {
	if s == "" || !isLowerAlnum(s[0]) || !isLowerAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if c == '_' || c == '-' {
			if !isLowerAlnum(s[i-1]) {
				return false
			}
			continue
		}
		if !isLowerAlnum(c) {
			return false
		}
	}
	return true
}

// isDuration matches durationPattern: one or more of digits then a unit.
func isDuration(s string) bool {
	if s == "" {
		return false
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == 'm' || c == 'h' || c == 'd' || c == 'w':
			if digits == 0 {
				return false
			}
			digits = 0
		default:
			return false
		}
	}
	return digits == 0
}
