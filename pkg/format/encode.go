package format

import (
	"bytes"
	"fmt"

	"gopkg.in/yaml.v3"
)

// yaml.v3's emitter keeps every event of a document in one queue that it
// never shortens (emitterc.go, yaml_emitter_emit), so encoding a journey of
// a thousand stages spends most of its time growing and copying that queue
// (measured: 83% of the encode, 40% of fmt). encode therefore writes the
// long block sequences at the top of the document (a journey's stages) a
// few items at a time, each with a fresh encoder, and splices them into
// the rest of the document. The bytes are the same as one encode of the
// whole tree: the emitter's output does not depend on the column it starts
// at (yaml.v3 never wraps: its width is unlimited), so an item written at
// the root and indented by two spaces is the item written in place.
// TestSplitEncodeIsWholeEncode and FuzzFormat's split check hold it to
// that; whatever the split cannot prove it writes the same way (comments
// on the sequence or its key, a tag or an anchor on it) is encoded whole.

// splitMin is the length from which a sequence is written in pieces, and
// splitChunk the number of items written by one encoder (variables for the
// tests, which split every sequence into pieces of one item).
var (
	splitMin   = 64
	splitChunk = 32
)

// encode writes the tree with two-space indentation.
func encode(doc *yaml.Node) ([]byte, error) {
	if out, ok, err := encodeSplit(doc); ok {
		return out, err
	}
	return encodeWhole(doc)
}

// encodeWhole is one yaml.v3 encode of doc.
func encodeWhole(doc *yaml.Node) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the YAML encoder failed (%v)", r)
		}
	}()
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// encodeSplit writes doc with its long top-level sequences in pieces; ok
// is false when doc has none it can split.
func encodeSplit(doc *yaml.Node) (out []byte, ok bool, err error) {
	if doc == nil || doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, false, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode || root.Style&yaml.FlowStyle != 0 {
		return nil, false, nil
	}
	type hole struct {
		mark string
		seq  *yaml.Node
	}
	var holes []hole
	var content []*yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		if !splittable(key, val) {
			continue
		}
		if content == nil {
			content = append([]*yaml.Node(nil), root.Content...)
		}
		mark := fmt.Sprintf("journeyfmtsplit%dx", len(holes))
		holes = append(holes, hole{mark: mark, seq: val})
		content[i+1] = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: mark}
	}
	if len(holes) == 0 {
		return nil, false, nil
	}
	shellRoot := *root
	shellRoot.Content = content
	shellDoc := *doc
	shellDoc.Content = []*yaml.Node{&shellRoot}
	shell, err := encodeWhole(&shellDoc)
	if err != nil {
		return nil, true, err
	}
	for _, h := range holes {
		// A file that happens to hold a mark's text is written whole.
		if bytes.Count(shell, []byte(h.mark)) != 1 || !bytes.Contains(shell, []byte(": "+h.mark+"\n")) {
			out, err := encodeWhole(doc)
			return out, true, err
		}
	}
	out = make([]byte, 0, len(shell)*2)
	rest := shell
	for _, h := range holes {
		// The mark, a plain scalar, is the value of a key at the root:
		// "KEY: MARK\n". The sequence in its place is "KEY:\n" and its
		// items indented by two spaces.
		at := bytes.Index(rest, []byte(": "+h.mark+"\n"))
		out = append(out, rest[:at]...)
		out = append(out, ":\n"...)
		for i := 0; i < len(h.seq.Content); i += splitChunk {
			part := &yaml.Node{Kind: yaml.SequenceNode, Tag: h.seq.Tag, Content: h.seq.Content[i:min(i+splitChunk, len(h.seq.Content))]}
			items, err := encodeWhole(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{part}})
			if err != nil {
				return nil, true, err
			}
			out = indentLines(out, items)
		}
		rest = rest[at+len(": "+h.mark+"\n"):]
	}
	return append(out, rest...), true, nil
}

// splittable tells whether the pair key: val is a long block sequence
// that carries nothing of its own the emitter would write around it.
func splittable(key, val *yaml.Node) bool {
	return val.Kind == yaml.SequenceNode && len(val.Content) >= splitMin &&
		val.Style == 0 && val.Anchor == "" && (val.Tag == "" || val.Tag == "!!seq") &&
		val.HeadComment == "" && val.LineComment == "" && val.FootComment == "" &&
		key.Kind == yaml.ScalarNode && key.LineComment == "" && key.FootComment == ""
}

// indentLines appends text to out with two spaces before every line that
// is not empty, as the emitter indents a nested sequence (it writes no
// indentation on an empty line, e.g. inside a literal block scalar).
func indentLines(out, text []byte) []byte {
	for len(text) > 0 {
		end := bytes.IndexByte(text, '\n') + 1
		if end == 0 {
			end = len(text)
		}
		line := text[:end]
		if line[0] != '\n' {
			out = append(out, "  "...)
		}
		out = append(out, line...)
		text = text[end:]
	}
	return out
}
