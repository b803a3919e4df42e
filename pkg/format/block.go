package format

import (
	"bytes"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// yaml.v3 writes a folded scalar (>) on as few lines as its value allows,
// which undoes the line breaks the author chose, and writes a literal
// scalar (|) with a trailing space on a line, or starting with an empty
// line, as a double-quoted string (or loses the empty line). A block
// scalar is therefore encoded as a placeholder and its source lines are
// put back, indented anew, after encoding. A folded scalar with keep
// chomping (>+) goes the same way: yaml.v3 writes one line break too many
// at the end of one (its folded writer looks for the end of the run of line
// breaks from the start of the value instead of from the break), so the
// value would grow by a line. A literal one (|+) is written right by
// yaml.v3 and left to it. Scalars whose text cannot be moved as lines (an
// explicit indentation indicator, lines of only spaces that are content,
// tabs in the indentation) are left to yaml.v3.

// rawBlock is one block scalar kept as written.
type rawBlock struct {
	token  string   // the placeholder value
	header string   // "|", "|-", ">", ">-" or ">+"
	lines  []string // content lines without their indentation; "" for empty
	// keep is the number of empty lines after the content that belong to
	// the value (keep chomping).
	keep int
}

// markBlockScalars replaces the value of each block scalar it can keep by a
// placeholder and returns what to put back.
func markBlockScalars(doc *yaml.Node, text []byte) []rawBlock {
	var lines [][]byte
	var blocks []rawBlock
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch n.Kind {
		case yaml.DocumentNode, yaml.MappingNode, yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c)
			}
		case yaml.ScalarNode:
			if n.Style&(yaml.FoldedStyle|yaml.LiteralStyle) == 0 {
				return
			}
			if lines == nil {
				lines = bytes.Split(text, []byte("\n"))
			}
			f, ok := blockSource(lines, n)
			if !ok {
				return
			}
			f.token = "journey-fmt-block-" + strconv.Itoa(len(blocks)) + "-" + strconv.Itoa(len(text))
			if bytes.Contains(text, []byte(f.token)) {
				return
			}
			n.Value = f.token
			blocks = append(blocks, f)
		}
	}
	walk(doc)
	return blocks
}

// blockSource reads the header and content lines of the block scalar n.
func blockSource(lines [][]byte, n *yaml.Node) (rawBlock, bool) {
	if n.Line < 1 || n.Line > len(lines) {
		return rawBlock{}, false
	}
	head := []rune(string(lines[n.Line-1]))
	i := n.Column - 1
	// Skip the anchor and tag written before the indicator.
	for i >= 0 && i < len(head) && (head[i] == '&' || head[i] == '!') {
		for i < len(head) && head[i] != ' ' && head[i] != '\t' {
			i++
		}
		for i < len(head) && (head[i] == ' ' || head[i] == '\t') {
			i++
		}
	}
	if i < 0 || i >= len(head) || head[i] != '>' && head[i] != '|' {
		return rawBlock{}, false
	}
	j := i + 1
	for j < len(head) && strings.ContainsRune("+-0123456789", head[j]) {
		j++
	}
	header := string(head[i:j])
	if header != ">" && header != ">-" && header != "|" && header != "|-" && header != ">+" {
		return rawBlock{}, false
	}
	if n.Value == "" {
		return rawBlock{}, false
	}
	var content []string
	indent, maxLeading := -1, 0
	for l := n.Line; l < len(lines); l++ {
		line := string(lines[l])
		trimmed := strings.TrimLeft(line, " ")
		spaces := len(line) - len(trimmed)
		if trimmed == "" {
			if indent >= 0 && spaces > indent || strings.ContainsRune(line, '\t') {
				return rawBlock{}, false // spaces that are content
			}
			if indent < 0 {
				maxLeading = max(maxLeading, spaces)
			}
			content = append(content, "")
			continue
		}
		if indent < 0 {
			indent = spaces
			if indent == 0 {
				return rawBlock{}, false
			}
			if maxLeading > indent {
				return rawBlock{}, false
			}
		}
		if spaces < indent {
			break
		}
		if len(content) == 0 && strings.HasPrefix(line[indent:], "\t") {
			return rawBlock{}, false // the first line would read as indentation
		}
		content = append(content, line[indent:])
	}
	for len(content) > 0 && content[len(content)-1] == "" {
		content = content[:len(content)-1]
	}
	if indent < 0 || len(content) == 0 {
		return rawBlock{}, false
	}
	keep := 0
	if header == ">+" {
		// The value ends with the content's line break and one more per
		// empty line kept. With none, clip chomping (>) means the same,
		// and a blank line the layout puts after it stays out of the value.
		keep = len(n.Value) - len(strings.TrimRight(n.Value, "\n")) - 1
		if keep < 0 || strings.TrimRight(n.Value, "\n") == "" {
			return rawBlock{}, false
		}
		if keep == 0 {
			header = ">"
		}
	}
	return rawBlock{header: header, lines: content, keep: keep}, true
}

// restoreBlockScalars puts the block scalars' lines back in place of their
// placeholders.
func restoreBlockScalars(out []byte, blocks []rawBlock) []byte {
	if len(blocks) == 0 {
		return out
	}
	byToken := make(map[string]rawBlock, len(blocks))
	for _, f := range blocks {
		byToken[f.token] = f
	}
	lines := strings.SplitAfter(string(out), "\n")
	var b strings.Builder
	b.Grow(len(out))
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if i+1 < len(lines) {
			next := strings.TrimRight(lines[i+1], "\n")
			if f, ok := byToken[strings.TrimLeft(next, " ")]; ok {
				if h, ok := replaceHeader(line, f.header[:1]+"-", f.header); ok {
					indent := strings.Repeat(" ", len(next)-len(strings.TrimLeft(next, " ")))
					b.WriteString(h)
					for _, c := range f.lines {
						if c == "" {
							b.WriteString("\n")
						} else {
							b.WriteString(indent + c + "\n")
						}
					}
					b.WriteString(strings.Repeat("\n", f.keep))
					i++
					continue
				}
			}
		}
		b.WriteString(line)
	}
	return []byte(b.String())
}

// replaceHeader swaps the header the encoder wrote for a placeholder
// (">-" or "|-") for the scalar's own.
func replaceHeader(line, written, header string) (string, bool) {
	body := strings.TrimRight(line, "\n")
	for i := 0; i+2 <= len(body); i++ {
		if body[i:i+2] != written || (i > 0 && body[i-1] != ' ') {
			continue
		}
		rest := body[i+2:]
		if rest == "" || strings.HasPrefix(rest, " #") {
			return body[:i] + header + rest + "\n", true
		}
	}
	return "", false
}
