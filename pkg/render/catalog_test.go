package render

import (
	"bytes"
	"os"
	"testing"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

// examplesCatalog is the workspace configuration of examples/: its
// personas and channels.
func examplesCatalog(t testing.TB) *journey.Config {
	t.Helper()
	const path = "../../examples/.journey.yaml"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := load.ParseConfig(path, data)
	if f.Config == nil || len(f.Diagnostics) > 0 {
		t.Fatalf("%s: %v", path, f.Diagnostics)
	}
	return f.Config
}

func TestWithCatalog(t *testing.T) {
	cfg := examplesCatalog(t)
	j := mustLoad(t, "../../examples/telecom/smb-phone-onboarding.journey.yaml")
	withCat := WithCatalog(j, cfg)
	if withCat == j {
		t.Fatal("nothing taken from the catalog")
	}
	var ids []string
	for _, p := range withCat.Personas {
		ids = append(ids, p.ID.Value)
	}
	// Only the personas the journey uses, in the catalog's order.
	if got := len(ids); got != 2 || ids[0] != "small-business-owner" || ids[1] != "office-manager" {
		t.Errorf("personas %v", ids)
	}
	if len(j.Personas) != 0 {
		t.Error("the journey itself was changed")
	}
	svg, err := Render(withCat, "canvas", "svg", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg, []byte("Small-business owner")) || bytes.Contains(svg, []byte(">small-business-owner<")) {
		t.Error("the canvas does not name the catalog's persona")
	}
	// Retention uses the catalog's in-app-messages channel.
	r := WithCatalog(mustLoad(t, "../../examples/saas/retention.journey.yaml"), cfg)
	svg, _ = Render(r, "canvas", "svg", Options{})
	if !bytes.Contains(svg, []byte("In-app messages and checklists")) {
		t.Error("the canvas does not name the catalog's channel")
	}
	// Nothing to add: the journey itself.
	e := mustLoad(t, "../../examples/saas/ebook-nurture.journey.yaml")
	if WithCatalog(e, &journey.Config{}) != e || WithCatalog(e, nil) != e || WithCatalog(nil, cfg) != nil {
		t.Error("WithCatalog copies without a need")
	}
	// A journey's own declaration wins over the catalog's.
	own := *j
	own.Personas = []*journey.Persona{{ID: journey.Text{Value: "office-manager"}, Name: "Our office manager"}}
	got := WithCatalog(&own, cfg)
	if len(got.Personas) != 2 || got.Personas[0].Name != "Our office manager" || got.Personas[1].ID.Value != "small-business-owner" {
		t.Errorf("personas %+v", got.Personas)
	}
}
