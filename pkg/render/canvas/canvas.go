// Package canvas draws the classic journey-map sheet as SVG: phases and
// their stages as columns, the map's lanes (doing, thinking, feeling,
// touchpoints, emotion, pains, ...) as rows. The SVG is written by hand
// with a small set of elements (rect, line, polyline, circle, path, text
// with tspan lines, g) so that the pure-Go rasteriser can draw it too.
package canvas

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render/svgtext"
)

// Options select what the canvas draws.
type Options struct {
	// Persona, when set, draws that persona's path only: the stages the
	// persona passes (stages that name no personas are passed by all) and
	// that persona's emotion curve.
	Persona string
	// Phases, when set, draws only these phases (by id) and their stages:
	// a map cut into slides. Transitions and failure follow-ups into
	// stages of other phases say which phase the journey continues in.
	// Unknown ids are ignored here (render.CutPhases refuses them).
	Phases []string
}

// SVG draws j as a journey-map canvas.
func SVG(j *journey.Journey, opts Options) ([]byte, error) {
	if j == nil {
		return nil, errors.New("canvas: no journey")
	}
	return layout(j, opts).svg(), nil
}

// Geometry, in SVG units (pixels at 1:1).
const (
	margin       = 24.0  // around the sheet
	labelW       = 128.0 // lane label column
	colW         = 220.0 // one stage column
	emptyColW    = 112.0 // a phase without stages
	padX         = 10.0  // cell padding
	padY         = 10.0
	minLaneH     = 40.0
	bulletIndent = 12.0
	itemGap      = 6.0 // between list items
	titleGap     = 18.0

	maxText  = 2000 // runes of one text shown
	maxItems = 12   // list items shown per cell

	// The emotion lane: -2..+2 with emoUnit between levels.
	emoUnit = 26.0
	emoH    = emoTop + 4*emoUnit + emoBottom
	jitter  = 11.0 // horizontal spread of equal points of several curves
)

// Colours. Text is dark ink on white or light fills (AA and better);
// colours never carry meaning alone: badges are words, curves also differ
// by dash pattern and marker shape and have a legend.
const (
	colorInk   = "#1a202c"
	colorInk2  = "#2d3748"
	colorMuted = "#4a5568"
	colorGrid  = "#e2e8f0"
	// colorVisibility draws the service blueprint's line of visibility.
	colorVisibility = "#4a5568"
	colorGridDark   = "#a0aec0"
	colorLabelFill  = "#f1f5f9"
	colorEmpty      = "#f8fafc"
	colorLevel      = "#edf2f7"
	colorZero       = "#a0aec0"
)

// Phase header fill and the lighter tint of its stage cells, cycled.
var phasePalette = [][2]string{
	{"#dbeafe", "#f3f8ff"}, // blue
	{"#d1fae5", "#f1fcf6"}, // green
	{"#fdecc8", "#fffaf0"}, // amber
	{"#ede4ff", "#f9f6ff"}, // violet
	{"#cdf1f4", "#f0fbfc"}, // teal
	{"#fde2e7", "#fff5f7"}, // rose
}

var otherPalette = [2]string{"#e2e8f0", "#f7fafc"}

var (
	stBody  = style{size: 12, lh: 16, color: colorInk}
	stBold  = style{size: 12, lh: 16, bold: true, color: colorInk}
	stSmall = style{size: 11, lh: 15, color: colorMuted}
	stLabel = style{size: 11, lh: 14, bold: true, color: colorInk2}
	stName  = style{size: 13, lh: 17, bold: true, color: colorInk}
	stGoal  = style{size: 11, lh: 15, color: colorInk2}
	stTitle = style{size: 20, lh: 26, bold: true, color: colorInk}
	stMeta  = style{size: 12, lh: 17, color: colorMuted}
	stMetaB = style{size: 12, lh: 17, bold: true, color: colorInk}
)

var slug = regexp.MustCompile(`^[a-z0-9]+([_-][a-z0-9]+)*$`)

// sheet is the laid-out canvas: every box and line in absolute coordinates.
type sheet struct {
	j       *journey.Journey
	opts    Options
	shown   map[string]bool // ids of the stages drawn
	w, h    float64
	title   string
	head    content // title block
	headBox box
	groups  []*group
	cols    []*column
	corner  *cell // left of the phase header row
	headerY float64
	headerH float64
	lanes   []*lane
	emo     *plot
	grid    box // phase header row and all lanes
}

// group is a phase (or "Other") spanning its stage columns.
type group struct {
	name, goal string
	fill, tint string
	other      bool
	stages     []*journey.Stage
	cols       []*column
	box        box
	text       content
}

// column is one stage, or the empty column of a phase without stages.
type column struct {
	x, w  float64
	stage *journey.Stage
	group *group
	id    string // id attribute, "" when the stage id is not a usable slug
	tip   string
}

func (c *column) center() float64 { return c.x + c.w/2 }

// lane is a row of the map.
type lane struct {
	key, label string
	y, h       float64
	head       *cell   // the label on the left
	cells      []*cell // one per column, or one spanning cell
	span       bool
}

// cell is a box with content; content is built relative to the padded
// top-left corner and moved into place once row heights are known.
type cell struct {
	box
	fill string
	c    content
}

func (c *cell) place() { c.c.shift(c.x+padX, c.y+padY) }

// clean makes user text safe to measure and embed, and caps its length.
func clean(s string) string {
	return svgtext.Truncate(escape.Clean(s), maxText)
}

func layout(j *journey.Journey, opts Options) *sheet {
	sh := &sheet{j: j, opts: opts, title: j.Title, shown: map[string]bool{}}
	if strings.TrimSpace(sh.title) == "" {
		sh.title = j.ID.Value
	}

	// Phases in file order; stages of an unknown phase go to "Other".
	var keep map[string]bool // phases drawn; nil: all
	if len(opts.Phases) > 0 {
		keep = map[string]bool{}
		for _, id := range opts.Phases {
			keep[id] = true
		}
	}
	byID := map[string]*group{}
	for i, p := range j.Phases {
		if p == nil || keep != nil && !keep[p.ID.Value] {
			continue
		}
		pal := phasePalette[i%len(phasePalette)]
		name := p.Name
		if strings.TrimSpace(name) == "" {
			name = p.ID.Value
		}
		g := &group{name: name, goal: p.Goal, fill: pal[0], tint: pal[1]}
		sh.groups = append(sh.groups, g)
		if p.ID.Value != "" && byID[p.ID.Value] == nil {
			byID[p.ID.Value] = g
		}
	}
	var other *group
	var stages []*journey.Stage
	for _, s := range j.Stages {
		if s == nil || !s.Passes(opts.Persona) || keep != nil && byID[s.Phase.Value] == nil {
			continue
		}
		stages = append(stages, s)
		if s.ID.Value != "" {
			sh.shown[s.ID.Value] = true
		}
		g := byID[s.Phase.Value]
		if g == nil {
			if other == nil {
				other = &group{name: "Other", goal: "Stages whose phase is not declared", fill: otherPalette[0], tint: otherPalette[1], other: true}
			}
			g = other
		}
		g.stages = append(g.stages, s)
	}
	if other != nil {
		sh.groups = append(sh.groups, other)
	}

	// Columns, left to right.
	usedIDs := map[string]bool{}
	x := margin + labelW
	for _, g := range sh.groups {
		g.box.x = x
		if len(g.stages) == 0 {
			c := &column{x: x, w: emptyColW, group: g}
			g.cols = append(g.cols, c)
			sh.cols = append(sh.cols, c)
			x += emptyColW
		}
		for _, s := range g.stages {
			c := &column{x: x, w: colW, stage: s, group: g, tip: tooltip(j, s)}
			if id := s.ID.Value; slug.MatchString(id) && !usedIDs[id] {
				usedIDs[id] = true
				c.id = "stage-" + id
			}
			g.cols = append(g.cols, c)
			sh.cols = append(sh.cols, c)
			x += colW
		}
		g.box.w = x - g.box.x
	}
	sh.w = x + margin
	if len(sh.cols) == 0 {
		sh.w = margin*2 + labelW + colW
	}

	// Title block.
	tw := sh.w - 2*margin
	sh.head.text(clean(sh.title), stTitle, 0, tw)
	sh.head.gap(4)
	sh.head.runs(metaRuns(j, stages, len(sh.groups), keep != nil), 0, tw)
	if rs := personaRuns(j, opts); len(rs) > 0 {
		sh.head.runs(rs, 0, tw)
	}
	sh.head.shift(margin, margin)
	sh.headBox = box{margin, margin, tw, sh.head.h}

	// Phase header row.
	sh.headerY = margin + sh.head.h + titleGap
	sh.headerH = minLaneH
	for _, g := range sh.groups {
		w := g.box.w - 2*padX
		g.text.text(clean(g.name), stName, 0, w)
		if goal := clean(g.goal); strings.TrimSpace(goal) != "" {
			g.text.gap(3)
			if g.other {
				g.text.text(goal, stGoal, 0, w)
			} else {
				g.text.runs([]run{{"Goal:", style{size: 11, lh: 15, bold: true, color: colorInk2}}, {goal, stGoal}}, 0, w)
			}
		}
		sh.headerH = max(sh.headerH, g.text.h+2*padY)
	}
	for _, g := range sh.groups {
		g.box.y, g.box.h = sh.headerY, sh.headerH
		g.text.shift(g.box.x+padX, g.box.y+padY)
	}
	sh.corner = &cell{box: box{margin, sh.headerY, labelW, sh.headerH}, fill: colorLabelFill}
	sh.corner.c.text("Phase", stLabel, 0, labelW-2*padX)
	sh.corner.place()

	// Lanes.
	sh.lanes = buildLanes(j, sh, opts)
	y := sh.headerY + sh.headerH
	for _, l := range sh.lanes {
		l.y = y
		if l.key == "emotion" {
			l.h = emoH
		} else {
			l.h = max(minLaneH, l.head.c.h+2*padY)
			for _, c := range l.cells {
				l.h = max(l.h, c.c.h+2*padY)
			}
		}
		l.head.box = box{margin, y, labelW, l.h}
		l.head.place()
		for _, c := range l.cells {
			c.y, c.h = y, l.h
			c.place()
		}
		y += l.h
	}
	sh.grid = box{margin, sh.headerY, sh.w - 2*margin, y - sh.headerY}
	if sh.emo != nil {
		sh.emo.points(sh)
	}
	sh.h = y + margin
	return sh
}

// metaRuns is the line under the title: id, owner, status, counts (of
// the phases drawn when the map is cut to some phases).
func metaRuns(j *journey.Journey, stages []*journey.Stage, groups int, cut bool) []run {
	rs := []run{{"journey", stMeta}, {clean(j.ID.Value), stMetaB}}
	if o := clean(j.Owner.Value); o != "" {
		rs = append(rs, run{"· owner", stMeta}, run{o, stMetaB})
	}
	if st := clean(j.Status); st != "" && st != "active" {
		rs = append(rs, run{"· status", stMeta}, run{st, stMetaB})
	}
	if cut {
		rs = append(rs, run{"· " + plural(len(stages), "stage") + " in " + strconv.Itoa(groups) + " of " + plural(len(j.Phases), "phase"), stMeta})
		return rs
	}
	rs = append(rs, run{"· " + plural(len(stages), "stage") + " in " + plural(len(j.Phases), "phase"), stMeta})
	return rs
}

// personaRuns names the personas shown.
func personaRuns(j *journey.Journey, opts Options) []run {
	if opts.Persona != "" {
		name := personaName(j, opts.Persona)
		rs := []run{{"persona", stMeta}, {clean(name), stMetaB}}
		if name != opts.Persona {
			rs = append(rs, run{"(" + clean(opts.Persona) + ")", stMeta})
		}
		return append(rs, run{"· only the stages this persona passes", stMeta})
	}
	var names []string
	for _, p := range j.Personas {
		if p == nil {
			continue
		}
		n := p.Name
		if strings.TrimSpace(n) == "" {
			n = p.ID.Value
		}
		names = append(names, svgtext.Truncate(escape.Clean(n), 120))
	}
	if len(names) == 0 {
		return nil
	}
	label := "personas"
	if len(names) == 1 {
		label = "persona"
	}
	return []run{{label, stMeta}, {clean(strings.Join(names, " · ")), style{size: 12, lh: 17, color: colorInk}}}
}

func personaName(j *journey.Journey, id string) string {
	for _, p := range j.Personas {
		if p != nil && p.ID.Value == id && strings.TrimSpace(p.Name) != "" {
			return p.Name
		}
	}
	return id
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// tooltip is the <title> of a stage column: name, description, owner.
func tooltip(j *journey.Journey, s *journey.Stage) string {
	parts := []string{s.Name}
	if s.ID.Value != "" {
		parts[0] += " (" + s.ID.Value + ")"
	}
	if d := strings.TrimSpace(s.Description); d != "" {
		parts = append(parts, svgtext.Truncate(d, 600))
	}
	if o, _ := j.OwnerOf(s); o != "" {
		parts = append(parts, "owner: "+o)
	}
	return svgtext.Truncate(strings.Join(parts, "\n"), maxText)
}

// buildLanes fills the cells of every lane that has content.
func buildLanes(j *journey.Journey, sh *sheet, opts Options) []*lane {
	type laneDef struct {
		key, label string
		fill       func(c *content, s *journey.Stage, w float64)
	}
	defs := []laneDef{
		{"stage", "Stage", sh.stageCell},
		{"doing", "Doing", func(c *content, s *journey.Stage, w float64) { c.text(clean(s.Doing), stBody, 0, w) }},
		{"thinking", "Thinking", func(c *content, s *journey.Stage, w float64) { c.text(clean(s.Thinking), stBody, 0, w) }},
		{"feeling", "Feeling", func(c *content, s *journey.Stage, w float64) { c.text(clean(s.Feeling), stBody, 0, w) }},
		{"touchpoints", "Touchpoints", sh.touchpointCell},
		{"emotion", "Emotion", nil},
		{"key", "Emotion key", nil},
		{"pains", "Pains", func(c *content, s *journey.Stage, w float64) { bullets(c, s.Pains, w) }},
		{"opportunities", "Opportunities", func(c *content, s *journey.Stage, w float64) { bullets(c, s.Opportunities, w) }},
		{"questions", "Questions", func(c *content, s *journey.Stage, w float64) { bullets(c, s.Questions, w) }},
		// The journey's graph: where customers go next, and why those
		// at a failure outcome left, with the follow-up for each reason.
		{"next", "Next", sh.nextCell},
		{"reasons", "Failure reasons", sh.reasonsCell},
		{"owner", "Owner", func(c *content, s *journey.Stage, w float64) { ownerCell(c, j, s, w) }},
		{"metrics", "Metrics", metricsCell},
		// The service blueprint, under the line of visibility (drawn
		// above the first of these lanes that has content).
		{"backstage", "Backstage", func(c *content, s *journey.Stage, w float64) { bullets(c, s.Backstage, w) }},
		{"support", "Support", func(c *content, s *journey.Stage, w float64) { bullets(c, s.Support, w) }},
	}
	emo := newPlot(j, sh.cols, opts)
	var lanes []*lane
	for _, d := range defs {
		l := &lane{key: d.key, label: d.label, head: &cell{fill: colorLabelFill}}
		l.head.c.text(d.label, stLabel, 0, labelW-2*padX)
		switch d.key {
		case "emotion":
			if emo == nil {
				continue
			}
			emo.lane = l
			for _, col := range sh.cols {
				l.cells = append(l.cells, &cell{box: box{x: col.x, w: col.w}, fill: cellFill(col, false)})
			}
			emo.scale(l.head)
			emo.valueLabels(l.cells)
		case "key":
			if emo == nil {
				continue
			}
			l.span = true
			c := &cell{box: box{x: margin + labelW, w: sh.w - 2*margin - labelW}, fill: "#ffffff"}
			emo.legend(&c.c, c.w-2*padX)
			l.cells = []*cell{c}
			emo.key = l
		default:
			any := d.key == "stage"
			for _, col := range sh.cols {
				c := &cell{box: box{x: col.x, w: col.w}, fill: cellFill(col, d.key == "stage")}
				if col.stage != nil {
					d.fill(&c.c, col.stage, col.w-2*padX)
					any = any || c.c.h > 0
				} else if d.key == "stage" {
					note := "No stages"
					if opts.Persona != "" {
						note = "No stages for this persona"
					}
					c.c.text(note, stSmall, 0, col.w-2*padX)
				}
				l.cells = append(l.cells, c)
			}
			if !any {
				continue
			}
		}
		lanes = append(lanes, l)
	}
	sh.emo = emo
	return lanes
}

func cellFill(col *column, stageLane bool) string {
	switch {
	case col.stage == nil:
		return colorEmpty
	case stageLane:
		return col.group.tint
	}
	return "#ffffff"
}

// Stage badges: words first, colour second (same colours as the flow view).
var badgeStyles = map[string][3]string{ // fill, stroke, text
	"ENTRY":   {"#eff6ff", "#1e40af", "#1e40af"},
	"SUCCESS": {"#dcfce7", "#166534", "#166534"},
	"FAILURE": {"#fee2e2", "#991b1b", "#991b1b"},
	"EXIT":    {"#f3f4f6", "#374151", "#374151"},
	"AHA":     {"#fef3c7", "#92400e", "#78350f"},
}

const badgeSize, badgeH = 10.0, 16.0

// stageCell is the stage's name, badges, id and, for a stage that only
// some personas pass, their names.
func (sh *sheet) stageCell(c *content, s *journey.Stage, w float64) {
	name := clean(s.Name)
	id := clean(s.ID.Value)
	if strings.TrimSpace(name) == "" {
		name, id = id, ""
	}
	c.text(name, stName, 0, w)
	var labels []string
	if s.Entry {
		labels = append(labels, "ENTRY")
	}
	switch s.Outcome {
	case journey.OutcomeSuccess:
		labels = append(labels, "SUCCESS")
	case journey.OutcomeFailure:
		labels = append(labels, "FAILURE")
	case journey.OutcomeExit:
		labels = append(labels, "EXIT")
	}
	if s.Aha {
		labels = append(labels, "AHA")
	}
	if len(labels) > 0 {
		c.gap(6)
		x, top := 0.0, c.h
		for _, lb := range labels {
			bw := svgtext.TextWidth(lb, badgeSize, true) + 12
			if x > 0 && x+bw > w {
				x, top = 0, top+badgeH+4
			}
			st := badgeStyles[lb]
			c.badges = append(c.badges, badge{x: x, y: top, w: bw, h: badgeH, label: lb, fill: st[0], stroke: st[1], color: st[2]})
			c.lines = append(c.lines, line{x: x + 6, y: baseline(top, badgeSize, badgeH), text: lb, size: badgeSize, bold: true, color: st[2]})
			x += bw + 4
		}
		c.h = top + badgeH
	}
	if id != "" {
		c.gap(5)
		c.text(id, stSmall, 0, w)
	}
	if sh.opts.Persona == "" && len(s.Personas) > 0 {
		var names []string
		for _, p := range s.Personas {
			names = append(names, svgtext.Truncate(escape.Clean(personaName(sh.j, p.Value)), 120))
		}
		c.gap(3)
		c.runs([]run{{"only for", stSmall}, {clean(strings.Join(names, ", ")), style{size: 11, lh: 15, bold: true, color: colorInk2}}}, 0, w)
	}
}

// touchpointCell is the stage's main channel and its touchpoints, each
// channel by its name (its id when it has none).
func (sh *sheet) touchpointCell(c *content, s *journey.Stage, w float64) {
	n := 0
	if ch := clean(channelName(sh.j, s.Channel.Value)); ch != "" {
		c.runs([]run{{ch, stBold}, {"main channel", style{size: 11, lh: 16, color: colorMuted}}}, 0, w)
		n++
	}
	for i, t := range s.Touchpoints {
		if t == nil {
			continue
		}
		if n == maxItems {
			more(c, len(s.Touchpoints)-i, w)
			break
		}
		var rs []run
		if ch := clean(channelName(sh.j, t.Channel.Value)); ch != "" {
			rs = append(rs, run{ch, stBold})
		}
		if a := clean(t.Action); strings.TrimSpace(a) != "" {
			rs = append(rs, run{a, stBody})
		}
		if len(rs) == 0 {
			continue
		}
		c.gap(itemGap)
		c.runs(rs, 0, w)
		n++
	}
}

func bullets(c *content, items []string, w float64) {
	n := 0
	for i, it := range items {
		it = clean(it)
		if strings.TrimSpace(it) == "" {
			continue
		}
		if n == maxItems {
			more(c, len(items)-i, w)
			return
		}
		c.gap(itemGap - 2)
		c.bullet(it, stBody, w)
		n++
	}
}

func more(c *content, n int, w float64) {
	c.gap(itemGap - 2)
	c.text("+"+strconv.Itoa(n)+" more", stSmall, 0, w)
}

func ownerCell(c *content, j *journey.Journey, s *journey.Stage, w float64) {
	o, from := j.OwnerOf(s)
	if o = clean(o); o == "" {
		return
	}
	c.text(o, stBody, 0, w)
	if from != "" {
		c.gap(1)
		c.text("from the "+from, stSmall, 0, w)
	}
}

func metricsCell(c *content, s *journey.Stage, w float64) {
	n := 0
	for i, m := range s.Metrics {
		if m == nil {
			continue
		}
		if n == maxItems {
			more(c, len(s.Metrics)-i, w)
			return
		}
		name := clean(m.Name)
		if strings.TrimSpace(name) == "" {
			name = clean(m.ID.Value)
		}
		target := strings.TrimSpace(clean(m.Target) + " " + clean(m.Unit))
		var rs []run
		switch {
		case target != "" && m.Target != "":
			rs = []run{{name + ":", stBody}, {target, stBold}}
		case target != "":
			rs = []run{{name, stBody}, {"(" + target + ")", style{size: 12, lh: 16, color: colorMuted}}}
		default:
			rs = []run{{name, stBody}}
		}
		c.gap(itemGap - 2)
		c.lines = append(c.lines, line{x: 0, y: baseline(c.h, 12, 16), text: "•", size: 12, color: colorInk})
		c.runs(rs, bulletIndent, w)
		n++
	}
}
