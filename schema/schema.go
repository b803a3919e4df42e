// Package schema embeds the JSON Schemas (draft 2020-12) of journey files and
// of the workspace config .journey.yaml. Editors use them for completion and
// hover help; the loader validates every document against them.
package schema

import _ "embed"

// JourneyURL and ConfigURL are the $id of the two schemas.
const (
	JourneyURL = "https://raw.githubusercontent.com/journeykit/journey/main/schema/journey.schema.json"
	ConfigURL  = "https://raw.githubusercontent.com/journeykit/journey/main/schema/config.schema.json"
)

// Journey is the JSON Schema of a *.journey.yaml file.
//
//go:embed journey.schema.json
var Journey []byte

// Config is the JSON Schema of the workspace config .journey.yaml.
//
//go:embed config.schema.json
var Config []byte
