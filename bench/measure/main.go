// Command measure times two commands in turn (A B A B ...) from outside,
// start-up included, and prints one line of medians:
//
//	a_wall_s a_cpu_s a_peak_mib b_wall_s b_cpu_s b_peak_mib wall_ratio cpu_ratio
//
// wall is from the start of the command to its exit; cpu is user + system
// of the command and of every process it left behind (measure is their
// subreaper, so a worker process that outlives its parent is counted when
// it ends); peak is the largest resident set of any one of those
// processes. The ratios are A/B, taken pair by pair, then the median.
// A command is split on spaces, or run by sh -c when it has shell
// syntax. Its output goes to /dev/null. A non-zero exit status above
// -ok (default 0) fails the measurement.
//
//	measure [-n RUNS] [-warmup W] [-ok MAXEXIT] -a 'COMMAND' [-b 'COMMAND']
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

type sample struct {
	wall, cpu float64 // seconds
	peakMiB   float64
}

func main() {
	runs := flag.Int("n", 5, "measured runs of each command")
	warmup := flag.Int("warmup", 1, "unmeasured runs of each command first")
	okExit := flag.Int("ok", 0, "highest exit status that counts as success")
	a := flag.String("a", "", "command A")
	b := flag.String("b", "", "command B (optional): the anchor")
	flag.Parse()
	if *a == "" || *runs < 1 {
		fmt.Fprintln(os.Stderr, "usage: measure [-n RUNS] [-warmup W] [-ok MAXEXIT] -a 'COMMAND' [-b 'COMMAND']")
		os.Exit(2)
	}
	// PR_SET_CHILD_SUBREAPER: orphans of the commands are reparented here,
	// so that their CPU and memory are counted.
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, 36, 1, 0); errno != 0 {
		fmt.Fprintln(os.Stderr, "measure: cannot become a subreaper:", errno)
	}
	var as, bs []sample
	for i := 0; i < *warmup+*runs; i++ {
		sa := run(*a, *okExit)
		if i >= *warmup {
			as = append(as, sa)
		}
		if *b != "" {
			sb := run(*b, *okExit)
			if i >= *warmup {
				bs = append(bs, sb)
			}
		}
	}
	aw, ac, ap := medians(as)
	if *b == "" {
		fmt.Printf("%.4f %.4f %.1f\n", aw, ac, ap)
		return
	}
	bw, bc, bp := medians(bs)
	var wr, cr []float64
	for i := range as {
		wr = append(wr, as[i].wall/bs[i].wall)
		cr = append(cr, as[i].cpu/bs[i].cpu)
	}
	fmt.Printf("%.4f %.4f %.1f %.4f %.4f %.1f %.3f %.3f\n", aw, ac, ap, bw, bc, bp, median(wr), median(cr))
}

func medians(s []sample) (wall, cpu, peak float64) {
	var w, c, p []float64
	for _, x := range s {
		w, c, p = append(w, x.wall), append(c, x.cpu), append(p, x.peakMiB)
	}
	return median(w), median(c), median(p)
}

func median(v []float64) float64 {
	v = slices.Clone(v)
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

func command(line string) *exec.Cmd {
	if strings.ContainsAny(line, "*?|&;<>()$`'\"\\") {
		return exec.Command("sh", "-c", line)
	}
	f := strings.Fields(line)
	return exec.Command(f[0], f[1:]...)
}

// run starts line, waits for it and for every process it left behind,
// and sums their accounting.
func run(line string, okExit int) sample {
	cmd := command(line)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "measure: %s: %v\n", line, err)
		os.Exit(2)
	}
	var s sample
	for {
		var status syscall.WaitStatus
		var ru syscall.Rusage
		pid, err := syscall.Wait4(-1, &status, 0, &ru)
		if err == syscall.EINTR {
			continue
		}
		if err != nil { // ECHILD: everything is reaped
			break
		}
		s.cpu += tv(ru.Utime) + tv(ru.Stime)
		s.peakMiB = max(s.peakMiB, float64(ru.Maxrss)/1024)
		if pid == cmd.Process.Pid {
			s.wall = time.Since(start).Seconds()
			if code := status.ExitStatus(); code > okExit || status.Signaled() {
				fmt.Fprintf(os.Stderr, "measure: %s: exit status %d (signal %v)\n", line, code, status.Signaled())
				os.Exit(1)
			}
		}
	}
	return s
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
