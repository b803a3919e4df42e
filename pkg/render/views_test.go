package render

import (
	"slices"
	"testing"
)

// Every registered view has a unique name and formats that Formats lists;
// a format a view is not drawn in is refused with what it is drawn in.
func TestViewRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range AllViews {
		if seen[v.Name()] || ViewByName(v.Name()) != v {
			t.Errorf("view %q is registered twice", v.Name())
		}
		seen[v.Name()] = true
		for _, f := range v.Formats() {
			if !slices.Contains(Formats, f) {
				t.Errorf("view %s: format %q is not in Formats", v.Name(), f)
			}
		}
	}
	if !slices.Equal(Views, []string{"flow", "canvas", "landscape"}) {
		t.Errorf("Views = %v", Views)
	}
	if _, err := Render(nil, "canvas", "dot", Options{}); err == nil || err.Error() != "the canvas view is drawn as svg or png or mermaid, not dot" {
		t.Errorf("canvas as dot: %v", err)
	}
	if _, err := Render(nil, "map", "svg", Options{}); err == nil || err.Error() != `unknown view "map": use flow or canvas or landscape` {
		t.Errorf("unknown view: %v", err)
	}
	if _, ok := ViewByName("landscape").(WorkspaceView); !ok {
		t.Errorf("the landscape is not a workspace view")
	}
	if _, err := RenderWorkspace(nil, "flow", "svg", Options{}); err == nil {
		t.Errorf("the flow view drew a workspace")
	}
}
