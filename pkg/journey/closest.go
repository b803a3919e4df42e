package journey

// Closest returns the candidate nearest to name by edit distance, when it
// is near enough to be a likely typo; "" otherwise.
func Closest(name string, candidates []string) string {
	best, bestDist := "", -1
	limit := max(2, len([]rune(name))/3)
	for _, c := range candidates {
		if c == name {
			continue
		}
		d := editDistance(name, c)
		if d <= limit && (bestDist < 0 || d < bestDist || (d == bestDist && c < best)) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b in code points.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 200 || len(rb) > 200 {
		return len(ra) + len(rb) // not a typo of anything
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
