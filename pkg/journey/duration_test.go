package journey

import "testing"

func TestParseDuration(t *testing.T) {
	for _, c := range []struct {
		in      string
		minutes int64
		ok      bool
	}{
		{"30m", 30, true},
		{"2h", 120, true},
		{"2d", 2 * 24 * 60, true},
		{"1w2d", 9 * 24 * 60, true},
		{"1h30m", 90, true},
		{"0m", 0, true},
		{"", 0, false},
		{"30", 0, false},
		{"m", 0, false},
		{"2x", 0, false},
		{"-1d", 0, false},
		{"1.5h", 0, false},
		{"99999999999999999999m", 0, false},
		{"9223372036854775807w", 0, false},
	} {
		m, ok := ParseDuration(c.in)
		if m != c.minutes || ok != c.ok {
			t.Errorf("ParseDuration(%q) = %d, %v; want %d, %v", c.in, m, ok, c.minutes, c.ok)
		}
	}
}
