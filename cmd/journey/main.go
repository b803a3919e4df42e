// Command journey treats customer-journey maps as code: it lints, renders,
// reports on and compares journey YAML files.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/journeykit/journey/internal/outfile"
	"github.com/journeykit/journey/internal/termsafe"
	"github.com/journeykit/journey/pkg/render"
)

// exitError carries an exit code out of a command without printing twice.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

// failed is the exit of a check that found problems (exit 1).
var failed = &exitError{code: 1}

// usageError marks an error in how the command was called (exit 2).
func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

func main() {
	render.RestoreTempDir()
	removeTempsOnSignal()
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	render.StopWorkers()
	os.Exit(code)
}

// removeTempsOnSignal makes Ctrl-C or a SIGTERM during a write leave no
// temporary file behind: the half-written temporary is removed and the file
// it was to replace stays as it was. The exit code is the shell's 128+n.
func removeTempsOnSignal() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		sig := <-signals
		outfile.RemoveTemps()
		code := 130
		if s, ok := sig.(syscall.Signal); ok {
			code = 128 + int(s)
		}
		os.Exit(code)
	}()
}

// run executes the command line and returns the exit code. No panic gets
// past it: a bug is reported as an internal error with exit 2.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "journey: internal error: %s\nPlease report this with the input that caused it.\n", termsafe.Text(fmt.Sprint(r)))
			if os.Getenv("JOURNEY_DEBUG") != "" {
				fmt.Fprintf(stderr, "%s\n", debug.Stack())
			}
			code = 2
		}
	}()
	root := newRootCommand(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			// Errors quote file names and values from users' files: never
			// let them reach a terminal raw.
			fmt.Fprintf(stderr, "journey: %s\n", termsafe.Text(ee.err.Error()))
		}
		return ee.code
	}
	// Errors cobra returns itself are usage errors: unknown flags, commands
	// or missing arguments.
	fmt.Fprintf(stderr, "journey: %s\nRun 'journey --help' for usage.\n", termsafe.Text(err.Error()))
	return 2
}
