//go:build unix

package outfile

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// fifoWait is how long a FIFO may go without a reader before Write gives
// up: opening it for writing would otherwise block forever.
const fifoWait = 5 * time.Second

// openFIFO opens a FIFO for writing without blocking on a missing reader:
// it waits up to fifoWait for one (a reader started at the same time as
// journey), then says that none came.
func openFIFO(path string) (*os.File, error) {
	deadline := time.Now().Add(fifoWait)
	for {
		f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, syscall.ENXIO) {
			return nil, err
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("cannot write %s: it is a FIFO and no process has opened it for reading within %v; start the reader first", path, fifoWait)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
