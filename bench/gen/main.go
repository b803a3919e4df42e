// Command gen writes the corpora of bench/run: synthetic journeys from
// internal/synth and event logs from internal/eventgen. It is a
// benchmark tool, not part of journey.
//
//	gen workspace DIR FILES STAGES   FILES journeys of STAGES stages each
//	gen journey FILE STAGES          one journey
//	gen diff OLD NEW STAGES          two versions of one journey
//	gen events JOURNEY FILE EVENTS   a CSV event log of JOURNEY, grouped by case
package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/journeykit/journey/internal/eventgen"
	"github.com/journeykit/journey/internal/synth"
	"github.com/journeykit/journey/pkg/load"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(2)
	}
}

func num(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		fmt.Fprintf(os.Stderr, "gen: %q is not a positive number\n", s)
		os.Exit(2)
	}
	return n
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: gen workspace|journey|diff|events ...")
	}
	switch {
	case args[0] == "workspace" && len(args) == 4:
		if err := os.MkdirAll(args[1], 0o755); err != nil {
			return err
		}
		files, stages := num(args[2]), num(args[3])
		for i := 0; i < files; i++ {
			name := filepath.Join(args[1], fmt.Sprintf("j%04d.journey.yaml", i))
			if err := os.WriteFile(name, synth.Journey(fmt.Sprintf("synthetic-%d", i), stages), 0o644); err != nil {
				return err
			}
		}
		return nil
	case args[0] == "journey" && len(args) == 3:
		return os.WriteFile(args[1], synth.Journey("synthetic", num(args[2])), 0o644)
	case args[0] == "diff" && len(args) == 4:
		stages := num(args[3])
		if err := os.WriteFile(args[1], synth.Journey("synthetic", stages), 0o644); err != nil {
			return err
		}
		return os.WriteFile(args[2], changed(synth.Journey("synthetic", stages+20)), 0o644)
	case args[0] == "events" && len(args) == 4:
		return events(args[1], args[2], num(args[3]))
	}
	return fmt.Errorf("unknown command or wrong arguments: %q", args)
}

// changed is the second version for diff: 20 stages more (the old last
// stage is no longer an outcome), every 100th stage renamed, and every
// 50th stage's first rate lowered.
func changed(src []byte) []byte {
	lines := strings.SplitAfter(string(src), "\n")
	stage := -1
	first := false
	for i, l := range lines {
		if rest, ok := strings.CutPrefix(l, "  - id: stage-"); ok {
			stage, _ = strconv.Atoi(strings.TrimSpace(rest))
			first = true
			continue
		}
		if stage%100 == 0 && strings.HasPrefix(l, "    name: ") {
			lines[i] = strings.TrimSuffix(l, "\n") + " (new)\n"
		}
		if stage%50 == 25 && first && strings.Contains(l, "rate: 0.6}") {
			lines[i] = strings.Replace(l, "rate: 0.6}", "rate: 0.55}", 1)
			first = false
		}
	}
	return []byte(strings.Join(lines, ""))
}

func events(journeyPath, out string, n int) error {
	data, err := os.ReadFile(journeyPath)
	if err != nil {
		return err
	}
	f := load.ParseJourney(journeyPath, data)
	if f.Journey == nil {
		return fmt.Errorf("%s: not a journey: %v", journeyPath, f.Diagnostics)
	}
	w, err := os.Create(out)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if _, err := eventgen.Generate(f.Journey, bw, eventgen.Options{Seed: 1, Events: n, Order: "case"}); err != nil {
		w.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
