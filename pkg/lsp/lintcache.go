package lsp

import (
	"fmt"
	"hash/fnv"
	"io"
	"sort"

	"github.com/journeykit/journey/pkg/diag"
)

// lintEntry is the findings of one open file and the key of what they
// were computed from.
type lintEntry struct {
	key      string
	findings []diag.Diagnostic
}

const lintPrefix = "lint:"

// lintKeys gives each journey file of the set a key that changes whenever
// its findings may: its own parse, the configuration's, the stages other
// journeys hand off into it (reachability), the journey ids of the
// workspace with their places (duplicate-id and its related location),
// and, for a file with hand-offs, every journey's status and stage ids
// (hand-off targets and their suggestions). An edit elsewhere that
// changes none of these leaves the file's findings as they were, so only
// the edited file is checked again.
func lintKeys(set *wset) map[string]string {
	cfgGen := uint64(0)
	if set.config != nil {
		cfgGen = set.config.gen
	}
	ids := fnv.New64a()
	all := fnv.New64a()
	handedIn := map[string][]string{}
	for _, f := range set.files {
		j := f.file.Journey
		if j == nil {
			fmt.Fprintf(ids, "%s\x00-\x00", f.display)
			fmt.Fprintf(all, "%s\x00-\x00", f.display)
			continue
		}
		fmt.Fprintf(ids, "%s\x00%s\x00%v\x00%v\x00", f.display, j.ID.Value, j.ID.Range, j.Retired())
		fmt.Fprintf(all, "%s\x00%s\x00%v\x00", f.display, j.ID.Value, j.Retired())
		for _, s := range j.Stages {
			io.WriteString(all, s.ID.Value+"\x00")
			for _, t := range s.Next {
				if t.IsHandoff() && t.Journey.Value != j.ID.Value {
					handedIn[t.Journey.Value] = append(handedIn[t.Journey.Value], t.To.Value)
				}
			}
		}
		io.WriteString(all, "\x01")
	}
	idSig, allSig := ids.Sum64(), all.Sum64()
	out := map[string]string{}
	for _, f := range set.files {
		if f.gen == 0 {
			out[f.abs] = "unparsed"
			continue
		}
		sig := idSig
		in := ""
		if j := f.file.Journey; j != nil {
			if hasHandoff(f) {
				sig = allSig
			}
			targets := append([]string(nil), handedIn[j.ID.Value]...)
			sort.Strings(targets)
			in = fmt.Sprint(targets)
		}
		out[f.abs] = fmt.Sprintf("%d/%d/%x/%s", f.gen, cfgGen, sig, in)
	}
	return out
}

func hasHandoff(f *sfile) bool {
	j := f.file.Journey
	for _, s := range j.Stages {
		for _, t := range s.Next {
			if t.IsHandoff() && t.Journey.Value != j.ID.Value {
				return true
			}
		}
	}
	return false
}
