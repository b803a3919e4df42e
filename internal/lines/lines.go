// Package lines splits text into lines the way YAML and our positions do:
// a line ends at "\n", "\r\n" or a lone "\r". Every place that counts lines
// (positions, suppression comments, excerpts) must agree, or a finding
// lands on one line and its suppression on another.
package lines

// Split returns the lines of src without their line breaks. A final line
// break does not start another line; an empty src has no line.
func Split[T ~string | ~[]byte](src T) []T {
	var out []T
	start := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			out = append(out, src[start:i])
			start = i + 1
		case '\r':
			out = append(out, src[start:i])
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	if start < len(src) {
		out = append(out, src[start:])
	}
	return out
}
