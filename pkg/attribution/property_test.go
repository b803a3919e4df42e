package attribution_test

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeykit/journey/internal/eventgen"
	"github.com/journeykit/journey/pkg/attribution"
	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/eventlog"
)

// randomJourney is a journey of 3 to 8 stages with channels (some only on
// a touchpoint, some on none), loops, self-loops and three outcomes; it
// returns the YAML and each stage's channel ("" for none; outcomes are
// absent).
func randomJourney(r *rand.Rand) (string, map[string]string) {
	channels := []string{"ads", "email", "web", "sms"}
	n := 3 + r.IntN(6)
	var b strings.Builder
	b.WriteString("journey: rnd\ntitle: Random\nowner: t\nphases: [{id: p, name: P}]\nstages:\n")
	chanOf := map[string]string{}
	targets := []string{"won", "lost", "gone"}
	for i := range n {
		targets = append(targets, fmt.Sprintf("s%d", i))
	}
	for i := range n {
		id := fmt.Sprintf("s%d", i)
		fmt.Fprintf(&b, "  - id: %s\n    name: S\n    phase: p\n", id)
		if i == 0 || r.IntN(4) == 0 {
			b.WriteString("    entry: true\n")
		}
		switch k := r.IntN(10); {
		case k < 7:
			c := channels[r.IntN(len(channels))]
			fmt.Fprintf(&b, "    channel: %s\n", c)
			chanOf[id] = c
		case k < 9:
			c := channels[r.IntN(len(channels))]
			fmt.Fprintf(&b, "    touchpoints:\n      - {channel: %s, action: a}\n      - {channel: web, action: b}\n", c)
			chanOf[id] = c
		default:
			chanOf[id] = ""
		}
		b.WriteString("    next:\n")
		k := 1 + r.IntN(3)
		left := 0.95
		for range k {
			rate := math.Round(r.Float64()*left*100) / 100
			left -= rate
			fmt.Fprintf(&b, "      - {to: %s, rate: %g}\n", targets[r.IntN(len(targets))], rate)
		}
	}
	b.WriteString("  - {id: won, name: W, phase: p, outcome: success}\n")
	b.WriteString("  - {id: lost, name: L, phase: p, outcome: failure}\n")
	b.WriteString("  - {id: gone, name: G, phase: p, outcome: exit}\n")
	return b.String(), chanOf
}

// logPaths reads a generated log (case_id, event, timestamp; event = the
// stage id; no two events of a case at one time) and returns each case's
// channels in time order and whether it converted.
func logPaths(t *testing.T, path string, chanOf map[string]string) map[string]*refPath {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	type ev struct {
		t     time.Time
		stage string
	}
	byCase := map[string][]ev{}
	for _, row := range rows[1:] {
		tm, err := time.Parse(time.RFC3339, row[2])
		if err != nil {
			t.Fatal(err)
		}
		byCase[row[0]] = append(byCase[row[0]], ev{tm, row[1]})
	}
	out := map[string]*refPath{}
	for c, evs := range byCase {
		slices.SortStableFunc(evs, func(a, b ev) int { return a.t.Compare(b.t) })
		p := &refPath{}
		for _, e := range evs {
			if e.stage == "won" {
				p.converted = true
			}
			if ch, ok := chanOf[e.stage]; ok && ch != "" {
				p.touches = append(p.touches, ch)
			}
		}
		out[c] = p
	}
	return out
}

type refPath struct {
	touches   []string
	converted bool
}

// refChannel is what the reference computes for a channel.
type refChannel struct {
	removal, markov, linear float64
	first, last             int64
}

// reference credits the channels from the paths with its own chain: the
// states are built from strings, the absorption probabilities solved over
// all states at once by dense Gauss-Jordan elimination (no components).
func reference(paths map[string]*refPath, order int) (float64, map[string]*refChannel, int64) {
	res := map[string]*refChannel{}
	var conversions int64
	for _, p := range paths {
		for _, c := range p.touches {
			if res[c] == nil {
				res[c] = &refChannel{}
			}
		}
		if !p.converted {
			continue
		}
		conversions++
		if len(p.touches) > 0 {
			res[p.touches[0]].first++
			res[p.touches[len(p.touches)-1]].last++
			for _, c := range p.touches {
				res[c].linear += 1 / float64(len(p.touches))
			}
		}
	}
	state := func(prev, cur string) string {
		if order == 1 {
			return cur
		}
		return prev + "|" + cur
	}
	counts := map[string]map[string]float64{}
	add := func(a, b string) {
		if counts[a] == nil {
			counts[a] = map[string]float64{}
		}
		counts[a][b]++
	}
	for _, p := range paths {
		from, prev := "(start)", "(start)"
		for _, c := range p.touches {
			s := state(prev, c)
			add(from, s)
			from, prev = s, c
		}
		if p.converted {
			add(from, "(conv)")
		} else {
			add(from, "(null)")
		}
	}
	var names []string
	for s := range counts {
		names = append(names, s)
	}
	slices.Sort(names)
	solve := func(removed string) float64 {
		n := len(names)
		idx := map[string]int{}
		for i, s := range names {
			idx[s] = i
		}
		a := make([][]float64, n)
		for i, s := range names {
			a[i] = make([]float64, n+1)
			a[i][i] = 1
			if removed != "" && s != "(start)" && slices.Contains(strings.Split(s, "|"), removed) {
				continue
			}
			total := 0.0
			for _, v := range counts[s] {
				total += v
			}
			for to, v := range counts[s] {
				switch {
				case to == "(conv)":
					a[i][n] += v / total
				case to == "(null)":
				default:
					if removed != "" && slices.Contains(strings.Split(to, "|"), removed) {
						continue
					}
					a[i][idx[to]] -= v / total
				}
			}
		}
		for col := range n {
			p := col
			for r := col + 1; r < n; r++ {
				if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
					p = r
				}
			}
			a[col], a[p] = a[p], a[col]
			for r := range n {
				if r != col && a[r][col] != 0 {
					f := a[r][col] / a[col][col]
					for k := col; k <= n; k++ {
						a[r][k] -= f * a[col][k]
					}
				}
			}
		}
		i := idx["(start)"]
		return a[i][n] / a[i][i]
	}
	p := solve("")
	sum := 0.0
	for c, rc := range res {
		if p > 0 {
			rc.removal = max(0, 1-solve(c)/p)
		}
		sum += rc.removal
	}
	for _, rc := range res {
		if sum > 0 {
			rc.markov = float64(conversions) * rc.removal / sum
		}
	}
	return p, res, conversions
}

// TestAgainstDenseSolver: over 300 generated logs of random journeys
// (grouped by case or in time order, so that conform sorts them, in
// memory or on disk), every
// number of Run, order 1 and 2, equals the reference's: the paths read
// back from the CSV by the test, the chain built and solved densely.
func TestAgainstDenseSolver(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 2026))
	logs := 300
	if testing.Short() {
		logs = 40
	}
	checked, onDisk := 0, 0
	for i := range logs {
		src, chanOf := randomJourney(r)
		j := eventgen.FromYAML(t, src)
		order := "case"
		if i%2 == 1 {
			order = "time"
		}
		path, _ := eventgen.WriteFile(t, j, "events.csv", eventgen.Options{Seed: uint64(i), Cases: 20 + r.IntN(200), MinGapSeconds: 1, JitterSeconds: 600, Order: order, MaxSteps: 30})
		paths := logPaths(t, path, chanOf)
		for _, ord := range []int{1, 2} {
			opts := attribution.Options{Order: ord}
			if i%4 == 3 {
				// The smallest sort memory: a log in time order of more
				// than 1,024 events is sorted in runs on disk.
				opts.Conform.SortMemory = 1
				opts.Conform.TempDir = t.TempDir()
			}
			rep, _, err := attribution.Run(j, eventlog.Source{Path: path}, opts)
			if err != nil {
				t.Fatalf("log %d order %d: %v\n%s", i, ord, err, src)
			}
			p, want, conversions := reference(paths, ord)
			if rep.Cases != int64(len(paths)) || rep.Conversions != conversions {
				t.Fatalf("log %d: cases %d conversions %d, want %d %d", i, rep.Cases, rep.Conversions, len(paths), conversions)
			}
			if math.Abs(rep.ConversionProbability-p) > 1e-9 || (rep.Cases > 0 && math.Abs(p-float64(conversions)/float64(rep.Cases)) > 1e-9) {
				t.Fatalf("log %d order %d: P(conversion) %v, reference %v, observed %d/%d", i, ord, rep.ConversionProbability, p, conversions, rep.Cases)
			}
			if len(rep.Channels) != len(want) {
				t.Fatalf("log %d: %d channels, want %d", i, len(rep.Channels), len(want))
			}
			markov := 0.0
			for _, c := range rep.Channels {
				w := want[c.Channel]
				if w == nil || math.Abs(c.RemovalEffect-w.removal) > 1e-9 || math.Abs(c.Markov-w.markov) > 1e-9 ||
					c.FirstTouch != w.first || c.LastTouch != w.last || math.Abs(c.Linear-w.linear) > 1e-9 {
					t.Fatalf("log %d order %d: %s: %+v, want %+v\n%s", i, ord, c.Channel, c, w, src)
				}
				markov += c.Markov
			}
			if markov > 0 && math.Abs(markov-float64(conversions)) > 1e-9 {
				t.Fatalf("log %d: the markov credits add up to %v, not %d", i, markov, conversions)
			}
			if markov > 0 {
				checked++
			}
			if rep.InputOrder == conform.OrderSortedDisk {
				onDisk++
			}
		}
	}
	if checked < logs/2 {
		t.Fatalf("only %d of %d runs had credit to compare: the generated logs lack conversions", checked, 2*logs)
	}
	if onDisk == 0 {
		t.Error("no log was sorted on disk")
	}
	t.Logf("%d logs, %d runs with credit, %d sorted on disk", logs, checked, onDisk)
}
