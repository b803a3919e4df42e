package attribution_test

import (
	"math"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/eventgen"
	"github.com/journeykit/journey/pkg/attribution"
	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/eventlog"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// TestWorkedByHand: the example of docs/analytics.md, solved there by
// hand in fractions.
func TestWorkedByHand(t *testing.T) {
	j := eventgen.Load(t, "testdata/worked/shop.journey.yaml")
	rep, _, err := attribution.Run(j, eventlog.Source{Path: "testdata/worked/events.csv"}, attribution.Options{Conform: conform.Options{Case: "customer", Time: "time"}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Cases != 5 || rep.Conversions != 3 || !near(rep.ConversionProbability, 3.0/5) {
		t.Fatalf("cases %d conversions %d P %v", rep.Cases, rep.Conversions, rep.ConversionProbability)
	}
	want := map[string]attribution.Channel{
		"ads":   {RemovalEffect: 13.0 / 27, Markov: 3 * 13.0 / 52, FirstTouch: 2, LastTouch: 0, Linear: 1.0/2 + 1.0/3},
		"email": {RemovalEffect: 21.0 / 27, Markov: 3 * 21.0 / 52, FirstTouch: 1, LastTouch: 1, Linear: 1.0/3 + 1},
		"web":   {RemovalEffect: 18.0 / 27, Markov: 3 * 18.0 / 52, FirstTouch: 0, LastTouch: 2, Linear: 1.0/2 + 1.0/3},
	}
	order := []string{}
	for _, c := range rep.Channels {
		w := want[c.Channel]
		order = append(order, c.Channel)
		if !near(c.RemovalEffect, w.RemovalEffect) || !near(c.Markov, w.Markov) || c.FirstTouch != w.FirstTouch || c.LastTouch != w.LastTouch || !near(c.Linear, w.Linear) {
			t.Errorf("%s: %+v, want %+v", c.Channel, c, w)
		}
	}
	if strings.Join(order, ",") != "email,web,ads" {
		t.Errorf("order %v: the largest markov first", order)
	}
}

const levels = `journey: lv
title: Levels
owner: t
phases: [{id: p, name: P}]
stages:
  - id: a
    name: A
    phase: p
    entry: true
    channel: email
    touchpoints:
      - {id: mail, channel: email, action: sends}
      - {channel: sms, action: texts}
    next: [b]
  - id: b
    name: B
    phase: p
    touchpoints: [{channel: web, action: shows}]
    next: [c, won]
  - id: c
    name: C
    phase: p
    next: [won]
  - {id: won, name: W, phase: p, outcome: success}
`

// TestLevelsAndRepeats: what a touch is with --by channel, touchpoint and
// stage; a repeated stage is a repeated touch (linear counts it twice); a
// stage without a channel makes none; a conversion without a touch.
func TestLevelsAndRepeats(t *testing.T) {
	j := eventgen.FromYAML(t, levels)
	log := "case_id,event,timestamp\n" +
		"1,a,1\n1,b,2\n1,a,3\n1,c,4\n1,won,5\n" + // a b a c won
		"2,won,1\n" + // converts without a touch
		"3,b,1\n3,c,2\n" // no conversion
	cases := []struct {
		by                string
		first, last, lin  map[string]float64
		silent, touchless string
	}{
		{by: "channel", first: map[string]float64{"email": 1}, last: map[string]float64{"email": 1},
			lin: map[string]float64{"email": 2.0 / 3, "web": 1.0 / 3}, silent: `"c"`},
		{by: "touchpoint", first: map[string]float64{"a/mail": 1}, last: map[string]float64{"a/2": 1},
			lin: map[string]float64{"a/mail": 2.0 / 5, "a/2": 2.0 / 5, "b/1": 1.0 / 5}, silent: `"c"`},
		{by: "stage", first: map[string]float64{"a": 1}, last: map[string]float64{"c": 1},
			lin: map[string]float64{"a": 2.0 / 4, "b": 1.0 / 4, "c": 1.0 / 4}},
	}
	for _, c := range cases {
		rep, counter, err := attribution.Run(j, eventlog.Source{Name: "log", Reader: strings.NewReader(log)}, attribution.Options{By: c.by, KeepPaths: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Cases != 3 || rep.Conversions != 2 || rep.TouchlessConversions != 1 {
			t.Errorf("%s: cases %d conversions %d touchless %d", c.by, rep.Cases, rep.Conversions, rep.TouchlessConversions)
		}
		markov := 0.0
		for _, ch := range rep.Channels {
			if float64(ch.FirstTouch) != c.first[ch.Channel] || float64(ch.LastTouch) != c.last[ch.Channel] || !near(ch.Linear, c.lin[ch.Channel]) {
				t.Errorf("%s: %+v", c.by, ch)
			}
			markov += ch.Markov
		}
		if !near(markov, 2) {
			t.Errorf("%s: markov adds up to %v, want the 2 conversions", c.by, markov)
		}
		notes := strings.Join(rep.Notes, "\n")
		if !strings.Contains(notes, "1 conversion(s) had no touch") || (c.silent != "") != strings.Contains(notes, "no "+c.by+" touch (not in any path): "+c.silent) {
			t.Errorf("%s: notes %q", c.by, notes)
		}
		if len(counter.Paths()) != 3 {
			t.Errorf("%s: paths %+v", c.by, counter.Paths())
		}
	}
}

// TestNoConversion: nothing converts: every removal effect and markov
// credit is 0, not NaN.
func TestNoConversion(t *testing.T) {
	j := eventgen.FromYAML(t, levels)
	rep, _, err := attribution.Run(j, eventlog.Source{Name: "log", Reader: strings.NewReader("case_id,event,timestamp\n1,a,1\n1,b,2\n")}, attribution.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Channels {
		if c.RemovalEffect != 0 || c.Markov != 0 {
			t.Errorf("%+v", c)
		}
	}
	if len(rep.Channels) != 2 || rep.ConversionProbability != 0 {
		t.Errorf("%+v", rep)
	}
}

// TestTooManyStates: a chain past MaxStates is an error that says what
// to do, not a long solve.
func TestTooManyStates(t *testing.T) {
	j := eventgen.FromYAML(t, levels)
	m := eventgen.Map(t, j)
	md, err := attribution.NewModel(j, m, "stage")
	if err != nil {
		t.Fatal(err)
	}
	// Order 2 over 3 touches has at most 3+9 states: fake many touches.
	for i := 0; i < 200; i++ {
		md.Names = append(md.Names, "x")
	}
	c := attribution.NewCounter(md, 2)
	for a := int32(0); a < 200 && c.Err() == nil; a++ {
		for b := int32(0); b < 200; b++ {
			c.Add([]int32{a, b}, false, 1)
		}
	}
	if _, err := c.Report(); err == nil || !strings.Contains(err.Error(), "--by channel, or with --order 1") {
		t.Fatalf("err %v", err)
	}
}

// TestLoopTooLarge: one loop through 2,001 touches (a case walks it and
// comes back) is refused before any elimination; so is a loop of 600
// touches, solved once per touch (600 x 600^3 units of work).
func TestLoopTooLarge(t *testing.T) {
	j := eventgen.FromYAML(t, levels)
	m := eventgen.Map(t, j)
	for _, n := range []int32{2001, 600} {
		md, err := attribution.NewModel(j, m, "stage")
		if err != nil {
			t.Fatal(err)
		}
		md.Names = make([]string, n)
		for i := range md.Names {
			md.Names[i] = "x"
		}
		c := attribution.NewCounter(md, 1)
		path := make([]int32, 0, n+1)
		for i := int32(0); i < n; i++ {
			path = append(path, i)
		}
		c.Add(append(path, 0), true, 1)
		if _, err := c.Report(); err == nil || !strings.Contains(err.Error(), "too large to solve exactly") {
			t.Fatalf("%d: err %v", n, err)
		}
	}
}
