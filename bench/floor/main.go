// Command floor is the yardstick of bench/run: the least work any YAML
// tool built on gopkg.in/yaml.v3 must do.
//
//	floor parse PATH...   read every *.yaml / *.yml file under the paths and
//	                      parse it into a yaml.Node tree (GOMAXPROCS at a time)
//	floor fmt FILE        parse FILE into a yaml.Node tree and encode it
//	                      again with two-space indentation, to standard output
package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: floor parse PATH... | floor fmt FILE")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "parse":
		err = parse(os.Args[2:])
	case "fmt":
		err = format(os.Args[2])
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

func parse(paths []string) error {
	var files []string
	for _, p := range paths {
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	next := make(chan string)
	errs := make(chan error, len(files))
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range next {
				data, err := os.ReadFile(path)
				if err == nil {
					var n yaml.Node
					err = yaml.Unmarshal(data, &n)
				}
				if err != nil {
					errs <- fmt.Errorf("%s: %v", path, err)
				}
			}
		}()
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no YAML files in %v", paths)
	}
	return nil
}

func format(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return err
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err = os.Stdout.Write(out.Bytes())
	return err
}
