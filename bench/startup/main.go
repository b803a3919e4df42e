// Command startup times, inside one process and after the package inits,
// the steps a one-file `journey lint` takes: the first load (with its
// first-use costs), the lint, the text output, and the same load again.
// It is a measuring aid for docs/performance.md, not part of the binary.
//
//	go run ./bench/startup FILE [RUNS]
package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/lint"
	"github.com/journeykit/journey/pkg/load"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: startup FILE [RUNS]")
		os.Exit(2)
	}
	file := os.Args[1]
	runs := 1
	if len(os.Args) > 2 {
		runs, _ = strconv.Atoi(os.Args[2])
	}
	for i := 0; i < runs; i++ {
		t0 := time.Now()
		sets, err := load.Load(load.Options{Paths: []string{file}})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		t1 := time.Now()
		res := lint.Run(sets, lint.Options{})
		t2 := time.Now()
		report := diag.Report{Findings: res.Findings, Files: res.Files, Rules: lint.Infos(), Sources: res.Sources}
		if err := diag.Write(io.Discard, "text", report, diag.TextOptions{}); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		t3 := time.Now()
		fmt.Printf("run %d: load %v, lint %v, write %v\n", i+1, t1.Sub(t0), t2.Sub(t1), t3.Sub(t2))
	}
}
