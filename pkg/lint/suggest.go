package lint

import (
	"sync/atomic"

	"github.com/journeykit/journey/pkg/journey"
)

// Bounds of the "did you mean" suggestions of one journey's checks, in the
// work units of journey.ClosestWithin (a candidate looked at, a code point
// decoded or a cell of the edit-distance table). One suggestion may do at
// most suggestQueryBudget units, all of a journey's at most
// suggestJourneyBudget; past that a finding still says what is unknown,
// only without "did you mean". The same unknown name is looked up once.
const (
	suggestQueryBudget   = journey.ClosestBudget
	suggestJourneyBudget = 1 << 22
)

// suggestWork counts every unit spent on suggestions, for tests.
var suggestWork atomic.Int64

// suggester hands out the suggestion budget of one journey's checks.
// It remembers the suggestion for each unknown name, per set of ids.
type suggester struct {
	left int
	memo map[suggestKey]string
}

type suggestKey struct {
	known *names
	name  string
}

func newSuggester() *suggester {
	return &suggester{left: suggestJourneyBudget, memo: map[suggestKey]string{}}
}

// closest is journey.Closest within the budget left.
func (s *suggester) closest(name string, candidates []string) string {
	if s.left <= 0 || len(candidates) == 0 {
		return ""
	}
	best, work := journey.ClosestWithin(name, candidates, min(suggestQueryBudget, s.left))
	s.left -= work
	suggestWork.Add(int64(work))
	return best
}

// names is a set of ids in a stable order, for suggestions.
type names struct {
	set   map[string]bool
	order []string
}

func (n *names) add(id string) {
	if n.set == nil {
		n.set = map[string]bool{}
	}
	if id != "" && !n.set[id] {
		n.set[id] = true
		n.order = append(n.order, id)
	}
}

// suggest is the id of n closest to the unknown name, or "".
func (n *names) suggest(s *suggester, name string) string {
	k := suggestKey{n, name}
	if c, ok := s.memo[k]; ok {
		return c
	}
	c := s.closest(name, n.order)
	s.memo[k] = c
	return c
}
