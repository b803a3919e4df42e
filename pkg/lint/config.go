package lint

import (
	"fmt"
	"regexp"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
)

// checkConfig reports what the schema cannot see in a workspace
// configuration: UTM patterns that are not valid regular expressions.
func checkConfig(c *journey.Config) []diag.Diagnostic {
	if c == nil {
		return nil
	}
	var out []diag.Diagnostic
	for _, key := range journey.UTMKeys {
		pat, ok := c.UTM.Patterns[key]
		if !ok {
			continue
		}
		if _, err := regexp.Compile(pat.Value); err != nil {
			out = append(out, diag.Diagnostic{
				File: c.File, Range: pat.Range, Severity: diag.Error, Rule: "schema",
				Message: fmt.Sprintf("utm.patterns.%s: not a valid regular expression: %v", key, err),
			})
		}
	}
	return out
}
