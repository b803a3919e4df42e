package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/schema"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"
)

// validator is a JSON Schema: its raw JSON, which is read to word messages
// (allowed keys, which alternative a value meant), the fast validator that
// decides validity, and the full jsonschema/v5 validator that says what is
// wrong. The full one is compiled only the first time a document fails
// the fast one: most runs never need it, and compiling it costs several
// milliseconds at every start.
type validator struct {
	url  string
	data []byte
	raw  map[string]any
	// fast decides validity quickly; nil when the schema is beyond it.
	fast *fastSchema

	compileOnce sync.Once
	compiled    *jsonschema.Schema
	compileErr  error
}

// full is the compiled jsonschema/v5 validator.
func (v *validator) full() (*jsonschema.Schema, error) {
	v.compileOnce.Do(func() {
		c := jsonschema.NewCompiler()
		c.Draft = jsonschema.Draft2020
		if err := c.AddResource(v.url, bytes.NewReader(v.data)); err != nil {
			v.compileErr = err
			return
		}
		v.compiled, v.compileErr = c.Compile(v.url)
	})
	return v.compiled, v.compileErr
}

var (
	schemaOnce                      sync.Once
	journeySchema, configSchema     *validator
	errSchemaCompile                error
	idPatternRef, durationPatternRe = "$defs/Id", "$defs/Duration"
)

// compileSchemas reads the embedded schemas and builds their fast
// validators; the full ones are compiled on first need (validator.full).
func compileSchemas() {
	compile := func(url string, data []byte) *validator {
		var raw map[string]any
		if err := json.Unmarshal(data, &raw); err != nil {
			errSchemaCompile = err
			return nil
		}
		return &validator{url: url, data: data, raw: raw, fast: compileFast(raw)}
	}
	journeySchema = compile(schema.JourneyURL, schema.Journey)
	configSchema = compile(schema.ConfigURL, schema.Config)
}

// schemaProblem is one schema finding before it gets a file.
type schemaProblem struct {
	at         journey.Range
	message    string
	suggestion *diag.Suggestion
}

// validate checks value (converted from root) against v and maps every
// problem back to the YAML node at fault.
func (v *validator) validate(src *source, root *yaml.Node, value any) []schemaProblem {
	full, err := v.full()
	if err != nil {
		return []schemaProblem{{at: src.rangeOf(root), message: "internal error: the embedded JSON Schema does not compile: " + err.Error()}}
	}
	err = full.Validate(value)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []schemaProblem{{at: src.rangeOf(root), message: err.Error()}}
	}
	w := &schemaWalker{v: v, src: src, root: root, seen: map[string]bool{}}
	w.walk(ve)
	sort.SliceStable(w.out, func(i, j int) bool {
		return w.out[i].at.Start.Before(w.out[j].at.Start)
	})
	return w.out
}

type schemaWalker struct {
	v    *validator
	src  *source
	root *yaml.Node
	out  []schemaProblem
	seen map[string]bool
}

func (w *schemaWalker) add(at journey.Range, msg string) {
	w.suggest(at, msg, nil)
}

// suggest adds a problem with a suggested replacement (nil for none).
func (w *schemaWalker) suggest(at journey.Range, msg string, s *diag.Suggestion) {
	key := at.Start.String() + msg
	if w.seen[key] {
		return
	}
	w.seen[key] = true
	w.out = append(w.out, schemaProblem{at: at, message: msg, suggestion: s})
}

// walk reports the leaves of the error tree; for anyOf it keeps only the
// alternative whose type matches the value, so a user reads about the
// mistake they made, not about the alternative they did not mean.
func (w *schemaWalker) walk(e *jsonschema.ValidationError) {
	kw := lastSegment(e.KeywordLocation)
	if kw == "anyOf" || kw == "oneOf" {
		w.anyOf(e)
		return
	}
	if lastSegment(parentLocation(e.KeywordLocation)) == "propertyNames" {
		// A key the object does not allow (a `rules:` key that names no
		// rule): the finding is about the key, not about its value.
		w.badKey(e)
		return
	}
	if len(e.Causes) > 0 && kw != "propertyNames" {
		for _, c := range e.Causes {
			w.walk(c)
		}
		return
	}
	w.leaf(e, kw)
}

func (w *schemaWalker) anyOf(e *jsonschema.ValidationError) {
	node, _ := w.lookup(e.InstanceLocation)
	branches := w.schemaAt(e.KeywordLocation)
	list, _ := branches.([]any)
	kind := jsonKind(node)
	var types []string
	for i, b := range list {
		t, _ := b.(map[string]any)["type"].(string)
		types = append(types, t)
		if typeAccepts(t, kind) {
			prefix := e.KeywordLocation + "/" + strconv.Itoa(i)
			for _, c := range e.Causes {
				if c.KeywordLocation == prefix || strings.HasPrefix(c.KeywordLocation, prefix+"/") {
					w.walk(c)
				}
			}
			return
		}
	}
	at := w.valueRange(node)
	var hint *diag.Suggestion
	for _, b := range list {
		if t, _ := b.(map[string]any)["type"].(string); hint == nil {
			hint = typeHint(t, node, b, at)
		}
	}
	w.suggest(at, fmt.Sprintf("%sexpected %s, got %s", prefix(e.InstanceLocation), typeWords(types), kindWords(node)), hint)
}

func (w *schemaWalker) leaf(e *jsonschema.ValidationError, kw string) {
	node, key := w.lookup(e.InstanceLocation)
	where := prefix(e.InstanceLocation)
	at := w.valueRange(node)
	switch kw {
	case "required":
		for _, name := range quotedNames(e.Message) {
			w.add(w.firstLine(node), fmt.Sprintf("%smissing required key %q", where, name))
		}
	case "additionalProperties":
		w.unknownKeys(e, node, where)
	case "type":
		want, _ := w.schemaAt(e.KeywordLocation).(string)
		w.suggest(at, fmt.Sprintf("%sexpected %s, got %s", where, typeWords([]string{want}), kindWords(node)),
			typeHint(want, node, w.schemaAt(parentLocation(e.KeywordLocation)), at))
	case "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum":
		limit := formatNumber(w.schemaAt(e.KeywordLocation))
		words := map[string]string{"maximum": "above the maximum", "exclusiveMaximum": "not below", "minimum": "below the minimum", "exclusiveMinimum": "not above"}[kw]
		w.add(at, fmt.Sprintf("%s%s is %s %s", where, nodeText(node), words, limit))
	case "enum", "const":
		allowed := w.schemaAt(e.KeywordLocation)
		w.suggest(at, fmt.Sprintf("%s%s is not one of %s", where, nodeText(node), enumWords(allowed)), enumHint(node, allowed, at))
	case "pattern":
		w.add(at, where+w.patternWords(e, node))
	case "minItems":
		w.add(at, fmt.Sprintf("%sneeds at least %s item(s)", where, formatNumber(w.schemaAt(e.KeywordLocation))))
	case "minLength":
		w.add(at, fmt.Sprintf("%smust not be empty", where))
	case "propertyNames":
		w.propertyNames(e, node, where)
	case "false":
		w.add(keyOr(w, key, node), fmt.Sprintf("%sis not allowed here", where))
	default:
		w.add(at, where+e.Message)
	}
}

func keyOr(w *schemaWalker, key, node *yaml.Node) journey.Range {
	if key != nil {
		return w.src.rangeOf(key)
	}
	return w.valueRange(node)
}

// unknownKeys reports each key of the mapping that the schema does not
// allow, at the key, suggesting the closest allowed one.
func (w *schemaWalker) unknownKeys(e *jsonschema.ValidationError, node *yaml.Node, where string) {
	obj, _ := w.schemaAt(parentLocation(e.KeywordLocation)).(map[string]any)
	props, _ := obj["properties"].(map[string]any)
	allowed := make([]string, 0, len(props))
	for k := range props {
		allowed = append(allowed, k)
	}
	sort.Strings(allowed)
	if node == nil || node.Kind != yaml.MappingNode {
		w.add(w.valueRange(node), where+e.Message)
		return
	}
	for i := 0; i+1 < len(node.Content); i += 2 {
		k := node.Content[i]
		if _, ok := props[k.Value]; ok || strings.HasPrefix(k.Value, "x-") || k.Tag == "!!merge" {
			continue
		}
		at := w.src.rangeOf(k)
		var hint *diag.Suggestion
		if s := journey.Closest(k.Value, allowed); s != "" {
			hint = diag.Suggest(s, at)
		}
		w.suggest(at, fmt.Sprintf("%sunknown key %q", where, k.Value), hint)
	}
}

func (w *schemaWalker) propertyNames(e *jsonschema.ValidationError, node *yaml.Node, where string) {
	name := ""
	if names := quotedNames(e.Message); len(names) > 0 {
		name = names[0]
	}
	at := w.keyRange(node, name)
	msg := fmt.Sprintf("%s%q is not an allowed key here", where, name)
	if enum, ok := w.schemaAt(e.KeywordLocation).(map[string]any)["enum"]; ok {
		msg += " (use one of " + enumWords(enum) + ")"
	} else if pat, ok := w.schemaAt(e.KeywordLocation).(map[string]any)["$ref"].(string); ok && strings.HasSuffix(pat, idPatternRef) {
		msg = fmt.Sprintf("%s%q is not a valid id: %s", where, name, idHint)
	}
	w.add(at, msg)
}

// badKey reports a key refused by propertyNames' enum, at the key, with
// the closest allowed key.
func (w *schemaWalker) badKey(e *jsonschema.ValidationError) {
	obj, _ := w.lookup(parentLocation(e.InstanceLocation))
	name := strings.NewReplacer("~1", "/", "~0", "~").Replace(lastSegment(e.InstanceLocation))
	where := prefix(parentLocation(e.InstanceLocation))
	at := w.keyRange(obj, name)
	msg := fmt.Sprintf("%s%q is not an allowed key here", where, name)
	var hint *diag.Suggestion
	if enum, ok := w.schemaAt(e.KeywordLocation).([]any); ok {
		var allowed []string
		for _, v := range enum {
			if s, ok := v.(string); ok {
				allowed = append(allowed, s)
			}
		}
		if near := journey.Closest(name, allowed); near != "" {
			hint = diag.Suggest(near, at)
		} else {
			msg += " (use one of " + enumWords(enum) + ")"
		}
	}
	w.suggest(at, msg, hint)
}

// keyRange is where key name of mapping obj is written, or obj itself when
// it has no such key.
func (w *schemaWalker) keyRange(obj *yaml.Node, name string) journey.Range {
	if obj != nil && obj.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(obj.Content); i += 2 {
			if obj.Content[i].Value == name {
				return w.src.rangeOf(obj.Content[i])
			}
		}
	}
	return w.valueRange(obj)
}

const idHint = "use lowercase letters and digits, with single - or _ between them (e.g. books-sales-call)"

func (w *schemaWalker) patternWords(e *jsonschema.ValidationError, node *yaml.Node) string {
	switch {
	case strings.Contains(e.AbsoluteKeywordLocation, idPatternRef):
		return fmt.Sprintf("%s is not a valid id: %s", nodeText(node), idHint)
	case strings.Contains(e.AbsoluteKeywordLocation, durationPatternRe):
		return fmt.Sprintf("%s is not a valid wait: write whole numbers with a unit m, h, d or w, e.g. 30m, 2d or 1w2d", nodeText(node))
	}
	pat, _ := w.schemaAt(e.KeywordLocation).(string)
	return fmt.Sprintf("%s does not match the pattern %s", nodeText(node), pat)
}

// lookup finds the node a JSON pointer names, and the key node that holds
// it when its parent is a mapping.
func (w *schemaWalker) lookup(pointer string) (node, key *yaml.Node) {
	node = w.root
	exp := &expander{budget: 1 << 20}
	for _, seg := range splitPointer(pointer) {
		var err error
		node, err = exp.resolve(node)
		if err != nil || node == nil {
			return nil, nil
		}
		switch node.Kind {
		case yaml.MappingNode:
			var next *yaml.Node
			for i := 0; i+1 < len(node.Content); i += 2 {
				if node.Content[i].Kind == yaml.ScalarNode && node.Content[i].Value == seg {
					key, next = node.Content[i], node.Content[i+1]
				}
			}
			if next == nil {
				return node, key
			}
			node = next
		case yaml.SequenceNode:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(node.Content) {
				return node, nil
			}
			key, node = nil, node.Content[i]
		default:
			return node, key
		}
	}
	return node, key
}

func (w *schemaWalker) valueRange(n *yaml.Node) journey.Range {
	if n == nil {
		return w.src.rangeOf(w.root)
	}
	return w.src.rangeOf(n)
}

// firstLine is where a missing key is reported: the first line of the
// object that lacks it.
func (w *schemaWalker) firstLine(n *yaml.Node) journey.Range {
	if n == nil {
		n = w.root
	}
	r := w.src.rangeOf(n)
	if r.End.Line != r.Start.Line {
		r.End = w.src.lineEnd(r.Start.Line)
	}
	return r
}

// schemaAt reads the raw schema at a keyword location, following $ref.
func (w *schemaWalker) schemaAt(loc string) any {
	var cur any = w.v.raw
	for _, seg := range splitPointer(loc) {
		if seg == "$ref" {
			m, _ := cur.(map[string]any)
			ref, _ := m["$ref"].(string)
			cur = w.resolveRef(ref)
			continue
		}
		switch c := cur.(type) {
		case map[string]any:
			cur = c[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

func (w *schemaWalker) resolveRef(ref string) any {
	_, frag, _ := strings.Cut(ref, "#")
	var cur any = w.v.raw
	for _, seg := range splitPointer(frag) {
		m, _ := cur.(map[string]any)
		cur = m[seg]
	}
	return cur
}

func splitPointer(p string) []string {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return nil
	}
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return parts
}

func lastSegment(loc string) string {
	if i := strings.LastIndexByte(loc, '/'); i >= 0 {
		return loc[i+1:]
	}
	return loc
}

func parentLocation(loc string) string {
	if i := strings.LastIndexByte(loc, '/'); i >= 0 {
		return loc[:i]
	}
	return ""
}

var idSegment = regexp.MustCompile(`^[0-9]+$`)

// prefix is how a message names the place of a problem: "stages[3].emotion: ",
// or nothing at the top level of the file.
func prefix(pointer string) string {
	if p := path(pointer); p != "" {
		return p + ": "
	}
	return ""
}

// path writes a JSON pointer the way people read it: stages[3].emotion.
func path(pointer string) string {
	var b strings.Builder
	for _, seg := range splitPointer(pointer) {
		if idSegment.MatchString(seg) {
			b.WriteString("[" + seg + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(seg)
	}
	return b.String()
}

var quotedName = regexp.MustCompile(`'((?:[^'\\]|\\.)*)'`)

func quotedNames(msg string) []string {
	var out []string
	for _, m := range quotedName.FindAllStringSubmatch(msg, -1) {
		out = append(out, m[1])
	}
	return out
}

func jsonKind(n *yaml.Node) string {
	if n == nil {
		return "null"
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		return "array"
	}
	switch n.ShortTag() {
	case "!!null", "!!bool", "!!int", "!!float":
	default:
		return "string" // what scalarValue gives, without boxing it
	}
	switch v := scalarValue(n).(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case int64:
		return "integer"
	case float64:
		if v == math.Trunc(v) {
			return "integer"
		}
		return "number"
	}
	return "string"
}

func typeAccepts(schemaType, kind string) bool {
	return schemaType == kind || (schemaType == "number" && kind == "integer")
}

func typeWords(types []string) string {
	words := map[string]string{"object": "a mapping (key: value lines)", "array": "a list", "string": "text",
		"integer": "a whole number", "number": "a number", "boolean": "true or false", "null": "nothing"}
	var out []string
	for _, t := range types {
		if w, ok := words[t]; ok {
			out = append(out, w)
		} else if t != "" {
			out = append(out, t)
		}
	}
	return strings.Join(out, " or ")
}

func kindWords(n *yaml.Node) string {
	if n == nil {
		return "nothing"
	}
	text := nodeText(n)
	switch jsonKind(n) {
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	case "null":
		return "nothing"
	case "boolean":
		return "true/false " + text
	case "integer", "number":
		return "the number " + text
	}
	if r := n; r.Kind == yaml.ScalarNode || r.Kind == yaml.AliasNode && r.Alias != nil {
		if r.Kind == yaml.AliasNode {
			r = r.Alias
		}
		_, err := strconv.ParseFloat(strings.ReplaceAll(r.Value, "_", ""), 64)
		outOfRange := r.Style == 0 && errors.Is(err, strconv.ErrRange)
		if t := r.ShortTag(); t == "!!float" || t == "!!int" || outOfRange {
			// .inf, .nan, 1e400: numbers to YAML, not to a JSON Schema.
			return fmt.Sprintf("%s, which is not a finite number (infinite, not a number, or too large)", r.Value)
		}
	}
	return "the text " + text
}

// nodeText shows a scalar as written, shortened for messages.
func nodeText(n *yaml.Node) string {
	if n == nil {
		return "nothing"
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode {
		return kindName(n)
	}
	v := n.Value
	if r := []rune(v); len(r) > 60 {
		v = string(r[:57]) + "..."
	}
	if jsonKind(n) == "string" {
		return strconv.Quote(v)
	}
	return v
}

func formatNumber(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func enumWords(v any) string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		out = append(out, fmt.Sprint(x))
	}
	if len(out) == 0 {
		return fmt.Sprint(v)
	}
	return strings.Join(out, ", ")
}

// enumHint suggests the allowed value closest to a scalar that is none of
// them, to replace it at: "exit" for `exited`, or nil.
func enumHint(node *yaml.Node, allowed any, at journey.Range) *diag.Suggestion {
	if node == nil || node.Kind != yaml.ScalarNode {
		return nil
	}
	list, ok := allowed.([]any)
	if !ok {
		list = []any{allowed} // const
	}
	var words []string
	for _, x := range list {
		if w, ok := x.(string); ok {
			words = append(words, w)
		}
	}
	for _, w := range words {
		if strings.EqualFold(w, node.Value) {
			return diag.Suggest(w, at)
		}
	}
	if c := journey.Closest(strings.ToLower(node.Value), words); c != "" {
		return diag.Suggest(c, at)
	}
	return nil
}

// percentRe is a share written as a percentage: 55%, 12.5 %.
var percentRe = regexp.MustCompile(`^\s*([0-9]{1,3}(?:\.[0-9]{1,6})?)\s*%\s*$`)

// typeHint suggests the value of the type wanted that a scalar of another
// type most likely means, to replace it at: true for `yes`, 0.55 for `55%`
// where the schema wants a share of at most 1; nil when there is none.
// Booleans and numbers are literals: quoted, they would be text.
func typeHint(want string, node *yaml.Node, schema any, at journey.Range) *diag.Suggestion {
	if text := typeHintText(want, node, schema); text != "" {
		return &diag.Suggestion{Text: text, Range: at, Literal: true}
	}
	return nil
}

func typeHintText(want string, node *yaml.Node, schema any) string {
	if node == nil || node.Kind != yaml.ScalarNode {
		return ""
	}
	v := strings.TrimSpace(node.Value)
	switch want {
	case "boolean":
		switch strings.ToLower(v) {
		case "yes", "y", "on", "true":
			return "true"
		case "no", "n", "off", "false":
			return "false"
		}
	case "number", "integer":
		obj, _ := schema.(map[string]any)
		if m := percentRe.FindStringSubmatch(v); m != nil {
			if max, ok := obj["maximum"].(float64); ok && max == 1 {
				f, err := strconv.ParseFloat(m[1], 64)
				if err == nil && f <= 100 {
					return strconv.FormatFloat(f/100, 'f', -1, 64)
				}
			}
			return ""
		}
		if want == "number" && (strings.HasPrefix(v, "0,") || strings.HasPrefix(v, "1,")) && strings.Count(v, ",") == 1 {
			v = strings.Replace(v, ",", ".", 1) // 0,55: a decimal comma
		}
		if f, err := strconv.ParseFloat(v, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) &&
			strings.IndexFunc(v, func(r rune) bool { return !strings.ContainsRune("0123456789.-+", r) }) < 0 &&
			(want == "number" || f == math.Trunc(f)) {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
	}
	return ""
}
