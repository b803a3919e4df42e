package format

import (
	"bytes"
	"fmt"
)

// diffContext is the number of unchanged lines shown around a change.
const diffContext = 3

// maxEditDistance bounds the work of the line matcher; past it, the rest
// of the files is shown as replaced, which is still a correct diff.
const maxEditDistance = 2000

// Diff returns a unified diff from a to b, with the file names oldName and
// newName on its --- and +++ lines, or nothing when they are equal. It is
// deterministic: the same inputs give the same bytes.
func Diff(oldName, newName string, a, b []byte) []byte {
	if bytes.Equal(a, b) {
		return nil
	}
	x, y := splitLines(a), splitLines(b)
	ops := diffLines(x, y)

	var out bytes.Buffer
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldName, newName)
	// Group the edits into hunks with their context.
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(i-diffContext, 0)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*diffContext {
				end = min(end+diffContext, run)
				break
			}
			end = run
		}
		writeHunk(&out, ops[start:end])
		i = end
	}
	return out.Bytes()
}

type line struct {
	text   string // without its \n
	noEOL  bool   // the last line, without a final line break
	number int    // 1-based in its file
}

type diffOp struct {
	kind byte // ' ', '-' or '+'
	line line
	// oldLine and newLine are the 1-based lines before this op in each
	// file (for hunk headers).
	oldLine, newLine int
}

func splitLines(data []byte) []line {
	var out []line
	for n := 1; len(data) > 0; n++ {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			out = append(out, line{text: string(data), noEOL: true, number: n})
			break
		}
		out = append(out, line{text: string(data[:i]), number: n})
		data = data[i+1:]
	}
	return out
}

func (l line) same(m line) bool { return l.text == m.text && l.noEOL == m.noEOL }

// diffLines computes a shortest edit script with Myers' algorithm after
// trimming the common head and tail.
func diffLines(x, y []line) []diffOp {
	var ops []diffOp
	head := 0
	for head < len(x) && head < len(y) && x[head].same(y[head]) {
		head++
	}
	tail := 0
	for tail < len(x)-head && tail < len(y)-head && x[len(x)-1-tail].same(y[len(y)-1-tail]) {
		tail++
	}
	for i := 0; i < head; i++ {
		ops = append(ops, diffOp{kind: ' ', line: x[i], oldLine: i + 1, newLine: i + 1})
	}
	ops = append(ops, myers(x[head:len(x)-tail], y[head:len(y)-tail], head, head)...)
	for i := 0; i < tail; i++ {
		xi, yi := len(x)-tail+i, len(y)-tail+i
		ops = append(ops, diffOp{kind: ' ', line: x[xi], oldLine: xi + 1, newLine: yi + 1})
	}
	return ops
}

// myers returns the edit script from x to y; x0 and y0 are the numbers of
// lines before them in their files.
func myers(x, y []line, x0, y0 int) []diffOp {
	n, m := len(x), len(y)
	maxD := n + m
	offset := maxD + 1
	v := make([]int, 2*maxD+3)
	var trace [][]int
	found := -1
	for d := 0; d <= maxD && d <= maxEditDistance; d++ {
		// Keep the part of v the walk back reads: k from -d-1 to d+1.
		trace = append(trace, append([]int(nil), v[offset-d-1:offset+d+2]...))
		for k := -d; k <= d; k += 2 {
			var i int
			if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
				i = v[offset+k+1]
			} else {
				i = v[offset+k-1] + 1
			}
			j := i - k
			for i < n && j < m && x[i].same(y[j]) {
				i, j = i+1, j+1
			}
			v[offset+k] = i
			if i >= n && j >= m {
				found = d
				break
			}
		}
		if found >= 0 {
			break
		}
	}
	if found < 0 {
		// Too different: everything old out, everything new in.
		var ops []diffOp
		for i, l := range x {
			ops = append(ops, diffOp{kind: '-', line: l, oldLine: x0 + i + 1, newLine: y0 + 1})
		}
		for j, l := range y {
			ops = append(ops, diffOp{kind: '+', line: l, oldLine: x0 + n + 1, newLine: y0 + j + 1})
		}
		return ops
	}
	// Walk back through the trace.
	var rev []diffOp
	i, j := n, m
	for d := found; d > 0; d-- {
		vd, base := trace[d], d+1 // vd[base+k] is v[k]
		k := i - j
		var prevK int
		if k == -d || (k != d && vd[base+k-1] < vd[base+k+1]) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevI := vd[base+prevK]
		prevJ := prevI - prevK
		for i > prevI && j > prevJ {
			i, j = i-1, j-1
			rev = append(rev, diffOp{kind: ' ', line: x[i], oldLine: x0 + i + 1, newLine: y0 + j + 1})
		}
		if i > prevI {
			i--
			rev = append(rev, diffOp{kind: '-', line: x[i], oldLine: x0 + i + 1, newLine: y0 + j + 1})
		} else {
			j--
			rev = append(rev, diffOp{kind: '+', line: y[j], oldLine: x0 + i + 1, newLine: y0 + j + 1})
		}
	}
	for i > 0 && j > 0 {
		i, j = i-1, j-1
		rev = append(rev, diffOp{kind: ' ', line: x[i], oldLine: x0 + i + 1, newLine: y0 + j + 1})
	}
	ops := make([]diffOp, len(rev))
	for k := range rev {
		ops[k] = rev[len(rev)-1-k]
	}
	return ops
}

// writeHunk writes one @@ hunk.
func writeHunk(out *bytes.Buffer, ops []diffOp) {
	oldStart, newStart := ops[0].oldLine, ops[0].newLine
	oldCount, newCount := 0, 0
	for _, op := range ops {
		if op.kind != '+' {
			oldCount++
		}
		if op.kind != '-' {
			newCount++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(oldStart, oldCount), hunkRange(newStart, newCount))
	for _, op := range ops {
		out.WriteByte(op.kind)
		out.WriteString(op.line.text)
		out.WriteByte('\n')
		if op.line.noEOL {
			out.WriteString("\\ No newline at end of file\n")
		}
	}
}

// hunkRange formats a range as GNU diff does: "start,count", "start" when
// the count is 1, and the line before when the range is empty.
func hunkRange(start, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprintf("%d", start)
	}
	return fmt.Sprintf("%d,%d", start, count)
}
