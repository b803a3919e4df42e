package journey

import "strconv"

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
