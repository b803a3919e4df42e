package format

import (
	"slices"

	"gopkg.in/yaml.v3"
)

// kind is what a file holds: a journey or a workspace configuration.
type kind int

const (
	journeyKind kind = iota
	configKind
)

// shape is the key order of one kind of object, and the shapes of the
// objects below it.
type shape struct {
	keys []string
	// fields gives the shape of a key's value: an object, or, through
	// item, the items of a list.
	fields map[string]*shape
	// item is the shape of each item when the shape describes a list.
	item *shape
}

func listOf(s *shape) *shape { return &shape{item: s} }

// The canonical orders: the order of the tables of docs/format.md.
var (
	linkShape       = &shape{keys: []string{"title", "url"}}
	personaShape    = &shape{keys: []string{"id", "name", "description", "goals", "needs", "pains"}}
	channelShape    = &shape{keys: []string{"id", "name", "kind"}}
	phaseShape      = &shape{keys: []string{"id", "name", "description", "owner", "goal"}}
	metricShape     = &shape{keys: []string{"name", "id", "target", "unit", "description"}}
	utmShape        = &shape{keys: []string{"source", "medium", "campaign", "content", "term"}}
	reasonShape     = &shape{keys: []string{"id", "name", "next"}}
	transitionShape = &shape{keys: []string{"to", "journey", "when", "after", "rate"}}
	touchpointShape = &shape{
		keys:   []string{"channel", "action", "id", "owner", "template", "utm"},
		fields: map[string]*shape{"utm": utmShape},
	}
	stageShape = &shape{
		keys: []string{"id", "name", "phase", "description", "entry", "outcome", "owner", "personas",
			"channel", "doing", "thinking", "feeling", "backstage", "support", "emotion", "questions", "pains", "opportunities",
			"aha", "touchpoints", "metrics", "events", "reasons", "next", "renamed_from"},
		fields: map[string]*shape{
			"touchpoints": listOf(touchpointShape),
			"metrics":     listOf(metricShape),
			"reasons":     listOf(reasonShape),
			"next":        listOf(transitionShape),
		},
	}
	journeyShape = &shape{
		keys: []string{"journey", "title", "description", "owner", "tags", "status", "links",
			"personas", "channels", "phases", "stages", "metrics"},
		fields: map[string]*shape{
			"links":    listOf(linkShape),
			"personas": listOf(personaShape),
			"channels": listOf(channelShape),
			"phases":   listOf(phaseShape),
			"stages":   listOf(stageShape),
			"metrics":  listOf(metricShape),
		},
	}
	configShape = &shape{
		keys: []string{"journeys", "teams", "personas", "channels", "utm", "rules"},
		fields: map[string]*shape{
			"personas": listOf(personaShape),
			"channels": listOf(channelShape),
			"utm":      {keys: []string{"required", "values", "patterns"}},
		},
	}
)

// journeyHeader are the top-level keys of a journey that are written
// together, without blank lines between them.
var journeyHeader = []string{"journey", "title", "description", "owner", "tags", "status", "links"}

// journeySections are the top-level keys of a journey that always stand
// apart, between blank lines.
var journeySections = []string{"personas", "channels", "phases", "stages", "metrics"}

// reorder sorts the keys of every mapping that has a known shape, stably:
// known keys in the shape's order, then every other key in the order it
// was written. Aliases are not followed: an anchored value is sorted where
// it is defined.
func reorder(n *yaml.Node, s *shape) {
	if s == nil || n == nil {
		return
	}
	switch n.Kind {
	case yaml.SequenceNode:
		if s.item != nil {
			for _, c := range n.Content {
				reorder(c, s.item)
			}
		}
	case yaml.MappingNode:
		if len(s.keys) == 0 || len(n.Content) < 2 {
			return
		}
		type entry struct {
			key, value *yaml.Node
			rank       int
		}
		lastKey := n.Content[len(n.Content)-2]
		entries := make([]entry, 0, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			rank := len(s.keys)
			switch {
			case isMergeKey(k):
				rank = -1 // `<<: *base` first, then what overrides it
			case k.Kind == yaml.ScalarNode && k.ShortTag() == "!!str":
				if j := slices.Index(s.keys, k.Value); j >= 0 {
					rank = j
				}
			}
			entries = append(entries, entry{k, n.Content[i+1], rank})
		}
		slices.SortStableFunc(entries, func(a, b entry) int { return a.rank - b.rank })
		// An unknown entry that holds an anchor must stay before the
		// aliases to it: it moves up to just before the first entry
		// that refers to it (processed from the last, so that entries
		// moving to the same place keep their order).
		for i := len(entries) - 1; i >= 0; i-- {
			if entries[i].rank >= 0 && entries[i].rank < len(s.keys) {
				continue
			}
			anchors := anchorsIn(entries[i].value, nil)
			if len(anchors) == 0 {
				continue
			}
			for j := 0; j < i; j++ {
				if refersTo(entries[j].key, anchors) || refersTo(entries[j].value, anchors) {
					e := entries[i]
					copy(entries[j+1:i+1], entries[j:i])
					entries[j] = e
					i++ // entries[i] is now the one that was before it
					break
				}
			}
		}
		for i, e := range entries {
			n.Content[2*i], n.Content[2*i+1] = e.key, e.value
			if e.rank >= 0 && e.rank < len(s.keys) {
				reorder(e.value, s.fields[s.keys[e.rank]])
			}
		}
		// A comment block below the last entry closes the mapping: it
		// stays at its end. (yaml.v3 hangs it on the last key.)
		if newLast := n.Content[len(n.Content)-2]; newLast != lastKey && lastKey.FootComment != "" {
			newLast.FootComment = joinComments(newLast.FootComment, lastKey.FootComment)
			lastKey.FootComment = ""
		}
	}
}

func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Tag == "!!merge" && k.Style&yaml.TaggedStyle == 0
}

// untagMerge clears the tag of `<<` merge keys: yaml.v3 would write it
// out as `!!merge <<`, and reads `<<` back as a merge key anyway.
func untagMerge(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if isMergeKey(n.Content[i]) && n.Content[i].Value == "<<" {
				n.Content[i].Tag = ""
			}
		}
	}
	if n.Kind != yaml.AliasNode {
		for _, c := range n.Content {
			untagMerge(c)
		}
	}
}

// anchorsIn adds the anchored nodes of the tree n to set.
func anchorsIn(n *yaml.Node, set map[*yaml.Node]bool) map[*yaml.Node]bool {
	if n == nil || n.Kind == yaml.AliasNode {
		return set
	}
	if n.Anchor != "" {
		if set == nil {
			set = map[*yaml.Node]bool{}
		}
		set[n] = true
	}
	for _, c := range n.Content {
		set = anchorsIn(c, set)
	}
	return set
}

// refersTo reports whether the tree n has an alias to one of anchors.
func refersTo(n *yaml.Node, anchors map[*yaml.Node]bool) bool {
	if n == nil {
		return false
	}
	if n.Kind == yaml.AliasNode {
		return anchors[n.Alias]
	}
	for _, c := range n.Content {
		if refersTo(c, anchors) {
			return true
		}
	}
	return false
}

// reorderRoot sorts the top-level mapping and keeps the file's first and
// last comment blocks where they were: at the top and at the end.
func reorderRoot(doc *yaml.Node, root *yaml.Node, s *shape) {
	if root.Kind != yaml.MappingNode || len(root.Content) < 2 {
		reorder(root, s)
		return
	}
	firstKey := root.Content[0]
	reorder(root, s)
	// Without a document comment of its own, the comment block above the
	// first key is the file's header (a schema modeline, a licence): it
	// stays first whichever key comes first now.
	if doc.HeadComment == "" && root.HeadComment == "" && firstKey != root.Content[0] && firstKey.HeadComment != "" {
		newFirst := root.Content[0]
		newFirst.HeadComment = joinComments(firstKey.HeadComment, newFirst.HeadComment)
		firstKey.HeadComment = ""
	}
}

// moveFeet puts foot comments where yaml.v3 writes them well.
//
// A foot comment on a flow collection comes out as `{a: 1,}` followed by
// the comment, and reads back elsewhere: it becomes the foot of the key
// whose value the collection is (or of the list holding it, or the head
// of the next item). A collection's own foot becomes its key's foot too.
//
// The foot comment of an entry that is not the last of its block mapping
// or list becomes the head comment of the next entry: yaml.v3 writes a
// foot comment followed by a blank line (that is how it tells a foot from
// a head when reading), and inside a stage there are no blank lines. The
// comment stays where it was, below the entry's value. The top-level
// mapping keeps its feet: a blank line follows them anyway when a section
// follows.
func moveFeet(n *yaml.Node, top bool) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			moveFeet(c, true)
			if isFlowCollection(c) && c.FootComment != "" {
				n.FootComment = joinComments(c.FootComment, n.FootComment)
				c.FootComment = ""
			}
		}
		return
	case yaml.MappingNode, yaml.SequenceNode:
	default:
		return
	}
	for _, c := range n.Content {
		moveFeet(c, false)
	}
	if n.Style&yaml.FlowStyle != 0 {
		return
	}
	if n.Kind == yaml.SequenceNode {
		for _, item := range n.Content {
			// A head comment of an item's first key goes above the item:
			// yaml.v3 would write it after the dash.
			if item.Kind == yaml.MappingNode && item.Style&yaml.FlowStyle == 0 && len(item.Content) > 0 && item.Content[0].HeadComment != "" {
				item.HeadComment = joinComments(item.HeadComment, item.Content[0].HeadComment)
				item.Content[0].HeadComment = ""
			}
		}
		for i, item := range n.Content {
			if item.FootComment == "" {
				continue
			}
			if i+1 < len(n.Content) {
				if !top {
					n.Content[i+1].HeadComment = joinComments(item.FootComment, n.Content[i+1].HeadComment)
					item.FootComment = ""
				}
			} else if isFlowCollection(item) {
				n.FootComment = joinComments(n.FootComment, item.FootComment)
				item.FootComment = ""
			}
		}
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.FootComment != "" && v.Kind != yaml.AliasNode {
			k.FootComment = joinComments(k.FootComment, v.FootComment)
			v.FootComment = ""
		}
		if k.FootComment != "" && !top && i+3 < len(n.Content) {
			next := n.Content[i+2]
			next.HeadComment = joinComments(k.FootComment, next.HeadComment)
			k.FootComment = ""
		}
	}
}

func isFlowCollection(n *yaml.Node) bool {
	return (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle != 0
}

func joinComments(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n" + b
}
