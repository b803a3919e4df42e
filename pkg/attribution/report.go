package attribution

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Report is what journey attribute prints. The keys journey, cases,
// conversions and channels (channel, removal_effect, markov, first_touch,
// last_touch, linear) are the contract of `journey attribute --format
// json`; the others are additions.
type Report struct {
	Journey     string `json:"journey"`
	Title       string `json:"title,omitempty"`
	Cases       int64  `json:"cases"`
	Conversions int64  `json:"conversions"`
	// Channels are the touches seen in some path, the largest markov
	// first (then by name). With --by touchpoint or stage, channel names
	// the touchpoint or stage.
	Channels []Channel `json:"channels"`

	By    string `json:"by"`
	Order int    `json:"order"`
	// ConversionProbability is P(conversion) of the chain: the share of
	// cases that convert.
	ConversionProbability float64 `json:"conversion_probability"`
	// States is the number of touch states of the chain.
	States int `json:"states"`
	// TouchlessConversions are conversions whose path has no touch.
	TouchlessConversions int64 `json:"touchless_conversions"`
	// The log, as conform read it.
	EventsFile string `json:"events_file,omitempty"`
	// InputOrder is conform's: grouped (streamed), "sorted in memory" or
	// "sorted on disk".
	InputOrder    string   `json:"input_order,omitempty"`
	Rows          int64    `json:"rows"`
	MappedEvents  int64    `json:"mapped_events"`
	UnknownEvents int64    `json:"unknown_events"`
	BadRows       int64    `json:"bad_rows"`
	Notes         []string `json:"notes,omitempty"`
}

// Channel is the credit of one touch.
type Channel struct {
	Channel string `json:"channel"`
	// RemovalEffect is 1 - P(conversion without it) / P(conversion).
	RemovalEffect float64 `json:"removal_effect"`
	// Markov is conversions x RemovalEffect / the sum of the removal
	// effects.
	Markov     float64 `json:"markov"`
	FirstTouch int64   `json:"first_touch"`
	LastTouch  int64   `json:"last_touch"`
	Linear     float64 `json:"linear"`
}

// Err is the first error the counter met (too many states).
func (c *Counter) Err() error { return c.err }

// Cases is the number of cases added.
func (c *Counter) Cases() int64 { return c.cases }

// Report solves the chain and credits the touches.
func (c *Counter) Report() (*Report, error) {
	if c.err != nil {
		return nil, c.err
	}
	m := c.model
	r := &Report{Journey: m.Journey, Title: m.Title, Cases: c.cases, Conversions: c.conversions,
		Channels: []Channel{}, By: m.By, Order: c.order, States: len(c.statePair), TouchlessConversions: c.touchless}
	ch, err := c.chain()
	if err != nil {
		return nil, err
	}
	solves := 1
	for _, t := range c.touched {
		if t {
			solves++
		}
	}
	if w := ch.work() * float64(solves); w > MaxWork {
		return nil, &LoopError{States: ch.largest(), Work: w}
	}
	p := 0.0
	if c.cases > 0 {
		p = ch.convert(nil)
	}
	r.ConversionProbability = p
	removed := make([]bool, ch.n)
	sum := 0.0
	for t, name := range m.Names {
		if !c.touched[t] {
			continue
		}
		re := 0.0
		if p > 0 {
			for s, pair := range c.statePair {
				removed[firstTouch+s] = pair[1] == int32(t) || pair[0] == int32(t)
			}
			re = max(0, 1-ch.convert(removed)/p)
		}
		sum += re
		r.Channels = append(r.Channels, Channel{Channel: name, RemovalEffect: re,
			FirstTouch: c.first[t], LastTouch: c.last[t], Linear: c.linear[t]})
	}
	for i := range r.Channels {
		if sum > 0 {
			r.Channels[i].Markov = float64(c.conversions) * r.Channels[i].RemovalEffect / sum
		}
	}
	slices.SortStableFunc(r.Channels, func(a, b Channel) int {
		if c := cmp.Compare(b.Markov, a.Markov); c != 0 {
			return c
		}
		return strings.Compare(a.Channel, b.Channel)
	})
	if c.touchless > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d conversion(s) had no touch on the way: they count in markov's total (its definition) but in no first-touch, last-touch or linear credit", c.touchless))
	}
	if len(m.Silent) > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("stages that make no %s touch (not in any path): %s", m.By, strings.Join(quoteAll(m.Silent, 10), ", ")))
	}
	return r, nil
}

func quoteAll(ids []string, most int) []string {
	var out []string
	for i, id := range ids {
		if i == most {
			out = append(out, fmt.Sprintf("… and %d more", len(ids)-most))
			break
		}
		out = append(out, fmt.Sprintf("%q", id))
	}
	return out
}

// Paths returns the distinct paths with their counts, sorted by path
// (KeepPaths must have been called first).
func (c *Counter) Paths() []PathCount {
	out := make([]PathCount, 0, len(c.paths))
	for _, pc := range c.paths {
		out = append(out, *pc)
	}
	slices.SortFunc(out, func(a, b PathCount) int { return slices.Compare(a.Path, b.Path) })
	return out
}
