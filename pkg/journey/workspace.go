package journey

import (
	"strconv"
	"strings"
)

// Workspace is a set of journeys checked together, with the optional
// workspace configuration that applies to them.
type Workspace struct {
	// Config is the parsed .journey.yaml, or nil.
	Config   *Config
	Journeys []*Journey
}

// Journey returns the journey with the given id, or nil.
func (w *Workspace) Journey(id string) *Journey {
	for _, j := range w.Journeys {
		if j.ID.Value == id {
			return j
		}
	}
	return nil
}

// Config is the workspace configuration file `.journey.yaml`.
type Config struct {
	Meta
	// File is the path of the configuration file.
	File     string
	Journeys []Text
	Teams    []Text
	Personas []*Persona
	Channels []*Channel
	UTM      UTMConvention
	// Rules maps a rule id to error, warning, info or off.
	Rules []RuleSetting
	// DiffBreaking overrides, per change kind, whether journey diff counts
	// a change as breaking: `diff: {breaking: {KIND: true|false}}`.
	DiffBreaking []DiffBreakingSetting
}

// DiffBreakingSetting is one entry of the config's `diff.breaking` mapping,
// as written (the value is checked by pkg/diff).
type DiffBreakingSetting struct {
	Kind     Text
	Breaking Text
}

// UTMConvention is the workspace's rule for UTM parameters.
type UTMConvention struct {
	Meta
	Required []Text
	// Values lists the allowed values per UTM key.
	Values map[string][]Text
	// Patterns holds a regular expression per UTM key.
	Patterns map[string]Text
}

// RuleSetting is one entry of the config's `rules` mapping.
type RuleSetting struct {
	Rule     Text
	Severity Text
}

// ParseDuration parses a wait such as "30m", "2d" or "1w2d" into minutes.
// It reports false for anything else.
func ParseDuration(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var total int64
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i == len(s) {
			return 0, false
		}
		n, err := strconv.ParseInt(s[:i], 10, 64)
		if err != nil {
			return 0, false
		}
		var unit int64
		switch s[i] {
		case 'm':
			unit = 1
		case 'h':
			unit = 60
		case 'd':
			unit = 60 * 24
		case 'w':
			unit = 60 * 24 * 7
		default:
			return 0, false
		}
		if n > (1<<62)/unit || total > (1<<62)-n*unit {
			return 0, false
		}
		total += n * unit
		s = s[i+1:]
	}
	return total, true
}

// FormatDuration writes minutes back in the shortest form, e.g. "1w2d".
func FormatDuration(minutes int64) string {
	if minutes == 0 {
		return "0m"
	}
	var b strings.Builder
	for _, u := range []struct {
		size int64
		name string
	}{{60 * 24 * 7, "w"}, {60 * 24, "d"}, {60, "h"}, {1, "m"}} {
		if minutes >= u.size {
			b.WriteString(strconv.FormatInt(minutes/u.size, 10))
			b.WriteString(u.name)
			minutes %= u.size
		}
	}
	return b.String()
}
