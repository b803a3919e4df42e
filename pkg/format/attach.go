package format

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// fixFeet corrects where yaml.v3 hangs foot comments, using where they are
// in the text.
//
// A comment block written less indented than the entry above it, right
// above the next entry, becomes a foot comment of the entry above (deep
// inside it), when its author meant it as a heading of the entry below:
//
//   - id: a
//     name: A
//     # ---- nurture ----
//   - id: b
//
// The part of a foot comment that the next line of content follows
// directly (no blank line between) becomes the head comment of the entry
// that starts on that line.
//
// yaml.v3 also sometimes hangs a comment on an entry that comes after it:
// it goes back to the entry that starts on the last line of content above
// it.
func fixFeet(doc *yaml.Node, text []byte) {
	lines := strings.Split(string(text), "\n")
	starts := map[int]*yaml.Node{} // line (1-based) -> outermost node starting there
	var feet []*yaml.Node
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 10000 {
			return
		}
		if n.Kind != yaml.DocumentNode {
			if _, ok := starts[n.Line]; !ok {
				starts[n.Line] = n
			}
		}
		if n.FootComment != "" && n.Kind != yaml.DocumentNode {
			feet = append(feet, n)
		}
		if n.Kind == yaml.AliasNode {
			return
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	if len(feet) == 0 {
		return
	}
	// The lines holding each comment text, to find a foot in the text.
	byText := map[string][]int{}
	for l, line := range lines {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "#") {
			byText[t] = append(byText[t], l)
		}
	}
	root := doc.Content[0]
	for _, n := range feet {
		foot := strings.Split(n.FootComment, "\n")
		first, last, split, ok := locateComment(lines, byText, foot)
		if !ok {
			continue
		}
		// A block that the next line of content follows directly is the
		// head of what starts there.
		if after := last + 1; after < len(lines) && isContent(lines[after]) {
			if next := starts[after+1]; next != nil && next != n {
				if next == root && root.Kind == yaml.MappingNode && len(root.Content) > 0 {
					next = root.Content[0]
				}
				next.HeadComment = joinComments(strings.Join(foot[split:], "\n"), next.HeadComment)
				foot = foot[:split]
			}
		}
		for len(foot) > 0 && strings.TrimSpace(foot[len(foot)-1]) == "" {
			foot = foot[:len(foot)-1]
		}
		n.FootComment = strings.Join(foot, "\n")
		// A foot written above its node belongs to what is above it.
		if n.FootComment != "" && first+1 < n.Line {
			for l := first - 1; l >= 0; l-- {
				if !isContent(lines[l]) {
					continue
				}
				if prev := starts[l+1]; prev != nil && prev != n {
					prev.FootComment = joinComments(prev.FootComment, n.FootComment)
					n.FootComment = ""
				}
				break
			}
		}
	}
}

func isContent(line string) bool {
	t := strings.TrimSpace(line)
	return t != "" && !strings.HasPrefix(t, "#")
}

// locateComment finds the comment lines of block (a yaml.v3 comment: lines
// of comments, and empty lines where blank lines separate them) on lines
// of their own in the text, when they are there once. first and last are
// the 0-based lines of its first and last comment; block[split:] is the
// part after the last blank line.
func locateComment(lines []string, byText map[string][]int, block []string) (first, last, split int, ok bool) {
	found := 0
	for _, l := range byText[strings.TrimSpace(block[0])] {
		if e, s, match := matchComment(lines, block, l); match {
			found++
			first, last, split = l, e, s
		}
	}
	// The same comment written twice: no telling which one this is.
	return first, last, split, found == 1
}

func matchComment(lines, block []string, l int) (last, split int, ok bool) {
	for i, c := range block {
		c = strings.TrimSpace(c)
		if c == "" {
			split = i + 1
			continue
		}
		for l < len(lines) && strings.TrimSpace(lines[l]) == "" {
			l++
			split = i
		}
		if l >= len(lines) || strings.TrimSpace(lines[l]) != c {
			return 0, 0, false
		}
		last = l
		l++
	}
	return last, split, true
}
