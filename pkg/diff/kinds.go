package diff

import (
	"strings"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
)

// Change kinds. They are stable: CI configurations and dashboards rely on
// them. Each is described once, in Kinds.
const (
	JourneyAdded       = "journey-added"
	JourneyRemoved     = "journey-removed"
	JourneyMoved       = "journey-moved"
	JourneyChanged     = "journey-changed"
	PhaseAdded         = "phase-added"
	PhaseRemoved       = "phase-removed"
	PhaseChanged       = "phase-changed"
	PersonaAdded       = "persona-added"
	PersonaRemoved     = "persona-removed"
	PersonaChanged     = "persona-changed"
	ChannelAdded       = "channel-added"
	ChannelRemoved     = "channel-removed"
	ChannelChanged     = "channel-changed"
	MetricAdded        = "metric-added"
	MetricRemoved      = "metric-removed"
	MetricChanged      = "metric-changed"
	StageAdded         = "stage-added"
	StageRemoved       = "stage-removed"
	StageRenamed       = "stage-renamed"
	StageChanged       = "stage-changed"
	EntryAdded         = "entry-added"
	EntryRemoved       = "entry-removed"
	OutcomeAdded       = "outcome-added"
	OutcomeChanged     = "outcome-changed"
	EventsChanged      = "events-changed"
	UTMChanged         = "utm-changed"
	TransitionAdded    = "transition-added"
	TransitionRemoved  = "transition-removed"
	TransitionChanged  = "transition-changed"
	OutcomeUnreachable = "outcome-unreachable"
	StageUnreachable   = "stage-unreachable"
	LintError          = "lint-error"
	ConversionChanged  = "conversion-changed"
)

// Kind describes one kind of change, as oasdiff's checker describes its
// rules: a stable id, whether it breaks something by default, and what it
// means. docs/cli.md's table of kinds is this table (TestKindsDoc).
type Kind struct {
	ID string
	// Breaking is the default. With When set, only the changes of the kind
	// that meet that condition are breaking by default.
	Breaking bool
	When     string
	Doc      string
}

// Kinds lists every change kind, in the order of the documentation.
var Kinds = []Kind{
	{ID: JourneyAdded, Doc: "a journey id appears"},
	{ID: JourneyRemoved, Breaking: true, Doc: "a journey id disappears"},
	{ID: JourneyMoved, Doc: "same journey id, another file (alone, the journey's status is `moved`)"},
	{ID: JourneyChanged, Doc: "title, description, owner, status, tags or links"},
	{ID: PhaseAdded, Doc: "a phase id appears"},
	{ID: PhaseRemoved, Doc: "a phase id disappears"},
	{ID: PhaseChanged, Doc: "a phase's name, description, owner or goal"},
	{ID: PersonaAdded, Doc: "a persona id appears"},
	{ID: PersonaRemoved, Doc: "a persona id disappears"},
	{ID: PersonaChanged, Doc: "a persona's name, description, goals, needs or pains"},
	{ID: ChannelAdded, Doc: "a channel id appears"},
	{ID: ChannelRemoved, Doc: "a channel id disappears"},
	{ID: ChannelChanged, Doc: "a channel's name or kind"},
	{ID: MetricAdded, Doc: "a metric of the journey or of a stage appears (matched by id, else name)"},
	{ID: MetricRemoved, Doc: "a metric disappears"},
	{ID: MetricChanged, Doc: "a metric's name, target, unit or description"},
	{ID: StageAdded, Doc: "a stage id appears"},
	{ID: StageRemoved, Breaking: true, Doc: "a stage id disappears; the message says when it was an entry, an outcome or a hand-off target"},
	{ID: StageRenamed, Breaking: true, When: "its analytics events change (no `events`: they default to its id)", Doc: "a stage's `renamed_from` names a removed id: one change, not a removal and an addition"},
	{ID: StageChanged, Doc: "any other field of a stage, its touchpoints (`touchpoints[0].action: a -> b`), reasons and metrics"},
	{ID: EntryAdded, Doc: "`entry: true` set on a stage"},
	{ID: EntryRemoved, Breaking: true, Doc: "a stage is no longer an entry: customers can no longer start there"},
	{ID: OutcomeAdded, Doc: "a stage becomes an outcome"},
	{ID: OutcomeChanged, Breaking: true, Doc: "a stage's outcome removed or changed (`success` -> `failure`)"},
	{ID: EventsChanged, Breaking: true, Doc: "a stage's analytics `events` changed (analytics continuity)"},
	{ID: UTMChanged, Breaking: true, Doc: "a touchpoint's `utm` changed, or a touchpoint with a `utm` removed (its tagged links stop)"},
	{ID: TransitionAdded, Doc: "a transition appears; a different `when` is a removal plus an addition"},
	{ID: TransitionRemoved, Doc: "a transition disappears"},
	{ID: TransitionChanged, Doc: "a transition's `after` or `rate` changed"},
	{ID: OutcomeUnreachable, Breaking: true, Doc: "an outcome reachable from an entry before is not after"},
	{ID: StageUnreachable, Doc: "another stage reachable from an entry before is not after"},
	{ID: LintError, Doc: "a lint error of the new version that the old did not have"},
	{ID: ConversionChanged, Breaking: true, When: "it falls by more than `--max-conversion-drop` (default off)", Doc: "the success probability implied by the rates (as `journey simulate` computes it) changed; only when both versions have rates"},
}

// KindIDs are the ids of Kinds, in their order.
func KindIDs() []string {
	ids := make([]string, len(Kinds))
	for i, k := range Kinds {
		ids[i] = k.ID
	}
	return ids
}

// KindByID returns the kind with id, and whether there is one.
func KindByID(id string) (Kind, bool) {
	for _, k := range Kinds {
		if k.ID == id {
			return k, true
		}
	}
	return Kind{}, false
}

// KindTable is the Markdown table of Kinds that docs/cli.md shows.
func KindTable() string {
	var b strings.Builder
	b.WriteString("| kind | breaking by default | when |\n|---|---|---|\n")
	for _, k := range Kinds {
		breaking := "no"
		if k.Breaking {
			breaking = "**yes**"
			if k.When != "" {
				breaking += " when " + k.When
			}
		}
		b.WriteString("| `" + k.ID + "` | " + breaking + " | " + k.Doc + " |\n")
	}
	return b.String()
}

// Breaking overrides the default breaking flag per kind: true makes every
// change of the kind breaking, false none.
type Breaking map[string]bool

// BreakingFromConfig reads `diff: {breaking: {KIND: true|false}}` of a
// workspace configuration. A kind that does not exist, or a value that is
// not a boolean, is a warning at its position (lint reports it too, from the
// schema) and is ignored.
func BreakingFromConfig(cfg *journey.Config) (Breaking, []diag.Diagnostic) {
	if cfg == nil || len(cfg.DiffBreaking) == 0 {
		return nil, nil
	}
	out := Breaking{}
	var warns []diag.Diagnostic
	for _, s := range cfg.DiffBreaking {
		if _, ok := KindByID(s.Kind.Value); !ok {
			d := diag.Diagnostic{File: cfg.File, Range: s.Kind.Range, Severity: diag.Warning, Rule: "schema",
				Message: "diff.breaking: " + quote(s.Kind.Value) + " is not a change kind; this setting is ignored"}
			if near := journey.Closest(s.Kind.Value, KindIDs()); near != "" {
				d.Suggestion = diag.Suggest(near, s.Kind.Range)
			}
			warns = append(warns, d)
			continue
		}
		switch strings.ToLower(s.Breaking.Value) {
		case "true":
			out[s.Kind.Value] = true
		case "false":
			out[s.Kind.Value] = false
		default:
			warns = append(warns, diag.Diagnostic{File: cfg.File, Range: s.Breaking.Range, Severity: diag.Warning, Rule: "schema",
				Message: "diff.breaking." + s.Kind.Value + ": " + quote(s.Breaking.Value) + " is not true or false; this setting is ignored"})
		}
	}
	return out, warns
}
