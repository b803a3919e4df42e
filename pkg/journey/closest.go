package journey

import "unicode/utf8"

// Bounds of the "did you mean" search. A suggestion is a likely typo: at
// most max(2, len/3) edits, and never more than closestMaxEdits; a name of
// more than closestMaxRunes code points gets none.
const (
	closestMaxRunes = 200
	closestMaxEdits = 5
	// ClosestBudget is the work one Closest call may do, in the units
	// ClosestWithin counts: enough to compare a name with thousands of
	// ids of ordinary length.
	ClosestBudget = 1 << 16
)

// Closest returns the candidate nearest to name by edit distance, when it
// is near enough to be a likely typo; "" otherwise. Its work is bounded by
// ClosestBudget whatever the number and length of the candidates.
func Closest(name string, candidates []string) string {
	s, _ := ClosestWithin(name, candidates, ClosestBudget)
	return s
}

// ClosestWithin is Closest with its work bounded by budget, and it returns
// the work it did. One unit is a candidate looked at, a code point of a
// candidate decoded or a cell of the edit-distance table. A candidate is
// only compared when the budget left covers the most it can cost, so the
// work returned never exceeds budget; the search stops there and keeps the
// nearest candidate found so far (candidates are looked at in order, so the
// result is the same on every run).
//
// Candidates whose length differs from name's by more than the edits
// allowed are skipped after looking at their byte length, and the distance
// is computed in a band of the table around its diagonal (Ukkonen's
// cut-off), giving up as soon as a whole row exceeds the limit.
func ClosestWithin(name string, candidates []string, budget int) (best string, work int) {
	if len(name) > utf8.UTFMax*closestMaxRunes {
		return "", 0
	}
	a := []rune(name)
	n := len(a)
	if n > closestMaxRunes {
		return "", 0
	}
	limit := min(max(2, n/3), closestMaxEdits)
	// Rows of the table, wide enough for any candidate within limit.
	prev := make([]int, n+limit+2)
	cur := make([]int, n+limit+2)
	b := make([]rune, 0, n+limit+1)
	bestDist := -1
	for _, c := range candidates {
		k := limit
		if bestDist >= 0 {
			k = bestDist // only as near or nearer can win
		}
		// The most this candidate can cost: a look, its decoded code
		// points, a band of 2k+1 cells in each row.
		if work+1+(n+k+1)+(2*k+1)*(n+1) > budget {
			break
		}
		work++
		// A code point is 1 to 4 bytes: the byte length alone often shows
		// that the lengths are too far apart.
		if len(c) < n-k || len(c) > utf8.UTFMax*(n+k) || c == name {
			continue
		}
		b = b[:0]
		for _, r := range c {
			b = append(b, r)
			if len(b) > n+k {
				break
			}
		}
		work += len(b)
		if len(b) > n+k || len(b) < n-k {
			continue
		}
		d, cells := boundedDistance(a, b, k, prev, cur)
		work += cells
		if d <= k && (bestDist < 0 || d < bestDist || c < best) {
			best, bestDist = c, d
		}
	}
	return best, work
}

// boundedDistance is the Levenshtein distance between a and b in code
// points when it is at most k, and k+1 otherwise, computed only in the band
// |i-j| <= k of the table; it also returns the number of cells computed,
// at most (2k+1)*len(a). It needs |len(a)-len(b)| <= k and rows of at least
// len(b)+2 entries.
func boundedDistance(a, b []rune, k int, prev, cur []int) (dist, cells int) {
	n, m := len(a), len(b)
	inf := k + 1
	for j := 0; j <= m+1 && j < len(prev); j++ {
		prev[j] = min(j, inf)
	}
	for i := 1; i <= n; i++ {
		lo, hi := max(1, i-k), min(m, i+k)
		cur[lo-1] = inf
		if lo == 1 {
			cur[0] = min(i, inf)
		}
		rowMin := cur[lo-1]
		for j := lo; j <= hi; j++ {
			v := prev[j-1]
			if a[i-1] != b[j-1] {
				v++
			}
			v = min(v, prev[j]+1, cur[j-1]+1, inf)
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		cells += hi - lo + 1
		if hi+1 <= m {
			cur[hi+1] = inf // read as "above" by the next row
		}
		if rowMin > k {
			return inf, cells
		}
		prev, cur = cur, prev
	}
	return min(prev[m], inf), cells
}
