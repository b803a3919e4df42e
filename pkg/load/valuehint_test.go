package load

import (
	"strings"
	"testing"
)

// A value of the wrong type or outside an enum gets the allowed value it
// most likely means, worded as every other did-you-mean; a value with no
// likely meaning gets none.
func TestSchemaValueDidYouMean(t *testing.T) {
	tests := []struct {
		name, from, to, msg, help string
	}{
		{"enum misspelt", "    outcome: exit\n", "    outcome: exited\n", `stages[4].outcome: "exited" is not one of success, failure, exit`, `did you mean "exit"?`},
		{"enum typo", "    outcome: exit\n", "    outcome: sucess\n", `stages[4].outcome: "sucess" is not one of success, failure, exit`, `did you mean "success"?`},
		{"enum case", "    outcome: exit\n", "    outcome: Failure\n", `stages[4].outcome: "Failure" is not one of success, failure, exit`, `did you mean "failure"?`},
		{"enum far", "    outcome: exit\n", "    outcome: won\n", `stages[4].outcome: "won" is not one of success, failure, exit`, ""},
		{"yes", "    entry: true\n", "    entry: yes\n", `stages[0].entry: expected true or false, got the text "yes"`, `did you mean true?`},
		{"off", "    entry: true\n", "    entry: off\n", `stages[0].entry: expected true or false, got the text "off"`, `did you mean false?`},
		{"quoted true", "    entry: true\n", "    entry: \"true\"\n", `stages[0].entry: expected true or false, got the text "true"`, `did you mean true?`},
		{"no likely boolean", "    entry: true\n", "    entry: yes please\n", `stages[0].entry: expected true or false, got the text "yes please"`, ""},
		{"percent", "rate: 0.7}", "rate: 55%}", `stages[0].next[1].rate: expected a number, got the text "55%"`, `did you mean 0.55?`},
		{"percent with decimals", "rate: 0.7}", "rate: 12.5 %}", `stages[0].next[1].rate: expected a number, got the text "12.5 %"`, `did you mean 0.125?`},
		{"percent above 100", "rate: 0.7}", "rate: 150%}", `stages[0].next[1].rate: expected a number, got the text "150%"`, ""},
		{"quoted number", "rate: 0.7}", "rate: \"0.7\"}", `stages[0].next[1].rate: expected a number, got the text "0.7"`, `did you mean 0.7?`},
		{"decimal comma", "rate: 0.7}", "rate: \"0,7\"}", `stages[0].next[1].rate: expected a number, got the text "0,7"`, `did you mean 0.7?`},
		{"percent not a share", "    emotion: 1\n", "    emotion: 50%\n", `stages[0].emotion: expected a whole number or a mapping (key: value lines), got the text "50%"`, ""},
		{"quoted whole number", "    emotion: 1\n", "    emotion: \"1\"\n", `stages[0].emotion: expected a whole number or a mapping (key: value lines), got the text "1"`, `did you mean 1?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(formatExample, tt.from, tt.to, 1)
			if src == formatExample {
				t.Fatal("replacement did not apply")
			}
			got := findings(ParseJourney("t.journey.yaml", []byte(src)))
			if len(got) != 1 {
				t.Fatalf("want exactly one finding, got %+v", got)
			}
			if got[0].rule != "schema" || got[0].message != tt.msg || got[0].help != tt.help {
				t.Errorf("got  %q, help %q\nwant %q, help %q", got[0].message, got[0].help, tt.msg, tt.help)
			}
		})
	}
}
