package load

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// errAliasBudget stops alias expansion that grows far beyond the document
// (the "billion laughs" attack).
var errAliasBudget = errors.New("alias budget exceeded")

// expander follows aliases while counting every node it produces, so a
// document can never expand to more than a bounded multiple of its size.
type expander struct {
	budget int
	// firstAlias is the first alias met, for the position of the finding.
	firstAlias *yaml.Node
}

func newExpander(nodes int) *expander {
	return &expander{budget: 2*nodes + minAliasBudget}
}

// resolve follows alias nodes to the node they name.
func (e *expander) resolve(n *yaml.Node) (*yaml.Node, error) {
	for hops := 0; n != nil && n.Kind == yaml.AliasNode; hops++ {
		if e.firstAlias == nil {
			e.firstAlias = n
		}
		if hops > MaxDepth || n.Alias == nil {
			return nil, errAliasBudget
		}
		n = n.Alias
	}
	return n, nil
}

// spend counts one produced node.
func (e *expander) spend(n int) error {
	e.budget -= n
	if e.budget < 0 {
		return errAliasBudget
	}
	return nil
}

// value converts the tree to plain Go values (map[string]any, []any,
// string, bool, nil, float64 or int64) for JSON Schema validation,
// following aliases within the budget.
func (e *expander) value(n *yaml.Node, depth int) (any, error) {
	n, err := e.resolve(n)
	if err != nil {
		return nil, err
	}
	if err := e.spend(1); err != nil {
		return nil, err
	}
	if depth > MaxDepth {
		return nil, errAliasBudget
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, err := e.resolve(n.Content[i])
			if err != nil {
				return nil, err
			}
			if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				// `<<: *base` merges keys; the schema sees the merged map.
				if err := e.merge(m, n.Content[i+1], depth); err != nil {
					return nil, err
				}
				continue
			}
			v, err := e.value(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			m[keyString(k)] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := e.value(c, depth+1)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case yaml.ScalarNode:
		return scalarValue(n), nil
	}
	return nil, nil
}

func (e *expander) merge(m map[string]any, src *yaml.Node, depth int) error {
	v, err := e.value(src, depth+1)
	if err != nil {
		return err
	}
	add := func(v any) {
		if sub, ok := v.(map[string]any); ok {
			for k, x := range sub {
				if _, set := m[k]; !set {
					m[k] = x
				}
			}
		}
	}
	if list, ok := v.([]any); ok {
		for _, x := range list {
			add(x)
		}
		return nil
	}
	add(v)
	return nil
}

// keyString is the map key a node stands for.
func keyString(k *yaml.Node) string {
	if k.Kind == yaml.ScalarNode {
		return k.Value
	}
	return "<" + kindName(k) + " used as a key>"
}

// scalarValue resolves a scalar the way YAML 1.2's core schema does, keeping
// timestamps and binary data as text (journey files have no dates).
func scalarValue(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		b, err := strconv.ParseBool(strings.ToLower(n.Value))
		if err != nil {
			return n.Value
		}
		return b
	case "!!int":
		v := strings.ReplaceAll(n.Value, "_", "")
		if i, err := strconv.ParseInt(v, 0, 64); err == nil {
			return i
		}
		if strings.HasPrefix(v, "0o") || strings.HasPrefix(v, "0O") {
			if i, err := strconv.ParseInt(v[2:], 8, 64); err == nil {
				return i
			}
		}
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
		return n.Value
	case "!!float":
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return n.Value
		}
		return f
	}
	return n.Value
}

// kindName names the kind of a node in words a journey owner knows.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch scalarValue(n).(type) {
	case nil:
		return "nothing (null)"
	case bool:
		return "true/false"
	case int64:
		return "an integer"
	case float64:
		return "a number"
	}
	return "text"
}
