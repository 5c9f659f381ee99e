package serve

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/descent-ml/descent/job"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/descent-ml/descent/train"
)

var updateShots = flag.Bool("update", false, "rewrite the screenshots in docs/img")

// chromium finds the browser: $DESCENT_CHROMIUM, or chromium,
// chromium-browser or google-chrome on the PATH.
func chromium() string {
	if p := os.Getenv("DESCENT_CHROMIUM"); p != "" {
		return p
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// browser is a headless Chromium on a test server, recording every
// console error and uncaught exception.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	mu   sync.Mutex
	errs []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := chromium()
	if path == "" {
		t.Skip("no chromium: the browser test needs Debian's chromium package (apt-get install chromium), or DESCENT_CHROMIUM=/path/to/chrome")
	}
	_, ts := newTestServer(t, Options{Frame: 5 * time.Millisecond})
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-default-browser-check", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1400, 1100),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	b := &browser{t: t, ctx: ctx, base: ts.URL}
	err := chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				b.errs = append(b.errs, "console."+string(ev.Type)+": "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			b.errs = append(b.errs, fmt.Sprintf("exception at %d:%d: %s", d.LineNumber, d.ColumnNumber, msg))
		}
	})
	if err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return b
}

// timed is the browser's context with a limit for one action.
func (b *browser) timed() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, 120*time.Second)
}

func (b *browser) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.timed()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// evalJSON evaluates an expression that returns JSON text, into out.
func (b *browser) eval(js string, out any) {
	b.t.Helper()
	ctx, cancel := b.timed()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string]("JSON.stringify("+js+")"))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	if err := json.Unmarshal([]byte(s), out); err != nil {
		b.t.Fatalf("evaluate %s: %v (%q)", js, err, s)
	}
}

func (b *browser) wait(what, cond string) {
	b.t.Helper()
	ctx, cancel := b.timed()
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(100*time.Second))); err != nil {
		var state string
		ctx2, c2 := b.timed()
		defer c2()
		state, _ = chromedp.Run(ctx2, chromedp.Evaluate[string](`location.search + ' ready=' + document.body.dataset.ready + ' problem=' + document.querySelector('#problem').textContent`))
		b.t.Fatalf("wait for %s: %v (page: %s)", what, err, state)
	}
}

// noErrors checks that the console has shown no error.
func (b *browser) noErrors() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.errs) > 0 {
		b.t.Errorf("console errors: %s", strings.Join(b.errs, "\n"))
	}
	b.errs = nil
}

// open loads a view and waits for its first frame.
func (b *browser) open(query string) {
	defer func(t0 time.Time) { b.t.Logf("open %s in %v", query, time.Since(t0)) }(time.Now())
	b.t.Helper()
	b.run("navigate", chromedp.Navigate(b.base+"/?"+query))
	b.wait("the first frame", `document.body.dataset.ready === '1'`)
}

// query is the page's state, as its URL holds it.
func (b *browser) query() url.Values {
	b.t.Helper()
	var s string
	b.eval(`location.search`, &s)
	q, err := url.ParseQuery(strings.TrimPrefix(s, "?"))
	if err != nil {
		b.t.Fatal(err)
	}
	return q
}

// clickPlot clicks a plot at a fraction of its drawing area.
func (b *browser) clickPlot(id string, fx, fy float64) {
	b.t.Helper()
	var r struct{ X, Y, W, H float64 }
	// Plotly draws asynchronously: wait for the drawing area to exist.
	b.wait("plot "+id+" drawn", fmt.Sprintf(`document.querySelector('#%s .nsewdrag') !== null`, id))
	b.eval(fmt.Sprintf(`(() => { const r = document.querySelector('#%s .nsewdrag').getBoundingClientRect(); return {X: r.left, Y: r.top, W: r.width, H: r.height}; })()`, id), &r)
	if r.W == 0 {
		b.t.Fatalf("plot %s has no drawing area", id)
	}
	b.run("click "+id, chromedp.MouseClickXY(r.X+fx*r.W, r.Y+fy*r.H))
}

// shown is what a path's status line shows.
type shown struct {
	Step  string `json:"step"`
	F     string `json:"f"`
	State string `json:"state"`
}

func (b *browser) statuses() []shown {
	b.t.Helper()
	var out []shown
	b.eval(`[...document.querySelectorAll('.status[data-step]')].map(s => ({step: s.dataset.step, f: s.dataset.f, state: s.dataset.state}))`, &out)
	return out
}

// stepN clicks Step n times, then waits for the n-th step to show.
func (b *browser) stepN(n int) {
	defer func(t0 time.Time) { b.t.Logf("%d steps in %v", n, time.Since(t0)) }(time.Now())
	b.t.Helper()
	for range n {
		b.run("click step", chromedp.Click(chromedp.CSS("#step")))
	}
	b.wait(fmt.Sprintf("step %d", n), fmt.Sprintf(`[...document.querySelectorAll('.status[data-step]')].every(s => s.dataset.step === '%d' || s.dataset.state !== 'running')`, n))
}

// traceLast is the last row of the trace table: each cell's exact value.
func (b *browser) traceLast() []string {
	b.t.Helper()
	var out []string
	b.eval(`[...document.querySelectorAll('#trace tbody tr:last-child td')].map(td => td.dataset.v || '')`, &out)
	return out
}

func parseF(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("the page shows %q, not a number", s)
	}
	return v
}

// setSlider moves a slider as a user does: input, then change.
func (b *browser) setSlider(sel string, v float64) {
	b.t.Helper()
	var ok bool
	b.eval(fmt.Sprintf(`(() => { const s = document.querySelector(%q); if (!s) return false; s.value = %q; s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); return true; })()`, sel, fmt.Sprint(v)), &ok)
	if !ok {
		b.t.Fatalf("no slider %s", sel)
	}
}

// TestBrowser drives every view in headless Chromium: it loads the view,
// starts a path by clicking, steps it, reads the numbers the page shows
// and compares them with the library's own run of the settings in the
// page's URL, moves a slider and checks that the URL and the run follow,
// and wants no console error.
func TestBrowser(t *testing.T) {
	b := newBrowser(t)

	t.Run("surface", func(t *testing.T) {
		b.t = t
		b.open("view=surface&obj=bowl&cond=10&steps=200")
		b.clickPlot("map", 0.25, 0.3)
		b.wait("the clicked start", `location.search.includes('start=') && document.body.dataset.ready === '1' && document.querySelector('.status[data-step]') !== null`)
		b.stepN(5)
		check := func(steps int) {
			q := b.query()
			st, err := ParseState(q)
			if err != nil {
				t.Fatalf("the page's URL %v: %v", q, err)
			}
			s := st.Surface
			if s.Start == [2]float64{-2.5, 2} {
				t.Fatalf("the click did not move the start: %v", q)
			}
			got := b.statuses()
			if len(got) != len(s.Paths) {
				t.Fatalf("%d statuses, %d paths", len(got), len(s.Paths))
			}
			m, _ := objectiveModel(s.Objective, s.Cond)
			for i, p := range s.Paths {
				_, trace := libraryObjective(t, m, p.Config, train.Config{Epochs: s.Steps, GradTol: s.GradTol}, s.Start)
				want := trace.Rows[steps]
				if got[i].Step != strconv.Itoa(steps) || parseF(t, got[i].F) != want.Loss {
					t.Errorf("path %d (%s): shows step %s f %s; library step %d f %v", i, p.Spec, got[i].Step, got[i].F, steps, want.Loss)
				}
				if i == st.Sel {
					cells := b.traceLast()
					if len(cells) < 3 || parseF(t, cells[1]) != want.Values[0] || parseF(t, cells[2]) != want.Values[1] {
						t.Errorf("trace row %v, library (%v, %v)", cells, want.Values[0], want.Values[1])
					}
				}
			}
		}
		check(5)
		b.setSlider(`.card[data-path="0"] input[name=lr]`, -1.5)
		b.wait("the new lr in the URL", `decodeURIComponent(location.search).includes('p=gd,lr=0.032') && document.body.dataset.ready === '1'`)
		b.stepN(3)
		check(3)
		var stats any
		b.eval(`window.__drawStats`, &stats)
		t.Logf("draw ms: %v", stats)
		b.noErrors()
	})

	t.Run("fit", func(t *testing.T) {
		b.t = t
		b.open("view=fit&data=line&epochs=50")
		b.clickPlot("wbplot", 0.3, 0.7)
		b.wait("the clicked start", `location.search.includes('start=') && document.body.dataset.ready === '1'`)
		check := func(steps int) {
			st, err := ParseState(b.query())
			if err != nil {
				t.Fatal(err)
			}
			job := dataJob(t, &st.Fit.DataState, st.Fit.Opt.Config)
			prep, err := job.Prepare()
			if err != nil {
				t.Fatal(err)
			}
			_ = setPoint(prep.Engine, *st.Fit.Start)
			var sl stepLog
			if _, err := train.Run(context.Background(), prep.Engine, train.Adapt(prep.Optimizer), prep.Train, nil, prep.Loop, sl.hook([]string{"W", "b"})); err != nil {
				t.Fatal(err)
			}
			got := b.statuses()
			if got[0].Step != strconv.Itoa(steps) || parseF(t, got[0].F) != sl.loss[steps] {
				t.Errorf("shows step %s loss %s; train step %d loss %v", got[0].Step, got[0].F, steps, sl.loss[steps])
			}
			cells := b.traceLast()
			if len(cells) < 4 || parseF(t, cells[2]) != sl.params[steps][0] || parseF(t, cells[3]) != sl.params[steps][1] {
				t.Errorf("trace row %v, train W, b = %v", cells, sl.params[steps])
			}
		}
		b.stepN(4)
		check(4)
		b.setSlider(`.card[data-path="0"] input[name=lr]`, -1)
		b.wait("the new lr in the URL", `decodeURIComponent(location.search).includes('opt=gd,lr=0.1') && document.body.dataset.ready === '1'`)
		b.stepN(2)
		check(2)
		b.noErrors()
	})

	t.Run("rates", func(t *testing.T) {
		b.t = t
		b.open("view=rates&lrs=0.01,0.08,0.5&epochs=200")
		check := func(steps int) {
			st, err := ParseState(b.query())
			if err != nil {
				t.Fatal(err)
			}
			var vs []job.Variant
			for _, lr := range st.Rates.LRs {
				vs = append(vs, job.Variant{LR: lr})
			}
			cmp, err := job.Compare(context.Background(), dataJob(t, st.Rates.Data, st.Rates.Opt.Config), vs, job.CompareOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := b.statuses()
			for i, row := range cmp.Rows {
				if got[i].Step != strconv.Itoa(steps) || parseF(t, got[i].F) != row.Curve[steps] {
					t.Errorf("%s: shows step %s loss %s; compare's curve at %d: %v", row.Label, got[i].Step, got[i].F, steps, row.Curve[steps])
				}
			}
		}
		b.stepN(3)
		check(3)
		b.setSlider(`#lrs input[name=lr0]`, -1.3)
		b.wait("the new rates in the URL", `decodeURIComponent(location.search).includes('lrs=0.05,0.08,0.5') && document.body.dataset.ready === '1'`)
		b.stepN(2)
		check(2)
		b.noErrors()
	})
}

// TestScreenshots writes docs/img/playground-*.png from the running page
// when run with -update: go test ./serve -run Screenshots -update.
func TestScreenshots(t *testing.T) {
	if !*updateShots {
		t.Skip("run with -update to rewrite docs/img/playground-*.png")
	}
	b := newBrowser(t)
	for _, c := range []struct{ name, query string }{
		{"surface", "view=surface&obj=rosenbrock&steps=3000&speed=2000"},
		{"fit", "view=fit&data=iris&speed=2000"},
		{"fit-line", "view=fit&data=noisy-line&epochs=60&start=-1,8&speed=2000"},
		{"rates", "view=rates&lrs=0.01,0.03,0.08,0.1,0.5&epochs=200&speed=2000"},
	} {
		b.open(c.query)
		b.run("play", chromedp.Click(chromedp.CSS("#play")))
		b.wait("the end", `document.body.dataset.done === '1'`)
		time.Sleep(500 * time.Millisecond)
		ctx, cancel := b.timed()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join("..", "docs", "img", "playground-"+c.name+".png")
		if err := os.WriteFile(out, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", out, len(png))
		b.noErrors()
	}
}
