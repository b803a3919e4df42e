package lint

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"

	"github.com/journeykit/journey/internal/termsafe"
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
		if len(pat.Value) > maxPattern {
			out = append(out, diag.Diagnostic{
				File: c.File, Range: pat.Range, Severity: diag.Error, Rule: "schema",
				Message: fmt.Sprintf("utm.patterns.%s: the pattern is %d bytes long, more than the %d lint applies: shorten it", key, len(pat.Value), maxPattern),
			})
			continue
		}
		if _, err := regexp.Compile(pat.Value); err != nil {
			out = append(out, diag.Diagnostic{
				File: c.File, Range: pat.Range, Severity: diag.Error, Rule: "schema",
				Message: fmt.Sprintf("utm.patterns.%s: %s is not a valid regular expression: %s", key, bare(pat.Value), regexpProblem(err)),
			})
		}
	}
	return out
}

// regexpProblem says what is wrong with a regular expression without Go's
// "error parsing regexp:" and with the offending part quoted safely.
func regexpProblem(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		if se.Expr == "" {
			return se.Code.String()
		}
		return se.Code.String() + " in " + quote(se.Expr)
	}
	return termsafe.Line(err.Error())
}
