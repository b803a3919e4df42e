package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/journeykit/journey/pkg/diff"
	"github.com/journeykit/journey/pkg/html"
	"github.com/journeykit/journey/pkg/render"
)

// writeDiffHTML writes the page of the changed journey: the new map with
// added, removed, changed and renamed stages and transitions marked, and
// every change listed beside it, linked to its stage. One journey per
// page: several changed journeys are a usage error naming them.
func writeDiffHTML(buf *bytes.Buffer, res *diff.Result) error {
	switch len(res.Journeys) {
	case 0:
		buf.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"><title>No changes — journey diff</title></head><body><p>No journey changed.</p></body></html>\n")
		return nil
	case 1:
	default:
		var ids []string
		for _, d := range res.Journeys {
			ids = append(ids, d.Journey)
		}
		return usageError("%d journeys changed (%s): --format html draws one; compare one pair of files (journey diff OLD NEW --format html), or use --format markdown", len(ids), strings.Join(ids, ", "))
	}
	d := res.Journeys[0]
	j, marks := d.Marked()
	var changes []html.Change
	for _, c := range d.Changes {
		class := "changed"
		switch {
		case strings.Contains(c.Kind, "added"):
			class = "added"
		case strings.Contains(c.Kind, "removed"):
			class = "removed"
		}
		text := c.Message
		line := c.Line
		if c.Side == diff.SideOld && line > 0 {
			text += fmt.Sprintf(" (old file, line %d)", line)
			line = 0
		}
		changes = append(changes, html.Change{Kind: c.Kind, Class: class, Stage: c.Stage, Text: text, Breaking: c.Breaking, Line: line})
	}
	title := j.Title
	if title == "" {
		title = j.ID.Value
	}
	page, err := html.Page(j, html.Options{
		Render:  render.Options{Marks: marks},
		Changes: changes,
		File:    d.File,
		Title:   "Changes to " + title + " (" + d.Status + ")",
	})
	if err != nil {
		return err
	}
	buf.Write(page)
	return nil
}
