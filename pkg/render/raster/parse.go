package raster

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// node is one element of the parsed SVG, or a run of character data inside
// a <text> element (name "#text").
type node struct {
	name     string
	attrs    map[string]string // presentation attributes merged with style="..."
	children []*node
	text     string
}

const (
	maxDepth = 256     // deeper elements are parsed but not kept
	maxNodes = 1 << 20 // more elements than this is refused
)

// attr returns the value of a property or attribute, trimmed.
func (n *node) attr(name string) (string, bool) {
	v, ok := n.attrs[name]
	if !ok {
		return "", false
	}
	return strings.TrimSpace(v), true
}

// parseSVG reads the document into a tree. Char data is kept only inside
// <text> elements; <style> blocks are dropped.
func parseSVG(data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader

	var (
		root    *node
		stack   []*node
		skipped int // depth inside elements we do not keep
		inText  int
		count   int
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("raster: bad SVG: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skipped > 0 || len(stack) >= maxDepth {
				skipped++
				continue
			}
			count++
			if count > maxNodes {
				return nil, errors.New("raster: SVG has too many elements")
			}
			n := &node{name: t.Name.Local, attrs: make(map[string]string, len(t.Attr))}
			var style string
			for _, a := range t.Attr {
				switch {
				case a.Name.Local == "style" && a.Name.Space == "":
					style = a.Value
				case a.Name.Local == "href":
					// xlink:href and href are the same for us.
					n.attrs["href"] = a.Value
				case a.Name.Space == "" || a.Name.Space == "http://www.w3.org/2000/svg":
					n.attrs[a.Name.Local] = a.Value
				case a.Name.Space == "xml" || a.Name.Space == "http://www.w3.org/XML/1998/namespace":
					n.attrs["xml:"+a.Name.Local] = a.Value
				}
			}
			for _, decl := range strings.Split(style, ";") {
				k, v, ok := strings.Cut(decl, ":")
				if !ok {
					continue
				}
				k = strings.ToLower(strings.TrimSpace(k))
				v = strings.TrimSpace(v)
				v = strings.TrimSpace(strings.TrimSuffix(v, "!important"))
				if k != "" && v != "" {
					n.attrs[k] = v
				}
			}
			if root == nil {
				root = n
			} else if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				// A second root element: not well-formed XML, but the
				// decoder lets it through.
				return nil, errors.New("raster: bad SVG: more than one root element")
			}
			if n.name == "text" {
				inText++
			}
			stack = append(stack, n)
		case xml.EndElement:
			if skipped > 0 {
				skipped--
				continue
			}
			if len(stack) == 0 {
				return nil, errors.New("raster: bad SVG: unbalanced end element")
			}
			if stack[len(stack)-1].name == "text" {
				inText--
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if inText > 0 && skipped == 0 && len(stack) > 0 {
				p := stack[len(stack)-1]
				s := string(t)
				if k := len(p.children); k > 0 && p.children[k-1].name == "#text" {
					p.children[k-1].text += s
				} else {
					count++
					if count > maxNodes {
						return nil, errors.New("raster: SVG has too many elements")
					}
					p.children = append(p.children, &node{name: "#text", text: s})
				}
			}
		}
	}
	if root == nil {
		return nil, errors.New("raster: bad SVG: no root element")
	}
	if root.name != "svg" {
		return nil, fmt.Errorf("raster: bad SVG: root element is <%s>, not <svg>", root.name)
	}
	return root, nil
}

// charsetReader accepts the single-byte encodings an SVG might declare.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return input, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252":
		b, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		var out bytes.Buffer
		out.Grow(len(b))
		for _, c := range b {
			out.WriteRune(rune(c))
		}
		return &out, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

// indexIDs maps id attributes to their elements (the first one wins).
func indexIDs(root *node) map[string]*node {
	ids := map[string]*node{}
	var walk func(n *node)
	walk = func(n *node) {
		if id, ok := n.attrs["id"]; ok {
			if _, dup := ids[id]; !dup {
				ids[id] = n
			}
		}
		for _, c := range n.children {
			if c.name != "#text" {
				walk(c)
			}
		}
	}
	walk(root)
	return ids
}
