// Package browsertest drives a real Chromium (Debian's chromium, installed
// by .ci/run) from Go tests through the DevTools protocol (chromedp), and
// records what a page must never do: log an error, throw, open a dialog
// or make a network request.
//
// Without a browser the tests skip, except under CI=true or when
// JOURNEY_REQUIRE_ENGINES names chromium: then they fail.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Path is the Chromium to run: $JOURNEY_CHROMIUM, else chromium or
// chromium-browser or google-chrome on PATH; "" when there is none.
func Path() string {
	if p := os.Getenv("JOURNEY_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Required reports whether a missing browser fails the test.
func Required() bool {
	return os.Getenv("CI") == "true" || strings.Contains(","+os.Getenv("JOURNEY_REQUIRE_ENGINES")+",", ",chromium,")
}

// Browser is one headless Chromium; Tab opens pages in it.
type Browser struct {
	ctx    context.Context
	cancel func()
}

// New starts Chromium for t, or skips (fails under CI) without one.
func New(t testing.TB) *Browser {
	t.Helper()
	path := Path()
	if path == "" {
		if Required() {
			t.Fatal("CI: no Chromium (apt-get install chromium): the browser tests cannot run")
		}
		t.Skip("no Chromium on PATH (apt-get install chromium); CI requires it")
	}
	// Chromium may still write its profile while it exits: the directory
	// is removed after it, best effort, rather than by t.TempDir.
	profile, err := os.MkdirTemp("", "journey-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(1400, 900),
		chromedp.Flag("allow-file-access-from-files", false),
		chromedp.UserDataDir(profile),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	if err := chromedp.Run(ctx); err != nil {
		cancel()
		acancel()
		_ = os.RemoveAll(profile)
		t.Fatalf("starting %s: %v", path, err)
	}
	b := &Browser{ctx: ctx, cancel: func() {
		cancel()
		acancel()
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(50 * time.Millisecond)
		}
	}}
	t.Cleanup(b.cancel)
	return b
}

// Tab is one page with its recorded misdeeds.
type Tab struct {
	Ctx    context.Context
	cancel func()

	mu       sync.Mutex
	Errors   []string // console errors, exceptions, error log entries
	Requests []string // URLs the page requested
	Dialogs  []string // alert, confirm, prompt
}

// Tab opens a new tab that records errors, requests and dialogs.
func (b *Browser) Tab(t testing.TB) *Tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	ctx, tcancel := context.WithTimeout(ctx, 90*time.Second)
	tab := &Tab{Ctx: ctx, cancel: func() { tcancel(); cancel() }}
	chromedp.ListenTarget(ctx, func(ev any) {
		tab.mu.Lock()
		defer tab.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError || e.Type == runtime.APITypeAssert {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				tab.Errors = append(tab.Errors, "console: "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			tab.Errors = append(tab.Errors, "exception: "+msg)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.LevelError {
				tab.Errors = append(tab.Errors, "log: "+e.Entry.Text+" "+e.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			tab.Requests = append(tab.Requests, e.Request.URL)
		case *page.EventJavascriptDialogOpening:
			tab.Dialogs = append(tab.Dialogs, e.Message)
			go func() { _ = chromedp.Run(ctx, page.HandleJavaScriptDialog(false)) }()
		}
	})
	if err := chromedp.Run(ctx, network.Enable(), log.Enable(), runtime.Enable(), page.Enable()); err != nil {
		t.Fatalf("new tab: %v", err)
	}
	t.Cleanup(tab.cancel)
	return tab
}

// Snapshot returns copies of what was recorded.
func (tab *Tab) Snapshot() (errs, requests, dialogs []string) {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	return append([]string(nil), tab.Errors...), append([]string(nil), tab.Requests...), append([]string(nil), tab.Dialogs...)
}

// Run runs actions in the tab, failing t on error.
func (tab *Tab) Run(t testing.TB, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(tab.Ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// Eval evaluates a JavaScript expression into out.
func (tab *Tab) Eval(t testing.TB, expr string, out any) {
	t.Helper()
	if err := chromedp.Run(tab.Ctx, chromedp.Evaluate(expr, out)); err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
}
