package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The hostile corpus: every command, given input written by an attacker or
// by accident, ends with exit 1 or 2 and a message, never a Go panic or a
// fatal error, within 10 s of CPU and 1 GiB of memory, with bounded output,
// no raw terminal escape, nothing written outside the paths named, and no
// text of a file outside the workspace.
//
// The bounds are the child process's own limits: RLIMIT_CPU (10 s of CPU,
// so a busy machine does not make it fail) and RLIMIT_DATA (1 GiB: the Go
// heap cannot grow past it), and its peak RSS from rusage. The wall clock
// is only a hang guard (a process blocked on a FIFO uses no CPU).
const (
	corpusCPUSeconds = 10
	corpusMemory     = 1 << 30
	corpusHangGuard  = 90 * time.Second
	corpusMaxOutput  = 1 << 20
)

// secretText is what a symbolic link out of the workspace points at: it must
// never appear in any output.
const secretText = "AWS_SECRET_ACCESS_KEY=FAKE-SECRET-1234567890"

type corpusInput struct {
	name string
	// setup writes the input into dir (the workspace) and returns the
	// arguments that name it, in place of PATH.
	setup func(t *testing.T, dir string) []string
	// valid inputs may exit 0 (they test bounds, not errors).
	valid bool
	// wellFormed inputs are good YAML with bad values: fmt may exit 0.
	wellFormed bool
}

func corpusInputs() []corpusInput {
	file := func(name, content string) func(*testing.T, string) []string {
		return func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, name), content)
			return []string{name}
		}
	}
	rng := rand.New(rand.NewSource(11))
	random := make([]byte, 1<<20)
	rng.Read(random)
	return []corpusInput{
		{name: "binary", setup: file("x.journey.yaml", string(random))},
		{name: "elf", setup: file("x.journey.yaml", "\x7fELF\x02\x01\x01\x00"+strings.Repeat("\x00", 4096))},
		{name: "invalid-utf8", setup: file("x.journey.yaml", "journey: caf\xe9\ntitle: \xff\xfe\n")},
		{name: "utf16", setup: file("x.journey.yaml", "\xff\xfej\x00o\x00u\x00r\x00n\x00e\x00y\x00:\x00 \x00a\x00\n\x00")},
		{name: "billion-laughs", setup: file("x.journey.yaml", billionLaughs())},
		{name: "deep-flow", setup: file("x.journey.yaml", strings.Repeat("[", 100000)+strings.Repeat("]", 100000))},
		{name: "deep-block", setup: file("x.journey.yaml", deepBlock(5000))},
		{name: "wrong-types", wellFormed: true, setup: file("x.journey.yaml", wrongTypes)},
		{name: "escapes", wellFormed: true, setup: file("x\x1b]0;TITLE\a.journey.yaml", escapesJourney)},
		{name: "long-line", setup: file("x.journey.yaml", validJourney+"description: "+strings.Repeat("é", 10<<20)+" x: y\n")},
		{name: "too-large", setup: func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "x.journey.yaml")
			write(t, p, "")
			if err := os.Truncate(p, 65<<20); err != nil {
				t.Fatal(err)
			}
			return []string{"x.journey.yaml"}
		}},
		{name: "unknown-references", valid: true, setup: file("x.journey.yaml", unknownReferences(20000))},
		{name: "traversal-id", wellFormed: true, setup: file("x.journey.yaml", strings.Replace(validJourney, "journey: ok", `journey: "../../../victim/README"`, 1))},
		{name: "big-flow", valid: true, setup: file("x.journey.yaml", bigFlow(1000))},
		{name: "fifo-in-dir", setup: func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "d", "ok.journey.yaml"), validJourney)
			write(t, filepath.Join(dir, "d", "bad.journey.yaml"), "journey: [\n")
			mkfifo(t, filepath.Join(dir, "d", "fifo.journey.yaml"))
			return []string{"d"}
		}},
		{name: "fifo-named", setup: func(t *testing.T, dir string) []string {
			mkfifo(t, filepath.Join(dir, "x.journey.yaml"))
			return []string{"x.journey.yaml"}
		}},
		{name: "dev-zero-link", setup: func(t *testing.T, dir string) []string {
			os.Symlink("/dev/zero", filepath.Join(dir, "x.journey.yaml"))
			return []string{"x.journey.yaml"}
		}},
		{name: "config-dev-zero", setup: func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "ws", "a.journey.yaml"), validJourney)
			os.Symlink("/dev/zero", filepath.Join(dir, "ws", ".journey.yaml"))
			return []string{"ws"}
		}},
		{name: "glob-bomb", setup: func(t *testing.T, dir string) []string {
			deep := filepath.Join(dir, "ws", strings.Repeat("d/", 25))
			write(t, filepath.Join(deep, "x.journey.yaml"), validJourney)
			write(t, filepath.Join(dir, "ws", ".journey.yaml"), `journeys: ["`+strings.Repeat("**/", 14)+`nomatch.journey.yaml", "**/x.journey.yaml"]`+"\n")
			write(t, filepath.Join(dir, "ws", "bad.journey.yaml"), "journey: [\n")
			return []string{"ws"}
		}},
		{name: "symlink-out", setup: func(t *testing.T, dir string) []string {
			outside := filepath.Join(filepath.Dir(dir), filepath.Base(dir)+"-secret.env")
			write(t, outside, secretText+"\n")
			t.Cleanup(func() { os.Remove(outside) })
			write(t, filepath.Join(dir, "ws", ".journey.yaml"), "")
			write(t, filepath.Join(dir, "ws", "a.journey.yaml"), validJourney)
			os.Symlink(outside, filepath.Join(dir, "ws", "env.journey.yaml"))
			return []string{"ws"}
		}},
	}
}

// corpusCommands lists every command that reads journey files; PATH is
// replaced by the input's arguments, OUT by a fresh output directory.
var corpusCommands = [][]string{
	{"lint", "PATH"},
	{"lint", "--format", "json", "PATH"},
	{"lint", "--format", "github", "PATH"},
	{"lint", "--format", "sarif", "PATH"},
	{"lint", "--format", "junit", "PATH"},
	{"render", "--format", "svg", "--out-dir", "OUT", "PATH"},
	{"render", "--view", "canvas", "--format", "png", "--out-dir", "OUT", "PATH"},
	{"render", "--format", "mermaid", "PATH"},
	{"render", "--format", "dot", "PATH"},
	{"render", "--view", "landscape", "--format", "svg", "--out-dir", "OUT", "PATH"},
	{"report", "--out-dir", "OUT", "PATH"},
	{"fmt", "--check", "PATH"},
	{"fmt", "-d", "PATH"},
	{"simulate", "PATH"},
	{"attribute", "--sql", "postgres", "--table", "events", "PATH"},
	{"import", "mermaid", "PATH"},
	{"diff", "--fail-on", "breaking", "BASE", "PATH"},
	{"diff", "--fail-on", "breaking", "--format", "markdown", "PATH", "BASE"},
}

func TestHostileCorpus(t *testing.T) {
	bin := buildBinary(t)
	for _, in := range corpusInputs() {
		t.Run(in.name, func(t *testing.T) {
			// Each input has its own directories: two run side by side.
			t.Parallel()
			for _, command := range corpusCommands {
				if !applies(in, command) {
					continue
				}
				t.Run(commandName(command), func(t *testing.T) {
					root := t.TempDir()
					dir := filepath.Join(root, "work")
					os.MkdirAll(filepath.Join(root, "victim"), 0o755)
					write(t, filepath.Join(dir, "base", "base.journey.yaml"), validJourney)
					paths := in.setup(t, dir)
					var args []string
					for _, a := range command {
						switch a {
						case "PATH":
							if command[0] == "diff" {
								// diff compares one path with one path.
								args = append(args, paths[0])
								continue
							}
							args = append(args, paths...)
						case "OUT":
							args = append(args, filepath.Join("out", "x"))
						case "BASE":
							args = append(args, diffBase(paths[0]))
						default:
							args = append(args, a)
						}
					}
					res := runBounded(t, bin, dir, "", args...)
					// diff exits 1 only when --fail-on matches (the contract),
					// and a removed or unreadable file is not a breaking change
					// of a journey; fmt does not read what it skips.
					mayPass := in.valid || command[0] == "diff" ||
						command[0] == "fmt" && (in.wellFormed || in.name == "symlink-out" || in.name == "config-dev-zero")
					res.check(t, mayPass)
					if entries, _ := os.ReadDir(filepath.Join(root, "victim")); len(entries) > 0 {
						t.Errorf("%v wrote %s outside its output directory", args, entries[0].Name())
					}
				})
			}
		})
	}
}

// applies leaves out the pairs that test nothing new and cost seconds each.
// The other output formats of lint and diff write the same findings and
// changes as their first: they are run on the inputs whose text they must
// escape, or whose secrets they must not leak, and left out of the inputs
// that are only large or deep (each run costs seconds on a busy machine).
func applies(in corpusInput, command []string) bool {
	if otherFormat(command) && !escapeInputs[in.name] {
		return false
	}
	switch in.name {
	case "big-flow":
		return command[0] == "render" || command[0] == "lint" && len(command) == 2 || command[0] == "simulate"
	case "long-line", "too-large", "unknown-references", "binary":
		return command[0] != "render" || command[1] == "--format" && command[2] == "svg"
	}
	return true
}

// escapeInputs are the inputs whose text each output format must escape
// or keep out.
var escapeInputs = map[string]bool{
	"binary": true, "elf": true, "invalid-utf8": true, "utf16": true, "escapes": true,
	"traversal-id": true, "wrong-types": true, "symlink-out": true,
}

// otherFormat tells a lint or diff command with a --format of its own.
func otherFormat(command []string) bool {
	return (command[0] == "lint" || command[0] == "diff") && slices.Contains(command, "--format")
}

func commandName(command []string) string {
	var words []string
	for _, w := range command {
		if w != "PATH" && w != "OUT" && w != "BASE" && w != "--format" && w != "--out-dir" && w != "--view" && w != "--fail-on" && w != "breaking" {
			words = append(words, strings.TrimLeft(w, "-"))
		}
	}
	return strings.Join(words, "-")
}

// diffBase is the other side of a diff: a file for a file, a directory
// for a directory.
func diffBase(path string) string {
	if strings.HasSuffix(path, ".journey.yaml") {
		return filepath.Join("base", "base.journey.yaml")
	}
	return "base"
}

// TestHostileEventLogs runs conform on hostile event logs.
func TestHostileEventLogs(t *testing.T) {
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
	}{
		{"gzip-bomb", bomb.Bytes()},
		{"unclosed-quote", []byte("case_id,event,timestamp\nc1,arrives,1\nc1,\"buys,2\n" + strings.Repeat("c2,arrives,1700000000\n", 200000))},
		{"endless-line", []byte("case_id,event,timestamp\n" + strings.Repeat("x", 40<<20))},
		{"binary", []byte("\x00\x01\x02PK\x03\x04" + strings.Repeat("\x00", 1<<16))},
		{"escapes", []byte("case_id,event,timestamp\nc1,\x1b]0;TITLE\a,1\n")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "j.journey.yaml"), validJourney)
			write(t, filepath.Join(dir, "events.csv"), string(c.log))
			res := runBounded(t, bin, dir, "", "conform", "j.journey.yaml", "--events", "events.csv")
			res.check(t, true)
			res = runBounded(t, bin, dir, string(c.log), "conform", "j.journey.yaml", "--events", "-")
			res.check(t, true)
		})
	}
	t.Run("fifo", func(t *testing.T) {
		dir := t.TempDir()
		write(t, filepath.Join(dir, "j.journey.yaml"), validJourney)
		mkfifo(t, filepath.Join(dir, "events.csv"))
		runBounded(t, bin, dir, "", "conform", "j.journey.yaml", "--events", "events.csv").check(t, false)
	})
}

type boundedResult struct {
	args           []string
	code           int
	stdout, stderr []byte
	signal         syscall.Signal
	maxRSS         int64 // bytes
	cpu            time.Duration
	hung           bool
}

// runBounded runs the binary under the corpus limits.
func runBounded(t *testing.T, bin, dir, stdin string, args ...string) *boundedResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), corpusHangGuard)
	defer cancel()
	script := fmt.Sprintf(`ulimit -t %d && ulimit -d %d && exec "$0" "$@"`, corpusCPUSeconds, corpusMemory>>10)
	cmd := exec.CommandContext(ctx, "sh", append([]string{"-c", script, bin}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CI=", "NO_COLOR=")
	cmd.Stdin = strings.NewReader(stdin)
	stdout, stderr := &cappedBuffer{max: corpusMaxOutput}, &cappedBuffer{max: corpusMaxOutput}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	res := &boundedResult{args: args, stdout: stdout.Bytes(), stderr: stderr.Bytes(), hung: ctx.Err() != nil}
	if stdout.over || stderr.over {
		t.Errorf("%v: more than %d bytes of output", args, corpusMaxOutput)
	}
	if cmd.ProcessState == nil {
		t.Fatalf("%v: %v", args, err)
	}
	res.code = cmd.ProcessState.ExitCode()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		res.signal = ws.Signal()
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.maxRSS = ru.Maxrss << 10
	}
	res.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return res
}

func (r *boundedResult) check(t *testing.T, mayPass bool) {
	t.Helper()
	out := string(r.stdout) + string(r.stderr)
	switch {
	case r.hung:
		t.Errorf("%v: still running after %v (hung)", r.args, corpusHangGuard)
	case r.signal == syscall.SIGXCPU || r.signal == syscall.SIGKILL:
		t.Errorf("%v: killed by %v after %v of CPU (limit %d s)", r.args, r.signal, r.cpu, corpusCPUSeconds)
	case r.signal != 0:
		t.Errorf("%v: killed by %v", r.args, r.signal)
	case r.code != 1 && r.code != 2 && !(mayPass && r.code == 0):
		t.Errorf("%v: exit %d, want 1 or 2\n%.600s", r.args, r.code, out)
	}
	for _, bad := range []string{"panic:", "fatal error:", "goroutine ", "runtime.", "internal error"} {
		if strings.Contains(out, bad) {
			t.Errorf("%v: output has %q:\n%.1500s", r.args, bad, out)
			break
		}
	}
	if r.maxRSS > corpusMemory {
		t.Errorf("%v: peak memory %d MiB, more than %d MiB", r.args, r.maxRSS>>20, corpusMemory>>20)
	}
	if strings.Contains(out, secretText) || strings.Contains(out, "FAKE-SECRET") {
		t.Errorf("%v: the text of a file outside the workspace leaked:\n%.600s", r.args, out)
	}
	// Text meant for a terminal or a CI log carries no raw escape from a
	// user's file. JSON, SARIF, JUnit and Markdown escape it their own way;
	// SVG and PNG are files, not terminal text.
	if bytes.Contains(r.stderr, []byte{0x1b}) || bytes.Contains(r.stderr, []byte{0x07}) {
		t.Errorf("%v: raw control character on stderr: %q", r.args, firstControl(r.stderr))
	}
	if isTerminalText(r.args) && (bytes.Contains(r.stdout, []byte{0x1b}) || bytes.Contains(r.stdout, []byte{0x07})) {
		t.Errorf("%v: raw control character on stdout: %q", r.args, firstControl(r.stdout))
	}
	if testing.Verbose() {
		t.Logf("%v: exit %d, %v CPU, %d MiB", r.args, r.code, r.cpu.Round(time.Millisecond), r.maxRSS>>20)
	}
}

func isTerminalText(args []string) bool {
	for i, a := range args {
		if a == "--format" && i+1 < len(args) {
			return args[i+1] == "text" || args[i+1] == "github"
		}
	}
	return args[0] != "render" && args[0] != "report"
}

func firstControl(b []byte) string {
	i := bytes.IndexAny(b, "\x1b\x07")
	lo := max(0, i-40)
	return string(b[lo:min(len(b), i+40)])
}

// cappedBuffer keeps at most max bytes and remembers that more came.
type cappedBuffer struct {
	bytes.Buffer
	max  int
	over bool
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if room := c.max - c.Len(); len(p) > room {
		c.over = true
		if room > 0 {
			c.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return c.Buffer.Write(p)
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
}

const wrongTypes = `journey: [1, 2]
title: {a: b}
owner: 7
status: 3.5
phases: "none"
stages:
  - id: 12
    name: [x]
    phase: {}
    entry: "yes"
    emotion: .inf
    next: 1e400
    outcome: exited
    touchpoints: 5
  - 7
  - null
`

const escapesJourney = "journey: \"e\\e]0;ID\\a\"\ntitle: \"T\\e[2J\"\nowner: \"o\\e]0;OWNER\\a\"\n" +
	"phases:\n  - {id: p, name: \"P\\e[31m\"}\n" +
	"stages:\n  - id: a\n    name: \"A\\e]0;NAME\\a\"\n    phase: p\n    entry: true\n    next: [\"b\\e]0;REF\\a\"]\n" +
	"    touchpoints:\n      - {channel: email, action: send, utm: {source: \"s\\e]0;UTM\\a\\e[2J\", campaign: \"c\\u202e\"}}\n" +
	"  - {id: b, name: B, phase: p, outcome: success}\n"

func unknownReferences(n int) string {
	var b strings.Builder
	b.WriteString("journey: q\ntitle: T\nowner: m\nphases: [{id: p, name: P}]\nstages:\n")
	for i := 0; i < n; i++ {
		entry := ""
		if i == 0 {
			entry = ", entry: true"
		}
		fmt.Fprintf(&b, "- {id: stage-%d, name: S, phase: p%s, outcome: success, next: [stage-x%d]}\n", i, entry, i)
	}
	return b.String()
}

func bigFlow(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "journey: r%d\ntitle: T\nowner: m\nphases: [{id: p, name: P}, {id: q, name: Q}]\nstages:\n", n)
	for i := 0; i < n; i++ {
		if i == n-1 {
			fmt.Fprintf(&b, "- {id: s%d, name: Stage %d, phase: p, outcome: success}\n", i, i)
			continue
		}
		entry := ""
		if i == 0 {
			entry = ", entry: true"
		}
		fmt.Fprintf(&b, "- {id: s%d, name: Stage number %d with a longer name, phase: %c, next: [{to: s%d, when: clicks, after: 2d, rate: 0.9}, {to: s%d, when: back}]%s}\n",
			i, i, "pq"[i%2], i+1, (i*7919)%n, entry)
	}
	return b.String()
}
