package journey

// Journey is one journey file: the map of how customers move from first
// contact to an outcome.
type Journey struct {
	Meta
	// File is the path of the journey's file as the user named it.
	File string

	ID          Text
	Title       string
	Description string
	Owner       Text
	Tags        []string
	Status      string // "" means active
	Links       []Link
	Personas    []*Persona
	Channels    []*Channel
	Phases      []*Phase
	Stages      []*Stage
	Metrics     []*Metric
}

// Retired reports whether the journey is no longer in use.
func (j *Journey) Retired() bool { return j.Status == "retired" }

// Stage returns the stage with the given id, or nil.
func (j *Journey) Stage(id string) *Stage {
	for _, s := range j.Stages {
		if s.ID.Value == id {
			return s
		}
	}
	return nil
}

// Phase returns the phase with the given id, or nil.
func (j *Journey) Phase(id string) *Phase {
	for _, p := range j.Phases {
		if p.ID.Value == id {
			return p
		}
	}
	return nil
}

// Link is a related document.
type Link struct {
	Meta
	Title string
	URL   string
}

// Persona is a kind of customer who travels the journey.
type Persona struct {
	Meta
	ID          Text
	Name        string
	Description string
	Goals       []string
	Needs       []string
	Pains       []string
}

// Channel is a medium the company uses to reach customers.
type Channel struct {
	Meta
	ID   Text
	Name string
	Kind string
}

// BuiltinChannels are the channel ids every journey may use without
// declaring them; they equal the channel kinds.
var BuiltinChannels = []string{
	"email", "sms", "messenger", "push", "web", "app", "phone", "chat",
	"in-person", "social", "ads", "sales", "support", "community", "other",
}

// Phase is an ordered column of the map.
type Phase struct {
	Meta
	ID          Text
	Name        string
	Description string
	Owner       Text
	Goal        string
}

// Metric is a KPI of a journey or a stage.
type Metric struct {
	Meta
	ID          Text
	Name        string
	Target      string // as written: a number or a percentage
	Unit        string
	Description string
}

// Outcome kinds.
const (
	OutcomeSuccess = "success"
	OutcomeFailure = "failure"
	OutcomeExit    = "exit"
)

// Stage is a node of the journey graph.
type Stage struct {
	Meta
	ID          Text
	Name        string
	Phase       Text
	Description string
	Entry       bool
	Outcome     string // "", success, failure or exit
	Owner       Text
	Personas    []Text
	Channel     Text
	Doing       string
	Thinking    string
	Feeling     string
	// Backstage and Support are the service-blueprint lanes: what
	// employees do out of the customer's sight, and the systems and
	// processes behind the stage.
	Backstage     []string
	Support       []string
	Emotion       Emotion
	Questions     []string
	Pains         []string
	Opportunities []string
	Aha           bool
	Touchpoints   []*Touchpoint
	Metrics       []*Metric
	Events        []Text
	Reasons       []*Reason
	Next          []*Transition
	RenamedFrom   []Text
}

// IsOutcome reports whether the stage ends the journey.
func (s *Stage) IsOutcome() bool { return s.Outcome != "" }

// EventNames returns the analytics events that mean the customer reached
// the stage: its events, or its id when none are given.
func (s *Stage) EventNames() []string {
	if len(s.Events) == 0 {
		return []string{s.ID.Value}
	}
	names := make([]string, len(s.Events))
	for i, e := range s.Events {
		names[i] = e.Value
	}
	return names
}

// Emotion is how customers feel at a stage: one value for all, or one per
// persona.
type Emotion struct {
	// Set reports whether an emotion was given at all.
	Set bool
	// Value is the emotion for every persona when PerPersona is empty.
	Value int
	// PerPersona gives each persona its own value, in file order.
	PerPersona []PersonaEmotion
}

// PersonaEmotion is one persona's emotion at a stage.
type PersonaEmotion struct {
	Persona Text
	Value   int
}

// Touchpoint is something the company sends or does at a stage.
type Touchpoint struct {
	Meta
	ID       Text
	Channel  Text
	Action   string
	Owner    Text
	Template string
	UTM      *UTM
}

// UTMKeys are the keys of a UTM object, in canonical order.
var UTMKeys = []string{"source", "medium", "campaign", "content", "term"}

// UTM holds the UTM parameters of a touchpoint's links.
type UTM struct {
	Meta
	Values map[string]Text
}

// Reason is why customers end at a failure stage, with its follow-up path.
type Reason struct {
	Meta
	ID   Text
	Name string
	Next Text
}

// Transition is an edge of the journey graph.
type Transition struct {
	Meta
	// Shorthand is true when the transition was written as a bare id.
	Shorthand bool
	To        Text
	// Journey names the journey of a hand-off; empty for this journey.
	Journey Text
	When    string
	After   Text
	// AfterMinutes is After parsed; -1 when absent or invalid.
	AfterMinutes int64
	// Rate is nil when no rate is given.
	Rate *float64
}

// IsHandoff reports whether the transition leaves for another journey.
func (t *Transition) IsHandoff() bool { return t.Journey.Value != "" }
