package conform

// Hooks for the external tests (package conform_test), which use the
// event log generator of internal/eventgen (itself built on this package).

// Bounds the tests lower to exercise the paths past them.
var (
	MaxFanIn       = &maxFanIn
	MinSortRecs    = &minSortRecs
	DurationsLimit = &maxDurations // MaxDurations
)

// OpenStores and PeakStores count the run files open now and at most.
var OpenStores, PeakStores = &openStores, &peakStores

// CompareCaseIDs is the order of case ids that a log streamed without
// sorting must follow.
var CompareCaseIDs = compareCaseIDs

// DurationBlock is the most durations kept in one block.
const DurationBlock = durationBlock

// Timing adds the values (milliseconds) to durations kept as Run keeps
// them and returns their median and p90 in seconds.
func Timing(values []int64) (median, p90 *float64) {
	var d durations
	for _, v := range values {
		d.add(v)
	}
	return timing(&d, true)
}
