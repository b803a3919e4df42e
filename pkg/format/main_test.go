package format

import (
	"os"
	"testing"
)

// The tests and the fuzzer check everything fmt guarantees, the stability
// of the result (it formats to itself) included.
func TestMain(m *testing.M) {
	checkStable = true
	os.Exit(m.Run())
}
