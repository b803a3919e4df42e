package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/golden"
	"github.com/journeykit/journey/pkg/conform/sqlgen"
)

const (
	shopJourney = "pkg/attribution/testdata/worked/shop.journey.yaml"
	shopEvents  = "pkg/attribution/testdata/worked/events.csv"
)

var shopColumns = []string{"--case", "customer", "--time", "time"}

// TestAttributeGoldens: the worked example in every output format, by
// every level and order, against cmd/journey/testdata/attribute.
func TestAttributeGoldens(t *testing.T) {
	t.Chdir("../..")
	cases := []struct {
		name string
		args []string
	}{
		{"worked.txt", nil},
		{"worked.json", []string{"--format", "json"}},
		{"worked.md", []string{"--format", "markdown"}},
		{"worked-order2.txt", []string{"--order", "2"}},
		{"worked-stage.txt", []string{"--by", "stage"}},
		{"worked-touchpoint.json", []string{"--by", "touchpoint", "--format", "json"}},
	}
	for _, c := range cases {
		args := append([]string{"attribute", shopJourney, "--events", shopEvents}, shopColumns...)
		code, out, errOut := conformCLI(t, "", append(args, c.args...)...)
		if code != 0 {
			t.Fatalf("%s: exit %d %s", c.name, code, errOut)
		}
		golden.Check(t, filepath.Join("cmd", "journey", "testdata", "attribute", c.name), []byte(out))
	}
	// The contract's JSON keys.
	_, out, _ := conformCLI(t, "", append([]string{"attribute", shopJourney, "--events", shopEvents, "--format", "json"}, shopColumns...)...)
	var doc struct {
		Journey     *string `json:"journey"`
		Cases       *int    `json:"cases"`
		Conversions *int    `json:"conversions"`
		Channels    []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Journey == nil || doc.Cases == nil || doc.Conversions == nil || len(doc.Channels) != 3 {
		t.Fatalf("%v %s", err, out)
	}
	for _, k := range []string{"channel", "removal_effect", "markov", "first_touch", "last_touch", "linear"} {
		if _, ok := doc.Channels[0][k]; !ok {
			t.Errorf("channels[0] has no %q", k)
		}
	}
}

// TestAttributeStdinAndUnsorted: the log from standard input, in time
// order (not grouped by case: conform reads it again sorted), gives the
// same numbers as the file.
func TestAttributeStdinAndUnsorted(t *testing.T) {
	t.Chdir("../..")
	data, err := os.ReadFile(shopEvents)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	body := lines[1:]
	slices.SortStableFunc(body, func(a, b string) int { return strings.Compare(strings.Split(a, ",")[2], strings.Split(b, ",")[2]) })
	log := lines[0] + "\n" + strings.Join(body, "\n") + "\n"
	_, want, _ := conformCLI(t, "", append([]string{"attribute", shopJourney, "--events", shopEvents, "--format", "json"}, shopColumns...)...)
	code, got, errOut := conformCLI(t, log, append([]string{"attribute", shopJourney, "--events", "-", "--format", "json"}, shopColumns...)...)
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	if !strings.Contains(got, `"input_order": "sorted in memory"`) {
		t.Errorf("the log in time order was not sorted:\n%s", got)
	}
	want = strings.ReplaceAll(strings.ReplaceAll(want, shopEvents, "-"), `"input_order": "grouped"`, `"input_order": "sorted in memory"`)
	if want != got {
		t.Errorf("stdin, time order:\n%s\nfile:\n%s", got, want)
	}
}

func TestAttributeUsage(t *testing.T) {
	t.Chdir("../..")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"attribute", shopJourney}, "--events FILE is required"},
		{[]string{"attribute", shopJourney, "--events", shopEvents, "--by", "campaign"}, `unknown --by "campaign": use channel, touchpoint, stage`},
		{[]string{"attribute", shopJourney, "--events", shopEvents, "--order", "3"}, "--order 3: use 1"},
		{[]string{"attribute", shopJourney, "--events", shopEvents, "--format", "csv"}, `unknown --format "csv"`},
		{[]string{"attribute", shopJourney, "--sql", "oracle", "--table", "t"}, `unknown --sql dialect "oracle"`},
		{[]string{"attribute", shopJourney, "--sql", "postgres"}, "--sql needs --table NAME"},
		{[]string{"attribute", shopJourney, "--sql", "postgres", "--table", "t", "--events", shopEvents}, "reads no --events file"},
		{[]string{"attribute", shopJourney, "--table", "t", "--events", shopEvents}, "--table goes with --sql"},
		{[]string{"attribute", "-", "--events", "-"}, "cannot both come from standard input"},
		{[]string{"attribute", shopJourney, "--events", "missing.csv"}, "missing.csv"},
		{[]string{"attribute", shopJourney, "--sql", "postgres", "--table", "a..b"}, "an empty part"},
	}
	for _, c := range cases {
		code, _, errOut := conformCLI(t, "", c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) || strings.Contains(errOut, "panic") {
			t.Errorf("%v: exit %d %q, want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}

var attributeBlock = regexp.MustCompile("(?s)(<!-- BEGIN ATTRIBUTE: ([^\n]*?) -->\n)(.*?)(<!-- END ATTRIBUTE -->)")

// TestAttributeDocExamples: docs/analytics.md's "journey attribute"
// section shows the real log, output and SQL between <!-- BEGIN
// ATTRIBUTE: COMMAND --> and <!-- END ATTRIBUTE --> (-update rewrites
// them).
func TestAttributeDocExamples(t *testing.T) {
	t.Chdir("../..")
	const doc = "docs/analytics.md"
	data, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	blocks := 0
	var failures []string
	updated := attributeBlock.ReplaceAllStringFunc(string(data), func(m string) string {
		parts := attributeBlock.FindStringSubmatch(m)
		command, old := parts[2], parts[3]
		blocks++
		fields := strings.Fields(command)
		var body string
		switch {
		case len(fields) == 2 && fields[0] == "cat":
			content, err := os.ReadFile(fields[1])
			if err != nil {
				t.Fatal(err)
			}
			body = "```" + strings.TrimPrefix(filepath.Ext(fields[1]), ".") + "\n" + string(content) + "```\n"
		case len(fields) > 2 && fields[0] == "journey" && fields[1] == "attribute":
			code, out, errOut := conformCLI(t, "", fields[1:]...)
			if code != 0 {
				t.Fatalf("%s: exit %d %s", command, code, errOut)
			}
			switch {
			case slices.Contains(fields, "--sql"):
				body = "```sql\n" + out + "```\n"
			case slices.Contains(fields, "json"):
				body = "```json\n" + out + "```\n"
			default:
				body = "```text\n$ " + command + "\n" + out + "```\n"
			}
		default:
			t.Fatalf("unknown generated block %q", command)
		}
		if body != old {
			failures = append(failures, command)
		}
		return parts[1] + body + parts[4]
	})
	if blocks < 5 {
		t.Fatalf("only %d attribute blocks in %s", blocks, doc)
	}
	if golden.Update() {
		if err := os.WriteFile(doc, []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, f := range failures {
		t.Errorf("%s: the block of %q is out of date (go test ./cmd/journey -run TestAttributeDocExamples -update)", doc, f)
	}
}

// TestAttributeSQL: every dialect prints the path query.
func TestAttributeSQL(t *testing.T) {
	t.Chdir("../..")
	for _, d := range sqlgen.Dialects {
		code, out, errOut := conformCLI(t, "", "attribute", shopJourney, "--sql", d, "--table", "analytics.events", "--by", "touchpoint")
		if code != 0 || !strings.Contains(out, "journey attribute --sql "+d) || !strings.Contains(out, `AS `) {
			t.Errorf("%s: exit %d %s%s", d, code, errOut, out)
		}
	}
}

// TestAttributeHostileLogs: attribute reads logs through conform's
// bounded readers: a gzip bomb, an unclosed quote, an endless line,
// binary data, escapes and a named pipe end with a message (or a
// report), within the corpus's CPU, memory and output limits.
func TestAttributeHostileLogs(t *testing.T) {
	bin := buildBinary(t)
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zw.Write([]byte("case_id,event,timestamp\n"))
	line := []byte("c1,arrives,1700000000\n")
	for i := 0; i < (300<<20)/len(line); i++ {
		zw.Write(line)
	}
	zw.Close()
	cases := []struct {
		name string
		log  []byte
		want string
	}{
		{"gzip-bomb", bomb.Bytes(), "Cases: 1  Conversions: 0"},
		{"unclosed-quote", []byte("case_id,event,timestamp\nc1,arrives,1\nc1,\"buys,2\n" + strings.Repeat("c2,arrives,1700000000\nc2,buys,1700000001\n", 100000)), "1 bad row(s) skipped (first: line 3"},
		{"endless-line", []byte("case_id,event,timestamp\n" + strings.Repeat("x", 40<<20)), "line 2"},
		{"binary", []byte("\x00\x01\x02PK\x03\x04" + strings.Repeat("\x00", 1<<16)), ""},
		{"escapes", []byte("case_id,event,timestamp\nc1,\x1b]0;TITLE\a,1\n"), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "j.journey.yaml"), validJourney)
			write(t, filepath.Join(dir, "events.csv"), string(c.log))
			res := runBounded(t, bin, dir, "", "attribute", "j.journey.yaml", "--events", "events.csv")
			res.check(t, true)
			if out := string(res.stdout) + string(res.stderr); !strings.Contains(out, c.want) {
				t.Errorf("want %q in:\n%.600s", c.want, out)
			}
			res = runBounded(t, bin, dir, string(c.log), "attribute", "j.journey.yaml", "--events", "-", "--format", "json")
			res.check(t, true)
		})
	}
	t.Run("fifo", func(t *testing.T) {
		dir := t.TempDir()
		write(t, filepath.Join(dir, "j.journey.yaml"), validJourney)
		mkfifo(t, filepath.Join(dir, "events.csv"))
		res := runBounded(t, bin, dir, "", "attribute", "j.journey.yaml", "--events", "events.csv")
		res.check(t, false)
		if !strings.Contains(string(res.stderr), "named pipe") {
			t.Errorf("fifo: %s", res.stderr)
		}
	})
}
