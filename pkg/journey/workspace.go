package journey

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
