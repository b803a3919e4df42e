package canvas

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/journeykit/journey/pkg/journey"
)

// The journey's graph on the canvas: the Next lane lists each stage's
// transitions (target stage by name, when, after, rate, and the share
// that drops off), the Failure reasons lane each failure outcome's
// reasons with their follow-up stage, and the emotion curves follow the
// transitions (see chains).

// channelName is the name of channel id, or id when it has none.
func channelName(j *journey.Journey, id string) string {
	for _, c := range j.Channels {
		if c != nil && c.ID.Value == id && strings.TrimSpace(c.Name) != "" {
			return c.Name
		}
	}
	return id
}

// stageName is the name of stage id in j, or id when it has none or is
// not declared.
func stageName(j *journey.Journey, id string) string {
	if s := j.Stage(id); s != nil && strings.TrimSpace(s.Name) != "" {
		return s.Name
	}
	return id
}

// where says why a target stage of this journey is not drawn: it is in
// a phase left out ("continues in PHASE"), or off the persona's path. ""
// when the stage is drawn or unknown.
func (sh *sheet) where(id string) string {
	if sh.shown[id] {
		return ""
	}
	s := sh.j.Stage(id)
	if s == nil {
		return ""
	}
	if len(sh.opts.Phases) > 0 && !slices.Contains(sh.opts.Phases, s.Phase.Value) {
		for _, p := range sh.j.Phases {
			if p != nil && p.ID.Value == s.Phase.Value {
				name := p.Name
				if strings.TrimSpace(name) == "" {
					name = p.ID.Value
				}
				return "continues in " + name
			}
		}
		return "continues outside these phases" // a phase not declared
	}
	if sh.opts.Persona != "" && !s.Passes(sh.opts.Persona) {
		return "not on this persona's path"
	}
	return "not drawn"
}

// percent is a rate as a percentage with at most one decimal: 0.55 is
// "55%", 0.125 "12.5%".
func percent(r float64) string {
	return strconv.FormatFloat(math.Round(r*1000)/10, 'f', -1, 64) + "%"
}

// nextCell lists the stage's transitions: "→ target" in bold, then when,
// after and rate; and the share that drops off when every transition
// has a rate. Under a persona, transitions into stages the persona does
// not pass are not the persona's path: they are left out (as in the
// flow), and so is the drop-off.
func (sh *sheet) nextCell(c *content, s *journey.Stage, w float64) {
	n, sum, allRates := 0, 0.0, true
	for i, t := range s.Next {
		if t == nil {
			continue
		}
		if p := sh.opts.Persona; p != "" && !t.IsHandoff() {
			if st := sh.j.Stage(t.To.Value); st != nil && !st.Passes(p) {
				allRates = false
				continue
			}
		}
		if t.Rate == nil {
			allRates = false
		} else {
			sum += *t.Rate
		}
		if n == maxItems {
			more(c, len(s.Next)-i, w)
			continue
		}
		var name, note string
		if t.IsHandoff() {
			name = t.To.Value
			note = "in journey " + t.Journey.Value
		} else {
			name = stageName(sh.j, t.To.Value)
			note = sh.where(t.To.Value)
		}
		c.gap(itemGap)
		c.runs([]run{{"→", stBold}, {clean(name), stBold}}, 0, w)
		var parts []string
		if note != "" {
			parts = append(parts, note)
		}
		if when := strings.TrimSpace(t.When); when != "" {
			parts = append(parts, "when "+when)
		}
		if after := strings.TrimSpace(t.After.Value); after != "" {
			parts = append(parts, "after "+after)
		}
		if t.Rate != nil {
			parts = append(parts, percent(*t.Rate))
		}
		if len(parts) > 0 {
			c.text(clean(strings.Join(parts, " · ")), stSmall, bulletIndent, w)
		}
		n++
	}
	if n > 0 && allRates && sum < 0.9995 && sum >= 0 {
		c.gap(itemGap)
		c.text(percent(1-sum)+" drop off", stSmall, 0, w)
	}
}

// reasonsCell lists a failure outcome's reasons, each with its follow-up
// stage.
func (sh *sheet) reasonsCell(c *content, s *journey.Stage, w float64) {
	n := 0
	for i, r := range s.Reasons {
		if r == nil {
			continue
		}
		if n == maxItems {
			more(c, len(s.Reasons)-i, w)
			return
		}
		name := r.Name
		if strings.TrimSpace(name) == "" {
			name = r.ID.Value
		}
		c.gap(itemGap - 2)
		c.bullet(clean(name), stBody, w)
		if next := r.Next.Value; next != "" {
			rs := []run{{"then →", stSmall}, {clean(stageName(sh.j, next)), style{size: 11, lh: 15, bold: true, color: colorInk2}}}
			if where := sh.where(next); where != "" {
				rs = append(rs, run{"(" + clean(where) + ")", stSmall})
			}
			c.runs(rs, bulletIndent, w)
		}
		n++
	}
}
