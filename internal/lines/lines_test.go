package lines

import (
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{"a\nb\n", []string{"a", "b"}},
		{"a\r\nb\r\n", []string{"a", "b"}},
		{"a\rb\rc", []string{"a", "b", "c"}},
		{"a\n\nb", []string{"a", "", "b"}},
		{"a\r\rb", []string{"a", "", "b"}},
		{"a\n\r\nb", []string{"a", "", "b"}},
	} {
		var got []string
		for _, l := range Split([]byte(c.in)) {
			got = append(got, string(l))
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Split(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
