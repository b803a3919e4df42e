package render

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/load"
	"github.com/journeykit/journey/pkg/render/svgtext"
)

// A stage named in Japanese gets a box as wide as its name is drawn
// (Graphviz's estimate of CJK text falls short and the name overflowed its
// box); a Latin name keeps Graphviz's own width, so Latin pictures are
// unchanged.
func TestFlowWideTextFitsItsBox(t *testing.T) {
	name := "ウェブサイトで無料トライアル"
	src := "journey: ja\ntitle: T\nstages:\n  - {id: a, name: " + name + ", entry: true, next: [b]}\n  - {id: b, name: Pays, outcome: success}\n"
	f := load.ParseJourney("ja.journey.yaml", []byte(src))
	if f.Journey == nil {
		t.Fatal(f.Diagnostics)
	}
	dot, err := Render(f.Journey, "flow", "dot", Options{})
	if err != nil {
		t.Fatal(err)
	}
	widthOf := func(id string) (float64, bool) {
		for _, line := range strings.Split(string(dot), "\n") {
			if strings.Contains(line, `id="stage-`+id+`"`) {
				m := regexp.MustCompile(`\bwidth=([0-9.]+)`).FindStringSubmatch(line)
				if m == nil {
					return 0, false
				}
				w, _ := strconv.ParseFloat(m[1], 64)
				return w * 72, true
			}
		}
		t.Fatalf("no node for stage %s in\n%s", id, dot)
		return 0, false
	}
	w, ok := widthOf("a")
	if drawn := svgtext.TextWidth(name, textSize, true); !ok || w < drawn {
		t.Errorf("the Japanese stage is %.0f points wide (set: %v), its name is drawn %.0f wide", w, ok, drawn)
	}
	if _, ok := widthOf("b"); ok {
		t.Error("a Latin stage got a width of its own")
	}
}
