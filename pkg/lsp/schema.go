package lsp

import (
	"encoding/json"
	"sort"
	"strings"
	"sync"

	"github.com/journeykit/journey/schema"
)

// jsonSchema is the part of a JSON Schema read for completion and hover.
type jsonSchema struct {
	Ref         string                 `json:"$ref"`
	Description string                 `json:"description"`
	Type        any                    `json:"type"`
	Enum        []any                  `json:"enum"`
	Properties  map[string]*jsonSchema `json:"properties"`
	Items       *jsonSchema            `json:"items"`
	AnyOf       []*jsonSchema          `json:"anyOf"`
	OneOf       []*jsonSchema          `json:"oneOf"`
	Defs        map[string]*jsonSchema `json:"$defs"`
	Additional  json.RawMessage        `json:"additionalProperties"`
}

var (
	schemaOnce                  sync.Once
	journeySchema, configSchema *jsonSchema
)

func schemas() (*jsonSchema, *jsonSchema) {
	schemaOnce.Do(func() {
		journeySchema, configSchema = &jsonSchema{}, &jsonSchema{}
		_ = json.Unmarshal(schema.Journey, journeySchema)
		_ = json.Unmarshal(schema.Config, configSchema)
	})
	return journeySchema, configSchema
}

// resolve follows $ref within root.
func (root *jsonSchema) resolve(s *jsonSchema) *jsonSchema {
	for i := 0; s != nil && s.Ref != "" && i < 8; i++ {
		name := strings.TrimPrefix(s.Ref, "#/$defs/")
		d := root.Defs[name]
		if d == nil {
			return s
		}
		if s.Description != "" && d.Description == "" {
			return s
		}
		s = d
	}
	return s
}

// object finds the object schema that s describes: itself, its items, or
// the alternative with properties.
func (root *jsonSchema) object(s *jsonSchema) *jsonSchema {
	for i := 0; s != nil && i < 8; i++ {
		s = root.resolve(s)
		switch {
		case s.Properties != nil:
			return s
		case s.Items != nil:
			s = s.Items
		case len(s.AnyOf) > 0 || len(s.OneOf) > 0:
			var next *jsonSchema
			for _, a := range append(append([]*jsonSchema(nil), s.AnyOf...), s.OneOf...) {
				a = root.resolve(a)
				if a.Properties != nil || a.Items != nil {
					next = a
					break
				}
			}
			if next == nil {
				return nil
			}
			s = next
		default:
			return nil
		}
	}
	return nil
}

// at returns the object schema of the mapping at path.
func (root *jsonSchema) at(path []string) *jsonSchema {
	s := root
	for _, k := range path {
		o := root.object(s)
		if o == nil {
			return nil
		}
		s = o.Properties[k]
		if s == nil {
			return nil
		}
	}
	return root.object(s)
}

// property returns the schema of key in the mapping at path.
func (root *jsonSchema) property(path []string, key string) *jsonSchema {
	o := root.at(path)
	if o == nil {
		return nil
	}
	p := o.Properties[key]
	if p == nil {
		return nil
	}
	return p
}

// description of a property, following references for one.
func (root *jsonSchema) description(s *jsonSchema) string {
	for i := 0; s != nil && i < 8; i++ {
		if s.Description != "" {
			return s.Description
		}
		if s.Ref == "" {
			break
		}
		s = root.Defs[strings.TrimPrefix(s.Ref, "#/$defs/")]
	}
	return ""
}

// enum lists the allowed values of a property, if it has a fixed set.
func (root *jsonSchema) enum(s *jsonSchema) []string {
	for i := 0; s != nil && i < 8; i++ {
		if len(s.Enum) > 0 {
			var out []string
			for _, v := range s.Enum {
				if str, ok := v.(string); ok {
					out = append(out, str)
				}
			}
			return out
		}
		if s.Items != nil {
			s = s.Items
			continue
		}
		if s.Ref == "" {
			break
		}
		s = root.Defs[strings.TrimPrefix(s.Ref, "#/$defs/")]
	}
	return nil
}

func sortedProps(o *jsonSchema) []string {
	var keys []string
	for k := range o.Properties {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
