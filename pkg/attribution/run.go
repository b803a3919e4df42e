package attribution

import (
	"fmt"

	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/eventlog"
	"github.com/journeykit/journey/pkg/journey"
)

// Options tune Run.
type Options struct {
	// By is ByChannel (default), ByTouchpoint or ByStage.
	By string
	// Order is 1 (default) or 2.
	Order int
	// Conform reads the log: columns, input format, strictness, sort
	// memory. Its NoTiming and Visit are set by Run.
	Conform conform.Options
	// KeepPaths keeps the distinct paths (Counter.Paths) in the counter
	// Run returns.
	KeepPaths bool
}

// Run replays the log against j as journey conform does and credits the
// conversions. It also returns the counter (for its paths).
func Run(j *journey.Journey, src eventlog.Source, opts Options) (*Report, *Counter, error) {
	if opts.By == "" {
		opts.By = ByChannel
	}
	if opts.Order == 0 {
		opts.Order = 1
	}
	if opts.Order != 1 && opts.Order != 2 {
		return nil, nil, fmt.Errorf("order %d: use 1 or 2", opts.Order)
	}
	m, err := conform.NewMap(j)
	if err != nil {
		return nil, nil, err
	}
	md, err := NewModel(j, m, opts.By)
	if err != nil {
		return nil, nil, err
	}
	var counter *Counter
	co := opts.Conform
	co.NoTiming = true
	co.Visit = func() conform.CaseVisitor {
		counter = NewCounter(md, opts.Order)
		if opts.KeepPaths {
			counter.KeepPaths()
		}
		return counter
	}
	cr, err := conform.Run(m, src, co)
	if err != nil {
		return nil, nil, err
	}
	r, err := counter.Report()
	if err != nil {
		return nil, nil, err
	}
	r.Title = cr.Title
	r.EventsFile, r.InputOrder, r.Rows, r.MappedEvents, r.UnknownEvents, r.BadRows = cr.EventsFile, cr.InputOrder, cr.Rows, cr.MappedEvents, cr.UnknownEvents, cr.BadRows
	if cr.BadRows > 0 && len(cr.BadRowSamples) > 0 {
		b := cr.BadRowSamples[0]
		r.Notes = append(r.Notes, fmt.Sprintf("%d bad row(s) skipped (first: line %d: %s)", cr.BadRows, b.Line, b.Message))
	}
	r.Notes = append(cr.Notes, r.Notes...)
	return r, counter, nil
}
