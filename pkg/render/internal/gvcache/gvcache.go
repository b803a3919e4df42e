// Package gvcache makes go-graphviz's package initialisation safe and cheap.
//
// go-graphviz v0.2.9 compiles its WebAssembly module in a package init and
// caches the compiled code in $TMPDIR/go-graphviz. When that directory exists
// but is not writable by the current user (a machine shared with another
// user), the init panics and every command of a binary that links it dies,
// `journey lint` included. When the temp directory is missing, nothing is
// cached and every run pays the full compile.
//
// This package runs before go-graphviz's init: Go initialises packages in
// import-path order among those whose imports are ready, this one imports
// only os, and go-graphviz's wasm package waits for
// github.com/tetratelabs/wazero, which sorts after github.com/journeykit. A
// test asserts the order. When the default cache directory is unusable, it
// points TMPDIR at a private cache directory for the duration of the
// package inits; Restore, called first thing in main, puts TMPDIR back so
// that nothing else (git, editors) sees the change.
package gvcache

import "os"

var (
	original    string
	hadOriginal bool
	// Redirected is the directory TMPDIR pointed at during go-graphviz's
	// init, or "" when it was left alone.
	Redirected string
	// Initialised records that this package's init ran; a test checks that
	// it ran before go-graphviz's.
	Initialised bool
)

func init() {
	Initialised = true
	original, hadOriginal = os.LookupEnv("TMPDIR")
	if usable(os.TempDir()) {
		return
	}
	dir := ""
	if base, err := os.UserCacheDir(); err == nil {
		dir = base + string(os.PathSeparator) + "journey"
		if os.MkdirAll(dir, 0o755) != nil || !usable(dir) {
			dir = ""
		}
	}
	if dir == "" {
		// No writable place: a path that cannot be created makes
		// go-graphviz run without a cache instead of panicking.
		dir = string(os.PathSeparator) + "nonexistent-journey-graphviz-cache"
	}
	Redirected = dir
	os.Setenv("TMPDIR", dir)
}

// usable reports whether go-graphviz can use tmp/go-graphviz as its cache:
// it and every cache directory in it (wazero-<version>-<arch>) can be read
// and written, or it does not exist and can be created. A temp directory
// that does not exist is not: go-graphviz would compile afresh on every run.
func usable(tmp string) bool {
	if _, err := os.Stat(tmp); err != nil {
		return false
	}
	cache := tmp + string(os.PathSeparator) + "go-graphviz"
	info, err := os.Stat(cache)
	if err != nil {
		// Missing: go-graphviz creates it, or goes without when it cannot.
		return true
	}
	if !info.IsDir() || !writable(cache) {
		return false
	}
	entries, err := os.ReadDir(cache)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if e.IsDir() && !writable(cache+string(os.PathSeparator)+e.Name()) {
			return false
		}
	}
	return true
}

// writable reports whether dir can be listed and a file created in it.
func writable(dir string) bool {
	if _, err := os.ReadDir(dir); err != nil {
		return false
	}
	f, err := os.CreateTemp(dir, ".journey-probe-*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return true
}

// Restore puts TMPDIR back as it was before this package's init.
func Restore() {
	if Redirected == "" {
		return
	}
	if hadOriginal {
		os.Setenv("TMPDIR", original)
	} else {
		os.Unsetenv("TMPDIR")
	}
}
