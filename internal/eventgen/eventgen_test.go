package eventgen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/eventlog"
)

func generate(t *testing.T, src string, o Options) (string, *Truth) {
	t.Helper()
	var b bytes.Buffer
	truth, err := Generate(FromYAML(t, src), &b, o)
	if err != nil {
		t.Fatal(err)
	}
	return b.String(), truth
}

func TestGenerateDeterministic(t *testing.T) {
	a, ta := generate(t, Synthetic, Options{Seed: 5, Cases: 500})
	b, tb := generate(t, Synthetic, Options{Seed: 5, Cases: 500})
	if a != b || !reflect.DeepEqual(ta, tb) {
		t.Error("the same seed gave different logs")
	}
	c, _ := generate(t, Synthetic, Options{Seed: 6, Cases: 500})
	if a == c {
		t.Error("another seed gave the same log")
	}
	// In time order: the same events, every row's time not before the
	// previous one's.
	d, td := generate(t, Synthetic, Options{Seed: 5, Cases: 500, Order: "time"})
	if !reflect.DeepEqual(ta, td) {
		t.Error("the order changed the cases")
	}
	la, ld := strings.Split(a, "\n"), strings.Split(d, "\n")
	slices.Sort(la)
	slices.Sort(ld)
	if !slices.Equal(la, ld) {
		t.Error("time order: not the same rows")
	}
	prev := ""
	for _, line := range strings.Split(strings.TrimSpace(d), "\n")[1:] {
		ts := line[strings.LastIndexByte(line, ',')+1:]
		if ts < prev {
			t.Fatalf("time order: %s after %s", ts, prev)
		}
		prev = ts
	}
	if ta.Cases != 500 || int64(strings.Count(a, "\n")-1) != ta.Events {
		t.Errorf("cases %d events %d, %d lines", ta.Cases, ta.Events, strings.Count(a, "\n"))
	}
}

func TestGenerateOptions(t *testing.T) {
	// Events: cases are added until there are enough events.
	_, tr := generate(t, Synthetic, Options{Seed: 1, Events: 1000})
	if tr.Events < 1000 || tr.Events > 1000+1000 {
		t.Errorf("events %d", tr.Events)
	}
	// JSON Lines with Unix milliseconds and other keys.
	out, _ := generate(t, Synthetic, Options{Seed: 1, Cases: 3, Format: eventlog.FormatJSONL, TimeFormat: "unixms", Columns: [3]string{"user", "", "ts"}})
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var row map[string]any
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("%s: %v", sc.Text(), err)
		}
		if _, ok := row["ts"].(float64); !ok || row["user"] == nil || row["event"] == nil {
			t.Errorf("row %v", row)
		}
	}
	// A wait is `after` plus the minimum gap plus the jitter.
	out, _ = generate(t, TwoStages, Options{Seed: 1, Cases: 1, TimeFormat: "unix", MinGapSeconds: 10})
	if out != "case_id,event,timestamp\n1,a,1704067200\n1,b,1704067210\n" {
		t.Errorf("log:\n%s", out)
	}
	bad := []struct {
		o    Options
		want string
	}{
		{Options{}, "set Cases or Events"},
		{Options{Cases: 1, Order: "random"}, "unknown order"},
		{Options{Cases: 1, Format: "xml"}, "unknown format"},
		{Options{Cases: 1, TimeFormat: "iso"}, "unknown time format"},
		{Options{Cases: 1, Inject: []Injection{{From: "a", To: "b", Rate: 0.1}}}, "is an edge of the journey"},
		{Options{Cases: 1, Inject: []Injection{{From: "a", To: "zz", Rate: 0.1}}}, "names a stage the journey does not have"},
	}
	j := FromYAML(t, TwoStages)
	for _, c := range bad {
		var b bytes.Buffer
		if _, err := Generate(j, &b, c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.o, err, c.want)
		}
	}
	over := strings.Replace(Synthetic, "rate: 0.25", "rate: 0.45", 1)
	var b bytes.Buffer
	if _, err := Generate(FromYAML(t, over), &b, Options{Cases: 1}); err == nil || !strings.Contains(err.Error(), "add up to") {
		t.Errorf("rates above 1: %v", err)
	}
}
