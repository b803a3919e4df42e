package journey

import (
	"math/rand"
	"strings"
	"testing"
)

// levenshtein is the plain full-table distance, the reference the bounded
// one is checked against.
func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// closestReference is Closest without any bound on work.
func closestReference(name string, candidates []string) string {
	n := len([]rune(name))
	if n > closestMaxRunes {
		return ""
	}
	limit := min(max(2, n/3), closestMaxEdits)
	best, bestDist := "", -1
	for _, c := range candidates {
		if c == name {
			continue
		}
		d := levenshtein([]rune(name), []rune(c))
		if d <= limit && (bestDist < 0 || d < bestDist || (d == bestDist && c < best)) {
			best, bestDist = c, d
		}
	}
	return best
}

func TestClosest(t *testing.T) {
	ids := []string{"welcome", "checkout", "trial-started", "café", "onboarding-email-1", "onboarding-email-2"}
	for _, tt := range []struct{ name, want string }{
		{"welcom", "welcome"},
		{"wlecome", "welcome"},
		{"checkot", "checkout"},
		{"cafe", "café"},
		{"onboarding-email-3", "onboarding-email-1"}, // ties go to the first in order
		{"trial-start", "trial-started"},
		{"welcome", ""}, // the name itself is no suggestion
		{"zzz", ""},
		{"", ""},
		{strings.Repeat("w", 300), ""},
	} {
		if got := Closest(tt.name, ids); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// The banded, cut-off search finds exactly what the full table finds.
func TestClosestMatchesFullDistance(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	word := func() string {
		b := make([]rune, rng.Intn(14))
		for i := range b {
			b[i] = []rune("abcé-")[rng.Intn(5)]
		}
		return string(b)
	}
	for i := 0; i < 3000; i++ {
		name := word()
		cands := make([]string, rng.Intn(20))
		for j := range cands {
			cands[j] = word()
		}
		got, _ := ClosestWithin(name, cands, 1<<30)
		if want := closestReference(name, cands); got != want {
			t.Fatalf("ClosestWithin(%q, %q) = %q, want %q", name, cands, got, want)
		}
	}
}

// The work of a search never exceeds its budget, however many and however
// near the candidates: repro 02 (issue 11) had 1,000 ids of 185 characters,
// each one or two edits from the others.
func TestClosestWorkIsBounded(t *testing.T) {
	long := strings.Repeat("a", 180)
	var cands []string
	for i := 0; i < 5000; i++ {
		cands = append(cands, long+"-"+string(rune('a'+i%26))+string(rune('a'+i/26%26)))
	}
	for _, budget := range []int{0, 1, 100, 5000, ClosestBudget} {
		_, work := ClosestWithin(long+"-zzz", cands, budget)
		if work > budget {
			t.Errorf("budget %d: %d units of work", budget, work)
		}
		if budget >= 5000 && work < budget/2 {
			t.Errorf("budget %d: only %d units: the input does not exercise the bound", budget, work)
		}
	}
	// A near candidate within the budget is found.
	if got := Closest(long+"-ab", cands); got != long+"-aa" {
		t.Errorf("Closest among near candidates = %q, want the first at one edit, %q", got, long+"-aa")
	}
}
