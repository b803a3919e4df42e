// Package starter holds the templates of `journey init`: for each, a
// workspace configuration (.journey.yaml) and one starter journey
// (<name>.journey.yaml), embedded in the binary.
//
// Every template lints clean (no error, no warning) and teaches the file
// format in its comments; the tests of this package check both.
package starter

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

// files holds templates/<name>/.journey.yaml and
// templates/<name>/<name>.journey.yaml; "all:" keeps the dot files.
//
//go:embed all:templates
var files embed.FS

// Default is the template `journey init` writes without --template.
const Default = "b2b-saas-trial"

// Template is one starter workspace.
type Template struct {
	// Name identifies the template; it is also the id of its journey and
	// the base name of the journey file.
	Name string
	// Description is one line for --list and shell completion.
	Description string
}

// templates in the order --list shows them.
var templates = []Template{
	{
		Name:        "b2b-saas-trial",
		Description: "Free trial to paid plan for a B2B SaaS product: onboarding, aha moment, sales assist, expiry reasons and win-back",
	},
	{
		Name:        "ecommerce",
		Description: "Online shop from an ad or a search to a repeat order: cart recovery, delivery, refill reminder",
	},
	{
		Name:        "lead-nurture",
		Description: "B2B lead nurturing from a content download to a sales opportunity: click branches, lead score, list hygiene",
	},
	{
		Name:        "edtech-enrollment",
		Description: "Open-day webinar to bootcamp enrollment: advisor consultation, payment plans, a reactivation per lost reason",
	},
	{
		Name:        "retention",
		Description: "Subscription retention from the first order to a year: aha moment, churn signals, pause offer, win-back, referrals",
	},
}

// Templates returns every template in listing order.
func Templates() []Template {
	return slices.Clone(templates)
}

// Names returns the template names in listing order.
func Names() []string {
	names := make([]string, len(templates))
	for i, t := range templates {
		names[i] = t.Name
	}
	return names
}

// Lookup returns the template called name.
func Lookup(name string) (Template, bool) {
	for _, t := range templates {
		if t.Name == name {
			return t, true
		}
	}
	return Template{}, false
}

// Suggest returns the template that an unknown name most likely meant, or
// "" when none is close: a near spelling ("ecomerce"), else the only
// template whose name contains it ("saas", "edtech").
func Suggest(name string) string {
	if _, ok := Lookup(name); ok {
		return ""
	}
	names := Names()
	if s := journey.Closest(name, names); s != "" {
		return s
	}
	name = strings.ToLower(strings.TrimSpace(name))
	if len(name) < 3 {
		return ""
	}
	var found []string
	for _, n := range names {
		if strings.Contains(n, name) {
			found = append(found, n)
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return ""
}

// ConfigFile is the name of the workspace configuration the template
// writes.
func (t Template) ConfigFile() string { return load.ConfigName }

// JourneyFile is the name of the template's starter journey file.
func (t Template) JourneyFile() string {
	return t.Name + ".journey.yaml"
}

// File is one file of a template, named relative to the target directory.
type File struct {
	Name string
	Data []byte
}

// Files returns the files the template writes: the workspace configuration
// first, then the starter journey.
func (t Template) Files() ([]File, error) {
	if _, ok := Lookup(t.Name); !ok {
		return nil, fmt.Errorf("unknown template %q", t.Name)
	}
	var out []File
	for _, name := range []string{t.ConfigFile(), t.JourneyFile()} {
		data, err := fs.ReadFile(files, path.Join("templates", t.Name, name))
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", t.Name, err)
		}
		out = append(out, File{Name: name, Data: data})
	}
	return out, nil
}
