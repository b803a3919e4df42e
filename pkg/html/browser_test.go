package html

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/journeykit/journey/internal/browsertest"
	"github.com/journeykit/journey/internal/synth"
)

// writePage writes the page of the journey file at path into a temporary
// directory and returns its file:// URL.
func writePage(t *testing.T, path string, opts Options) (string, *data) {
	t.Helper()
	out, _ := page(t, path, opts)
	d := pageData(t, out)
	file := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return (&url.URL{Scheme: "file", Path: file}).String(), &d
}

// open loads a page URL and waits until its script is ready.
func open(t *testing.T, tab *browsertest.Tab, u string) {
	t.Helper()
	tab.Run(t, chromedp.Navigate(u), chromedp.WaitVisible(`html[data-ready="true"]`, chromedp.ByQuery))
}

// clean fails t for any error, request other than the page itself, or
// dialog the tab saw.
func assertClean(t *testing.T, tab *browsertest.Tab, pageURL string) {
	t.Helper()
	errs, reqs, dialogs := tab.Snapshot()
	for _, e := range errs {
		t.Errorf("browser error: %s", e)
	}
	base := strings.SplitN(pageURL, "#", 2)[0]
	for _, r := range reqs {
		// data: and blob: URLs (the minimap, exports) never leave the page.
		if strings.SplitN(r, "#", 2)[0] != base && !strings.HasPrefix(r, "data:") && !strings.HasPrefix(r, "blob:") {
			t.Errorf("network request: %.200s", r)
		}
	}
	for _, d := range dialogs {
		t.Errorf("a dialog opened: %q", d)
	}
}

func js(s string) string { return fmt.Sprintf("%q", s) }

func TestBrowserExamples(t *testing.T) {
	b := browsertest.New(t)
	for _, path := range examples(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			u, d := writePage(t, path, Options{})
			tab := b.Tab(t)
			open(t, tab, u)

			// Every stage is in both views, focusable and labelled.
			for _, view := range []string{"flow", "canvas"} {
				var missing []string
				tab.Eval(t, `(function(){var ids=JSON.parse(document.getElementById('journey-data').textContent).stages.map(function(s){return s.id});
					return ids.filter(function(id){var g=document.querySelector('#layer-`+view+` .stage[data-stage="'+CSS.escape(id)+'"]');
					return !g||g.getAttribute('tabindex')!=='0'||!g.getAttribute('aria-label')})})()`, &missing)
				if len(missing) > 0 {
					t.Errorf("%s view: stages missing, unfocusable or unlabelled: %v", view, missing)
				}
			}

			// A click opens the panel with the stage's fields.
			for _, s := range d.Stages {
				var text, title, where string
				tab.Eval(t, `(function(){var g=document.querySelector('#layer-flow .stage[data-stage='+JSON.stringify(`+js(s.ID)+`)+']');
					g.dispatchEvent(new MouseEvent('click',{bubbles:true}));
					var p=document.getElementById('panel');return p.hidden?'':p.textContent})()`, &text)
				tab.Eval(t, `document.getElementById('panel-title').textContent`, &title)
				tab.Eval(t, `document.getElementById('panel-where').textContent`, &where)
				if title != s.Name {
					t.Errorf("clicked %s: panel title %q, want %q", s.ID, title, s.Name)
				}
				if want := fmt.Sprintf(":%d:%d", s.Line, s.Column); !strings.HasSuffix(where, want) {
					t.Errorf("clicked %s: panel says %q, want ...%s", s.ID, where, want)
				}
				var want []string
				want = append(want, s.Pains...)
				want = append(want, s.Opportunities...)
				want = append(want, s.Questions...)
				want = append(want, s.Events...)
				want = append(want, s.Doing, s.Thinking, s.Feeling, s.Owner)
				for _, tp := range s.Touchpoints {
					want = append(want, tp.Action, tp.Template)
					for _, kv := range tp.UTM {
						want = append(want, "utm_"+kv[0]+"="+kv[1])
					}
				}
				for _, r := range s.Reasons {
					want = append(want, r.Name)
				}
				for _, m := range s.Metrics {
					want = append(want, m.Name)
				}
				for _, w := range want {
					if w != "" && !strings.Contains(text, w) {
						t.Errorf("panel of %s lacks %q", s.ID, w)
					}
				}
				var hash string
				tab.Eval(t, `location.hash`, &hash)
				if !strings.Contains(hash, "stage="+url.QueryEscape(s.ID)) {
					t.Errorf("clicked %s: URL hash %q", s.ID, hash)
				}
			}

			// Enter on a focused stage opens it too.
			first := d.Stages[len(d.Stages)-1]
			tab.Run(t, chromedp.Focus(`#layer-flow .stage[data-stage=`+js(first.ID)+`]`, chromedp.ByQuery), chromedp.KeyEvent("\r"))
			var title string
			tab.Eval(t, `document.getElementById('panel-title').textContent`, &title)
			if title != first.Name {
				t.Errorf("Enter on %s: panel title %q", first.ID, title)
			}

			// The persona filter fades exactly the stages off the persona's path.
			for _, p := range d.Personas {
				var faded []string
				tab.Eval(t, `(function(){var s=document.getElementById('persona');s.value=`+js(p.ID)+`;s.dispatchEvent(new Event('change'));
					return Array.prototype.map.call(document.querySelectorAll('#layer-flow .stage.faded'),function(g){return g.getAttribute('data-stage')}).sort()})()`, &faded)
				on := map[string]bool{}
				for _, id := range d.Paths[p.ID] {
					on[id] = true
				}
				var want []string
				for _, s := range d.Stages {
					if !on[s.ID] {
						want = append(want, s.ID)
					}
				}
				if strings.Join(sorted(want), ",") != strings.Join(faded, ",") {
					t.Errorf("persona %s: faded %v, want %v", p.ID, faded, sorted(want))
				}
			}

			// URL state round-trips: a fresh load of the hash shows it.
			s := d.Stages[len(d.Stages)/2]
			state := "#stage=" + url.QueryEscape(s.ID) + "&view=canvas"
			if len(d.Personas) > 0 {
				state += "&persona=" + url.QueryEscape(d.Personas[0].ID)
			}
			tab2 := b.Tab(t)
			open(t, tab2, u+state)
			var got struct {
				Title, Persona, Hash string
				Canvas               string
			}
			tab2.Eval(t, `({Title:document.getElementById('panel-title').textContent,Persona:document.getElementById('persona').value,
				Hash:location.hash,Canvas:document.getElementById('tab-canvas').getAttribute('aria-selected')})`, &got)
			if got.Title != s.Name || got.Canvas != "true" || (len(d.Personas) > 0 && got.Persona != d.Personas[0].ID) {
				t.Errorf("loaded %s: %+v", state, got)
			}
			for _, part := range strings.Split(strings.TrimPrefix(state, "#"), "&") {
				if !strings.Contains(got.Hash, part) {
					t.Errorf("loaded %s: the hash became %q", state, got.Hash)
				}
			}

			// Zoom changes the transform: buttons, keys and the wheel.
			var before, afterButton, afterKey, afterWheel string
			tr := `document.getElementById('layer-canvas').style.transform`
			tab2.Eval(t, tr, &before)
			tab2.Run(t, chromedp.Click(`#zoom-in`, chromedp.ByQuery))
			tab2.Eval(t, tr, &afterButton)
			tab2.Run(t, chromedp.Focus(`#viewport`, chromedp.ByQuery), chromedp.KeyEvent("-"))
			tab2.Eval(t, tr, &afterKey)
			tab2.Run(t, chromedp.ActionFunc(func(ctx context.Context) error {
				return input.DispatchMouseEvent(input.MouseWheel, 500, 500).WithDeltaX(0).WithDeltaY(-300).Do(ctx)
			}))
			time.Sleep(50 * time.Millisecond)
			tab2.Eval(t, tr, &afterWheel)
			if before == "" || before == afterButton || afterButton == afterKey || afterKey == afterWheel {
				t.Errorf("zoom did not change the transform: %q, button %q, key %q, wheel %q", before, afterButton, afterKey, afterWheel)
			}
			assertClean(t, tab, u)
			assertClean(t, tab2, u)
		})
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// Hostile names run no code and break nothing: the title, names and
// touchpoints read back as written; no dialog, error or request.
func TestBrowserHostile(t *testing.T) {
	b := browsertest.New(t)
	u, d := writePage(t, "testdata/hostile.journey.yaml", Options{})
	tab := b.Tab(t)
	open(t, tab, u+"#stage=start")
	var got struct{ H1, Panel, Link string }
	tab.Eval(t, `({H1:document.getElementById('title').textContent,Panel:document.getElementById('panel').textContent,
		Link:Array.prototype.map.call(document.querySelectorAll('#panel a'),function(a){return a.getAttribute('href')}).join(' ')})`, &got)
	if got.H1 != d.Journey.Title {
		t.Errorf("title %q, want %q", got.H1, d.Journey.Title)
	}
	for _, w := range []string{d.Stages[0].Name, "javascript:alert(6)", `utm_source="><script>alert(7)</script>`, "<iframe src=https://evil.example/></iframe>"} {
		if !strings.Contains(got.Panel, w) {
			t.Errorf("panel lacks %q as text", w)
		}
	}
	if strings.Contains(got.Link, "javascript:") {
		t.Errorf("a link runs code: %s", got.Link)
	}
	var scripts int
	tab.Eval(t, `document.scripts.length+document.querySelectorAll('iframe,img[src^="x"],style:not(head style)').length`, &scripts)
	if scripts != 2 {
		t.Errorf("%d scripts and injected elements, want the page's 2 scripts", scripts)
	}
	assertClean(t, tab, u)
}

// A 500-stage journey: the numbers go to the log (no timing assertion).
func TestBrowserLargeJourney(t *testing.T) {
	b := browsertest.New(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "big.journey.yaml")
	if err := os.WriteFile(src, synth.Journey("big", 500), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	u, d := writePage(t, src, Options{})
	build := time.Since(start)
	tab := b.Tab(t)
	start = time.Now()
	open(t, tab, u)
	load := time.Since(start)
	var m struct{ Persona, Search, Zoom, Select, Stages, Ready, DOM float64 }
	tab.Eval(t, `(function(){function ms(f){var t=performance.now();f();return performance.now()-t}
		var r={Ready:Number(document.documentElement.getAttribute('data-ready-ms')),DOM:performance.getEntriesByType('navigation')[0].domInteractive};r.Stages=document.querySelectorAll('.stage').length;
		r.Search=ms(function(){var s=document.getElementById('search');s.value='step 42';s.dispatchEvent(new Event('input'))});
		r.Zoom=ms(function(){for(var i=0;i<10;i++)document.getElementById('zoom-in').click()});
		r.Select=ms(function(){document.querySelector('.stage[data-stage="stage-250"]').dispatchEvent(new MouseEvent('click',{bubbles:true}))});
		r.Persona=ms(function(){var s=document.getElementById('persona');s.dispatchEvent(new Event('change'))});
		return r})()`, &m)
	t.Logf("500 stages: page built in %v (flow: %v), loaded in %v (HTML parsed at %.0f ms, script done at %.0f ms); %v stage elements; search %.1f ms, 10 zooms %.1f ms, select %.1f ms, persona %.1f ms",
		build.Round(time.Millisecond), d.FlowError == "", load.Round(time.Millisecond), m.DOM, m.Ready, m.Stages, m.Search, m.Zoom, m.Select, m.Persona)
	if m.Stages < 500 {
		t.Errorf("%v stage elements, want at least 500", m.Stages)
	}
	assertClean(t, tab, u)
}

// Lint findings are badges on their stages; search, the upstream and
// downstream highlight, the text contrast (WCAG AA) and the print
// stylesheet work.
func TestBrowserFindingsSearchHighlightContrastPrint(t *testing.T) {
	b := browsertest.New(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "lint.journey.yaml")
	if err := os.WriteFile(src, []byte(`journey: linted
title: Linted
owner: growth
phases:
  - {id: one, name: One}
stages:
  - {id: arrives, name: Arrives, phase: one, entry: true, next: [reads]}
  - {id: reads, name: Reads the offer, phase: one, next: [buys]}
  - {id: buys, name: Buys, phase: one, outcome: success}
  - {id: lost, name: Lost stage, phase: one, next: [buys]}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	u, d := writePage(t, src, Options{})
	if len(d.Findings) == 0 {
		t.Fatal("the journey has no lint finding to show")
	}
	tab := b.Tab(t)
	open(t, tab, u)
	var badges []string
	tab.Eval(t, `Array.prototype.map.call(document.querySelectorAll('#layer-flow .stage .badge'),function(b){return b.closest('.stage').getAttribute('data-stage')})`, &badges)
	if !slices.Contains(badges, "lost") {
		t.Errorf("badges on %v, want one on lost (findings %+v)", badges, d.Findings)
	}
	var label string
	tab.Eval(t, `document.querySelector('#layer-flow .stage[data-stage="lost"]').getAttribute('aria-label')`, &label)
	if !strings.Contains(label, "lint finding") {
		t.Errorf("the stage's label does not mention its findings: %q", label)
	}

	var matches []string
	tab.Eval(t, `(function(){var s=document.getElementById('search');s.value='READS';s.dispatchEvent(new Event('input'));
		return Array.prototype.map.call(document.querySelectorAll('#layer-flow .stage.match'),function(g){return g.getAttribute('data-stage')})})()`, &matches)
	if strings.Join(matches, ",") != "reads" {
		t.Errorf("search READS matched %v", matches)
	}
	var hash string
	tab.Eval(t, `location.hash`, &hash)
	if !strings.Contains(hash, "q=READS") {
		t.Errorf("the search is not in the URL: %q", hash)
	}
	tab.Eval(t, `(function(){var s=document.getElementById('search');s.value='';s.dispatchEvent(new Event('input'));return ''})()`, &hash)

	var up, down []string
	tab.Eval(t, `(function(){document.querySelector('#layer-flow .stage[data-stage="reads"]').dispatchEvent(new MouseEvent('click',{bubbles:true}));
		document.querySelector('#panel [data-highlight="up"]').click();
		return Array.prototype.map.call(document.querySelectorAll('#layer-flow .stage:not(.dim)'),function(g){return g.getAttribute('data-stage')}).sort()})()`, &up)
	tab.Eval(t, `(function(){document.querySelector('#panel [data-highlight="down"]').click();
		return Array.prototype.map.call(document.querySelectorAll('#layer-flow .stage:not(.dim)'),function(g){return g.getAttribute('data-stage')}).sort()})()`, &down)
	if strings.Join(up, ",") != "arrives,reads" || strings.Join(down, ",") != "buys,reads" {
		t.Errorf("upstream of reads %v, downstream %v", up, down)
	}

	// Every text of the page's own interface has a contrast of at least
	// 4.5:1 with the background it is drawn on.
	var low []string
	tab.Eval(t, `(function(){
		function rgb(s){var m=s.match(/[\d.]+/g);return m?m.map(Number):[0,0,0,0]}
		function lum(c){var a=c.slice(0,3).map(function(v){v/=255;return v<=0.03928?v/12.92:Math.pow((v+0.055)/1.055,2.4)});return 0.2126*a[0]+0.7152*a[1]+0.0722*a[2]}
		function bg(el){for(;el;el=el.parentElement){var c=rgb(getComputedStyle(el).backgroundColor);if(c.length<4||c[3]>0)return c}return [255,255,255,1]}
		var bad=[];
		document.querySelectorAll('header *, #panel *, #changes *').forEach(function(el){
			var own=Array.prototype.some.call(el.childNodes,function(n){return n.nodeType===3&&n.textContent.trim()});
			if(!own||el.offsetParent===null)return;
			var f=lum(rgb(getComputedStyle(el).color)),g=lum(bg(el));
			var r=(Math.max(f,g)+0.05)/(Math.min(f,g)+0.05);
			if(r<4.5)bad.push(el.tagName+' '+el.textContent.slice(0,30)+' '+r.toFixed(2));
		});
		return bad})()`, &low)
	if len(low) > 0 {
		t.Errorf("text below WCAG AA contrast: %v", low)
	}

	// Printed, the toolbar and panel go and the map is drawn untransformed.
	var printed struct{ Tools, Panel, Transform string }
	tab.Run(t, emulation.SetEmulatedMedia().WithMedia("print"))
	tab.Eval(t, `({Tools:getComputedStyle(document.querySelector('.tools')).display,Panel:getComputedStyle(document.getElementById('panel')).display,
		Transform:getComputedStyle(document.getElementById('layer-flow')).transform})`, &printed)
	if printed.Tools != "none" || printed.Panel != "none" || printed.Transform != "none" {
		t.Errorf("print: %+v", printed)
	}
	assertClean(t, tab, u)
}

// The export buttons download the current view as SVG and PNG; a pinch
// (two pointers moving apart) zooms.
func TestBrowserExportAndPinch(t *testing.T) {
	b := browsertest.New(t)
	u, _ := writePage(t, "../../examples/saas/ebook-nurture.journey.yaml", Options{})
	tab := b.Tab(t)
	dl := t.TempDir()
	tab.Run(t, browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(dl).WithEventsEnabled(true))
	open(t, tab, u+"#stage=downloads-ebook")
	tab.Run(t, chromedp.Click(`#export-svg`, chromedp.ByQuery), chromedp.Click(`#export-png`, chromedp.ByQuery))
	want := map[string]string{"ebook-nurture-flow.svg": "<svg", "ebook-nurture-flow.png": "\x89PNG"}
	for name, head := range want {
		var data []byte
		for i := 0; i < 200; i++ {
			if d, err := os.ReadFile(filepath.Join(dl, name)); err == nil && len(d) > 0 {
				data = d
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if !bytes.HasPrefix(data, []byte(head)) {
			t.Errorf("%s: %d bytes starting %.20q", name, len(data), data)
		}
		if strings.HasSuffix(name, ".svg") && (!bytes.Contains(data, []byte(`xmlns="http://www.w3.org/2000/svg"`)) || !bytes.Contains(data, []byte("selected"))) {
			t.Errorf("%s is not a standalone SVG of the view as shown", name)
		}
	}
	var before, after string
	tr := `document.getElementById('layer-flow').style.transform`
	tab.Eval(t, tr, &before)
	tab.Eval(t, `(function(){var vp=document.getElementById('viewport');
		function ev(type,id,x){vp.dispatchEvent(new PointerEvent(type,{pointerId:id,clientX:x,clientY:300,bubbles:true,pointerType:'touch',isPrimary:id===1}))}
		ev('pointerdown',1,400);ev('pointerdown',2,500);ev('pointermove',2,700);ev('pointerup',2,700);ev('pointerup',1,400);
		return ''})()`, &after)
	tab.Eval(t, tr, &after)
	if before == after {
		t.Errorf("a pinch did not zoom: %q", after)
	}
	assertClean(t, tab, u)
}
