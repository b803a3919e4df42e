package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/golden"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

const (
	refBegin = "<!-- BEGIN COMMAND REFERENCE: generated from the command tree by TestCLIReference (go test ./cmd/journey -run TestCLIReference -update); do not edit -->"
	refEnd   = "<!-- END COMMAND REFERENCE -->"
)

// commandReference writes every command's usage, description, flags and
// examples as Markdown, from the cobra tree (no cobra/doc: it would pull
// extra modules into the build).
func commandReference(root *cobra.Command) string {
	var b strings.Builder
	b.WriteString("## Command reference\n\n")
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" {
			return
		}
		if c != root {
			fmt.Fprintf(&b, "### `%s`\n\n%s\n\n", c.CommandPath(), c.Short)
			fmt.Fprintf(&b, "```\n%s\n```\n\n", c.UseLine())
			if c.Long != "" {
				fmt.Fprintf(&b, "%s\n\n", strings.TrimSpace(c.Long))
			}
			flags := flagRows(c.NonInheritedFlags())
			if len(flags) > 0 {
				b.WriteString("| flag | default | meaning |\n|---|---|---|\n")
				b.WriteString(strings.Join(flags, ""))
				b.WriteString("\n")
			}
			if c.Example != "" {
				fmt.Fprintf(&b, "Examples:\n\n```sh\n%s\n```\n\n", strings.TrimRight(c.Example, "\n"))
			}
		}
		subs := c.Commands()
		sort.Slice(subs, func(i, j int) bool { return subs[i].Name() < subs[j].Name() })
		for _, s := range subs {
			walk(s)
		}
	}
	walk(root)
	global := flagRows(root.PersistentFlags())
	b.WriteString("### Global flags\n\n| flag | default | meaning |\n|---|---|---|\n")
	b.WriteString(strings.Join(global, ""))
	return b.String()
}

func flagRows(fs *pflag.FlagSet) []string {
	var rows []string
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Name == "help" {
			return
		}
		name := "`--" + f.Name + "`"
		if f.Shorthand != "" {
			name = "`-" + f.Shorthand + "`, " + name
		}
		def := f.DefValue
		if def == "" || def == "[]" {
			def = "–"
		} else {
			def = "`" + def + "`"
		}
		usage := strings.ReplaceAll(f.Usage, "|", "\\|")
		rows = append(rows, fmt.Sprintf("| %s | %s | %s |\n", name, def, usage))
	})
	return rows
}

// docs/cli.md ends with the generated reference; the test fails when the
// command tree changed and the page was not regenerated.
func TestCLIReference(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "cli.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	root := newRootCommand(nil, nil, nil)
	root.InitDefaultCompletionCmd()
	ref := refBegin + "\n\n" + commandReference(root) + "\n" + refEnd + "\n"
	start, end := strings.Index(page, refBegin), strings.Index(page, refEnd)
	var want string
	if start < 0 || end < 0 {
		want = strings.TrimRight(page, "\n") + "\n\n" + ref
	} else {
		want = page[:start] + ref
	}
	if golden.Update() {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if page != want {
		t.Errorf("docs/cli.md's command reference is stale: go test ./cmd/journey -run TestCLIReference -update")
	}
}
